//! # Audits pallet
//!
//! How validators check the workers beyond what replication shows:
//!
//! - **Re-execution.** Two blocks after a job completes, a share `AuditRate` of completed jobs
//!   is drawn for an audit, with randomness the workers could not know when they revealed (so a
//!   cheat cannot time its reveal to dodge one). The auditor is a random active validator, never
//!   one a paid worker of the job is attached to. Its node runs the job again (the off-chain
//!   worker hands it to the node's audit service, [`offchain`]) and it reports, signed with its
//!   bridge key, within `AuditWindow` blocks: if the result does not reproduce, every worker
//!   paid for it is struck, and the event carries both hashes as evidence anyone can check by
//!   running the job. An auditor that cannot fetch the job or run it in time says so
//!   (no verdict); an audit nobody reports on expires.
//! - **Challenges.** Every `ChallengePeriod` blocks (a round), each validator's off-chain
//!   worker challenges the workers attached to it: a fresh nonce and a small hash chain to
//!   compute, answered with the capacity the worker measures, signed with its identity key
//!   ([`smartnodes_primitives::dispatch`]). A worker that does not answer in time, answers
//!   wrongly, or reports less capacity than it declared fails. The validator reports the
//!   round's outcomes, signed: a failure strikes the worker (`FailedChallenge`), a pass credits
//!   it `ChallengeCredit` in the period's reward table, so being available earns a share of
//!   emission.
//!
//! Reports are authorized calls (`#[pallet::authorize]`): free, since the bridge-key signature
//! over a domain-separated digest is the authorization. Work per block is bounded: samples per
//! block, open audits and expiries per block are `Config` constants; a report carries at most
//! `MaxChallengeReport` outcomes.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

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
pub const LOG_TARGET: &str = "runtime::audits";

/// Blocks between a job's completion and the draw that may audit it.
pub const SAMPLE_DELAY: u32 = 2;

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs` and `offchain.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Randomness};
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::{
		compute::{CompletedJobs, JobId, Registry, Reputation},
		ledger::{ContributionRecorder, SigningSet},
	};
	use sp_core::H256;
	use sp_runtime::Permill;

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

		/// The active validators and their bridge keys: the auditors and challengers.
		type Validators: SigningSet<Self::AccountId>;

		/// Workers, their identity keys, declared capacity and validator.
		type Registry: Registry<Self::AccountId>;

		/// Completed jobs (the jobs pallet).
		type Jobs: CompletedJobs<Self::AccountId>;

		/// Workers' scores: failed audits and challenges strike.
		type Reputation: Reputation<Self::AccountId>;

		/// The reward books: passed challenges earn contribution.
		type Contributions: ContributionRecorder;

		/// Randomness for drawing audits and auditors (BABE's, in the runtime).
		type Randomness: Randomness<H256, BlockNumberFor<Self>>;

		/// Longest code or input URI (the jobs pallet's).
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// Most workers paid for one job (the jobs pallet's replication bound).
		#[pallet::constant]
		type MaxWorkers: Get<u32>;

		/// Blocks an auditor has to report.
		#[pallet::constant]
		type AuditWindow: Get<BlockNumberFor<Self>>;

		/// Audits open at once (counting those reported within their window); beyond it no new
		/// audit is drawn.
		#[pallet::constant]
		type MaxOpenAudits: Get<u32>;

		/// Completed jobs considered for an audit per block; the excess is not audited.
		#[pallet::constant]
		type MaxSamplesPerBlock: Get<u32>;

		/// Audits expired per block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// Outcomes per challenge report.
		#[pallet::constant]
		type MaxChallengeReport: Get<u32>;

		/// Hash-chain steps a challenge asks for.
		#[pallet::constant]
		type ChallengeSteps: Get<u32>;

		/// Contribution a passed challenge earns in the period's reward table.
		#[pallet::constant]
		type ChallengeCredit: Get<u128>;

		/// Priority of reports in the transaction pool.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	pub type AuditOf<T> = Audit<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
		<T as Config>::MaxWorkers,
	>;

	/// A report's outcomes: each worker and whether it passed.
	pub type ChallengeOutcomesOf<T> = BoundedVec<
		(<T as frame_system::Config>::AccountId, bool),
		<T as Config>::MaxChallengeReport,
	>;

	/// The share of completed jobs drawn for re-execution.
	#[pallet::storage]
	pub type AuditRate<T: Config> = StorageValue<_, Permill, ValueQuery>;

	/// Blocks per challenge round; zero turns challenges off.
	#[pallet::storage]
	pub type ChallengePeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Jobs that completed, to be considered for an audit at a block.
	#[pallet::storage]
	pub type Sampling<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<JobId, T::MaxSamplesPerBlock>,
		ValueQuery,
	>;

	/// Open audits.
	#[pallet::storage]
	pub type OpenAudits<T: Config> = StorageMap<_, Twox64Concat, JobId, AuditOf<T>, OptionQuery>;

	/// Each auditor's open audits, for its off-chain worker.
	#[pallet::storage]
	pub type AuditsOf<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, JobId, (), OptionQuery>;

	/// Audits by due block, oldest first, until they expire (reported ones included).
	#[pallet::storage]
	pub type AuditQueue<T: Config> =
		StorageValue<_, BoundedVec<(BlockNumberFor<T>, JobId), T::MaxOpenAudits>, ValueQuery>;

	/// The last round each worker's challenge was reported in.
	#[pallet::storage]
	pub type LastChallenged<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Round, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub audit_rate: Permill,
		pub challenge_period: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			AuditRate::<T>::put(self.audit_rate);
			ChallengePeriod::<T>::put(self.challenge_period);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A completed job was drawn for re-execution by `auditor`.
		AuditOpened { job: JobId, auditor: T::AccountId, due: BlockNumberFor<T> },
		/// The auditor reproduced the agreed result.
		AuditPassed { job: JobId, auditor: T::AccountId },
		/// The auditor's run disagreed with the agreed result; the paid workers were struck.
		/// Both results are the evidence: anyone can run the job again.
		AuditFailed {
			job: JobId,
			auditor: T::AccountId,
			agreed: (H256, u64),
			reproduced: (H256, u64),
			struck: alloc::vec::Vec<T::AccountId>,
		},
		/// The auditor could not fetch or run the job: no verdict.
		AuditInconclusive { job: JobId, auditor: T::AccountId },
		/// Nobody reported on the audit in its window.
		AuditExpired { job: JobId, auditor: T::AccountId },
		/// A validator reported a round of challenges to its workers.
		ChallengesReported { validator: T::AccountId, round: Round, passed: u32, failed: u32 },
		/// A worker failed its challenge and was struck.
		ChallengeFailed { worker: T::AccountId, validator: T::AccountId, round: Round },
		/// Governance set the audit rate.
		AuditRateSet { rate: Permill },
		/// Governance set the challenge period (zero: no challenges).
		ChallengePeriodSet { blocks: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No open audit of this job: it was never drawn, was reported already (a replay) or
		/// expired.
		UnknownAudit,
		/// The signature is not the auditor's or the validator's bridge key over this report.
		BadSignature,
		/// The reporting validator is not in the active set.
		NotInSet,
		/// Challenges are off (`ChallengePeriod` is zero).
		ChallengesOff,
		/// Only the current round's and the previous round's challenges can be reported.
		WrongRound,
		/// A report must carry at least one outcome.
		EmptyReport,
		/// A reported worker is not registered or not attached to the reporting validator.
		NotAttached,
		/// A worker's challenge for this round was reported already, or twice in this report.
		AlreadyChallenged,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_sample(now).saturating_add(Self::do_expire(now))
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::offchain_worker_run(now);
		}

		fn integrity_test() {
			assert!(T::MaxOpenAudits::get() > 0, "audits can open");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "audits expire");
			assert!(T::MaxChallengeReport::get() > 0, "reports carry outcomes");
			assert!(!T::AuditWindow::get().is_zero(), "auditors get a window");
			assert!(
				T::ChallengeSteps::get() <= smartnodes_primitives::dispatch::MAX_CHALLENGE_STEPS,
				"workers compute every step asked for"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Reports the auditor's re-execution of `job`, signed with its bridge key over
		/// [`audit_digest`]. Anyone may relay it (the auditor's off-chain worker does).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report_audit(T::MaxWorkers::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_audit)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_audit())]
		pub fn report_audit(
			origin: OriginFor<T>,
			job: JobId,
			outcome: AuditOutcome,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			if ensure_authorized(origin.clone()).is_err() {
				ensure_signed(origin)?;
			}
			let audit = Self::check_audit(job, &outcome, &signature)?;
			let workers = audit.workers.len() as u32;
			Self::do_report_audit(job, audit, outcome);
			Ok(Some(T::WeightInfo::report_audit(workers)).into())
		}

		/// Reports `validator`'s challenges of `round` to workers attached to it (`true`:
		/// passed), signed with its bridge key over [`challenges_digest`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::report_challenges(outcomes.len() as u32))]
		#[pallet::authorize(Pallet::<T>::authorize_challenges)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_challenges(outcomes.len() as u32))]
		pub fn report_challenges(
			origin: OriginFor<T>,
			validator: T::AccountId,
			round: Round,
			outcomes: ChallengeOutcomesOf<T>,
			signature: EthSignature,
		) -> DispatchResult {
			if ensure_authorized(origin.clone()).is_err() {
				ensure_signed(origin)?;
			}
			let payouts = Self::check_challenges(&validator, round, &outcomes, &signature)?;
			Self::do_report_challenges(validator, round, outcomes, payouts);
			Ok(())
		}

		/// Sets the share of completed jobs drawn for re-execution.
		#[pallet::call_index(2)]
		pub fn set_audit_rate(origin: OriginFor<T>, rate: Permill) -> DispatchResult {
			ensure_root(origin)?;
			AuditRate::<T>::put(rate);
			Self::deposit_event(Event::AuditRateSet { rate });
			Ok(())
		}

		/// Sets the blocks per challenge round; zero turns challenges off.
		#[pallet::call_index(3)]
		pub fn set_challenge_period(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			ensure_root(origin)?;
			ChallengePeriod::<T>::put(blocks);
			Self::deposit_event(Event::ChallengePeriodSet { blocks });
			Ok(())
		}
	}
}
