//! The pallet's logic: the calls in `lib.rs` check their origin and arguments and then call
//! these functions.

use crate::{pallet::*, BalanceOf, BridgeSetOf, DisableValidator, LOG_TARGET};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use sp_staking::SessionIndex;

impl<T: Config> Pallet<T> {
	/// Holds `amount` more as collateral and returns the new bond.
	pub(crate) fn do_bond(
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let mut bond = Ledger::<T>::get(who).unwrap_or_default();
		let total = bond.amount.saturating_add(amount);
		T::Currency::hold(&HoldReason::Collateral.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		bond.amount = total;
		Ledger::<T>::insert(who, bond);
		Ok(total)
	}

	/// Releases everything held as collateral and forgets the bond.
	pub(crate) fn do_unbond(
		who: &T::AccountId,
		recorded: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let held = T::Currency::balance_on_hold(&HoldReason::Collateral.into(), who);
		if held != recorded {
			log::warn!(
				target: LOG_TARGET,
				"bond of {who:?} records {recorded:?} but {held:?} is held; releasing the hold",
			);
		}
		let released =
			T::Currency::release(&HoldReason::Collateral.into(), who, held, Precision::Exact)?;
		Ledger::<T>::remove(who);
		RewardAddresses::<T>::remove(who);
		Ok(released)
	}

	/// Takes `SlashFraction` of an offender's collateral, at most once per session, and
	/// removes it from the candidates. Returns the amount slashed.
	pub(crate) fn do_slash(who: &T::AccountId, session: SessionIndex) -> BalanceOf<T> {
		if SlashedInSession::<T>::contains_key(session, who) {
			return Zero::zero();
		}
		let Some(mut bond) = Ledger::<T>::get(who) else {
			return Zero::zero();
		};
		let wanted = SlashFraction::<T>::get().mul_floor(bond.amount);
		let (credit, missing) = <T::Currency as frame_support::traits::fungible::BalancedHold<
			T::AccountId,
		>>::slash(&HoldReason::Collateral.into(), who, wanted);
		let slashed = wanted.saturating_sub(missing);
		<T::Slashed as frame_support::traits::OnUnbalanced<_>>::on_unbalanced(credit);

		bond.amount = bond.amount.saturating_sub(slashed);
		Candidates::<T>::mutate(|c| c.retain(|a| a != who));
		if bond.unbonding_at.is_none() {
			bond.unbonding_at = Some(Self::unbonding_deadline());
		}
		Ledger::<T>::insert(who, bond);
		SlashedInSession::<T>::insert(session, who, slashed);
		T::Disabler::disable(who);
		Self::deposit_event(Event::Slashed { who: who.clone(), amount: slashed, session });
		slashed
	}

	pub(crate) fn unbonding_deadline() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(UnbondingPeriod::<T>::get())
	}

	pub(crate) fn is_in_any_set(who: &T::AccountId) -> bool {
		ActiveSet::<T>::get().contains(who)
			|| QueuedSet::<T>::get().contains(who)
			|| PlannedSets::<T>::iter_values().any(|set| set.contains(who))
	}

	/// The candidates that may validate in the next planned session: bonded at least
	/// `CollateralAmount` and not slashed (slashing removes from the candidates).
	pub(crate) fn eligible_candidates() -> BoundedVec<T::AccountId, T::MaxValidators> {
		let collateral = CollateralAmount::<T>::get();
		let mut set = Candidates::<T>::get();
		set.retain(|who| Ledger::<T>::get(who).is_some_and(|b| b.amount >= collateral));
		set
	}

	/// The Ethereum addresses of the active set's bridge keys and their set id.
	pub fn bridge_authorities() -> BridgeSetOf<T> {
		BridgeAuthorities::<T>::get()
	}

	/// Invariants:
	/// - every bond's recorded amount is exactly what the currency holds for it;
	/// - every candidate is bonded and distinct;
	/// - the active and queued sets are within `MaxValidators` and made of bonded accounts
	///   (a validator may unbond only once it is in no set);
	/// - at most two sets are planned ahead.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (who, bond) in Ledger::<T>::iter() {
			let held = T::Currency::balance_on_hold(&HoldReason::Collateral.into(), &who);
			ensure!(held == bond.amount, "bonded amount differs from the held balance");
		}
		let candidates = Candidates::<T>::get();
		for (i, who) in candidates.iter().enumerate() {
			ensure!(Ledger::<T>::contains_key(who), "candidate without a bond");
			ensure!(
				!candidates.iter().skip(i.saturating_add(1)).any(|other| other == who),
				"duplicate candidate"
			);
		}
		for who in ActiveSet::<T>::get().iter().chain(QueuedSet::<T>::get().iter()) {
			ensure!(Ledger::<T>::contains_key(who), "validator in a set without a bond");
		}
		ensure!(PlannedSets::<T>::iter_keys().count() <= 2, "too many planned sets");
		Ok(())
	}
}
