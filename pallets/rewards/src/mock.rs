//! A test runtime with the rewards pallet and the real emission numbers, on short years so the
//! schedule can be walked through.

use crate as pallet_rewards;
use frame_support::{derive_impl, parameter_types};
use smartnodes_primitives::{bridge_key::EthAddress, currency::SNO, Balance};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Rewards: pallet_rewards,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// 8 hours of 6 s blocks.
pub const INTERVAL: u64 = 4_800;
pub const BLOCKS_PER_YEAR: u32 = 365 * 24 * 600;

parameter_types! {
	pub const InitialHourlyEmission: Balance = 5_625 * SNO;
	pub const TailHourlyEmission: Balance = 420 * SNO;
	pub const BlocksPerHour: u32 = 600;
	pub const BlocksPerYear: u32 = BLOCKS_PER_YEAR;
}

impl pallet_rewards::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type InitialHourlyEmission = InitialHourlyEmission;
	type TailHourlyEmission = TailHourlyEmission;
	type BlocksPerHour = BlocksPerHour;
	type BlocksPerYear = BlocksPerYear;
	type WeightInfo = ();
}

pub fn treasury() -> EthAddress {
	EthAddress::repeat_byte(0xee)
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_rewards::GenesisConfig::<Test> {
		treasury: treasury(),
		protocol_fee_bps: 500,
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and checks the pallet's invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Rewards::do_try_state().expect("invariants hold");
	});
}
