//! Benchmarks of the registry pallet (FRAME benchmarking v2). Every worker call is measured at
//! its worst case: `MaxNetworksPerWorker` networks, each list holding another member after the
//! caller so that leaving one moves a member (the costlier branch of swap-remove).

use super::*;
use crate::pallet::{
	Call, Config, HoldReason, MemberCount, MemberIndex, Networks, NextNetworkId, Pallet, Users,
	Workers,
};
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::BoundedVec,
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		Get,
	},
};
use frame_system::RawOrigin;
use smartnodes_primitives::compute::{OnBlacklist, Role};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let deposits = T::WorkerDeposit::get().saturating_add(T::UserDeposit::get());
	let rich = deposits.saturating_mul(10).saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, rich);
	who
}

fn validator<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("validator", 0, 0);
	T::BenchmarkHelper::make_validator(&who);
	who
}

/// Distinct for each index, never all zeroes.
fn identity(index: u32) -> [u8; 32] {
	let mut key = [0xEE; 32];
	for (byte, i) in key.iter_mut().zip(index.to_le_bytes()) {
		*byte = i;
	}
	key
}

/// The longest endpoint the runtime allows.
fn endpoint<T: Config>() -> BoundedVec<u8, T::MaxEndpointLen> {
	BoundedVec::truncate_from(vec![b'e'; T::MaxEndpointLen::get() as usize])
}

/// Covers any network these benchmarks create, GPU included, so every part of
/// `Capacity::covers` is compared.
fn capacity() -> Capacity {
	Capacity { cpu_cores: 64, memory_mib: 262_144, gpu: Some(Gpu { count: 8, memory_mib: 81_920 }) }
}

fn payout() -> EthAddress {
	EthAddress::repeat_byte(0x11)
}

/// Creates `MaxNetworksPerWorker` networks with a full-length name and every admission rule set.
fn networks<T: Config>() -> BoundedVec<NetworkId, T::MaxNetworksPerWorker> {
	let name: BoundedVec<u8, T::MaxNameLen> =
		BoundedVec::truncate_from(vec![b'n'; T::MaxNameLen::get() as usize]);
	let min_capacity = Capacity {
		cpu_cores: 4,
		memory_mib: 8_192,
		gpu: Some(Gpu { count: 1, memory_mib: 8_192 }),
	};
	let ids = (0..T::MaxNetworksPerWorker::get())
		.map(|_| {
			let id = NextNetworkId::<T>::get();
			Pallet::<T>::create_network(
				RawOrigin::Root.into(),
				name.clone(),
				JobKind::Wasm,
				0,
				min_capacity,
				1_000,
			)
			.expect("root creates networks");
			id
		})
		.collect::<vec::Vec<_>>();
	BoundedVec::truncate_from(ids)
}

fn register<T: Config>(
	who: &T::AccountId,
	index: u32,
	networks: &BoundedVec<NetworkId, T::MaxNetworksPerWorker>,
) {
	Pallet::<T>::register_worker(
		RawOrigin::Signed(who.clone()).into(),
		identity(index),
		endpoint::<T>(),
		capacity(),
		payout(),
		networks.clone(),
		validator::<T>(),
	)
	.expect("a funded worker meeting every rule registers");
}

/// Registers the benchmarked worker in `networks`, then another worker after it, so the
/// benchmarked one is never the last of a list.
fn registered_with_company<T: Config>(
	networks: &BoundedVec<NetworkId, T::MaxNetworksPerWorker>,
) -> T::AccountId {
	let who = funded::<T>("caller", 0);
	register::<T>(&who, 0, networks);
	let other = funded::<T>("other", 1);
	register::<T>(&other, 1, networks);
	who
}

fn is_member<T: Config>(who: &T::AccountId, networks: &[NetworkId]) -> bool {
	networks.iter().all(|id| MemberIndex::<T>::contains_key(id, who))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_network() {
		let name: BoundedVec<u8, T::MaxNameLen> =
			BoundedVec::truncate_from(vec![b'n'; T::MaxNameLen::get() as usize]);
		let id = NextNetworkId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Root, name, JobKind::Wasm, 100, capacity(), 1_000);

		assert!(Networks::<T>::contains_key(id));
	}

	#[benchmark]
	fn update_network() {
		let id = *networks::<T>().first().expect("MaxNetworksPerWorker is positive");

		#[extrinsic_call]
		_(RawOrigin::Root, id, 200, capacity(), 2_000);

		assert_eq!(Networks::<T>::get(id).map(|n| n.price_floor), Some(2_000));
	}

	#[benchmark]
	fn retire_network() {
		let id = *networks::<T>().first().expect("MaxNetworksPerWorker is positive");

		#[extrinsic_call]
		_(RawOrigin::Root, id);

		assert_eq!(Networks::<T>::get(id).map(|n| n.retired), Some(true));
	}

	#[benchmark]
	fn register_worker() {
		let networks = networks::<T>();
		// Non-empty lists, as on a live chain.
		let other = funded::<T>("other", 1);
		register::<T>(&other, 1, &networks);
		let who = funded::<T>("caller", 0);
		let validator = validator::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			identity(0),
			endpoint::<T>(),
			capacity(),
			payout(),
			networks.clone(),
			validator,
		);

		assert!(is_member::<T>(&who, &networks));
	}

	/// Leaves every network it listed and joins as many others.
	#[benchmark]
	fn update_worker() {
		let old = networks::<T>();
		let who = registered_with_company::<T>(&old);
		let new = networks::<T>();
		let other = funded::<T>("other", 2);
		register::<T>(&other, 2, &new);
		let validator = validator::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			endpoint::<T>(),
			capacity(),
			EthAddress::repeat_byte(0x22),
			new.clone(),
			validator,
		);

		assert!(is_member::<T>(&who, &new));
		assert!(old.iter().all(|id| !MemberIndex::<T>::contains_key(id, &who)));
	}

	#[benchmark]
	fn pause_worker() {
		let networks = networks::<T>();
		let who = registered_with_company::<T>(&networks);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Workers::<T>::get(&who).is_some_and(|w| w.paused));
	}

	#[benchmark]
	fn resume_worker() {
		let networks = networks::<T>();
		let who = registered_with_company::<T>(&networks);
		Pallet::<T>::pause_worker(RawOrigin::Signed(who.clone()).into()).expect("registered");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(is_member::<T>(&who, &networks));
	}

	#[benchmark]
	fn deregister_worker() {
		let networks = networks::<T>();
		let who = registered_with_company::<T>(&networks);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Workers::<T>::contains_key(&who));
		assert_eq!(
			T::Currency::balance_on_hold(&HoldReason::WorkerDeposit.into(), &who),
			Default::default()
		);
	}

	#[benchmark]
	fn register_user() {
		let who = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Users::<T>::contains_key(&who));
	}

	#[benchmark]
	fn deregister_user() {
		let who = funded::<T>("caller", 0);
		Pallet::<T>::register_user(RawOrigin::Signed(who.clone()).into()).expect("funded");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Users::<T>::contains_key(&who));
	}

	/// The reputation pallet's call into the registry when it blacklists a worker.
	#[benchmark]
	fn blacklisted() {
		let networks = networks::<T>();
		let who = registered_with_company::<T>(&networks);

		#[block]
		{
			<Pallet<T> as OnBlacklist<T::AccountId>>::blacklisted(Role::Worker, &who);
		}

		assert!(networks.iter().all(|id| !MemberIndex::<T>::contains_key(id, &who)));
	}

	/// The reputation pallet's call into the registry when it pardons a worker.
	#[benchmark]
	fn pardoned() {
		let networks = networks::<T>();
		let who = registered_with_company::<T>(&networks);
		<Pallet<T> as OnBlacklist<T::AccountId>>::blacklisted(Role::Worker, &who);

		#[block]
		{
			<Pallet<T> as OnBlacklist<T::AccountId>>::pardoned(Role::Worker, &who);
		}

		assert!(is_member::<T>(&who, &networks));
		assert!(networks.iter().all(|id| MemberCount::<T>::get(id) == 2));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder.build(), crate::mock::Test);
}
