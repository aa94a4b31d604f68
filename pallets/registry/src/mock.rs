//! A test runtime with balances and the registry pallet. Reputation, the validator set and the
//! jobs pallet's open work are thread-locals the tests set.

use crate as pallet_registry;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, Contains},
};
use smartnodes_primitives::compute::{Fault, OnBlacklist, OpenWork, Reputation, Role, Score};
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

pub const WORKER_DEPOSIT: Balance = 100;
pub const USER_DEPOSIT: Balance = 10;
/// Every funded account starts with this much.
pub const FUNDS: Balance = 1_000;
/// A bonded validator workers can attach to.
pub const VALIDATOR: AccountId = 100;
/// An account with no funds.
pub const POOR: AccountId = 99;
/// What a party never scored starts with.
pub const STARTING_SCORE: Score = 5_000;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static SCORES: RefCell<BTreeMap<AccountId, Score>> = const { RefCell::new(BTreeMap::new()) };
	static BLACKLIST: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
	static VALIDATORS: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
	static WORKER_LOAD: RefCell<BTreeMap<AccountId, u32>> = const { RefCell::new(BTreeMap::new()) };
	static USER_JOBS: RefCell<BTreeMap<AccountId, u32>> = const { RefCell::new(BTreeMap::new()) };
}

/// Worker scores and blacklist, as the reputation pallet would keep them.
pub struct MockReputation;
impl Reputation<AccountId> for MockReputation {
	fn score(_role: Role, who: &AccountId) -> Score {
		SCORES.with(|s| s.borrow().get(who).copied().unwrap_or(STARTING_SCORE))
	}
	fn is_blacklisted(role: Role, who: &AccountId) -> bool {
		role == Role::Worker && BLACKLIST.with(|b| b.borrow().contains(who))
	}
	fn note_success(_: Role, _: &AccountId) {}
	fn note_fault(_: Role, _: &AccountId, _: Fault) -> bool {
		false
	}
}

pub fn set_score(who: AccountId, score: Score) {
	SCORES.with(|s| s.borrow_mut().insert(who, score));
}

/// Blacklists a worker and tells the registry, as the reputation pallet does.
pub fn blacklist(who: AccountId) {
	BLACKLIST.with(|b| b.borrow_mut().insert(who));
	<Registry as OnBlacklist<AccountId>>::blacklisted(Role::Worker, &who);
}

/// Pardons a worker and tells the registry, as the reputation pallet does.
pub fn pardon(who: AccountId) {
	BLACKLIST.with(|b| b.borrow_mut().remove(&who));
	<Registry as OnBlacklist<AccountId>>::pardoned(Role::Worker, &who);
}

/// Marks `who` blacklisted without telling the registry (as if it was never a worker).
pub fn set_blacklisted(who: AccountId) {
	BLACKLIST.with(|b| b.borrow_mut().insert(who));
}

pub struct MockValidators;
impl Contains<AccountId> for MockValidators {
	fn contains(who: &AccountId) -> bool {
		VALIDATORS.with(|v| v.borrow().contains(who))
	}
}

pub fn add_validator(who: AccountId) {
	VALIDATORS.with(|v| v.borrow_mut().insert(who));
}

pub fn remove_validator(who: AccountId) {
	VALIDATORS.with(|v| v.borrow_mut().remove(&who));
}

pub struct MockOpenWork;
impl OpenWork<AccountId> for MockOpenWork {
	fn worker_load(worker: &AccountId) -> u32 {
		WORKER_LOAD.with(|w| w.borrow().get(worker).copied().unwrap_or(0))
	}
	fn user_jobs(user: &AccountId) -> u32 {
		USER_JOBS.with(|u| u.borrow().get(user).copied().unwrap_or(0))
	}
}

pub fn set_worker_load(who: AccountId, load: u32) {
	WORKER_LOAD.with(|w| w.borrow_mut().insert(who, load));
}

pub fn set_user_jobs(who: AccountId, jobs: u32) {
	USER_JOBS.with(|u| u.borrow_mut().insert(who, jobs));
}

parameter_types! {
	pub const WorkerDeposit: Balance = WORKER_DEPOSIT;
	pub const UserDeposit: Balance = USER_DEPOSIT;
	pub const MaxNameLen: u32 = 32;
	pub const MaxEndpointLen: u32 = 128;
	pub const MaxNetworksPerWorker: u32 = 8;
}

impl pallet_registry::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = MockReputation;
	type Validators = MockValidators;
	type OpenWork = MockOpenWork;
	type WorkerDeposit = WorkerDeposit;
	type UserDeposit = UserDeposit;
	type MaxNameLen = MaxNameLen;
	type MaxEndpointLen = MaxEndpointLen;
	type MaxNetworksPerWorker = MaxNetworksPerWorker;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockHelper {
	fn make_validator(who: &AccountId) {
		add_validator(*who);
	}
}

/// Genesis: accounts 1..=20 hold `FUNDS`, `VALIDATOR` is a bonded validator, nobody is scored,
/// blacklisted or busy.
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		SCORES.with(|s| s.borrow_mut().clear());
		BLACKLIST.with(|b| b.borrow_mut().clear());
		VALIDATORS.with(|v| v.borrow_mut().clear());
		WORKER_LOAD.with(|w| w.borrow_mut().clear());
		USER_JOBS.with(|u| u.borrow_mut().clear());
		add_validator(VALIDATOR);

		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: (1..=20).map(|who| (who, FUNDS)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test` and then checks the pallet's invariants, as every test must.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Registry::do_try_state().expect("invariants hold after the test");
		});
	}
}
