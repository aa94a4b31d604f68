//! A test runtime with the audits pallet. The validators, registry, completed jobs, reputation
//! and reward books are thread-local stand-ins the tests drive and inspect; the runtime tests
//! use the real ones.

use crate as pallet_audits;
use codec::Encode;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks, Randomness},
};
use smartnodes_primitives::{
	bridge_key::{eth_address, EthAddress},
	compute::{
		Capacity, CompletedJob, CompletedJobs, Fault, JobId, JobKind, Limits, NetworkId,
		NetworkTerms, Registry, Reputation, Role, Score, WorkerTerms,
	},
	ledger::{ContributionRecorder, SigningSet},
	rewards::eth_signature,
	Balance,
};
use sp_core::{ecdsa, ed25519, Pair, H256};
use sp_runtime::{BuildStorage, Permill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Extrinsic = sp_runtime::testing::TestXt<RuntimeCall, ()>;

/// Validators 1..=4; workers 11.. attached to validator 1 unless a test says otherwise.
pub const VALIDATORS: [AccountId; 4] = [1, 2, 3, 4];
pub const WINDOW: u64 = 10;
pub const PERIOD: u64 = 20;
pub const CREDIT: u128 = 7;
pub const STEPS: u32 = 8;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Audits: pallet_audits,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl frame_system::offchain::CreateTransactionBase<pallet_audits::Call<Test>> for Test {
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}
impl frame_system::offchain::CreateTransaction<pallet_audits::Call<Test>> for Test {
	type Extension = ();
	fn create_transaction(call: RuntimeCall, _: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, ())
	}
}
impl frame_system::offchain::CreateAuthorizedTransaction<pallet_audits::Call<Test>> for Test {
	fn create_extension() {}
}

#[derive(Default)]
pub struct World {
	pub set: Vec<(AccountId, EthAddress)>,
	pub workers: BTreeMap<AccountId, WorkerTerms<AccountId>>,
	pub jobs: BTreeMap<JobId, CompletedJob<AccountId>>,
	pub faults: Vec<(AccountId, Fault)>,
	pub contributions: Vec<(EthAddress, u128)>,
	pub seed: u8,
}

thread_local! {
	pub static WORLD: RefCell<World> = RefCell::new(World::default());
}

pub fn world<R>(f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| f(&mut w.borrow_mut()))
}

/// The bridge key of validator `v`.
pub fn bridge(v: AccountId) -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&seed(v))
}

pub fn seed(v: AccountId) -> [u8; 32] {
	let mut seed = [9u8; 32];
	seed[..8].copy_from_slice(&v.to_le_bytes());
	seed
}

pub fn address(v: AccountId) -> EthAddress {
	eth_address(&bridge(v).public().0).unwrap()
}

/// Signs `digest` with validator `v`'s bridge key as its node would.
pub fn sign(v: AccountId, digest: &H256) -> [u8; 65] {
	eth_signature(bridge(v).sign_prehashed(&digest.0).0)
}

/// The identity key of worker `who`.
pub fn identity(who: AccountId) -> ed25519::Pair {
	let mut seed = [5u8; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	ed25519::Pair::from_seed(&seed)
}

pub fn payout(who: AccountId) -> EthAddress {
	EthAddress::from_low_u64_be(0xbb00 + who)
}

pub fn capacity() -> Capacity {
	Capacity { cpu_cores: 4, memory_mib: 2_048, gpu: None }
}

/// Registers worker `who`, attached to `validator`.
pub fn add_worker(who: AccountId, validator: AccountId) {
	world(|w| {
		w.workers.insert(
			who,
			WorkerTerms {
				identity: identity(who).public().0,
				payout: payout(who),
				capacity: capacity(),
				validator,
				endpoint: format!("http://worker-{who}").into_bytes(),
			},
		)
	});
}

/// A completed job paid to `workers`.
pub fn complete(id: JobId, workers: &[AccountId]) -> CompletedJob<AccountId> {
	let job = CompletedJob {
		id,
		network: 0,
		kind: JobKind::Wasm,
		code_hash: H256::repeat_byte(1),
		code_uri: b"http://files/code.wasm".to_vec(),
		input_hash: H256::repeat_byte(2),
		input_uri: b"http://files/input".to_vec(),
		limits: Limits { fuel: 1_000, memory_mib: 16, time_ms: 1_000 },
		output_hash: H256::repeat_byte(3),
		fuel_used: 400,
		workers: workers.to_vec(),
	};
	world(|w| w.jobs.insert(id, job.clone()));
	job
}

pub struct MockSet;
impl SigningSet<AccountId> for MockSet {
	fn signing_set() -> (u64, Vec<(AccountId, EthAddress)>) {
		world(|w| (0, w.set.clone()))
	}
	fn reward_address(_: &AccountId) -> Option<EthAddress> {
		None
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_signing_set(_: u64, signers: Vec<(AccountId, EthAddress)>) {
		world(|w| w.set = signers);
	}
}

pub struct MockRegistry;
impl Registry<AccountId> for MockRegistry {
	fn network(_: NetworkId) -> Option<NetworkTerms> {
		None
	}
	fn is_user(_: &AccountId) -> bool {
		false
	}
	fn worker(who: &AccountId) -> Option<WorkerTerms<AccountId>> {
		world(|w| w.workers.get(who).cloned())
	}
	fn member_count(_: NetworkId) -> u32 {
		0
	}
	fn member_at(_: NetworkId, _: u32) -> Option<AccountId> {
		None
	}
	fn attached_workers(validator: &AccountId) -> Vec<AccountId> {
		world(|w| {
			w.workers.iter().filter(|(_, t)| t.validator == *validator).map(|(a, _)| *a).collect()
		})
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_network() -> NetworkId {
		0
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_worker(who: &AccountId, _: [u8; 32], _: EthAddress, _: NetworkId) {
		add_worker(*who, 1);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_attach(who: &AccountId, validator: &AccountId) {
		add_worker(*who, *validator);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_user(_: &AccountId) {}
}

pub struct MockJobs;
impl CompletedJobs<AccountId> for MockJobs {
	fn completed_job(id: JobId) -> Option<CompletedJob<AccountId>> {
		world(|w| w.jobs.get(&id).cloned())
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_completed(id: JobId, _: AccountId, workers: Vec<AccountId>) {
		complete(id, &workers);
	}
}

pub struct MockReputation;
impl Reputation<AccountId> for MockReputation {
	fn score(_: Role, _: &AccountId) -> Score {
		5_000
	}
	fn is_blacklisted(_: Role, _: &AccountId) -> bool {
		false
	}
	fn note_success(_: Role, _: &AccountId) {}
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
	fn note_job_payment(_: &EthAddress, amount: Balance) -> Balance {
		amount
	}
}

/// Randomness the tests choose: every byte is `World::seed`.
pub struct MockRandomness;
impl Randomness<H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let seed = world(|w| w.seed);
		let mut out = sp_io::hashing::blake2_256(&(seed, subject).encode());
		if seed == 0 {
			// Seed zero: a roll of zero (always audited) and the first candidate.
			out = [0; 32];
		}
		(H256(out), System::block_number())
	}
}

parameter_types! {
	pub const MaxOpenAudits: u32 = 4;
}

impl pallet_audits::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Validators = MockSet;
	type Registry = MockRegistry;
	type Jobs = MockJobs;
	type Reputation = MockReputation;
	type Contributions = MockBooks;
	type Randomness = MockRandomness;
	type MaxUriLen = ConstU32<64>;
	type MaxWorkers = ConstU32<5>;
	type AuditWindow = ConstU64<WINDOW>;
	type MaxOpenAudits = MaxOpenAudits;
	type MaxSamplesPerBlock = ConstU32<3>;
	type MaxExpiriesPerBlock = ConstU32<2>;
	type MaxChallengeReport = ConstU32<4>;
	type ChallengeSteps = ConstU32<STEPS>;
	type ChallengeCredit = ConstU128<CREDIT>;
	type UnsignedPriority = ConstU64<{ u64::MAX / 2 }>;
	type WeightInfo = ();
}

pub struct ExtBuilder {
	pub rate: Permill,
	pub period: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { rate: Permill::one(), period: PERIOD }
	}
}

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		WORLD.with(|w| *w.borrow_mut() = World::default());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_audits::GenesisConfig::<Test> {
			audit_rate: self.rate,
			challenge_period: self.period,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			world(|w| w.set = VALIDATORS.iter().map(|v| (*v, address(*v))).collect());
		});
		ext
	}

	/// With a keystore, for the benchmarks' generated bridge keys.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn build_bench(self) -> sp_io::TestExternalities {
		let mut ext = self.build();
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext
	}

	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Audits::do_try_state().unwrap();
		});
	}
}

/// Runs the hooks of the blocks up to `n`, checking the invariants after each.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Audits::on_initialize(next);
		Audits::do_try_state().unwrap();
	}
}

pub fn events() -> Vec<pallet_audits::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Audits(e) => Some(e),
			_ => None,
		})
		.collect()
}
