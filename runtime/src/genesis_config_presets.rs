//! Genesis presets: the only place the chain's initial state is defined. The node's chain specs
//! name one of these.
//!
//! - `development` (`--dev`): Alice alone, producing at once; short sessions; Alice is sudo.
//! - `local_testnet` (`--chain local`): Alice, Bob, Charlie and Dave bonded, so one can fail and
//!   the other three (over 2/3) still finalize; short sessions; Alice is sudo.
//! - `genesis`: the whitepaper's three genesis validators with 1,000,000 SNO each, bonded; hour
//!   long sessions, 30-day unbonding, and no sudo key. Its validator keys derive from public
//!   seeds, so it is a public testnet genesis: a production launch replaces them with the
//!   operators' own keys.

use crate::{
	configs::EXISTENTIAL_DEPOSIT, AccountId, AuditsConfig, BabeConfig, Balance, BalancesConfig,
	BridgeConfig, CoordinatorConfig, RewardsConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, ValidatorsConfig, BABE_GENESIS_EPOCH_CONFIG, DAYS, HOURS, MINUTES,
	SNO,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use smartnodes_primitives::bridge_key::BridgeId;
use sp_authority_discovery::AuthorityId as AuthorityDiscoveryId;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::get_public_from_string_or_panic, ecdsa, ed25519, sr25519};
use sp_genesis_builder::{self, PresetId};
use sp_runtime::{traits::IdentifyAccount, MultiSigner, Perbill, Permill};

/// Name of the preset with the whitepaper's genesis validators.
pub const GENESIS_PRESET: &str = "genesis";

/// Collateral to join the set: 1,000,000 SNO.
pub const DEFAULT_COLLATERAL: Balance = 1_000_000 * SNO;
/// Share of collateral slashed for an offence.
pub const DEFAULT_SLASH_FRACTION: Perbill = Perbill::from_percent(10);

/// Protocol fee on job payments: 2.5%.
pub const DEFAULT_PROTOCOL_FEE_BPS: u16 = 250;

/// The Base chain the commitments are signed for: Base Sepolia's id, which the project's local
/// Anvil uses too.
pub const BASE_CHAIN_ID: u64 = 84_532;

/// Where `contracts/script/Deploy.s.sol` puts the reward distributor and the DAO's timelock (the
/// treasury) on a fresh Anvil (deployer: Anvil's first account), so the dev and local chains sign
/// for the contracts `scripts/localnet` deploys. A launch on a public Base sets its own with
/// `coordinator.set_base_target` and `rewards.set_treasury_address`.
pub const LOCAL_DISTRIBUTOR: [u8; 20] =
	hex_literal::hex!("e7f1725e7734ce288f8367e1bb143e90bb3f0512");
pub const LOCAL_TREASURY: [u8; 20] = hex_literal::hex!("5fbdb2315678afecb367f032d93f642f64180aa3");
/// The `SmartnodesDAO` the same deployment makes (its `ChainDecision` events reach the chain).
pub const LOCAL_DAO: [u8; 20] = hex_literal::hex!("9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");

/// Chain-wide timing of a preset.
struct Timing {
	session_length: u64,
	unbonding_period: u32,
	state_update_interval: u32,
	challenge_period: u32,
	audit_rate: Permill,
	/// Base blocks on top of a deposit or decision before validators attest it.
	base_confirmations: u32,
}

/// Dev and local chains rotate every minute, update state every two and challenge workers every
/// minute, so joining, leaving, reward rounds and challenges can be watched in tests; a tenth of
/// their jobs is audited; Base events are attested after 2 blocks.
const FAST: Timing = Timing {
	session_length: MINUTES as u64,
	unbonding_period: 2 * MINUTES,
	state_update_interval: 2 * MINUTES,
	challenge_period: MINUTES,
	audit_rate: Permill::from_percent(10),
	base_confirmations: 2,
};
/// Production timing: hour-long sessions, 30 days of unbonding, 8-hour state updates, a challenge
/// every 10 minutes, 1% of jobs re-executed, and Base events attested after 300 blocks.
const PRODUCTION: Timing = Timing {
	session_length: HOURS as u64,
	unbonding_period: 30 * DAYS,
	state_update_interval: 8 * HOURS,
	challenge_period: 10 * MINUTES,
	audit_rate: Permill::from_percent(1),
	// Ten minutes of 2-second Base blocks.
	base_confirmations: 300,
};

/// The account and session keys derived from `//<seed>`, as `--alice` and friends insert them.
pub fn authority_keys(seed: &str) -> (AccountId, SessionKeys) {
	let account =
		MultiSigner::from(get_public_from_string_or_panic::<sr25519::Public>(seed)).into_account();
	let keys = SessionKeys {
		babe: BabeId::from(get_public_from_string_or_panic::<sr25519::Public>(seed)),
		grandpa: GrandpaId::from(get_public_from_string_or_panic::<ed25519::Public>(seed)),
		authority_discovery: AuthorityDiscoveryId::from(get_public_from_string_or_panic::<
			sr25519::Public,
		>(seed)),
		bridge: BridgeId::from(get_public_from_string_or_panic::<ecdsa::Public>(seed)),
	};
	(account, keys)
}

/// The account derived from `//<seed>`.
pub fn account(seed: &str) -> AccountId {
	authority_keys(seed).0
}

fn testnet_genesis(
	validators: Vec<(AccountId, SessionKeys)>,
	endowed: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
	timing: Timing,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		validators: ValidatorsConfig {
			session_length: timing.session_length,
			collateral_amount: DEFAULT_COLLATERAL,
			unbonding_period: timing.unbonding_period,
			slash_fraction: DEFAULT_SLASH_FRACTION,
			validators: validators
				.iter()
				.map(|(who, _)| (who.clone(), DEFAULT_COLLATERAL))
				.collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(who, keys)| (who.clone(), who, keys))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
		rewards: RewardsConfig {
			treasury: sp_core::H160(LOCAL_TREASURY),
			protocol_fee_bps: DEFAULT_PROTOCOL_FEE_BPS,
		},
		audits: AuditsConfig {
			audit_rate: timing.audit_rate,
			challenge_period: timing.challenge_period,
		},
		coordinator: CoordinatorConfig {
			state_update_interval: timing.state_update_interval,
			base_chain_id: BASE_CHAIN_ID,
			distributor: sp_core::H160(LOCAL_DISTRIBUTOR),
		},
		bridge: BridgeConfig {
			settings: pallet_bridge::BaseSettings {
				dao: sp_core::H160(LOCAL_DAO),
				confirmations: timing.base_confirmations,
				start_block: 0,
			},
		},
	})
}

/// Every named account gets a bond's worth plus 100,000 SNO for fees.
fn endow(validators: &[(AccountId, SessionKeys)], others: &[&str]) -> Vec<(AccountId, Balance)> {
	let mut endowed: Vec<_> = validators
		.iter()
		.map(|(who, _)| (who.clone(), DEFAULT_COLLATERAL + 100_000 * SNO))
		.collect();
	// Test accounts may become validators later, so they can afford a bond too.
	endowed.extend(others.iter().map(|name| (account(name), DEFAULT_COLLATERAL + 100_000 * SNO)));
	debug_assert!(endowed.iter().all(|(_, b)| *b >= EXISTENTIAL_DEPOSIT));
	endowed
}

fn development_config_genesis() -> Value {
	let validators = vec![authority_keys("Alice")];
	let endowed = endow(&validators, &["Bob", "Charlie", "Dave", "Eve", "Ferdie"]);
	testnet_genesis(validators, endowed, Some(account("Alice")), FAST)
}

fn local_config_genesis() -> Value {
	let validators: Vec<_> =
		["Alice", "Bob", "Charlie", "Dave"].into_iter().map(authority_keys).collect();
	let endowed = endow(&validators, &["Eve", "Ferdie"]);
	testnet_genesis(validators, endowed, Some(account("Alice")), FAST)
}

fn genesis_config_genesis() -> Value {
	let validators: Vec<_> = ["SmartnodesGenesis1", "SmartnodesGenesis2", "SmartnodesGenesis3"]
		.into_iter()
		.map(authority_keys)
		.collect();
	let endowed = endow(&validators, &[]);
	testnet_genesis(validators, endowed, None, PRODUCTION)
}

/// The JSON of a preset, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		GENESIS_PRESET => genesis_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(alloc::string::String::into_bytes)
}

/// The presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(GENESIS_PRESET),
	]
}
