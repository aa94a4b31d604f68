//! The pallet's logic: the calls in `lib.rs` check their origin and arguments and then call
//! these functions. Also the traits through which the other pallets read the registry and the
//! reputation pallet reports blacklisting.

use crate::{
	pallet::*, EthAddress, UserRecord, UserRecordOf, WorkerOf, WorkerStanding, WorkerStandingOf,
	LOG_TARGET,
};
use alloc::vec::Vec;
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
		Contains,
	},
};
use smartnodes_primitives::{
	compute::{
		Capacity, NetworkId, NetworkTerms, OnBlacklist, Registry, Reputation as _, Role,
		WorkerTerms,
	},
	Balance,
};
use sp_runtime::ArithmeticError;

impl<T: Config> Pallet<T> {
	/// Checks a worker's own credentials: endpoint, payout address, capacity and validator.
	pub(crate) fn check_credentials(
		endpoint: &[u8],
		capacity: &Capacity,
		payout: &EthAddress,
		validator: &T::AccountId,
	) -> DispatchResult {
		ensure!(!endpoint.is_empty(), Error::<T>::EmptyEndpoint);
		ensure!(!payout.is_zero(), Error::<T>::ZeroPayoutAddress);
		ensure!(capacity.cpu_cores > 0 && capacity.memory_mib > 0, Error::<T>::ZeroCapacity);
		ensure!(T::Validators::contains(validator), Error::<T>::UnknownValidator);
		Ok(())
	}

	/// Checks that every network in `networks` admits `who` with `capacity`. Networks in
	/// `listed` (the worker's current list) may be retired: keeping one costs nothing, and
	/// forcing it out would make a worker's first update after a retirement fail for a reason
	/// unrelated to what it changes.
	pub(crate) fn check_admission(
		who: &T::AccountId,
		capacity: &Capacity,
		networks: &[NetworkId],
		listed: &[NetworkId],
	) -> DispatchResult {
		ensure!(!networks.is_empty(), Error::<T>::NoNetworks);
		for (i, id) in networks.iter().enumerate() {
			ensure!(
				!networks.iter().skip(i.saturating_add(1)).any(|other| other == id),
				Error::<T>::DuplicateNetwork
			);
		}
		let score = T::Reputation::score(Role::Worker, who);
		for id in networks {
			let network = Networks::<T>::get(id).ok_or(Error::<T>::NetworkNotFound)?;
			ensure!(!network.retired || listed.contains(id), Error::<T>::NetworkRetired);
			ensure!(capacity.covers(&network.min_capacity), Error::<T>::CapacityBelowMinimum);
			ensure!(score >= network.min_reputation, Error::<T>::ReputationBelowMinimum);
		}
		Ok(())
	}

	/// Holds the deposit, claims the identity key and joins the worker's networks.
	pub(crate) fn do_register_worker(who: &T::AccountId, worker: WorkerOf<T>) -> DispatchResult {
		Self::hold(&HoldReason::WorkerDeposit, who, worker.deposit)?;
		Identities::<T>::insert(worker.identity, who);
		Attached::<T>::insert(&worker.validator, who, ());
		if !worker.paused {
			Self::join_all(who, &worker.networks)?;
		}
		Workers::<T>::insert(who, worker);
		Ok(())
	}

	/// Stores `new` and moves the worker between assignment lists: out of the networks it
	/// dropped, into the ones it added. A paused worker is in no list and stays out.
	pub(crate) fn do_update_worker(
		who: &T::AccountId,
		old: &WorkerOf<T>,
		new: WorkerOf<T>,
	) -> DispatchResult {
		if !old.paused {
			for id in old.networks.iter().filter(|id| !new.networks.contains(id)) {
				Self::leave(*id, who);
			}
			for id in new.networks.iter().filter(|id| !old.networks.contains(id)) {
				Self::join(*id, who)?;
			}
		}
		if old.validator != new.validator {
			Attached::<T>::remove(&old.validator, who);
			Attached::<T>::insert(&new.validator, who, ());
		}
		Workers::<T>::insert(who, new);
		Ok(())
	}

	/// Leaves every list, releases the deposit and frees the identity key.
	pub(crate) fn do_deregister_worker(who: &T::AccountId, worker: WorkerOf<T>) -> DispatchResult {
		Self::leave_all(who, &worker.networks);
		Self::release_all(&HoldReason::WorkerDeposit, who, worker.deposit)?;
		Identities::<T>::remove(worker.identity);
		Attached::<T>::remove(&worker.validator, who);
		Workers::<T>::remove(who);
		Ok(())
	}

	pub(crate) fn do_register_user(who: &T::AccountId) -> DispatchResult {
		let deposit = T::UserDeposit::get();
		Self::hold(&HoldReason::UserDeposit, who, deposit)?;
		let registered_at = frame_system::Pallet::<T>::block_number();
		Users::<T>::insert(who, UserRecord { deposit, registered_at });
		Ok(())
	}

	pub(crate) fn do_deregister_user(who: &T::AccountId, user: UserRecordOf<T>) -> DispatchResult {
		Self::release_all(&HoldReason::UserDeposit, who, user.deposit)?;
		Users::<T>::remove(who);
		Ok(())
	}

	fn hold(reason: &HoldReason, who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		T::Currency::hold(&(*reason).into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	/// Releases everything held for `reason`, which should be what the record says; should
	/// the two ever differ, the owner gets back what is actually held rather than being stuck.
	fn release_all(reason: &HoldReason, who: &T::AccountId, recorded: Balance) -> DispatchResult {
		let reason = (*reason).into();
		let held = T::Currency::balance_on_hold(&reason, who);
		if held != recorded {
			log::warn!(
				target: LOG_TARGET,
				"deposit of {who:?} records {recorded} but {held} is held; releasing the hold",
			);
		}
		if held > 0 {
			T::Currency::release(&reason, who, held, Precision::Exact)?;
		}
		Ok(())
	}

	/// Appends `who` to `network`'s assignment list, unless it is there already.
	pub(crate) fn join(network: NetworkId, who: &T::AccountId) -> DispatchResult {
		if MemberIndex::<T>::contains_key(network, who) {
			return Ok(());
		}
		let index = MemberCount::<T>::get(network);
		let count = index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Members::<T>::insert(network, index, who);
		MemberIndex::<T>::insert(network, who, index);
		MemberCount::<T>::insert(network, count);
		Ok(())
	}

	/// Removes `who` from `network`'s assignment list, if it is there, by moving the last
	/// member into its place: O(1), and the indices stay `0..MemberCount`.
	pub(crate) fn leave(network: NetworkId, who: &T::AccountId) {
		let Some(index) = MemberIndex::<T>::take(network, who) else {
			return;
		};
		let Some(last) = MemberCount::<T>::get(network).checked_sub(1) else {
			defensive!("a member of a list counted empty");
			Members::<T>::remove(network, index);
			return;
		};
		if index == last {
			Members::<T>::remove(network, index);
		} else if let Some(moved) = Members::<T>::take(network, last) {
			MemberIndex::<T>::insert(network, &moved, index);
			Members::<T>::insert(network, index, moved);
		} else {
			defensive!("a list's last index has no member");
			Members::<T>::remove(network, index);
		}
		if last == 0 {
			MemberCount::<T>::remove(network);
		} else {
			MemberCount::<T>::insert(network, last);
		}
	}

	pub(crate) fn join_all(who: &T::AccountId, networks: &[NetworkId]) -> DispatchResult {
		networks.iter().try_for_each(|id| Self::join(*id, who))
	}

	pub(crate) fn leave_all(who: &T::AccountId, networks: &[NetworkId]) {
		for id in networks {
			Self::leave(*id, who);
		}
	}

	/// A worker's record, score and blacklisting, or `None` if `who` is no worker. For the
	/// runtime APIs that answer "may this worker take my jobs, and how well does it do?".
	pub fn worker_standing(who: &T::AccountId) -> Option<WorkerStandingOf<T>> {
		Workers::<T>::get(who).map(|worker| WorkerStanding {
			worker,
			score: T::Reputation::score(Role::Worker, who),
			blacklisted: T::Reputation::is_blacklisted(Role::Worker, who),
		})
	}

	/// A user's record, or `None` if `who` is no user.
	pub fn user_standing(who: &T::AccountId) -> Option<UserRecordOf<T>> {
		Users::<T>::get(who)
	}

	/// Invariants:
	/// - each network's list holds exactly the indices `0..MemberCount`, and `MemberIndex` is
	///   its exact reverse;
	/// - a worker is a member of a network exactly when it is registered, lists the network,
	///   is not paused and is not blacklisted; no worker lists a network twice;
	/// - `Identities` and `Workers` are a bijection through each worker's identity key;
	/// - every network id is below `NextNetworkId`;
	/// - each worker's and user's recorded deposit is what the currency holds for it.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;

		let mut counted = BTreeMap::<NetworkId, u32>::new();
		for (network, index, who) in Members::<T>::iter() {
			ensure!(
				MemberIndex::<T>::get(network, &who) == Some(index),
				"a member's index disagrees with its place in the list"
			);
			ensure!(index < MemberCount::<T>::get(network), "a member beyond the list's count");
			let worker = Workers::<T>::get(&who).ok_or("a member is not a registered worker")?;
			ensure!(!worker.paused, "a member is paused");
			ensure!(worker.networks.contains(&network), "a member does not list the network");
			ensure!(!T::Reputation::is_blacklisted(Role::Worker, &who), "a member is blacklisted");
			let entry = counted.entry(network).or_default();
			*entry = entry.checked_add(1).ok_or("more members than u32 counts")?;
		}
		for (network, who, index) in MemberIndex::<T>::iter() {
			ensure!(
				Members::<T>::get(network, index).as_ref() == Some(&who),
				"an index points at another member"
			);
		}
		for (network, count) in MemberCount::<T>::iter() {
			ensure!(count > 0, "an empty list keeps a count");
			ensure!(counted.get(&network) == Some(&count), "a list's count is not its length");
		}
		for (network, count) in &counted {
			ensure!(MemberCount::<T>::get(network) == *count, "a list's count is not its length");
		}

		let mut workers: u32 = 0;
		for (who, worker) in Workers::<T>::iter() {
			workers = workers.checked_add(1).ok_or("more workers than u32 counts")?;
			ensure!(
				Identities::<T>::get(worker.identity).as_ref() == Some(&who),
				"a worker's identity key belongs to another account"
			);
			let held = T::Currency::balance_on_hold(&HoldReason::WorkerDeposit.into(), &who);
			ensure!(held == worker.deposit, "a worker's deposit differs from its hold");
			let active = !worker.paused && !T::Reputation::is_blacklisted(Role::Worker, &who);
			for (i, network) in worker.networks.iter().enumerate() {
				ensure!(
					MemberIndex::<T>::contains_key(network, &who) == active,
					"a worker's membership disagrees with its paused and blacklisted state"
				);
				ensure!(
					!worker.networks.iter().skip(i.saturating_add(1)).any(|n| n == network),
					"a worker lists a network twice"
				);
			}
		}
		let identities = Identities::<T>::iter_keys().count();
		ensure!(identities == workers as usize, "identity keys and workers differ in number");
		for (validator, who, ()) in Attached::<T>::iter() {
			ensure!(
				Workers::<T>::get(&who).is_some_and(|w| w.validator == validator),
				"a worker is attached to a validator it does not name"
			);
		}
		ensure!(
			Attached::<T>::iter_keys().count() == workers as usize,
			"attached workers and workers differ in number"
		);

		let next = NextNetworkId::<T>::get();
		for id in Networks::<T>::iter_keys() {
			ensure!(id < next, "a network id at or above NextNetworkId");
		}

		for (who, user) in Users::<T>::iter() {
			let held = T::Currency::balance_on_hold(&HoldReason::UserDeposit.into(), &who);
			ensure!(held == user.deposit, "a user's deposit differs from its hold");
		}
		Ok(())
	}
}

impl<T: Config> Registry<T::AccountId> for Pallet<T> {
	fn network(id: NetworkId) -> Option<NetworkTerms> {
		Networks::<T>::get(id).map(|n| NetworkTerms {
			kind: n.kind,
			min_reputation: n.min_reputation,
			price_floor: n.price_floor,
			retired: n.retired,
		})
	}

	fn is_user(who: &T::AccountId) -> bool {
		Users::<T>::contains_key(who)
	}

	fn worker(who: &T::AccountId) -> Option<WorkerTerms<T::AccountId>> {
		Workers::<T>::get(who).map(|w| WorkerTerms {
			identity: w.identity,
			payout: w.payout,
			capacity: w.capacity,
			validator: w.validator,
			endpoint: w.endpoint.into_inner(),
		})
	}

	fn member_count(network: NetworkId) -> u32 {
		MemberCount::<T>::get(network)
	}

	fn member_at(network: NetworkId, index: u32) -> Option<T::AccountId> {
		Members::<T>::get(network, index)
	}

	fn attached_workers(validator: &T::AccountId) -> Vec<T::AccountId> {
		Attached::<T>::iter_key_prefix(validator).collect()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_network() -> NetworkId {
		let id = NextNetworkId::<T>::get();
		let network = crate::Network {
			name: BoundedVec::truncate_from(b"bench".to_vec()),
			kind: smartnodes_primitives::compute::JobKind::Wasm,
			min_reputation: 0,
			min_capacity: Capacity::default(),
			price_floor: 0,
			retired: false,
		};
		Networks::<T>::insert(id, network);
		// Benchmarks create a handful of networks; 2^32 of them is not a state they reach.
		NextNetworkId::<T>::put(id.saturating_add(1));
		id
	}

	/// The worker holds no deposit (its record says so, keeping the deposit invariant) and is
	/// attached to itself as validator, since the benchmarks of other pallets have no bonded
	/// validator to offer.
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_worker(
		who: &T::AccountId,
		identity: [u8; 32],
		payout: EthAddress,
		network: NetworkId,
	) {
		use smartnodes_primitives::compute::Gpu;

		if Identities::<T>::get(identity).is_some_and(|owner| owner != *who) {
			defensive!("bench_worker: the identity key belongs to another worker");
			return;
		}
		let mut worker = Workers::<T>::get(who).unwrap_or_else(|| crate::Worker {
			identity,
			endpoint: BoundedVec::truncate_from(b"http://bench".to_vec()),
			capacity: Capacity::default(),
			payout,
			networks: BoundedVec::new(),
			validator: who.clone(),
			paused: false,
			deposit: 0,
			registered_at: frame_system::Pallet::<T>::block_number(),
		});
		if !worker.networks.contains(&network) && worker.networks.try_push(network).is_err() {
			defensive!("bench_worker: the worker already lists MaxNetworksPerWorker networks");
			return;
		}
		Identities::<T>::remove(worker.identity);
		Identities::<T>::insert(identity, who);
		worker.identity = identity;
		worker.payout = payout;
		worker.capacity = Capacity {
			cpu_cores: u16::MAX,
			memory_mib: u32::MAX,
			gpu: Some(Gpu { count: u8::MAX, memory_mib: u32::MAX }),
		};
		worker.paused = false;
		if Self::join_all(who, &worker.networks).is_err() {
			defensive!("bench_worker: a list is full");
		}
		Attached::<T>::insert(&worker.validator, who, ());
		Workers::<T>::insert(who, worker);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_attach(who: &T::AccountId, validator: &T::AccountId) {
		Workers::<T>::mutate(who, |worker| {
			if let Some(worker) = worker {
				Attached::<T>::remove(&worker.validator, who);
				Attached::<T>::insert(validator, who, ());
				worker.validator = validator.clone();
			}
		});
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_user(who: &T::AccountId) {
		if !Users::<T>::contains_key(who) {
			let registered_at = frame_system::Pallet::<T>::block_number();
			Users::<T>::insert(who, UserRecord { deposit: 0, registered_at });
		}
	}
}

/// The reputation pallet's blacklist decides who may be assigned work: a blacklisted worker
/// leaves every list at once, a pardoned one returns unless it paused itself meanwhile.
impl<T: Config> OnBlacklist<T::AccountId> for Pallet<T> {
	fn blacklisted(role: Role, who: &T::AccountId) {
		if role != Role::Worker {
			return;
		}
		if let Some(worker) = Workers::<T>::get(who) {
			Self::leave_all(who, &worker.networks);
		}
	}

	fn pardoned(role: Role, who: &T::AccountId) {
		if role != Role::Worker {
			return;
		}
		if let Some(worker) = Workers::<T>::get(who).filter(|w| !w.paused) {
			if Self::join_all(who, &worker.networks).is_err() {
				defensive!("a list with u32::MAX members");
			}
		}
	}
}
