//! # Bridge pallet (the chain's side of the bridge to Base)
//!
//! - **Validator sets out.** When pallet-validators queues a new bridge set (a session before it
//!   takes office), the set in office signs it: each member's off-chain worker signs
//!   `validatorSetDigest(newSetId, validators)` with its bridge key and submits
//!   [`Pallet::sign_set_update`]. Once ceil(2/3) of the signing set signed, a relayer can post it
//!   to `RewardDistributor.updateValidatorSet`, before any root the new set signs. The last
//!   `SetUpdatesKept` updates are kept, so a relayer that was down catches up set by set.
//! - **Events in.** Deposits (`RewardDistributor.DepositedToChain`) and DAO decisions
//!   (`SmartnodesDAO.ChainDecision`) are read from Base by each active validator's off-chain
//!   worker ([`offchain`]) once they have `confirmations` Base blocks on top, and attested with
//!   a bridge-key signature ([`Pallet::attest`]). An event that 2/3 of the active set attest
//!   identically is applied exactly once, in nonce order: a deposit mints SNO to its chain
//!   account (or, if the chain cannot mint it, is refunded to its sender on Base through the
//!   reward tree); a decision changes a chain parameter or authorizes a runtime upgrade. Nonces
//!   below the next one are refused (replays), and attestations are accepted only
//!   `MaxPendingEvents` ahead of it.
//! - **Withdrawals.** [`Pallet::withdraw`] burns SNO on the chain and adds it to a Base
//!   address's cumulative reward leaf, claimable once the period's root passes.
//! - **Supply.** [`BridgeTotals`] counts what crossed and what was burnt for good (fees and
//!   slashes, through [`BurnAndCount`]), so `issuance = genesis + deposited - withdrawn - job
//!   payments - burned` can be checked at every block.
//!
//! Why the attesting runs in the node's off-chain worker rather than in a separate daemon: the
//! bridge key never leaves the node's keystore, an operator runs nothing more than the node
//! (configured with `--base-rpc-url`), and what a validator learns reaches the chain only as a
//! signed transaction whose rules live in the runtime, so they change with a runtime upgrade.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use impls::BurnAndCount;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::arithmetic_side_effects)]
mod benchmarking;
pub mod eth;
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
pub const LOG_TARGET: &str = "runtime::bridge";

/// What a DAO decision does on the chain.
pub trait DecisionHandler {
	/// Applies a decision of `kind` with its one-word `payload`; an error rejects it (the nonce
	/// still moves on).
	fn apply(kind: u8, payload: &[u8; 32]) -> sp_runtime::DispatchResult;

	/// The most any decision can weigh.
	fn max_weight() -> frame_support::weights::Weight;
}

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs` and `offchain.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, ConstU64},
	};
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::{
		bridge_key::{EthAddress, EthSignature},
		inbound::{BaseEvent, Source},
		ledger::{BaseTransfers, SigningSet},
		Balance,
	};
	use sp_core::{H256, U256};
	use sp_runtime::DispatchError;

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

		/// SNO on the chain: deposits mint, withdrawals burn.
		type Currency: fungible::Mutate<Self::AccountId, Balance = Balance>;

		/// The active validators and their bridge keys (the attesters), and the queued set.
		type Validators: SigningSet<Self::AccountId>;

		/// Base's chain id and the reward distributor's address (the coordinator's).
		type Target: Get<(u64, EthAddress)>;

		/// The reward books: withdrawals and refunds become claimable on Base.
		type Transfers: BaseTransfers;

		/// What DAO decisions do.
		type Decisions: DecisionHandler;

		/// Most validators in a set.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// How far past the next nonce of a stream attestations are taken (and so the most
		/// events applied in one block).
		#[pallet::constant]
		type MaxPendingEvents: Get<u32>;

		/// Set updates kept for relayers.
		#[pallet::constant]
		type SetUpdatesKept: Get<u32>;

		/// The smallest withdrawal (each one adds to a reward leaf).
		#[pallet::constant]
		type MinWithdrawal: Get<Balance>;

		/// Priority of the validators' signatures and attestations in the pool.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	pub type SetUpdateOf<T> = SetUpdate<<T as Config>::MaxValidators>;
	pub type CandidateOf<T> =
		Candidate<<T as frame_system::Config>::AccountId, <T as Config>::MaxValidators>;
	pub type CandidatesOf<T> = BoundedVec<CandidateOf<T>, <T as Config>::MaxValidators>;

	/// Where validators read Base events from.
	#[pallet::storage]
	pub type Settings<T: Config> = StorageValue<_, BaseSettings, ValueQuery>;

	/// Queued validator sets with the signatures of the set before them, by new set id.
	#[pallet::storage]
	pub type SetUpdates<T: Config> = StorageMap<_, Twox64Concat, u64, SetUpdateOf<T>>;

	/// The newest set id in `SetUpdates` (0: none yet; set 0 is Base's genesis set).
	#[pallet::storage]
	pub type LatestSetUpdate<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// The next nonce to apply, per stream (nonces start at 1).
	#[pallet::storage]
	pub type NextNonce<T: Config> =
		StorageMap<_, Twox64Concat, Source, u64, ValueQuery, ConstU64<1>>;

	/// The Base block of the last applied event, per stream: validators scan from it.
	#[pallet::storage]
	pub type LastBaseBlock<T: Config> = StorageMap<_, Twox64Concat, Source, u64, ValueQuery>;

	/// Attestations of events not yet agreed, by stream and nonce: each version of the event
	/// with its attesters (a validator attests a nonce once).
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Source, Twox64Concat, u64, CandidatesOf<T>, ValueQuery>;

	/// Events agreed by 2/3 that wait for an earlier nonce of their stream.
	#[pallet::storage]
	pub type Ready<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Source, Twox64Concat, u64, BaseEvent>;

	/// What crossed the bridge and what was burnt.
	#[pallet::storage]
	pub type Totals<T: Config> = StorageValue<_, BridgeTotals, ValueQuery>;

	/// Total issuance at genesis.
	#[pallet::storage]
	pub type GenesisIssuance<T: Config> = StorageValue<_, Balance, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub settings: BaseSettings,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Settings::<T>::put(&self.settings);
			GenesisIssuance::<T>::put(<T::Currency as fungible::Inspect<_>>::total_issuance());
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new bridge set was queued; the set in office (`signer_set_id`) signs it.
		SetUpdateQueued { set_id: u64, signer_set_id: u64, validators: u32 },
		/// A member of the signing set signed the update.
		SetUpdateSigned { set_id: u64, signer: EthAddress, signatures: u32 },
		/// The update has the signatures Base needs: a relayer can post it.
		SetUpdateReady { set_id: u64 },
		/// A validator attested an event on Base.
		Attested { source: Source, nonce: u64, validator: T::AccountId, votes: u32 },
		/// 2/3 of the active set attested the same event; it applies in nonce order.
		Agreed { source: Source, nonce: u64 },
		/// A deposit on Base was minted on the chain.
		Deposited { nonce: u64, from: EthAddress, to: T::AccountId, amount: Balance },
		/// A deposit the chain could not mint is owed back to its sender on Base.
		DepositRefunded { nonce: u64, from: EthAddress, amount: U256, reason: RefundReason },
		/// A DAO decision took effect.
		DecisionApplied { nonce: u64, kind: u8 },
		/// A DAO decision could not take effect (its nonce is used all the same).
		DecisionRejected { nonce: u64, kind: u8, error: DispatchError },
		/// SNO left the chain for `to` on Base (claimable once the period's root passes).
		Withdrawn { who: T::AccountId, to: EthAddress, amount: Balance },
		/// Governance changed where validators read Base.
		SettingsSet { settings: BaseSettings },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No set update has this id (never queued, or no longer kept).
		UnknownSetUpdate,
		/// The update already has the signatures Base needs.
		SetUpdateComplete,
		/// The signature does not recover to an address (bad length, high s, bad v).
		BadSignature,
		/// The signer is not in the set that signs this update.
		NotSigner,
		/// This signer already signed the update.
		AlreadySigned,
		/// The event's nonce was already applied: a replay.
		AlreadyApplied,
		/// The nonce is more than `MaxPendingEvents` past the next one; attest it later.
		TooFarAhead,
		/// 2/3 already agreed on this nonce.
		AlreadyAgreed,
		/// The signer is not an active validator (or signed another event than the one sent).
		NotValidator,
		/// This validator already attested this version of the event.
		AlreadyAttested,
		/// Withdrawals to the zero address could never be claimed.
		ZeroAddress,
		/// Withdrawals below `MinWithdrawal` are refused.
		BelowMinimum,
		/// The account cannot pay the withdrawal and stay alive.
		InsufficientBalance,
		/// An attester needs at least one confirmation.
		ZeroConfirmations,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::offchain_worker_run(now);
		}

		fn integrity_test() {
			assert!(T::MaxValidators::get() > 0, "a set has members");
			assert!(T::MaxPendingEvents::get() > 0, "events can be attested");
			assert!(T::SetUpdatesKept::get() > 0, "set updates are kept");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Adds a signature of the set in office to the queued set `set_id` (a member's bridge
		/// key over `validatorSetDigest(set_id, validators)`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::sign_set_update(T::MaxValidators::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_sign_set_update)]
		#[pallet::weight_of_authorize(T::WeightInfo::sign_set_update(T::MaxValidators::get()))]
		pub fn sign_set_update(
			origin: OriginFor<T>,
			set_id: u64,
			signature: EthSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let (update, signer) = Self::check_sign_set_update(set_id, &signature)?;
			Self::do_sign_set_update(set_id, update, signer, signature);
			Ok(())
		}

		/// Attests an event on Base, signed by an active validator's bridge key over
		/// [`BaseEvent::digest`]. Applies it (and the agreed events after it) once 2/3 agree.
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::attest_weight())]
		#[pallet::authorize(Pallet::<T>::authorize_attest)]
		#[pallet::weight_of_authorize(T::WeightInfo::attest(T::MaxValidators::get()))]
		pub fn attest(
			origin: OriginFor<T>,
			event: BaseEvent,
			signature: EthSignature,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			let who = Self::check_attest(&event, &signature)?;
			let weight = Self::do_attest(who, event);
			Ok(Some(weight).into())
		}

		/// Burns `amount` of the caller's SNO and owes it to `to` on Base, claimable from the
		/// reward distributor once the accruing period's root passes.
		#[pallet::call_index(2)]
		pub fn withdraw(origin: OriginFor<T>, to: EthAddress, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, to, amount)
		}

		/// Sets where validators read Base events (governance).
		#[pallet::call_index(3)]
		pub fn set_settings(origin: OriginFor<T>, settings: BaseSettings) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(settings.confirmations > 0, Error::<T>::ZeroConfirmations);
			Settings::<T>::put(&settings);
			Self::deposit_event(Event::SettingsSet { settings });
			Ok(())
		}
	}
}
