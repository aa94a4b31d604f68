//! Chain specs. Each names a genesis preset of the runtime; the genesis state itself lives only
//! in `runtime/src/genesis_config_presets.rs`.

use sc_service::ChainType;
use smartnodes_primitives::currency::{DECIMALS, SYMBOL};
use smartnodes_runtime::{genesis_config_presets::GENESIS_PRESET, WASM_BINARY};

/// A chain spec of this runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), SYMBOL.into());
	properties.insert("tokenDecimals".into(), DECIMALS.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn spec(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the wasm runtime was not built".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// One validator (Alice) that produces blocks at once.
pub fn development() -> Result<ChainSpec, String> {
	spec(
		"Smartnodes Development",
		"smartnodes_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// Four validators on one machine (Alice, Bob, Charlie, Dave).
pub fn local_testnet() -> Result<ChainSpec, String> {
	spec(
		"Smartnodes Local Testnet",
		"smartnodes_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// The whitepaper's three genesis validators, no sudo.
pub fn genesis() -> Result<ChainSpec, String> {
	spec("Smartnodes", "smartnodes", ChainType::Live, GENESIS_PRESET)
}
