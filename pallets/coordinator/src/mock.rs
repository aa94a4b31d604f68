//! A test runtime with the coordinator and the real rewards pallet. The signing set is a
//! thread-local of validators `1..=n` whose bridge keys are derived from their ids.

use crate as pallet_coordinator;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Randomness};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	currency::SNO,
	ledger::SigningSet,
	rewards::{eth_signature, RewardCommitment},
	Balance,
};
use sp_core::{ecdsa, Pair, H256};
use sp_runtime::{testing::TestXt, BuildStorage};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;
pub type Extrinsic = TestXt<RuntimeCall, ()>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Rewards: pallet_rewards,
		Coordinator: pallet_coordinator,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

pub const INTERVAL: u64 = 20;
pub const CHAIN_ID: u64 = 84_532;
pub fn distributor() -> EthAddress {
	EthAddress::repeat_byte(0xd1)
}
pub fn treasury() -> EthAddress {
	EthAddress::repeat_byte(0xee)
}

parameter_types! {
	pub const InitialHourlyEmission: Balance = 5_625 * SNO;
	pub const TailHourlyEmission: Balance = 420 * SNO;
	pub const BlocksPerHour: u32 = 600;
	pub const BlocksPerYear: u32 = 365 * 24 * 600;
	pub static MaxValidators: u32 = 100;
}

impl pallet_rewards::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type InitialHourlyEmission = InitialHourlyEmission;
	type TailHourlyEmission = TailHourlyEmission;
	type BlocksPerHour = BlocksPerHour;
	type BlocksPerYear = BlocksPerYear;
	type WeightInfo = ();
}

thread_local! {
	static SET: RefCell<(u64, Vec<(AccountId, EthAddress)>)> = const { RefCell::new((0, Vec::new())) };
	static SEED: RefCell<H256> = const { RefCell::new(H256::zero()) };
	static PAYOUTS: RefCell<Vec<(AccountId, EthAddress)>> = const { RefCell::new(Vec::new()) };
}

/// The seed of validator `who`'s bridge key.
pub fn seed(who: AccountId) -> [u8; 32] {
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	seed[31] = 1;
	seed
}

/// The bridge key of validator `who`.
pub fn key(who: AccountId) -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&seed(who))
}

pub fn address(who: AccountId) -> EthAddress {
	smartnodes_primitives::bridge_key::eth_address(&key(who).public().0).unwrap()
}

/// Makes validators `1..=n` the signing set with id `set_id`.
pub fn set_validators(set_id: u64, n: u64) {
	let mut members: Vec<_> = (1..=n).map(|v| (v, address(v))).collect();
	members.sort_by_key(|(_, a)| *a);
	SET.with(|s| *s.borrow_mut() = (set_id, members));
}

/// Makes validator `who` ask for its rewards at `address`.
pub fn set_reward_address(who: AccountId, address: EthAddress) {
	PAYOUTS.with(|p| p.borrow_mut().push((who, address)));
}

pub struct MockSet;
impl SigningSet<AccountId> for MockSet {
	fn signing_set() -> (u64, Vec<(AccountId, EthAddress)>) {
		SET.with(|s| s.borrow().clone())
	}
	fn reward_address(who: &AccountId) -> Option<EthAddress> {
		PAYOUTS.with(|p| p.borrow().iter().find(|(w, _)| w == who).map(|(_, a)| *a))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_signing_set(set_id: u64, signers: Vec<(AccountId, EthAddress)>) {
		SET.with(|s| *s.borrow_mut() = (set_id, signers));
	}
}

pub struct MockRandomness;
impl Randomness<H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let seed = SEED.with(|s| *s.borrow());
		(H256(sp_io::hashing::blake2_256(&[seed.as_bytes(), subject].concat())), 0)
	}
}

impl frame_system::offchain::CreateTransactionBase<pallet_coordinator::Call<Test>> for Test {
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}
impl frame_system::offchain::CreateTransaction<pallet_coordinator::Call<Test>> for Test {
	type Extension = ();
	fn create_transaction(call: RuntimeCall, _: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, ())
	}
}
impl frame_system::offchain::CreateAuthorizedTransaction<pallet_coordinator::Call<Test>> for Test {
	fn create_extension() {}
}

impl pallet_coordinator::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Validators = MockSet;
	type Rewards = Rewards;
	type Randomness = MockRandomness;
	type OnRoundOutcome = ();
	type MaxValidators = MaxValidators;
	type UnsignedPriority = frame_support::traits::ConstU64<{ u64::MAX / 2 }>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	set_validators(0, 4);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_rewards::GenesisConfig::<Test> {
		treasury: treasury(),
		protocol_fee_bps: 500,
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_coordinator::GenesisConfig::<Test> {
		state_update_interval: INTERVAL,
		base_chain_id: CHAIN_ID,
		distributor: distributor(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and checks both pallets' invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Coordinator::do_try_state().expect("coordinator invariants hold");
		Rewards::do_try_state().expect("rewards invariants hold");
	});
}

/// Runs blocks up to `n`, with the coordinator's hook.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Coordinator::on_initialize(next);
	}
}

/// `who`'s signature over `commitment`, as the off-chain worker makes it.
pub fn sign(who: AccountId, commitment: &RewardCommitment) -> [u8; 65] {
	eth_signature(key(who).sign_prehashed(&commitment.digest().0).0)
}

/// The test externalities with a keystore, for the benchmarks' generated bridge keys.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}
