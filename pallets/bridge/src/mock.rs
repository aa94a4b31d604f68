//! A test runtime with the bridge pallet and real balances. The validators, reward books and
//! decision handler are thread-local stand-ins the tests drive and inspect; the runtime tests
//! use the real ones.

use crate as pallet_bridge;
use crate::{BaseSettings, DecisionHandler};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64},
	weights::Weight,
};
use smartnodes_primitives::{
	bridge_key::{eth_address, EthAddress},
	inbound::{BaseEvent, Decision, Deposit},
	ledger::{BaseTransfers, SigningSet},
	rewards::eth_signature,
	Balance,
};
use sp_core::{ecdsa, Pair, H256, U256};
use sp_runtime::{BuildStorage, DispatchError};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Extrinsic = sp_runtime::testing::TestXt<RuntimeCall, ()>;

pub const CHAIN_ID: u64 = 84532;
pub const PENDING: u32 = 4;
pub const KEPT: u32 = 3;
pub const MIN_WITHDRAWAL: Balance = 10;
pub const ED: Balance = 5;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Bridge: pallet_bridge,
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
	type ExistentialDeposit = ConstU128<ED>;
}

impl frame_system::offchain::CreateTransactionBase<pallet_bridge::Call<Test>> for Test {
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}
impl frame_system::offchain::CreateTransaction<pallet_bridge::Call<Test>> for Test {
	type Extension = ();
	fn create_transaction(call: RuntimeCall, _: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, ())
	}
}
impl frame_system::offchain::CreateAuthorizedTransaction<pallet_bridge::Call<Test>> for Test {
	fn create_extension() {}
}

#[derive(Default)]
pub struct World {
	pub set: Vec<(AccountId, EthAddress)>,
	pub transfers: Vec<(EthAddress, Balance)>,
	pub decisions: Vec<(u8, [u8; 32])>,
}

thread_local! {
	pub static WORLD: RefCell<World> = RefCell::new(World::default());
}

pub fn world<R>(f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| f(&mut w.borrow_mut()))
}

/// The bridge key of validator `v`.
pub fn bridge(v: AccountId) -> ecdsa::Pair {
	let mut seed = [9u8; 32];
	seed[..8].copy_from_slice(&v.to_le_bytes());
	ecdsa::Pair::from_seed(&seed)
}

pub fn address(v: AccountId) -> EthAddress {
	eth_address(&bridge(v).public().0).unwrap()
}

/// Signs `digest` with validator `v`'s bridge key as its node would.
pub fn sign(v: AccountId, digest: &H256) -> [u8; 65] {
	eth_signature(bridge(v).sign_prehashed(&digest.0).0)
}

/// Makes validators `members` the active set, by address.
pub fn set_validators(members: &[AccountId]) {
	let mut set: Vec<_> = members.iter().map(|v| (*v, address(*v))).collect();
	set.sort_by_key(|(_, a)| *a);
	world(|w| w.set = set);
}

pub struct MockValidators;
impl SigningSet<AccountId> for MockValidators {
	fn signing_set() -> (u64, Vec<(AccountId, EthAddress)>) {
		(0, world(|w| w.set.clone()))
	}
	fn reward_address(_: &AccountId) -> Option<EthAddress> {
		None
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_signing_set(_: u64, signers: Vec<(AccountId, EthAddress)>) {
		world(|w| w.set = signers);
	}
}

pub struct MockTransfers;
impl BaseTransfers for MockTransfers {
	fn note_transfer(to: &EthAddress, amount: Balance) {
		world(|w| w.transfers.push((*to, amount)));
	}
}

/// Accepts kinds 0..=3 with a non-zero payload, as the runtime's handler would.
pub struct MockDecisions;
impl DecisionHandler for MockDecisions {
	fn apply(kind: u8, payload: &[u8; 32]) -> sp_runtime::DispatchResult {
		if kind > 3 || payload.iter().all(|b| *b == 0) {
			return Err(DispatchError::Other("refused"));
		}
		world(|w| w.decisions.push((kind, *payload)));
		Ok(())
	}
	fn max_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

parameter_types! {
	pub Target: (u64, EthAddress) = (CHAIN_ID, EthAddress::repeat_byte(0xd1));
}

impl pallet_bridge::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Validators = MockValidators;
	type Target = Target;
	type Transfers = MockTransfers;
	type Decisions = MockDecisions;
	type MaxValidators = ConstU32<16>;
	type MaxPendingEvents = ConstU32<PENDING>;
	type SetUpdatesKept = ConstU32<KEPT>;
	type MinWithdrawal = ConstU128<MIN_WITHDRAWAL>;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type WeightInfo = ();
}

pub fn dao() -> EthAddress {
	EthAddress::repeat_byte(0xda)
}

/// Four validators, 1..=4; accounts 100 and 101 hold 1,000 each.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(100, 1_000), (101, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_bridge::GenesisConfig::<Test> {
		settings: BaseSettings { dao: dao(), confirmations: 2, start_block: 0 },
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| {
		world(|w| *w = World::default());
		set_validators(&[1, 2, 3, 4]);
		System::set_block_number(1);
	});
	ext
}

/// Runs `f`, then checks the pallet's invariants.
pub fn checked<R>(f: impl FnOnce() -> R) -> R {
	let r = f();
	Bridge::do_try_state().expect("invariants hold");
	r
}

/// A deposit of `amount` to chain account `to` with `nonce`.
pub fn deposit(nonce: u64, to: AccountId, amount: u128) -> BaseEvent {
	let mut account = [0u8; 32];
	account[..8].copy_from_slice(&to.to_le_bytes());
	BaseEvent::Deposit(Deposit {
		nonce,
		from: EthAddress::repeat_byte(0xf0),
		to: account,
		amount: U256::from(amount),
		base_block: 10 + nonce,
	})
}

pub fn decision(nonce: u64, kind: u8, value: u8) -> BaseEvent {
	let mut payload = [0u8; 32];
	payload[31] = value;
	BaseEvent::Decision(Decision { nonce, kind, payload, base_block: 20 + nonce })
}

/// Validator `v`'s signature over `event`.
pub fn attestation(v: AccountId, event: &BaseEvent) -> [u8; 65] {
	sign(v, &event.digest(&Bridge::genesis_hash()))
}

pub fn events() -> Vec<pallet_bridge::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Bridge(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The test externalities with a keystore, for the benchmarks' real signatures.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}
