//! A test runtime with the reputation pallet; the blacklist hook's calls are recorded in a
//! thread-local so tests can check them.

use crate as pallet_reputation;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use smartnodes_primitives::compute::{OnBlacklist, Role};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

pub const INITIAL: u32 = 5_000;
pub const REWARD: u32 = 10;
pub const PENALTY: u32 = 500;
pub const PERIOD: u64 = 10;
pub const STEP: u32 = 100;
pub const STRIKE_LIMIT: u32 = 5;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Reputation: pallet_reputation,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A call of the blacklist hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
	Blacklisted(Role, AccountId),
	Pardoned(Role, AccountId),
}

thread_local! {
	static HOOK_CALLS: RefCell<Vec<Hook>> = const { RefCell::new(Vec::new()) };
}

pub struct RecordHook;
impl OnBlacklist<AccountId> for RecordHook {
	fn blacklisted(role: Role, who: &AccountId) {
		HOOK_CALLS.with(|c| c.borrow_mut().push(Hook::Blacklisted(role, *who)));
	}
	fn pardoned(role: Role, who: &AccountId) {
		HOOK_CALLS.with(|c| c.borrow_mut().push(Hook::Pardoned(role, *who)));
	}
}

/// Every call of the blacklist hook so far, oldest first.
pub fn hook_calls() -> Vec<Hook> {
	HOOK_CALLS.with(|c| c.borrow().clone())
}

impl pallet_reputation::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OnBlacklist = RecordHook;
	type InitialScore = ConstU32<INITIAL>;
	type SuccessReward = ConstU32<REWARD>;
	type FaultPenalty = ConstU32<PENALTY>;
	type DecayPeriod = ConstU64<PERIOD>;
	type DecayStep = ConstU32<STEP>;
	type StrikeLimit = ConstU32<STRIKE_LIMIT>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// A test externality starting at `block`.
pub struct ExtBuilder {
	block: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { block: 1 }
	}
}

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		HOOK_CALLS.with(|c| c.borrow_mut().clear());
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(self.block));
		ext
	}

	/// Runs `test` and then checks the pallet's invariants, as every test must.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Reputation::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Moves the clock to block `n`.
pub fn go_to(n: u64) {
	System::set_block_number(n);
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event was deposited").event
}

pub fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}
