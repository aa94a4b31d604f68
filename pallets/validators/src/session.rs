//! How the pallet plugs into pallet-session (as its session manager and as the session handler
//! of the bridge key) and into pallet-offences (as the offence handler).

use crate::{pallet::*, BridgeId, BridgeSet, BridgeSetOf, EthAddress, WeightInfo, LOG_TARGET};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::OneSessionHandler};
use sp_runtime::{traits::Convert, Perbill};
use sp_staking::{
	offence::{OffenceDetails, OnOffenceHandler},
	SessionIndex,
};

impl<T: Config> Pallet<T> {
	fn plan_session(index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let set = Self::eligible_candidates();
		if set.is_empty() {
			log::warn!(
				target: LOG_TARGET,
				"no eligible candidate for session {index}; keeping the current set",
			);
			return None;
		}
		if set == QueuedSet::<T>::get() {
			return None;
		}
		let validators = set.len() as u32;
		QueuedSet::<T>::put(&set);
		PlannedSets::<T>::insert(index, &set);
		Self::deposit_event(Event::NewSetPlanned { session: index, validators });
		Some(set.into_inner())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::plan_session(new_index)
	}

	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::plan_session(new_index)
	}

	fn start_session(start_index: SessionIndex) {
		if let Some(set) = PlannedSets::<T>::take(start_index) {
			ActiveSet::<T>::put(set);
		}
		// Sets planned for sessions that were skipped can never start; drop them.
		let stale: Vec<_> = PlannedSets::<T>::iter_keys().filter(|i| *i < start_index).collect();
		for index in stale {
			PlannedSets::<T>::remove(index);
		}
		if let Some(old) = start_index.checked_sub(T::SlashRecordSessions::get()) {
			let _ = SlashedInSession::<T>::clear_prefix(old, T::MaxValidators::get(), None);
		}
	}

	fn end_session(_end_index: SessionIndex) {}
}

/// pallet-session's historical module needs a full identification per validator; a validator's
/// whole exposure is its own collateral, recorded in the ledger, so the unit type suffices.
impl<T: Config> pallet_session::historical::SessionManager<T::AccountId, ()> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session(new_index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}

	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<(T::AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session_genesis(new_index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}

	fn start_session(start_index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::start_session(start_index)
	}

	fn end_session(end_index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::end_session(end_index)
	}
}

/// Every validator in a historical session is identified by the unit type (see above).
pub struct UnitIdentificationOf;
impl<AccountId> Convert<AccountId, Option<()>> for UnitIdentificationOf {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl<T: Config> Pallet<T> {
	/// The validators with usable bridge keys and their Ethereum addresses, by address.
	fn signers_of<'a, I>(validators: I) -> Vec<(T::AccountId, EthAddress)>
	where
		I: Iterator<Item = (&'a T::AccountId, BridgeId)>,
		T::AccountId: 'a,
	{
		let mut signers: Vec<(T::AccountId, EthAddress)> = validators
			.filter_map(|(who, key)| {
				let address = key.eth_address();
				if address.is_none() {
					log::warn!(target: LOG_TARGET, "bridge key of {who:?} is not a curve point");
				}
				address.map(|a| (who.clone(), a))
			})
			.collect();
		signers.sort_by_key(|(_, address)| *address);
		signers.dedup_by_key(|(_, address)| *address);
		signers
	}

	fn bridge_set_of(
		signers: &[(T::AccountId, EthAddress)],
		previous: &BridgeSetOf<T>,
	) -> BridgeSetOf<T> {
		let addresses: Vec<EthAddress> = signers.iter().map(|(_, a)| *a).collect();
		if addresses.as_slice() == previous.addresses.as_slice() {
			return previous.clone();
		}
		// At most one key per validator, and the sets are bounded by `MaxValidators`.
		let addresses = BoundedVec::truncate_from(addresses);
		BridgeSet { set_id: previous.set_id.saturating_add(1), addresses }
	}

	fn note_bridge_set(set: BridgeSetOf<T>, previous: &BridgeSetOf<T>) {
		if &set != previous {
			Self::deposit_event(Event::BridgeSetChanged {
				set_id: set.set_id,
				addresses: set.addresses.to_vec(),
			});
		}
	}
}

impl<T: Config> sp_runtime::BoundToRuntimeAppPublic for Pallet<T> {
	type Public = BridgeId;
}

impl<T: Config> OneSessionHandler<T::AccountId> for Pallet<T> {
	type Key = BridgeId;

	fn on_genesis_session<'a, I>(validators: I)
	where
		I: 'a + Iterator<Item = (&'a T::AccountId, BridgeId)>,
	{
		let signers = Self::signers_of(validators);
		let set = Self::bridge_set_of(&signers, &BridgeSet::default());
		// The genesis set is set 0: Base is deployed with it.
		let set = BridgeSet { set_id: 0, addresses: set.addresses };
		BridgeAuthorities::<T>::put(&set);
		NextBridgeAuthorities::<T>::put(&set);
		BridgeSigners::<T>::put(BoundedVec::truncate_from(signers));
	}

	fn on_new_session<'a, I>(_changed: bool, validators: I, queued_validators: I)
	where
		I: 'a + Iterator<Item = (&'a T::AccountId, BridgeId)>,
	{
		// The incoming set is the one queued a session ago, so it keeps that set's id.
		let previous_next = NextBridgeAuthorities::<T>::get();
		let signers = Self::signers_of(validators);
		let current = Self::bridge_set_of(&signers, &BridgeAuthorities::<T>::get());
		let current = if current.addresses == previous_next.addresses {
			previous_next.clone()
		} else {
			current
		};
		let next = Self::bridge_set_of(&Self::signers_of(queued_validators), &current);
		let next = if next.addresses == current.addresses {
			current.clone()
		} else {
			BridgeSet { set_id: current.set_id.saturating_add(1), addresses: next.addresses }
		};
		BridgeAuthorities::<T>::put(&current);
		BridgeSigners::<T>::put(BoundedVec::truncate_from(signers));
		if next.set_id != current.set_id && next != previous_next {
			<T::OnBridgeSetQueued as smartnodes_primitives::ledger::OnBridgeSetQueued>::bridge_set_queued(
				(current.set_id, &current.addresses),
				(next.set_id, &next.addresses),
			);
		}
		Self::note_bridge_set(next.clone(), &previous_next);
		NextBridgeAuthorities::<T>::put(next);
	}

	fn on_disabled(_validator_index: u32) {}
}

impl<T: Config> OnOffenceHandler<T::AccountId, (T::AccountId, ()), Weight> for Pallet<T> {
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, ())>],
		_slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		for details in offenders {
			let (who, ()) = &details.offender;
			Self::do_slash(who, session);
		}
		T::WeightInfo::slash_offender().saturating_mul(offenders.len() as u64)
	}
}

impl<T: Config> smartnodes_primitives::ledger::SigningSet<T::AccountId> for Pallet<T> {
	fn signing_set() -> (u64, Vec<(T::AccountId, EthAddress)>) {
		(BridgeAuthorities::<T>::get().set_id, BridgeSigners::<T>::get().into_inner())
	}

	fn reward_address(who: &T::AccountId) -> Option<EthAddress> {
		RewardAddresses::<T>::get(who)
	}

	fn queued_set() -> (u64, Vec<EthAddress>) {
		let next = NextBridgeAuthorities::<T>::get();
		(next.set_id, next.addresses.into_inner())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_signing_set(set_id: u64, signers: Vec<(T::AccountId, EthAddress)>) {
		let addresses = BoundedVec::truncate_from(signers.iter().map(|(_, a)| *a).collect());
		BridgeAuthorities::<T>::put(BridgeSet { set_id, addresses });
		BridgeSigners::<T>::put(BoundedVec::truncate_from(signers));
	}
}
