//! A test runtime with balances and the jobs pallet. The registry, reputation and reward books
//! are thread-local stand-ins the tests drive and inspect; the runtime tests use the real ones.

use crate as pallet_jobs;
use crate::Limits;
use core::cell::RefCell;
use frame_support::weights::Weight;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks, Randomness},
};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{
		commit_payload, result_commitment, Capacity, Fault, JobId, JobKind, NetworkId,
		NetworkTerms, OnJobCompleted, Registry, Reputation, Role, Score, WorkerTerms,
	},
	ledger::{ContributionRecorder, SigningSet},
	Balance,
};
use sp_core::{ed25519, Pair, H256};
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

pub const USER: AccountId = 100;
pub const POOR_USER: AccountId = 101;
pub const STRANGER: AccountId = 102;
pub const NET: NetworkId = 0;
pub const DEPOSIT: Balance = 10;
pub const FUEL: u64 = 1_000_000;
pub const WINDOW: u64 = 5;
pub const REVEAL: u64 = 3;
pub const RETENTION: u64 = 20;
pub const FEE_BPS: Balance = 250;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Jobs: pallet_jobs,
	}
);

pub type Extrinsic = sp_runtime::testing::TestXt<RuntimeCall, ()>;

impl frame_system::offchain::CreateTransactionBase<pallet_jobs::Call<Test>> for Test {
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}
impl frame_system::offchain::CreateTransaction<pallet_jobs::Call<Test>> for Test {
	type Extension = ();
	fn create_transaction(call: RuntimeCall, _: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, ())
	}
}
impl frame_system::offchain::CreateAuthorizedTransaction<pallet_jobs::Call<Test>> for Test {
	fn create_extension() {}
}

/// The signing set: the validators and their bridge-key addresses.
pub struct MockSet;
impl SigningSet<AccountId> for MockSet {
	fn signing_set() -> (u64, Vec<(AccountId, EthAddress)>) {
		world(|w| (0, w.validators.clone()))
	}
	fn reward_address(_: &AccountId) -> Option<EthAddress> {
		None
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_signing_set(_: u64, signers: Vec<(AccountId, EthAddress)>) {
		world(|w| w.validators = signers);
	}
}

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

#[derive(Default)]
pub struct World {
	pub networks: BTreeMap<NetworkId, NetworkTerms>,
	pub workers: BTreeMap<AccountId, WorkerTerms<AccountId>>,
	pub members: BTreeMap<NetworkId, Vec<AccountId>>,
	pub users: BTreeSet<AccountId>,
	pub scores: BTreeMap<AccountId, Score>,
	pub blacklisted: BTreeSet<AccountId>,
	pub faults: Vec<(AccountId, Fault)>,
	pub successes: Vec<AccountId>,
	pub payments: Vec<(EthAddress, Balance)>,
	pub contributions: Vec<(EthAddress, u128)>,
	pub completed: Vec<JobId>,
	pub validators: Vec<(AccountId, EthAddress)>,
	pub seed: u8,
	pub hook_weight: Option<Weight>,
}

thread_local! {
	pub static WORLD: RefCell<World> = RefCell::new(World::default());
}

pub fn world<R>(f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| f(&mut w.borrow_mut()))
}

/// The identity key of worker `who`.
pub fn identity(who: AccountId) -> ed25519::Pair {
	let mut seed = [7u8; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	ed25519::Pair::from_seed(&seed)
}

pub fn payout(who: AccountId) -> EthAddress {
	EthAddress::from_low_u64_be(0xaa00 + who)
}

pub fn capacity(memory_mib: u32) -> Capacity {
	Capacity { cpu_cores: 4, memory_mib, gpu: None }
}

/// Registers worker `who` in network `net` with `memory_mib` of memory.
pub fn add_worker(who: AccountId, net: NetworkId, memory_mib: u32) {
	world(|w| {
		w.workers.insert(
			who,
			WorkerTerms {
				identity: identity(who).public().0,
				payout: payout(who),
				capacity: capacity(memory_mib),
				validator: 1,
				endpoint: format!("http://worker-{who}").into_bytes(),
			},
		);
		w.members.entry(net).or_default().push(who);
	});
}

pub fn blacklist(who: AccountId) {
	world(|w| {
		w.blacklisted.insert(who);
		for members in w.members.values_mut() {
			members.retain(|m| *m != who);
		}
	});
}

pub struct MockRegistry;
impl Registry<AccountId> for MockRegistry {
	fn network(id: NetworkId) -> Option<NetworkTerms> {
		world(|w| w.networks.get(&id).cloned())
	}
	fn is_user(who: &AccountId) -> bool {
		world(|w| w.users.contains(who))
	}
	fn worker(who: &AccountId) -> Option<WorkerTerms<AccountId>> {
		world(|w| w.workers.get(who).cloned())
	}
	fn member_count(network: NetworkId) -> u32 {
		world(|w| w.members.get(&network).map(|m| m.len() as u32).unwrap_or(0))
	}
	fn member_at(network: NetworkId, index: u32) -> Option<AccountId> {
		world(|w| w.members.get(&network).and_then(|m| m.get(index as usize).copied()))
	}
	fn attached_workers(validator: &AccountId) -> Vec<AccountId> {
		world(|w| {
			w.workers.iter().filter(|(_, t)| t.validator == *validator).map(|(a, _)| *a).collect()
		})
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_network() -> NetworkId {
		world(|w| {
			let id = w.networks.len() as NetworkId;
			w.networks.insert(
				id,
				NetworkTerms {
					kind: JobKind::Wasm,
					min_reputation: 0,
					price_floor: 0,
					retired: false,
				},
			);
			id
		})
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_worker(who: &AccountId, identity: [u8; 32], payout: EthAddress, network: NetworkId) {
		world(|w| {
			w.workers.insert(
				*who,
				WorkerTerms {
					identity,
					payout,
					capacity: capacity(u32::MAX),
					validator: 1,
					endpoint: Vec::new(),
				},
			);
			w.members.entry(network).or_default().push(*who);
		});
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_attach(who: &AccountId, validator: &AccountId) {
		world(|w| {
			if let Some(t) = w.workers.get_mut(who) {
				t.validator = *validator;
			}
		});
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_user(who: &AccountId) {
		world(|w| w.users.insert(*who));
	}
}

pub struct MockAudits;
impl OnJobCompleted for MockAudits {
	fn on_completed(id: JobId) {
		world(|w| w.completed.push(id));
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

pub struct MockReputation;
impl Reputation<AccountId> for MockReputation {
	fn score(_: Role, who: &AccountId) -> Score {
		world(|w| w.scores.get(who).copied().unwrap_or(5_000))
	}
	fn is_blacklisted(_: Role, who: &AccountId) -> bool {
		world(|w| w.blacklisted.contains(who))
	}
	fn note_success(_: Role, who: &AccountId) {
		world(|w| w.successes.push(*who));
	}
	fn note_fault(_: Role, who: &AccountId, fault: Fault) -> bool {
		world(|w| w.faults.push((*who, fault)));
		false
	}
}

pub struct MockBooks;
impl ContributionRecorder for MockBooks {
	fn note_contribution(worker: &EthAddress, units: u128) {
		world(|w| w.contributions.push((*worker, units)));
	}
	fn note_job_payment(worker: &EthAddress, amount: Balance) -> Balance {
		world(|w| w.payments.push((*worker, amount)));
		amount * FEE_BPS / 10_000
	}
}

pub struct MockRandomness;
impl Randomness<H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let seed = world(|w| w.seed);
		let block = System::block_number();
		(H256(sp_io::hashing::blake2_256(&codec::Encode::encode(&(seed, block, subject)))), block)
	}
}

parameter_types! {
	pub const MaxLimits: Limits = Limits { fuel: 10 * FUEL, memory_mib: 4_096, time_ms: 60_000 };
}

/// No limit unless a test sets one.
pub struct HookWeight;
impl frame_support::traits::Get<Weight> for HookWeight {
	fn get() -> Weight {
		world(|w| w.hook_weight).unwrap_or(Weight::MAX)
	}
}

impl pallet_jobs::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = MockRegistry;
	type Validators = MockSet;
	type Reputation = MockReputation;
	type Contributions = MockBooks;
	type OnCompleted = MockAudits;
	type Randomness = MockRandomness;
	type MaxReplicas = ConstU32<5>;
	type MaxReassignments = ConstU32<3>;
	type MaxUriLen = ConstU32<64>;
	type MaxLimits = MaxLimits;
	type MaxDeadline = ConstU64<1_000>;
	type ResultWindow = ConstU64<WINDOW>;
	type RevealWindow = ConstU64<REVEAL>;
	type MillisecsPerBlock = ConstU64<6_000>;
	type MaxWorkerLoad = ConstU32<2>;
	type MaxJobsPerUser = ConstU32<6>;
	type MaxPendingJobs = ConstU32<8>;
	type MaxPendingPerUser = ConstU32<4>;
	type MaxAssignmentAttempts = frame_support::traits::ConstU8<3>;
	type MaxHookWeight = HookWeight;
	type MaxAssignmentsPerBlock = ConstU32<4>;
	type MaxAssignmentScan = ConstU32<16>;
	type MaxTimersPerBlock = ConstU32<16>;
	type Retention = ConstU64<RETENTION>;
	type JobDeposit = ConstU128<DEPOSIT>;
	type WeightInfo = ();
}

pub struct ExtBuilder {
	workers: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { workers: 5 }
	}
}

impl ExtBuilder {
	pub fn workers(mut self, n: u64) -> Self {
		self.workers = n;
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		WORLD.with(|w| *w.borrow_mut() = World::default());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![(USER, 1_000_000), (POOR_USER, 50), (STRANGER, 1_000_000)],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			world(|w| {
				w.networks.insert(
					NET,
					NetworkTerms {
						kind: JobKind::Wasm,
						min_reputation: 1_000,
						price_floor: 100,
						retired: false,
					},
				);
				w.users.insert(USER);
				w.users.insert(POOR_USER);
			});
			for who in 1..=self.workers {
				add_worker(who, NET, 1_024);
			}
		});
		ext
	}

	/// The externalities with a keystore, for the benchmarks' worker keys.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn build_bench(self) -> sp_io::TestExternalities {
		let mut ext = self.build();
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext
	}

	/// Runs `test` and checks the pallet's invariants afterwards.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Jobs::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Runs blocks up to `n`, with the pallet's hook, checking invariants at each.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Jobs::on_initialize(next);
		Jobs::do_try_state().expect("invariants hold at every block");
	}
}

/// The salt worker `who` commits with.
pub fn salt(who: AccountId) -> [u8; 32] {
	[who as u8; 32]
}

/// `worker`'s commitment to `(output, fuel)` for job `id`.
pub fn commitment(worker: AccountId, id: JobId, output: H256, fuel: u64) -> H256 {
	result_commitment(id, &identity(worker).public().0, &output, fuel, &salt(worker))
}

/// `key`'s signature over `commitment` for job `id`.
pub fn sign(key: AccountId, id: JobId, commitment: H256) -> [u8; 64] {
	identity(key).sign(&commit_payload(&Jobs::genesis_hash(), id, &commitment)).0
}

pub fn events() -> Vec<pallet_jobs::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Jobs(e) = r.event { Some(e) } else { None })
		.collect()
}
