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
);

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
