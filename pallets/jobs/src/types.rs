//! Jobs, their replicas and the reasons they end.

// The `*NoBound` derives restate the generic bounds in their own `where` clauses.
#![allow(clippy::multiple_bound_locations)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{JobKind, Limits, NetworkId},
	Balance,
};
use sp_core::{Get, H256};

/// A 64-byte ed25519 signature.
pub type Ed25519Signature = [u8; 64];

/// Where a worker fetches a job's code or input, and the blake2-256 hash it must have.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen))]
pub struct Resource<MaxUriLen: Get<u32>> {
	pub hash: H256,
	/// A URI the worker can read (`https://`, `ipfs://`, a path its operator serves); the hash,
	/// not the URI, is what the result is bound to.
	pub uri: BoundedVec<u8, MaxUriLen>,
}

/// A job request, as a user submits it.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen))]
pub struct JobSpec<MaxUriLen: Get<u32>, BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug> {
	pub network: NetworkId,
	pub kind: JobKind,
	pub code: Resource<MaxUriLen>,
	pub input: Resource<MaxUriLen>,
	/// Distinct workers that run the job; a majority of them must agree.
	pub replication: u8,
	pub limits: Limits,
	/// The last block a result is accepted at.
	pub deadline: BlockNumber,
	/// Held in escrow: each replica is offered `max_payment / replication`, paid in proportion
	/// to the fuel used; whatever is not paid is refunded.
	pub max_payment: Balance,
}

/// Why a job ended without a result.
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
pub enum FailReason {
	/// No set of eligible workers could be found before the deadline.
	NotAssigned,
	/// The replicas' results disagree so that no majority is possible; the chain cannot tell
	/// who is wrong, so nobody is struck.
	NoMajority,
	/// The deadline passed, or replicas went silent and none could replace them in time.
	TimedOut,
}

/// Where a job is.
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
pub enum JobStatus {
	/// Waiting for assignment (from the next block on, with that block's randomness).
	Pending,
	/// Replicas are running; no majority yet.
	Running,
	/// A majority agreed on this output. Replicas still running may answer until they expire:
	/// agreeing ones are paid, the others struck.
	Completed { output_hash: H256, fuel_used: u64 },
	/// Ended without a result; the escrow was refunded.
	Failed { reason: FailReason },
	/// The user cancelled it before assignment; the escrow was refunded.
	Cancelled,
}

impl ReplicaState {
	/// Whether the replica still owes the job a commitment or a reveal.
	pub fn is_running(&self) -> bool {
		matches!(self, Self::Waiting | Self::Committed { .. })
	}
}

impl JobStatus {
	/// Whether replicas may still report.
	pub fn accepts_results(&self) -> bool {
		matches!(self, Self::Running | Self::Completed { .. })
	}
}

/// Where a replica is.
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
pub enum ReplicaState {
	/// Assigned; nothing committed yet.
	Waiting,
	/// Committed to a result it has not revealed yet.
	Committed { commitment: H256 },
	/// Revealed before a majority formed.
	Reported { output_hash: H256, fuel_used: u64 },
	/// Agreed with the majority and was paid `amount`.
	Paid { output_hash: H256, amount: Balance },
	/// Reported a result the majority contradicted, and was struck.
	Wrong { output_hash: H256 },
	/// Committed or revealed nothing before it expired, and was struck.
	Missed,
	/// The job ended without a majority before this replica could matter; neither paid nor
	/// struck.
	Released,
}

/// One worker's part in a job.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Replica<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
> {
	pub worker: AccountId,
	/// The worker's payout address when it was assigned, so a worker that leaves the registry
	/// after answering is still paid.
	pub payout: EthAddress,
	/// The ed25519 key its commitment must be signed with, fixed at assignment.
	pub identity: [u8; 32],
	pub assigned_at: BlockNumber,
	/// The last block its commitment is accepted at, then, once the reveal opened, its reveal.
	pub expires_at: BlockNumber,
	pub state: ReplicaState,
}

impl<
		AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Clone + PartialEq + Eq + PartialOrd + core::fmt::Debug,
	> Replica<AccountId, BlockNumber>
{
	/// Whether, at `now`, the replica has let its window pass owing the job something: a
	/// commitment, or (once reveals are open) a reveal.
	pub fn is_late(&self, revealing: bool, now: &BlockNumber) -> bool {
		self.expires_at < *now
			&& match self.state {
				ReplicaState::Waiting => true,
				ReplicaState::Committed { .. } => revealing,
				_ => false,
			}
	}
}

/// A job on chain.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen, MaxReplicas, MaxTried))]
pub struct Job<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
	MaxReplicas: Get<u32>,
	MaxTried: Get<u32>,
> {
	pub owner: AccountId,
	pub spec: JobSpec<MaxUriLen, BlockNumber>,
	pub status: JobStatus,
	pub submitted_at: BlockNumber,
	/// The replicas, in slot order; a replaced replica's slot takes its successor.
	pub replicas: BoundedVec<Replica<AccountId, BlockNumber>, MaxReplicas>,
	/// Every worker ever assigned, so a replacement is never one that already failed the job.
	pub tried: BoundedVec<AccountId, MaxTried>,
	/// Whether every replica has committed (or missed) and reveals are accepted.
	pub revealing: bool,
	/// Assignment draws that found no full set of workers.
	pub attempts: u8,
	/// Escrow still held for the job.
	pub escrow: Balance,
	/// The storage deposit held until the job is removed.
	pub deposit: Balance,
	/// When the job settled (no replica left running and the escrow paid out or refunded); it
	/// is removed `Retention` blocks later.
	pub settled_at: Option<BlockNumber>,
}

/// Bound of [`Job::tried`]: the replicas plus their replacements.
pub struct TriedBound<R, A>(core::marker::PhantomData<(R, A)>);
impl<R: Get<u32>, A: Get<u32>> Get<u32> for TriedBound<R, A> {
	fn get() -> u32 {
		R::get().saturating_add(A::get())
	}
}
