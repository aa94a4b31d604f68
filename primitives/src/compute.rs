//! The vocabulary of compute: networks, workers' capacity, jobs and their results, and the
//! traits through which `pallet-registry`, `pallet-jobs` and `pallet-reputation` talk.
//!
//! The worker program signs results with [`result_payload`], the chain verifies the same bytes,
//! so the two can never drift apart.

use crate::{bridge_key::EthAddress, Balance};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// A specialized network.
pub type NetworkId = u32;
/// A job, numbered from 0 in submission order.
pub type JobId = u64;
/// A reputation score, in points from 0 to [`MAX_SCORE`].
pub type Score = u32;

/// The highest reputation score.
pub const MAX_SCORE: Score = 10_000;

/// What a network's jobs are. Workers run each kind with an executor of their own, so a new
/// network with a new kind needs a new executor in the worker, not a new chain.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum JobKind {
	/// A WebAssembly module run by wasmtime with fuel, memory and time limits; deterministic, so
	/// replicas can be compared and validators can re-execute.
	Wasm,
}

/// A GPU a worker declares.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Gpu {
	pub count: u8,
	pub memory_mib: u32,
}

/// Hardware a worker declares, or a network requires.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Capacity {
	pub cpu_cores: u16,
	pub memory_mib: u32,
	pub gpu: Option<Gpu>,
}

impl Capacity {
	/// Whether this capacity meets every part of `required`.
	pub fn covers(&self, required: &Capacity) -> bool {
		let gpu_ok = match (&required.gpu, &self.gpu) {
			(None, _) => true,
			(Some(_), None) => false,
			(Some(need), Some(have)) => {
				have.count >= need.count && have.memory_mib >= need.memory_mib
			},
		};
		self.cpu_cores >= required.cpu_cores && self.memory_mib >= required.memory_mib && gpu_ok
	}
}

/// What one replica of a job may use: the chain escrows and meters by it, the worker's sandbox
/// enforces it.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Limits {
	/// Wasm fuel (instructions, roughly); the payment is metered by the fuel the replicas
	/// agree they used.
	pub fuel: u64,
	/// Linear memory, in MiB; only workers declaring at least this much are assigned.
	pub memory_mib: u32,
	/// Wall-clock time, in milliseconds; it lengthens the window a replica has to answer.
	pub time_ms: u32,
}

/// A network's rules, as the jobs pallet needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkTerms {
	pub kind: JobKind,
	/// Workers below this score are neither admitted nor assigned.
	pub min_reputation: Score,
	/// The least escrow a job may offer per replica.
	pub price_floor: Balance,
	/// A retired network takes no new workers and no new jobs.
	pub retired: bool,
}

/// A registered worker, as the jobs pallet needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerTerms<AccountId> {
	/// The ed25519 key its results are signed with.
	pub identity: [u8; 32],
	/// Where its earnings are paid on Base.
	pub payout: EthAddress,
	pub capacity: Capacity,
	/// The validator whose off-chain worker dispatches its jobs.
	pub validator: AccountId,
	/// Where its validator reaches it (`http://host:port`).
	pub endpoint: Vec<u8>,
}

/// What `pallet-registry` tells the others.
pub trait Registry<AccountId> {
	/// A network's terms, retired or not.
	fn network(id: NetworkId) -> Option<NetworkTerms>;
	/// Whether `who` is a registered user.
	fn is_user(who: &AccountId) -> bool;
	/// A registered worker's terms, paused or not.
	fn worker(who: &AccountId) -> Option<WorkerTerms<AccountId>>;
	/// How many workers stand for assignment in `network`: registered, not paused, not
	/// blacklisted.
	fn member_count(network: NetworkId) -> u32;
	/// The member at `index` (below [`Self::member_count`]); the order is arbitrary and changes
	/// as workers leave.
	fn member_at(network: NetworkId, index: u32) -> Option<AccountId>;
	/// Every worker attached to `validator`, in no particular order. Reads one entry per
	/// worker: for off-chain workers, never inside a block.
	fn attached_workers(validator: &AccountId) -> Vec<AccountId>;

	/// Creates an open network with no admission rules and a zero price floor (benchmarks
	/// only).
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_network() -> NetworkId;
	/// Makes `who` an active member of `network` signing with `identity`, paying out to
	/// `payout`, with ample capacity (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_worker(who: &AccountId, identity: [u8; 32], payout: EthAddress, network: NetworkId);
	/// Registers `who` as a user (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_user(who: &AccountId);
	/// Attaches worker `who` to `validator` (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_attach(who: &AccountId, validator: &AccountId);
}

/// Whose score.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Role {
	Worker,
	Validator,
}

/// Why a party was struck.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Fault {
	/// A result that the majority of replicas contradicted.
	WrongResult,
	/// No result before the assignment expired.
	MissedDeadline,
	/// A liveness or capacity challenge failed.
	FailedChallenge,
	/// A validator did not vote for a table that passed.
	MissedVote,
}

/// What `pallet-reputation` offers the others.
pub trait Reputation<AccountId> {
	/// The current score (decay applied), or the starting score for a party never seen.
	fn score(role: Role, who: &AccountId) -> Score;
	/// Whether `who` is blacklisted in `role`.
	fn is_blacklisted(role: Role, who: &AccountId) -> bool;
	/// `who` did verified work.
	fn note_success(role: Role, who: &AccountId);
	/// `who` was struck for `fault`. Returns whether this strike blacklisted it.
	fn note_fault(role: Role, who: &AccountId, fault: Fault) -> bool;
}

/// Told when a party is blacklisted or pardoned (the registry drops a blacklisted worker from
/// its networks' assignment lists).
pub trait OnBlacklist<AccountId> {
	fn blacklisted(role: Role, who: &AccountId);
	fn pardoned(role: Role, who: &AccountId);
}

impl<AccountId> OnBlacklist<AccountId> for () {
	fn blacklisted(_: Role, _: &AccountId) {}
	fn pardoned(_: Role, _: &AccountId) {}
}

/// A job whose replicas agreed, as `pallet-jobs` describes it: enough to run it again and to
/// know whom to strike if it does not reproduce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletedJob<AccountId> {
	pub id: JobId,
	pub network: NetworkId,
	pub kind: JobKind,
	pub code_hash: H256,
	pub code_uri: Vec<u8>,
	pub input_hash: H256,
	pub input_uri: Vec<u8>,
	pub limits: Limits,
	pub output_hash: H256,
	pub fuel_used: u64,
	/// The workers paid for agreeing with the majority.
	pub workers: Vec<AccountId>,
}

/// Told when a job completes (the audits pallet samples jobs to re-execute).
pub trait OnJobCompleted {
	fn on_completed(id: JobId);
	/// The most [`Self::on_completed`] may weigh, including any work it defers to a hook.
	fn weight() -> sp_runtime::Weight;
}

impl OnJobCompleted for () {
	fn on_completed(_: JobId) {}
	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// Completed jobs, as `pallet-jobs` keeps them until their retention ends.
pub trait CompletedJobs<AccountId> {
	/// The job if it exists and completed.
	fn completed_job(id: JobId) -> Option<CompletedJob<AccountId>>;

	/// Stores job `id` as completed and paid to `workers`, with the longest URIs (benchmarks
	/// only).
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_completed(id: JobId, owner: AccountId, workers: Vec<AccountId>);
}

/// What `pallet-jobs` tells the registry, which must not let a party with open work leave.
pub trait OpenWork<AccountId> {
	/// Jobs assigned to `worker` that it has not answered yet.
	fn worker_load(worker: &AccountId) -> u32;
	/// Jobs of `user` not yet cleaned up.
	fn user_jobs(user: &AccountId) -> u32;
}

impl<AccountId> OpenWork<AccountId> for () {
	fn worker_load(_: &AccountId) -> u32 {
		0
	}
	fn user_jobs(_: &AccountId) -> u32 {
		0
	}
}

/// The pool's refusal of an authorized call that would fail with `error`: its index in the
/// pallet's `Error`, so a client can name it from the metadata.
pub fn pool_refusal<E: Encode>(
	error: &E,
) -> sp_runtime::transaction_validity::TransactionValidityError {
	let code = error.encode().first().copied().unwrap_or(u8::MAX);
	sp_runtime::transaction_validity::InvalidTransaction::Custom(code).into()
}

/// Domain tag of a worker's signed commitment to a result.
pub const COMMIT_DOMAIN: &[u8] = b"smartnodes:job-commit:v1";
/// Domain tag of a result commitment's preimage.
pub const RESULT_DOMAIN: &[u8] = b"smartnodes:job-result:v1";

/// What a worker commits to before any replica's result is public: the hash of its output, the
/// fuel it used and a secret salt, bound to the job and to its identity key so that neither a
/// commitment nor a revealed result can be copied by another replica.
pub fn result_commitment(
	job: JobId,
	identity: &[u8; 32],
	output_hash: &H256,
	fuel_used: u64,
	salt: &[u8; 32],
) -> H256 {
	let mut preimage = Vec::with_capacity(RESULT_DOMAIN.len().saturating_add(112));
	preimage.extend_from_slice(RESULT_DOMAIN);
	preimage.extend_from_slice(&job.to_le_bytes());
	preimage.extend_from_slice(identity);
	preimage.extend_from_slice(output_hash.as_bytes());
	preimage.extend_from_slice(&fuel_used.to_le_bytes());
	preimage.extend_from_slice(salt);
	H256(sp_io::hashing::blake2_256(&preimage))
}

/// The bytes a worker signs with its ed25519 identity key to commit: the domain, the chain's
/// genesis hash (no replay on another chain), the job id and the commitment.
pub fn commit_payload(genesis: &H256, job: JobId, commitment: &H256) -> Vec<u8> {
	let mut payload = Vec::with_capacity(COMMIT_DOMAIN.len().saturating_add(72));
	payload.extend_from_slice(COMMIT_DOMAIN);
	payload.extend_from_slice(genesis.as_bytes());
	payload.extend_from_slice(&job.to_le_bytes());
	payload.extend_from_slice(commitment.as_bytes());
	payload
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn capacity_covers_each_part() {
		let have = Capacity {
			cpu_cores: 8,
			memory_mib: 16_384,
			gpu: Some(Gpu { count: 1, memory_mib: 8_192 }),
		};
		assert!(have.covers(&Capacity::default()));
		assert!(have.covers(&have));
		assert!(!have.covers(&Capacity { cpu_cores: 9, ..have }));
		assert!(!have.covers(&Capacity { memory_mib: 16_385, ..have }));
		assert!(!have.covers(&Capacity { gpu: Some(Gpu { count: 2, memory_mib: 1 }), ..have }));
		assert!(!Capacity { gpu: None, ..have }.covers(&have));
	}

	#[test]
	fn commitments_bind_every_field() {
		let (identity, output, salt) = ([1u8; 32], H256::repeat_byte(2), [3u8; 32]);
		let base = result_commitment(7, &identity, &output, 100, &salt);
		assert_ne!(base, result_commitment(8, &identity, &output, 100, &salt));
		assert_ne!(base, result_commitment(7, &[9; 32], &output, 100, &salt));
		assert_ne!(base, result_commitment(7, &identity, &H256::repeat_byte(3), 100, &salt));
		assert_ne!(base, result_commitment(7, &identity, &output, 101, &salt));
		assert_ne!(base, result_commitment(7, &identity, &output, 100, &[4; 32]));
		let genesis = H256::repeat_byte(5);
		let payload = commit_payload(&genesis, 7, &base);
		assert_eq!(payload.len(), COMMIT_DOMAIN.len() + 32 + 8 + 32);
		assert_ne!(payload, commit_payload(&H256::repeat_byte(6), 7, &base));
		assert_ne!(payload, commit_payload(&genesis, 8, &base));
	}
}
