//! A test runtime with balances and the validators pallet; session keys and disabling are
//! recorded in thread-locals so tests can drive them.

use crate as pallet_validators;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ValidatorRegistration},
};
use sp_runtime::{BuildStorage, Perbill};
use std::collections::BTreeSet;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

pub const COLLATERAL: Balance = 1_000;
pub const UNBONDING: u64 = 10;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Validators: pallet_validators,
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

use frame_support::traits::ConstU128;

thread_local! {
	static REGISTERED: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
	static DISABLED: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
}

/// Pretends accounts set their session keys.
pub struct MockRegistration;
impl ValidatorRegistration<AccountId> for MockRegistration {
	fn is_registered(id: &AccountId) -> bool {
		REGISTERED.with(|r| r.borrow().contains(id))
	}
}
pub fn register_keys(who: AccountId) {
	REGISTERED.with(|r| r.borrow_mut().insert(who));
}

pub struct MockDisabler;
impl crate::DisableValidator<AccountId> for MockDisabler {
	fn disable(who: &AccountId) {
		DISABLED.with(|d| d.borrow_mut().push(*who));
	}
}
pub fn disabled() -> Vec<AccountId> {
	DISABLED.with(|d| d.borrow().clone())
}

parameter_types! {
	pub const MaxValidators: u32 = 5;
	pub const MinValidators: u32 = 2;
}

impl pallet_validators::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Slashed = ();
	type ValidatorRegistration = MockRegistration;
	type Disabler = MockDisabler;
	type MaxValidators = MaxValidators;
	type MinValidators = MinValidators;
	type SlashRecordSessions = ConstU32<4>;
	type OnBridgeSetQueued = ();
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockHelper {
	fn register_session_keys(who: &AccountId) {
		register_keys(*who);
	}
}

/// Genesis: accounts 1..=3 are bonded validators, 4..=7 are funded bystanders.
pub struct ExtBuilder {
	validators: Vec<AccountId>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { validators: vec![1, 2, 3] }
	}
}

impl ExtBuilder {
	pub fn validators(mut self, validators: Vec<AccountId>) -> Self {
		self.validators = validators;
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		REGISTERED.with(|r| r.borrow_mut().clear());
		DISABLED.with(|d| d.borrow_mut().clear());
		for v in &self.validators {
			register_keys(*v);
		}
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: (1..=9).map(|who| (who, 10 * COLLATERAL)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_validators::GenesisConfig::<Test> {
			session_length: 10,
			collateral_amount: COLLATERAL,
			unbonding_period: UNBONDING,
			slash_fraction: Perbill::from_percent(10),
			validators: self.validators.iter().map(|v| (*v, COLLATERAL)).collect(),
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			// The session pallet plans sessions 0 and 1 and starts session 0 at genesis.
			use pallet_session::SessionManager;
			Validators::new_session_genesis(0);
			Validators::new_session_genesis(1);
			Validators::start_session(0);
		});
		ext
	}

	/// Runs `test` and then checks the pallet's invariants, as every test must.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Validators::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Rotates to session `index` the way pallet-session does: end, start, plan the one after.
pub fn rotate_to(index: u32) {
	use pallet_session::SessionManager;
	Validators::end_session(index - 1);
	Validators::start_session(index);
	Validators::new_session(index + 1);
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event was deposited").event
}
