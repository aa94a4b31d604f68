//! # Validators pallet
//!
//! The Smartnodes validator set. Anyone may become a validator by holding `CollateralAmount` SNO
//! as collateral and asking to join; the pallet is the chain's `pallet_session::SessionManager`,
//! so every session's active set is drawn from the bonded, unslashed candidates.
//!
//! Life of a validator:
//! 1. [`Pallet::bond`] holds SNO as collateral (it can be topped up later);
//! 2. the validator sets its session keys (`session.set_keys`) and calls [`Pallet::join`];
//! 3. at the next planned session it enters the active set (pallet-session queues each set one
//!    session ahead, so it authors from the session after);
//! 4. [`Pallet::leave`] drops it from the candidates and starts the `UnbondingPeriod`, during
//!    which the collateral can still be slashed for offences committed while it was active;
//! 5. [`Pallet::unbond`] releases the collateral once the period has passed.
//!
//! Offences reported through `pallet-offences` (BABE and GRANDPA equivocations) slash
//! `SlashFraction` of the offender's collateral, at most once per session, and remove the
//! offender from the candidates. The share is the governance parameter alone: the consensus
//! pallets' own fractions (`(3k/n)^2` for BABE) would take over half the bond of one of four
//! validators for a single fault, which is not what the chain's governance configured.
//!
//! The pallet is also the session handler of the validators' secp256k1 bridge keys: it keeps the
//! Ethereum addresses of the active and the queued set with a set id, which is the validator set
//! the reward distributor on Base verifies signatures against.

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
mod session;
pub use session::UnitIdentificationOf;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
mod types;
pub mod weights;

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs` and `session.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, ValidatorRegistration},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Zero, Perbill};
	use sp_staking::SessionIndex;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The native currency; collateral is a hold on it.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ frame_support::traits::fungible::BalancedHold<Self::AccountId>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Where slashed collateral goes (the runtime burns it until a treasury exists).
		type Slashed: frame_support::traits::OnUnbalanced<CreditOf<Self>>;

		/// Tells whether an account has set its session keys; a validator without keys would
		/// enter the set with default (unusable) keys and stall consensus.
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;

		/// Takes an offender out of the current session's block production at once (the
		/// removal from the candidates only takes effect at the next planned session).
		type Disabler: DisableValidator<Self::AccountId>;

		/// The largest validator set, and so the largest number of candidates.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The smallest number of candidates: a `leave` that would go below it is refused so
		/// the chain cannot lose its block producers by their own choice.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// How many sessions a slash record is kept, which bounds how late an offence can be
		/// punished. It should cover the longest offence report longevity.
		#[pallet::constant]
		type SlashRecordSessions: Get<SessionIndex>;

		/// Told when a new bridge set is queued, so the set in office signs it for Base.
		type OnBridgeSetQueued: smartnodes_primitives::ledger::OnBridgeSetQueued;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Validator collateral, slashable until it is unbonded.
		#[codec(index = 0)]
		Collateral,
	}

	/// Blocks per session (a BABE epoch). Fixed at genesis: BABE cannot change its epoch length
	/// on a live chain, so no call sets it.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Collateral an account must hold to join the set (1,000,000 SNO by default).
	#[pallet::storage]
	pub type CollateralAmount<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Blocks between `leave` and the moment the collateral can be unbonded.
	#[pallet::storage]
	pub type UnbondingPeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Share of collateral taken for an offence.
	#[pallet::storage]
	pub type SlashFraction<T: Config> = StorageValue<_, Perbill, ValueQuery>;

	/// Bonded collateral of each account.
	#[pallet::storage]
	pub type Ledger<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BondOf<T>, OptionQuery>;

	/// Accounts that asked to validate, in the order they joined.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// The validators of the current session.
	#[pallet::storage]
	pub type ActiveSet<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// The last set handed to pallet-session, which becomes active at a later session.
	#[pallet::storage]
	pub type QueuedSet<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Sets planned for sessions that have not started yet (at most two entries).
	#[pallet::storage]
	pub type PlannedSets<T: Config> = StorageMap<
		_,
		Twox64Concat,
		SessionIndex,
		BoundedVec<T::AccountId, T::MaxValidators>,
		OptionQuery,
	>;

	/// Offenders already slashed for an offence in a session, so that a repeated report of the
	/// same session slashes once.
	#[pallet::storage]
	pub type SlashedInSession<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SessionIndex,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		OptionQuery,
	>;

	/// Ethereum addresses of the active set's bridge keys, as Base should hold them.
	#[pallet::storage]
	pub type BridgeAuthorities<T: Config> = StorageValue<_, BridgeSetOf<T>, ValueQuery>;

	/// The active validators whose bridge keys make up `BridgeAuthorities`, with their addresses
	/// (ascending): who a signature over a commitment comes from.
	#[pallet::storage]
	pub type BridgeSigners<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, EthAddress), T::MaxValidators>, ValueQuery>;

	/// The Base address a bonded account's validator rewards go to (its bridge key's address
	/// when unset). Removed with the bond.
	#[pallet::storage]
	pub type RewardAddresses<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EthAddress>;

	/// Ethereum addresses of the queued set's bridge keys; the active set signs this one over to
	/// Base before it takes over.
	#[pallet::storage]
	pub type NextBridgeAuthorities<T: Config> = StorageValue<_, BridgeSetOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session, fixed for the life of the chain.
		pub session_length: u64,
		/// Collateral needed to join.
		pub collateral_amount: BalanceOf<T>,
		/// Unbonding period in blocks.
		pub unbonding_period: BlockNumberFor<T>,
		/// Share of collateral slashed per offence.
		pub slash_fraction: Perbill,
		/// Genesis validators and their bonds; each becomes a candidate. Their session keys are
		/// set by pallet-session's genesis.
		pub validators: alloc::vec::Vec<(T::AccountId, BalanceOf<T>)>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		/// An empty set with hour-long sessions (600 blocks of 6 s); presets set the rest.
		fn default() -> Self {
			Self {
				session_length: 600,
				collateral_amount: Default::default(),
				unbonding_period: Default::default(),
				slash_fraction: Default::default(),
				validators: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.session_length > 0, "sessions must last at least one block");
			SessionLength::<T>::put(self.session_length);
			CollateralAmount::<T>::put(self.collateral_amount);
			UnbondingPeriod::<T>::put(self.unbonding_period);
			SlashFraction::<T>::put(self.slash_fraction);
			for (who, amount) in &self.validators {
				assert!(
					*amount >= self.collateral_amount,
					"genesis validator bonds less than the collateral amount"
				);
				Pallet::<T>::do_bond(who, *amount).expect("genesis validator can pay its bond");
				Candidates::<T>::try_mutate(|c| {
					if c.contains(who) {
						return Err(());
					}
					c.try_push(who.clone()).map_err(|_| ())
				})
				.expect("genesis validators are distinct and at most MaxValidators");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Collateral was added to an account's bond.
		Bonded { who: T::AccountId, amount: BalanceOf<T>, total: BalanceOf<T> },
		/// An account became a candidate; it enters the set at the next planned session.
		Joined { who: T::AccountId },
		/// A candidate left; its collateral can be unbonded from block `unbonding_at`.
		Left { who: T::AccountId, unbonding_at: BlockNumberFor<T> },
		/// Collateral was released to its owner.
		Unbonded { who: T::AccountId, amount: BalanceOf<T> },
		/// An offender lost part of its collateral and was removed from the candidates.
		Slashed { who: T::AccountId, amount: BalanceOf<T>, session: SessionIndex },
		/// A new validator set was planned for a session.
		NewSetPlanned { session: SessionIndex, validators: u32 },
		/// The bridge-key set that Base should hold changed.
		BridgeSetChanged { set_id: u64, addresses: alloc::vec::Vec<EthAddress> },
		/// Governance changed the collateral amount.
		CollateralAmountSet { amount: BalanceOf<T> },
		/// Governance changed the unbonding period.
		UnbondingPeriodSet { blocks: BlockNumberFor<T> },
		/// Governance changed the slash fraction.
		SlashFractionSet { fraction: Perbill },
		/// A validator chose where its rewards go on Base.
		RewardAddressSet { who: T::AccountId, address: EthAddress },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero; bond a positive amount.
		ZeroAmount,
		/// The account cannot hold that much as collateral; bond less or fund the account.
		InsufficientBalance,
		/// The account has no bond; call `bond` first.
		NotBonded,
		/// The bond is below `CollateralAmount`; top it up with `bond`.
		BondTooSmall,
		/// The account is already a candidate.
		AlreadyCandidate,
		/// The account is not a candidate, so it cannot leave.
		NotCandidate,
		/// The set already has `MaxValidators` candidates; wait for one to leave.
		TooManyValidators,
		/// Leaving would leave fewer than `MinValidators` candidates.
		TooFewValidators,
		/// The account has not set its session keys; call `session.set_keys` first.
		NoSessionKeys,
		/// A candidate cannot unbond; call `leave` first.
		StillCandidate,
		/// The unbonding period has not passed yet.
		StillUnbonding,
		/// The account is in the active or a planned set; wait for the set to change.
		StillActive,
		/// The collateral amount must be positive.
		ZeroCollateral,
		/// The zero address cannot receive rewards on Base; pass an address you control.
		ZeroAddress,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxValidators::get() > 0, "MaxValidators must be positive");
			assert!(T::MinValidators::get() > 0, "MinValidators must be positive");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators must not exceed MaxValidators"
			);
			assert!(T::SlashRecordSessions::get() > 0, "slash records must be kept");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Hold `amount` more of the caller's SNO as collateral.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::bond())]
		pub fn bond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let total = Self::do_bond(&who, amount)?;
			Self::deposit_event(Event::Bonded { who, amount, total });
			Ok(())
		}

		/// Become a candidate for the validator set. Needs a bond of at least
		/// `CollateralAmount` and session keys.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::join(T::MaxValidators::get()))]
		pub fn join(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let bond = Ledger::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			ensure!(bond.amount >= CollateralAmount::<T>::get(), Error::<T>::BondTooSmall);
			let mut candidates = Candidates::<T>::get();
			ensure!(!candidates.contains(&who), Error::<T>::AlreadyCandidate);
			ensure!(T::ValidatorRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
			candidates.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;

			Candidates::<T>::put(candidates);
			Ledger::<T>::insert(&who, Bond { unbonding_at: None, ..bond });
			Self::deposit_event(Event::Joined { who });
			Ok(())
		}

		/// Stop being a candidate. The account leaves the set at the next planned session and
		/// may unbond after `UnbondingPeriod`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::leave(T::MaxValidators::get()))]
		pub fn leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut candidates = Candidates::<T>::get();
			let position =
				candidates.iter().position(|c| c == &who).ok_or(Error::<T>::NotCandidate)?;
			ensure!(
				candidates.len() > T::MinValidators::get() as usize,
				Error::<T>::TooFewValidators
			);
			let bond = Ledger::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;

			candidates.remove(position);
			Candidates::<T>::put(candidates);
			let unbonding_at = Self::unbonding_deadline();
			Ledger::<T>::insert(&who, Bond { unbonding_at: Some(unbonding_at), ..bond });
			Self::deposit_event(Event::Left { who, unbonding_at });
			Ok(())
		}

		/// Release the caller's whole collateral. Allowed once the account is no candidate, is
		/// in no active or planned set, and its unbonding period (if it ever validated) passed.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbond(T::MaxValidators::get()))]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let bond = Ledger::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			ensure!(!Candidates::<T>::get().contains(&who), Error::<T>::StillCandidate);
			if let Some(at) = bond.unbonding_at {
				ensure!(
					frame_system::Pallet::<T>::block_number() >= at,
					Error::<T>::StillUnbonding
				);
			}
			ensure!(!Self::is_in_any_set(&who), Error::<T>::StillActive);

			let amount = Self::do_unbond(&who, bond.amount)?;
			Self::deposit_event(Event::Unbonded { who, amount });
			Ok(())
		}

		/// Set the collateral needed to join (governance). Candidates bonded below the new
		/// amount are left out of the next planned sets until they top up.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_collateral_amount())]
		pub fn set_collateral_amount(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroCollateral);
			CollateralAmount::<T>::put(amount);
			Self::deposit_event(Event::CollateralAmountSet { amount });
			Ok(())
		}

		/// Set the unbonding period (governance). Applies to later `leave` calls.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_unbonding_period())]
		pub fn set_unbonding_period(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			ensure_root(origin)?;
			UnbondingPeriod::<T>::put(blocks);
			Self::deposit_event(Event::UnbondingPeriodSet { blocks });
			Ok(())
		}

		/// Set the share of collateral slashed per offence (governance).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_slash_fraction())]
		pub fn set_slash_fraction(origin: OriginFor<T>, fraction: Perbill) -> DispatchResult {
			ensure_root(origin)?;
			SlashFraction::<T>::put(fraction);
			Self::deposit_event(Event::SlashFractionSet { fraction });
			Ok(())
		}

		/// Sends the caller's validator rewards to `address` on Base instead of its bridge key's
		/// address (a hot key in the node's keystore). Needs a bond; kept until unbonded.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_reward_address())]
		pub fn set_reward_address(origin: OriginFor<T>, address: EthAddress) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Ledger::<T>::contains_key(&who), Error::<T>::NotBonded);
			ensure!(!address.is_zero(), Error::<T>::ZeroAddress);
			RewardAddresses::<T>::insert(&who, address);
			Self::deposit_event(Event::RewardAddressSet { who, address });
			Ok(())
		}
	}
}

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::validators";

/// What the benchmarks need from the runtime that the pallet cannot do itself.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Register session keys for `who`, so that it may join.
	fn register_session_keys(who: &AccountId);
}

/// Something that can take a validator out of the current session's block production.
pub trait DisableValidator<AccountId> {
	/// Disable `who` for the rest of the session, if it is active.
	fn disable(who: &AccountId);
}

impl<AccountId> DisableValidator<AccountId> for () {
	fn disable(_: &AccountId) {}
}
