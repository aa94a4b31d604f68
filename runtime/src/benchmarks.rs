//! The pallets whose weights the runtime benchmarks.

use crate::*;

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_validators, Validators]
	[pallet_rewards, Rewards]
	[pallet_coordinator, Coordinator]
	[pallet_registry, Registry]
	[pallet_jobs, Jobs]
	[pallet_reputation, Reputation]
	[pallet_audits, Audits]
	[pallet_bridge, Bridge]
);

/// Validators and workers for the compute pallets' benchmarks.
pub struct ComputeBenchmarkHelper;
impl pallet_registry::BenchmarkHelper<AccountId> for ComputeBenchmarkHelper {
	fn make_validator(who: &AccountId) {
		pallet_validators::Candidates::<Runtime>::mutate(|candidates| {
			if !candidates.contains(who) {
				let _ = candidates.try_push(who.clone());
			}
		});
	}
}
impl pallet_reputation::BenchmarkHelper<AccountId> for ComputeBenchmarkHelper {
	/// A worker in as many networks as it may join, so the blacklist hook has the most lists
	/// to leave.
	fn prepare_party(role: smartnodes_primitives::compute::Role, who: &AccountId) {
		use smartnodes_primitives::compute::Registry as _;
		if role != smartnodes_primitives::compute::Role::Worker {
			return;
		}
		let networks =
			<<Runtime as pallet_registry::Config>::MaxNetworksPerWorker as sp_core::Get<u32>>::get(
			);
		let identity: [u8; 32] = *who.as_ref();
		for _ in 0..networks {
			let network = Registry::bench_network();
			Registry::bench_worker(who, identity, sp_core::H160::repeat_byte(1), network);
		}
	}
}

/// Registers real session keys (with their ownership proof) for benchmark accounts.
pub struct ValidatorsBenchmarkHelper;
impl pallet_validators::BenchmarkHelper<AccountId> for ValidatorsBenchmarkHelper {
	fn register_session_keys(who: &AccountId) {
		use codec::Encode;
		use frame_support::traits::fungible::Mutate;
		let generated = SessionKeys::generate(&who.encode(), None);
		let _ = Balances::mint_into(who, 10 * SNO);
		let origin = frame_system::RawOrigin::Signed(who.clone()).into();
		// Benchmark setup: a failure here means the benchmark itself is broken.
		#[allow(clippy::expect_used)]
		Session::set_keys(origin, generated.keys, generated.proof.encode())
			.expect("freshly generated keys with their proof are accepted; qed");
	}
}
