//! Unit tests: one module per concern, sharing the helpers below. Every test runs through
//! `ExtBuilder::build_and_execute`, so the pallet's invariants are checked after each.

use crate::{mock::*, pallet::*, Error, Event, HoldReason, UserRecord, Worker, WorkerStanding};
use codec::{Compact, Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::BoundedVec,
	traits::fungible::{Inspect, InspectHold},
};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{
		Capacity, Gpu, JobKind, NetworkId, NetworkTerms, OnBlacklist, Registry as _, Role,
		WorkerTerms,
	},
};
use sp_runtime::DispatchError;

mod lists;
mod networks;
mod users;
mod workers;

fn key(who: AccountId) -> [u8; 32] {
	[who as u8; 32]
}

fn payout(who: AccountId) -> EthAddress {
	EthAddress::repeat_byte(who as u8)
}

fn endpoint() -> BoundedVec<u8, MaxEndpointLen> {
	b"http://worker:8080".to_vec().try_into().unwrap()
}

fn name(text: &str) -> BoundedVec<u8, MaxNameLen> {
	text.as_bytes().to_vec().try_into().unwrap()
}

/// What the test workers declare: 8 cores, 16 GiB, no GPU.
fn capacity() -> Capacity {
	Capacity { cpu_cores: 8, memory_mib: 16_384, gpu: None }
}

/// What the test networks require: 2 cores, 4 GiB.
fn minimum() -> Capacity {
	Capacity { cpu_cores: 2, memory_mib: 4_096, gpu: None }
}

fn nets(ids: &[NetworkId]) -> BoundedVec<NetworkId, MaxNetworksPerWorker> {
	ids.to_vec().try_into().unwrap()
}

/// Creates a network with the test minimum, a minimum score of 1,000 and a floor of 50.
fn create(label: &str) -> NetworkId {
	let id = NextNetworkId::<Test>::get();
	assert_ok!(Registry::create_network(
		RuntimeOrigin::root(),
		name(label),
		JobKind::Wasm,
		1_000,
		minimum(),
		50
	));
	id
}

fn register_with(
	who: AccountId,
	identity: [u8; 32],
	capacity: Capacity,
	networks: &[NetworkId],
) -> frame_support::dispatch::DispatchResult {
	Registry::register_worker(
		RuntimeOrigin::signed(who),
		identity,
		endpoint(),
		capacity,
		payout(who),
		nets(networks),
		VALIDATOR,
	)
}

fn register(who: AccountId, networks: &[NetworkId]) {
	assert_ok!(register_with(who, key(who), capacity(), networks));
}

fn update(who: AccountId, networks: &[NetworkId]) -> frame_support::dispatch::DispatchResult {
	Registry::update_worker(
		RuntimeOrigin::signed(who),
		endpoint(),
		capacity(),
		payout(who),
		nets(networks),
		VALIDATOR,
	)
}

/// The assignment list of `network`, in index order.
fn members(network: NetworkId) -> Vec<AccountId> {
	(0..MemberCount::<Test>::get(network))
		.map(|i| Members::<Test>::get(network, i).expect("indices below the count are filled"))
		.collect()
}

fn held_for_worker(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::WorkerDeposit.into(), &who)
}

fn held_for_user(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::UserDeposit.into(), &who)
}

fn worker(who: AccountId) -> crate::WorkerOf<Test> {
	Workers::<Test>::get(who).expect("registered")
}
