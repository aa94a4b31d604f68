//! # Jobs pallet
//!
//! What users pay for and workers earn from. A registered user submits a job: the network it
//! runs in, where to fetch its code and input with their hashes, how many distinct workers run it
//! (replication), its limits, a deadline and the most it will pay, which is held in escrow.
//!
//! Life of a job:
//! 1. [`Pallet::submit_job`] holds the payment and a storage deposit and queues the job. Until
//!    assignment the user may [`Pallet::cancel_job`] it for a full refund.
//! 2. At the next block, `on_initialize` draws the replicas from the network's members with that
//!    block's randomness (which the submitter could not know): registered, not paused, not
//!    blacklisted, at or above the network's minimum reputation, with the memory the job asks
//!    for and below their load limit. Replicas are distinct workers. A job for which no such set
//!    is found waits in the queue until its deadline.
//! 3. Results are committed, then revealed, so no replica can copy another's: each worker
//!    commits to `(output hash, fuel used)` with a secret salt, bound to the job and its identity
//!    key ([`smartnodes_primitives::compute::result_commitment`]), and signs the commitment with
//!    the ed25519 key it registered; its validator's off-chain worker relays it
//!    ([`Pallet::commit_result`]), free of fees since the signature, checked in the pool and
//!    again on chain, is the authorization. Once every replica has committed (or missed its
//!    window), reveals open for `RevealWindow` blocks and each worker reveals its values and
//!    salt ([`Pallet::reveal_result`]), which must match its commitment.
//! 4. When a majority of the replicas reveal the same `(output hash, fuel used)` the job
//!    completes: each agreeing worker is paid `max_payment / replication × fuel used / fuel
//!    limit`, less the protocol fee, on its reward account on Base; the paid amount is burnt here
//!    because it is minted there. With two replicas or more the work is verified by agreement:
//!    the amount paid counts toward the period's emission and the worker's reputation rises
//!    (a single replica is paid, but nothing vouches for it). Replicas that contradict the
//!    majority are struck; those that have not revealed yet may until they expire.
//! 5. A replica that does not commit within its window (`ResultWindow` plus its time limit), or
//!    does not reveal in time, is struck. A silent one is replaced by another eligible worker
//!    while no reveal has opened, the deadline leaves room and the job has replacements left. A
//!    job that can no longer reach a majority fails and is refunded in full; if the results
//!    disagree with no majority possible nobody is struck, since the chain cannot tell who
//!    lied.
//! 6. Once no replica is running the unpaid escrow is refunded; the job stays readable for
//!    `Retention` blocks and is then removed with its deposit returned.
//!
//! Per-block work is capped in count and in weight: at most `MaxAssignmentsPerBlock` queued
//! jobs are assigned and `MaxTimersPerBlock` timers (replica expiries, deadlines, removals)
//! handled per block, within `MaxHookWeight`; the rest carries over to the next block.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use smartnodes_primitives::compute::Limits;
pub use types::*;
pub use weights::WeightInfo;

mod assign;
// Benchmark set-up only runs in benchmarks, where a failed `expect` means a broken benchmark.
#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::arithmetic_side_effects)]
mod benchmarking;
mod impls;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod mock;
pub mod offchain;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::jobs";

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs` and `assign.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, MutateHold},
			Randomness,
		},
	};
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::{
		compute::{JobId, NetworkId, OnJobCompleted, Registry, Reputation},
		ledger::{ContributionRecorder, SigningSet},
		Balance,
	};
	use sp_core::H256;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<Hash = H256>
		+ frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The native currency: escrow and deposits are holds on it.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Inspect<Self::AccountId, Balance = Balance>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Networks, workers and users.
		type Registry: Registry<Self::AccountId>;

		/// The active validators and their bridge keys: the off-chain worker dispatches the
		/// jobs of the workers attached to the validators whose keys this node holds.
		type Validators: SigningSet<Self::AccountId>;

		/// Workers' scores and blacklist.
		type Reputation: Reputation<Self::AccountId>;

		/// The reward books that pay workers on Base.
		type Contributions: ContributionRecorder;

		/// Told of every completed job (the audits pallet samples some to re-execute).
		type OnCompleted: OnJobCompleted;

		/// Per-block randomness for assignment (BABE's VRF output of the parent block in the
		/// runtime).
		type Randomness: Randomness<H256, BlockNumberFor<Self>>;

		/// Most replicas a job may ask for.
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// Most replacements of silent replicas per job.
		#[pallet::constant]
		type MaxReassignments: Get<u32>;

		/// Longest code or input URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// Limits a job may ask for, per replica.
		#[pallet::constant]
		type MaxLimits: Get<Limits>;

		/// Furthest deadline, in blocks from submission.
		#[pallet::constant]
		type MaxDeadline: Get<BlockNumberFor<Self>>;

		/// Blocks a replica has to commit, on top of its time limit.
		#[pallet::constant]
		type ResultWindow: Get<BlockNumberFor<Self>>;

		/// Blocks the replicas have to reveal once every one has committed.
		#[pallet::constant]
		type RevealWindow: Get<BlockNumberFor<Self>>;

		/// Milliseconds per block, to turn a time limit into blocks.
		#[pallet::constant]
		type MillisecsPerBlock: Get<u64>;

		/// Jobs a worker may run at once.
		#[pallet::constant]
		type MaxWorkerLoad: Get<u32>;

		/// Jobs a user may have on chain at once (until they are removed).
		#[pallet::constant]
		type MaxJobsPerUser: Get<u32>;

		/// Jobs waiting for assignment.
		#[pallet::constant]
		type MaxPendingJobs: Get<u32>;

		/// Jobs one user may have waiting for assignment, so no user can fill the queue.
		#[pallet::constant]
		type MaxPendingPerUser: Get<u32>;

		/// Draws that find no full set of workers before a job fails as not assignable.
		#[pallet::constant]
		type MaxAssignmentAttempts: Get<u8>;

		/// The most weight `on_initialize` spends on assignments and timers.
		#[pallet::constant]
		type MaxHookWeight: Get<Weight>;

		/// Queued jobs assigned per block.
		#[pallet::constant]
		type MaxAssignmentsPerBlock: Get<u32>;

		/// Members drawn to fill one job's replicas.
		#[pallet::constant]
		type MaxAssignmentScan: Get<u32>;

		/// Timers handled per block.
		#[pallet::constant]
		type MaxTimersPerBlock: Get<u32>;

		/// Blocks a settled job stays readable before it is removed.
		#[pallet::constant]
		type Retention: Get<BlockNumberFor<Self>>;

		/// Held per job until it is removed, for its storage.
		#[pallet::constant]
		type JobDeposit: Get<Balance>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A job's payment, until it is paid to the workers or refunded.
		#[codec(index = 0)]
		Escrow,
		/// A job's storage deposit, until the job is removed.
		#[codec(index = 1)]
		JobStorage,
	}

	pub type JobOf<T> = Job<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
		<T as Config>::MaxReplicas,
		TriedBound<<T as Config>::MaxReplicas, <T as Config>::MaxReassignments>,
	>;
	pub type JobSpecOf<T> = JobSpec<<T as Config>::MaxUriLen, BlockNumberFor<T>>;

	/// The next job id.
	#[pallet::storage]
	pub type NextJobId<T: Config> = StorageValue<_, JobId, ValueQuery>;

	/// Every job not yet removed.
	#[pallet::storage]
	pub type JobsById<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>, OptionQuery>;

	/// Jobs waiting for assignment, oldest first.
	#[pallet::storage]
	pub type Queue<T: Config> = StorageValue<_, BoundedVec<JobId, T::MaxPendingJobs>, ValueQuery>;

	/// The jobs of each user, until they are removed.
	#[pallet::storage]
	pub type JobsOf<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, JobId, (), OptionQuery>;

	/// How many jobs each user has on chain.
	#[pallet::storage]
	pub type JobCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Jobs each user has waiting for assignment.
	#[pallet::storage]
	pub type PendingCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Replicas each worker owes a commitment.
	#[pallet::storage]
	pub type Load<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The replicas each worker is running: assigned, and not yet revealed, expired or
	/// released. Its validator's off-chain worker reads it to dispatch and collect.
	#[pallet::storage]
	pub type Assignments<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, JobId, (), OptionQuery>;

	/// Timers: at a block, a job to look at (a replica expiry, its deadline, its removal).
	#[pallet::storage]
	pub type Agenda<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, JobId, (), OptionQuery>;

	/// The first block whose timers may not all have been handled.
	#[pallet::storage]
	pub type AgendaCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A job was queued for assignment, with `max_payment` held in escrow.
		JobSubmitted { id: JobId, owner: T::AccountId, network: NetworkId, max_payment: Balance },
		/// A job's replicas were drawn.
		JobAssigned { id: JobId, workers: alloc::vec::Vec<T::AccountId> },
		/// A worker committed to a result.
		ResultCommitted { id: JobId, worker: T::AccountId },
		/// Every replica committed or missed: reveals are accepted until `until`.
		RevealOpened { id: JobId, until: BlockNumberFor<T> },
		/// A worker revealed the result it had committed to.
		ResultReported { id: JobId, worker: T::AccountId, output_hash: H256, fuel_used: u64 },
		/// A majority of replicas agreed on the output.
		JobCompleted { id: JobId, output_hash: H256, fuel_used: u64 },
		/// A worker was paid for its replica (`fee` of it to the treasury).
		WorkerPaid { id: JobId, worker: T::AccountId, amount: Balance, fee: Balance },
		/// A replica's result contradicted the majority; its worker was struck.
		WrongResult { id: JobId, worker: T::AccountId, output_hash: H256 },
		/// A replica did not commit or reveal in time; its worker was struck.
		ReplicaMissed { id: JobId, worker: T::AccountId },
		/// A silent replica was replaced.
		ReplicaReassigned { id: JobId, from: T::AccountId, to: T::AccountId },
		/// A job ended without a result.
		JobFailed { id: JobId, reason: FailReason },
		/// The user cancelled a job before its assignment.
		JobCancelled { id: JobId },
		/// Escrow was returned to the job's owner.
		Refunded { id: JobId, owner: T::AccountId, amount: Balance },
		/// A settled job was removed and its deposit returned.
		JobRemoved { id: JobId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Only registered users submit jobs. Call `registry.register_user` first.
		NotAUser,
		/// The network does not exist.
		UnknownNetwork,
		/// The network is retired and takes no new jobs. Pick another network.
		NetworkRetired,
		/// The job's kind is not the network's. Submit it to a network running that kind.
		WrongKind,
		/// Replication must be at least 1 and at most `MaxReplicas`.
		BadReplication,
		/// The network has fewer members than the replication asked for. Lower it, or wait
		/// for workers to join.
		NotEnoughWorkers,
		/// Fuel, memory and time must be above zero and within `MaxLimits`.
		BadLimits,
		/// The deadline must leave at least one full result window and be within
		/// `MaxDeadline` blocks.
		BadDeadline,
		/// Each replica must be offered at least the network's price floor.
		PaymentBelowFloor,
		/// The account cannot hold the payment plus the job deposit.
		InsufficientBalance,
		/// The user has `MaxJobsPerUser` jobs on chain; wait for some to be removed.
		TooManyJobs,
		/// The user has `MaxPendingPerUser` jobs waiting for assignment; wait for them.
		TooManyPending,
		/// The assignment queue is full; retry in a few blocks.
		QueueFull,
		/// No job has this id (it may have been removed after its retention).
		UnknownJob,
		/// Only the job's owner may cancel it.
		NotOwner,
		/// Only a job still waiting for assignment can be cancelled.
		NotPending,
		/// The job takes no more results (not running, or finished).
		NotAcceptingResults,
		/// The worker owes this job no commitment: not assigned, already committed (a replay),
		/// or expired.
		NotAssigned,
		/// The signature is not the worker's identity key over this commitment.
		BadSignature,
		/// Reveals open once every replica has committed or missed its window; wait for
		/// `RevealOpened`.
		NotRevealing,
		/// The worker has no commitment to reveal in this job: it never committed, already
		/// revealed (a replay), or its reveal expired.
		NotCommitted,
		/// The revealed values and salt do not hash to the worker's commitment.
		CommitmentMismatch,
		/// A replica cannot use more fuel than the job's limit.
		FuelAboveLimit,
		/// Job ids are exhausted.
		IdOverflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let budget = T::MaxHookWeight::get();
			// Assignments may take half the budget; timers take what is left.
			let assigned = Self::do_assign_queued(now, budget.div(2));
			assigned.saturating_add(Self::do_run_agenda(now, budget.saturating_sub(assigned)))
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::offchain_dispatch(now);
		}

		fn integrity_test() {
			assert!(T::MaxReplicas::get() > 0, "a job has a replica");
			assert!(T::MaxReplicas::get() <= u8::MAX.into(), "replication is a u8");
			assert!(T::MaxAssignmentScan::get() >= T::MaxReplicas::get(), "a scan can fill a job");
			assert!(T::MaxTimersPerBlock::get() > 0, "timers make progress");
			assert!(T::MaxAssignmentsPerBlock::get() > 0, "the queue makes progress");
			assert!(T::MillisecsPerBlock::get() > 0, "blocks take time");
			assert!(!T::ResultWindow::get().is_zero(), "replicas get a window");
			assert!(!T::RevealWindow::get().is_zero(), "replicas get time to reveal");
			assert!(T::MaxPendingPerUser::get() > 0, "users may queue a job");
			assert!(T::MaxAssignmentAttempts::get() > 0, "a job gets a draw");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Submits a job, holding `spec.max_payment` in escrow and `JobDeposit` for its
		/// storage. It is assigned from the next block on.
		#[pallet::call_index(0)]
		pub fn submit_job(origin: OriginFor<T>, spec: JobSpecOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let id = Self::check_submit(&who, &spec)?;
			Self::do_submit(id, who, spec)
		}

		/// Cancels a job still waiting for assignment; its escrow is refunded at once.
		#[pallet::call_index(1)]
		pub fn cancel_job(origin: OriginFor<T>, id: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let job = JobsById::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
			ensure!(job.owner == who, Error::<T>::NotOwner);
			ensure!(job.status == JobStatus::Pending, Error::<T>::NotPending);
			Self::do_cancel(id, job);
			Ok(())
		}

		/// Records `worker`'s commitment to its result for job `id`, signed with the worker's
		/// registered ed25519 key over
		/// [`smartnodes_primitives::compute::commit_payload`]. Anyone may relay it (a
		/// validator's off-chain worker does), free of fees: the signature authorizes it.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_result(T::MaxReplicas::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_commit)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_commit())]
		pub fn commit_result(
			origin: OriginFor<T>,
			id: JobId,
			worker: T::AccountId,
			commitment: H256,
			signature: Ed25519Signature,
		) -> DispatchResultWithPostInfo {
			if ensure_authorized(origin.clone()).is_err() {
				ensure_signed(origin)?;
			}
			let (job, slot) = Self::check_commit(id, &worker, &commitment, &signature)?;
			let replicas = Self::do_commit(id, job, slot, commitment);
			Ok(Some(T::WeightInfo::commit_result(replicas)).into())
		}

		/// Reveals `worker`'s committed result for job `id`: the blake2-256 hash of its output,
		/// the fuel it used and the salt of its commitment. Free and open to anyone, like the
		/// commitment, since only the committer knows values that match it.
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::reveal_result(T::MaxReplicas::get())
				.saturating_add(T::OnCompleted::weight())
		)]
		#[pallet::authorize(Pallet::<T>::authorize_reveal)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_reveal())]
		pub fn reveal_result(
			origin: OriginFor<T>,
			id: JobId,
			worker: T::AccountId,
			output_hash: H256,
			fuel_used: u64,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			if ensure_authorized(origin.clone()).is_err() {
				ensure_signed(origin)?;
			}
			let (job, slot) = Self::check_reveal(id, &worker, &output_hash, fuel_used, &salt)?;
			let (replicas, completed) = Self::do_reveal(id, job, slot, output_hash, fuel_used);
			let hook = if completed { T::OnCompleted::weight() } else { Weight::zero() };
			Ok(Some(T::WeightInfo::reveal_result(replicas).saturating_add(hook)).into())
		}
	}
}
