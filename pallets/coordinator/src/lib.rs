//! # Coordinator pallet
//!
//! Every `StateUpdateInterval` blocks a period closes and a round opens in which the validators
//! agree, by a 2/3 vote, on the period's cumulative reward table. The votes are the validators'
//! secp256k1 signatures over the commitment `RewardDistributor.submitRoot` checks on Base, so the
//! signatures that pass a table are exactly what a relayer posts.
//!
//! Rules (design.md, "Coordinator rules", with the original contracts' bugs fixed):
//! - each round draws 1, 2, 3 or 5 proposers (by set size) with BABE randomness, validators
//!   that voted a table through in the last 3 rounds first;
//! - a drawn proposer may propose as soon as the round opens; from 1.25 x the interval after the
//!   period started, any validator of the set may;
//! - a proposal carries its proposer's signature, which counts as its vote; one proposal and one
//!   vote per validator per round (and per signing set, should the set change mid-round);
//! - the first proposal signed by ceil(2/3) of the set passes; later calls of the round fail with
//!   an error and change nothing;
//! - a round that has not passed when the next period closes is superseded: the next table is
//!   cumulative and owes everything, and the lost round's validator pool goes to the treasury.
//!
//! `propose` and `vote` are authorized calls (`#[pallet::authorize]`): they carry no account
//! signature and pay no fee, since the bridge-key signature they carry is the authorization. The
//! validators' off-chain worker ([`offchain`]) builds the table from the chain's record, checks
//! the proposals against it, and submits the proposal (when drawn) and the vote.

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

pub use smartnodes_primitives::ledger::{Period, RewardsLedger, SigningSet};

const LOG_TARGET: &str = "runtime::coordinator";

/// Passed updates kept on chain (a relayer that was down longer reads the chain's history).
pub const PASSED_RETENTION: Period = 64;

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs` and `offchain.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Randomness};
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::bridge_key::EthAddress;
	use sp_core::H256;
	use sp_runtime::traits::{Saturating, Zero};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config + frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The set whose signatures Base checks (the active validators and their bridge keys).
		type Validators: SigningSet<Self::AccountId>;

		/// The reward books: closes periods, bounds totals, pays the voters.
		type Rewards: RewardsLedger;

		/// On-chain randomness for the proposer draw (BABE's).
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// Receives each validator's outcome when a round passes (the reputation pallet).
		type OnRoundOutcome: OnRoundOutcome<Self::AccountId>;

		/// The largest signing set.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Priority of proposals and votes in the transaction pool.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	pub type RoundOf<T> = Round<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	pub type ProposalOf<T> =
		Proposal<<T as frame_system::Config>::AccountId, <T as Config>::MaxValidators>;
	pub type PassedUpdateOf<T> = PassedUpdate<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxValidators,
	>;

	/// Blocks per period. A change applies from the next period on.
	#[pallet::storage]
	pub type StateUpdateInterval<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The block the accruing period closes at.
	#[pallet::storage]
	pub type NextPeriodEnd<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// EVM chain id of Base and the address of the reward distributor: the domain of every
	/// signed commitment.
	#[pallet::storage]
	pub type BaseTarget<T: Config> = StorageValue<_, (u64, EthAddress), ValueQuery>;

	/// The open round, if a period has closed.
	#[pallet::storage]
	pub type CurrentRound<T: Config> = StorageValue<_, RoundOf<T>>;

	/// Proposals by period and index.
	#[pallet::storage]
	pub type Proposals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Period, Twox64Concat, u32, ProposalOf<T>>;

	/// The signing set a validator last proposed under, by period.
	#[pallet::storage]
	pub type Proposed<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Period, Blake2_128Concat, T::AccountId, u64>;

	/// The signing set and proposal a validator last voted under, by period.
	#[pallet::storage]
	pub type Voted<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Period, Blake2_128Concat, T::AccountId, (u64, u32)>;

	/// Updates that passed (the last [`PASSED_RETENTION`]).
	#[pallet::storage]
	pub type Passed<T: Config> = StorageMap<_, Twox64Concat, Period, PassedUpdateOf<T>>;

	/// The last period that passed.
	#[pallet::storage]
	pub type LastPassed<T: Config> = StorageValue<_, Period>;

	/// Each validator's record in the rounds.
	#[pallet::storage]
	pub type Participations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Participation, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per period.
		pub state_update_interval: BlockNumberFor<T>,
		/// EVM chain id of Base.
		pub base_chain_id: u64,
		/// Address of the reward distributor on Base.
		pub distributor: EthAddress,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let interval = self.state_update_interval.max(1u32.into());
			StateUpdateInterval::<T>::put(interval);
			NextPeriodEnd::<T>::put(
				frame_system::Pallet::<T>::block_number().saturating_add(interval),
			);
			BaseTarget::<T>::put((self.base_chain_id, self.distributor));
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A period closed; validators may propose its table.
		RoundOpened { period: Period, proposers: alloc::vec::Vec<T::AccountId> },
		/// A table was proposed (its proposer's vote included).
		Proposed { period: Period, index: u32, proposer: T::AccountId, root: H256, total: u128 },
		/// A validator voted for a proposal.
		Voted { period: Period, index: u32, voter: T::AccountId, votes: u32 },
		/// A table passed with 2/3 of the set: a relayer can post it to
		/// `RewardDistributor.submitRoot` (the commitment and signatures are in `Passed`).
		RewardRootFinalized {
			period: Period,
			root: H256,
			total: u128,
			validator_set_id: u64,
			signatures: u32,
		},
		/// The next period closed before any table of this one passed.
		RoundSuperseded { period: Period },
		/// Governance changed the interval (from the next period on).
		StateUpdateIntervalSet { blocks: BlockNumberFor<T> },
		/// Governance changed the domain of the signed commitments.
		BaseTargetSet { chain_id: u64, distributor: EthAddress },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No round is open: the first period has not closed yet. Wait for `RoundOpened`.
		NoOpenRound,
		/// The call names another period than the open round's. Use the round's period.
		WrongPeriod,
		/// This period's table already passed; nothing more is needed.
		AlreadyPassed,
		/// The signature does not recover to an address (bad length, high s, bad v).
		BadSignature,
		/// The signature's address is not in the current signing set: the commitment differs
		/// from what was signed, or the signer is not an active validator.
		NotInSet,
		/// Only the drawn proposers may propose before 1.25 x the interval. Vote instead, or wait.
		NotProposer,
		/// This validator already proposed in this round.
		AlreadyProposed,
		/// This validator already voted in this round (a proposal is its proposer's vote).
		AlreadyVoted,
		/// No proposal has this index in the round.
		UnknownProposal,
		/// The signing set changed since the proposal was made, so Base would refuse its
		/// signatures. Propose the table again under the new set.
		StaleProposal,
		/// The same table was already proposed under this set. Vote for it instead.
		DuplicateProposal,
		/// The round holds as many proposals as the set has members.
		TooManyProposals,
		/// A zero root or an empty table: Base refuses them.
		EmptyTable,
		/// The total is not what the chain's record owes for the period. Rebuild the table.
		TotalOutOfBounds,
		/// The interval must be at least one block.
		ZeroInterval,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			if now < NextPeriodEnd::<T>::get() {
				return T::DbWeight::get().reads(1);
			}
			let members = Self::do_close_period(now);
			T::WeightInfo::close_period(members)
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::offchain_worker_run(now);
		}

		fn integrity_test() {
			assert!(T::MaxValidators::get() > 0, "a set has members");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Proposes `period`'s table, signed by the proposer's bridge key over the commitment
		/// `(chain id, distributor, period, root, total, set id)`; the signature is its vote.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose(T::MaxValidators::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_propose)]
		#[pallet::weight_of_authorize(T::WeightInfo::propose(T::MaxValidators::get()))]
		pub fn propose(
			origin: OriginFor<T>,
			period: Period,
			root: H256,
			total: u128,
			leaf_count: u32,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			let checked = Self::check_propose(period, root, total, leaf_count, &signature)?;
			let members = Self::do_propose(checked, period, root, total, leaf_count, signature);
			// A proposal that passes at once (a set of one) does a vote's work too.
			let weight = T::WeightInfo::propose(members).max(T::WeightInfo::vote(members));
			Ok(Some(weight).into())
		}

		/// Votes for proposal `index` of `period` with a signature over its commitment.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::vote(T::MaxValidators::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_vote)]
		#[pallet::weight_of_authorize(T::WeightInfo::vote(T::MaxValidators::get()))]
		pub fn vote(
			origin: OriginFor<T>,
			period: Period,
			index: u32,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			let checked = Self::check_vote(period, index, &signature)?;
			let members = Self::do_vote(checked, period, index, signature);
			Ok(Some(T::WeightInfo::vote(members)).into())
		}

		/// Sets the blocks per period (governance); the accruing period keeps its end.
		#[pallet::call_index(2)]
		pub fn set_state_update_interval(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(!blocks.is_zero(), Error::<T>::ZeroInterval);
			StateUpdateInterval::<T>::put(blocks);
			Self::deposit_event(Event::StateUpdateIntervalSet { blocks });
			Ok(())
		}

		/// Sets the Base chain id and distributor address the commitments are signed for
		/// (governance, when the distributor is redeployed).
		#[pallet::call_index(3)]
		pub fn set_base_target(
			origin: OriginFor<T>,
			chain_id: u64,
			distributor: EthAddress,
		) -> DispatchResult {
			ensure_root(origin)?;
			BaseTarget::<T>::put((chain_id, distributor));
			Self::deposit_event(Event::BaseTargetSet { chain_id, distributor });
			Ok(())
		}
	}
}
