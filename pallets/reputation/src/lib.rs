//! # Reputation pallet
//!
//! A score for every worker and every validator: it rises with verified work, falls with
//! strikes and drifts back toward a starting score over time, so an old fault is slowly
//! forgotten and an old run of good work does not shield a party for ever. The registry admits
//! and assigns workers by score; repeated faults get a party blacklisted.
//!
//! ## How data enters and leaves
//!
//! - Other pallets report outcomes through
//!   [`Reputation`](smartnodes_primitives::compute::Reputation): `note_success` when a piece of
//!   work was verified, `note_fault` when a party was struck (`pallet-jobs` for workers,
//!   `pallet-coordinator` for validators). They read `score` and `is_blacklisted` through the
//!   same trait, and charge for the writes with this pallet's `note_*` weights.
//! - [`Config::OnBlacklist`] is told when a party is blacklisted or pardoned; the registry drops
//!   a blacklisted worker from assignment.
//! - [`Pallet::standing`] returns a whole [`Record`], decay applied, for runtime APIs.
//! - Governance (root) calls [`Pallet::pardon`] and [`Pallet::blacklist`].
//!
//! A party has a separate [`Record`] per [`Role`]: a validator's missed votes say nothing about
//! the machines it may also run as a worker.
//!
//! ## Scoring
//!
//! A party never seen stands at `InitialScore` with no strikes. Each verified piece of work adds
//! `SuccessReward` (up to [`MAX_SCORE`]); each fault takes `FaultPenalty` (down to 0) and adds a
//! strike.
//!
//! Every whole `DecayPeriod` since a record was last brought up to date moves its score
//! `DecayStep` points toward `InitialScore` (never past it) and forgives one strike. Decay is
//! applied lazily, in closed form, whenever a record is read or written; no block ever iterates
//! over records. A record keeps the part of a period that has not elapsed yet, so how often it is
//! touched does not change how fast it decays.
//!
//! ## Blacklisting
//!
//! A fault that brings a party's strikes to `StrikeLimit`, or its score to 0, blacklists it; so
//! does governance with [`Pallet::blacklist`].
//!
//! **A blacklisted party stays blacklisted until governance pardons it.** Neither time nor good
//! work lifts a blacklist: its strikes are not forgiven while it lasts, and although its score
//! keeps drifting toward `InitialScore` and keeps counting later work and faults, none of that
//! changes its status. This is deliberate: a blacklist follows either repeated faults or a
//! governance decision, and a party that could wait one out would have little reason to avoid
//! it. Further faults of a blacklisted party are recorded but do not blacklist it again (no
//! second event, no second call of the hook). [`Pallet::pardon`] lifts the blacklist and starts
//! the party afresh at `InitialScore` with no strikes; its history of successes and faults is
//! kept.
//!
//! ## Tests
//!
//! `cargo test -p pallet-reputation` (add `--features runtime-benchmarks` for the benchmark
//! tests). Every test ends by checking the pallet's invariants (`do_try_state`).

#![cfg_attr(not(feature = "std"), no_std)]

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
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
mod types;
pub mod weights;

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::compute::OnBlacklist;
	use sp_runtime::traits::Zero;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Told when a party is blacklisted or pardoned, so that the registry stops (or resumes)
		/// assigning work to it.
		type OnBlacklist: OnBlacklist<Self::AccountId>;

		/// The score of a party never seen, and the score decay moves every record toward. It
		/// must be positive: a party at 0 is blacklisted.
		#[pallet::constant]
		type InitialScore: Get<Score>;

		/// Points a verified piece of work adds.
		#[pallet::constant]
		type SuccessReward: Get<Score>;

		/// Points a fault takes.
		#[pallet::constant]
		type FaultPenalty: Get<Score>;

		/// Blocks per decay period.
		#[pallet::constant]
		type DecayPeriod: Get<BlockNumberFor<Self>>;

		/// Points a score moves toward `InitialScore` per elapsed `DecayPeriod`.
		#[pallet::constant]
		type DecayStep: Get<Score>;

		/// Strikes that blacklist a party. Lowering it on a live chain leaves parties already at
		/// or above the new limit unblacklisted until their next fault.
		#[pallet::constant]
		type StrikeLimit: Get<u32>;

		/// Weights of this pallet's calls and of the trait functions other pallets call.
		type WeightInfo: WeightInfo;

		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Each party's standing per role. Absent for a party never seen, which stands at
	/// `InitialScore`. Values are as of their `updated_at`; read them through
	/// [`Pallet::standing`] to have decay applied.
	#[pallet::storage]
	pub type Records<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		Role,
		Blake2_128Concat,
		T::AccountId,
		RecordOf<T>,
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A party was struck for a fault; `score` and `strikes` are its new standing.
		Struck { role: Role, who: T::AccountId, fault: Fault, score: Score, strikes: u32 },
		/// A party was blacklisted, by its faults or by governance, with this standing.
		Blacklisted { role: Role, who: T::AccountId, strikes: u32, score: Score },
		/// Governance lifted a party's blacklist; it starts again at `InitialScore`.
		Pardoned { role: Role, who: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The party is not blacklisted in that role, so there is nothing to pardon; check the
		/// role (a party has a separate record as worker and as validator).
		NotBlacklisted,
		/// The party is already blacklisted in that role, and stays so until pardoned.
		AlreadyBlacklisted,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::InitialScore::get() <= MAX_SCORE, "InitialScore must not exceed MAX_SCORE");
			// Pardoned and new parties start at InitialScore, and decay pulls every score
			// toward it: at 0 they would stand where a blacklist is due.
			assert!(T::InitialScore::get() > 0, "InitialScore must be positive");
			assert!(!T::DecayPeriod::get().is_zero(), "DecayPeriod must be positive");
			assert!(T::StrikeLimit::get() > 0, "StrikeLimit must be positive");
			assert!(T::FaultPenalty::get() > 0, "FaultPenalty must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Lift the blacklist of `who` in `role` (governance). The party starts again at
		/// `InitialScore` with no strikes, and `OnBlacklist` is told.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::pardon())]
		pub fn pardon(origin: OriginFor<T>, role: Role, who: T::AccountId) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(Self::blacklisted(role, &who), Error::<T>::NotBlacklisted);
			Self::do_pardon(role, &who);
			Ok(())
		}

		/// Blacklist `who` in `role` (governance), whatever its score. It stays blacklisted
		/// until pardoned, and `OnBlacklist` is told.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::blacklist())]
		pub fn blacklist(origin: OriginFor<T>, role: Role, who: T::AccountId) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(!Self::blacklisted(role, &who), Error::<T>::AlreadyBlacklisted);
			Self::do_blacklist(role, &who, Self::standing(role, &who));
			Ok(())
		}
	}
}

/// What the benchmarks need from the runtime that the pallet cannot do itself.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` a party of `role` that `OnBlacklist` has the most work for when it is
	/// blacklisted or pardoned (for the registry: a worker in as many networks as it allows).
	fn prepare_party(role: Role, who: &AccountId);
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn prepare_party(_: Role, _: &AccountId) {}
}
