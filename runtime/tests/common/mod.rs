//! Helpers shared by the runtime's integration tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use smartnodes_runtime::{genesis_config_presets, RuntimeGenesisConfig};

/// Applies a preset's JSON patch to the default genesis, as `sc-chain-spec` does.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The genesis state of `preset`.
pub fn ext(preset: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&preset.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).unwrap(),
		)
		.expect("preset builds");
	});
	ext
}

/// Moves the test to block `n` as a chain would reach it: its parent's hash is kept in
/// `frame_system::BlockHash` (here a stand-in, as no block is sealed), which mortal transactions
/// born there, such as the off-chain workers' authorized ones, are checked against.
pub fn set_block(n: u32) {
	use smartnodes_runtime::{Runtime, System};
	let parent = n.saturating_sub(1);
	if !frame_system::BlockHash::<Runtime>::contains_key(parent) {
		let stand_in = sp_core::H256(sp_io::hashing::blake2_256(&parent.to_le_bytes()));
		frame_system::BlockHash::<Runtime>::insert(parent, stand_in);
	}
	System::set_block_number(n);
}
