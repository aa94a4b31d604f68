//! The `local` chain with real node processes on loopback: four validators produce and finalize
//! blocks, pass a reward period by a 2/3 vote that the reward distributor on Base (Anvil)
//! accepts and pays a claim from, survive a crash, and a fifth account bonds, joins and becomes
//! an authority while another leaves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use codec::{Decode, Encode};
use common::*;
use serde_json::json;
use smartnodes_runtime::{
	genesis_config_presets::{
		authority_keys, DEFAULT_COLLATERAL, LOCAL_DISTRIBUTOR, LOCAL_TREASURY,
	},
	AccountId, Runtime, RuntimeCall, SessionKeys,
};
use sp_core::crypto::Pair as _;
use std::time::Duration;

type ValidatorSet = Vec<AccountId>;

fn active_set(node: &Node) -> ValidatorSet {
	node.storage::<ValidatorSet>(&pallet_session::Validators::<Runtime>::hashed_key())
		.unwrap_or_default()
}

fn grandpa_authorities(node: &Node) -> Vec<sp_consensus_grandpa::AuthorityId> {
	node.runtime_call::<sp_consensus_grandpa::AuthorityList>("GrandpaApi_grandpa_authorities", &[])
		.into_iter()
		.map(|(id, _)| id)
		.collect()
}

fn babe_authorities(node: &Node) -> Vec<sp_consensus_babe::AuthorityId> {
	node.runtime_call::<sp_consensus_babe::Epoch>("BabeApi_current_epoch", &[])
		.authorities
		.into_iter()
		.map(|(id, _)| id)
		.collect()
}

#[test]
fn local_network_finalizes_survives_a_crash_and_rotates_validators() {
	let test_dir = TestDir::new("smartnodes-local-");
	let dir = test_dir.path();
	let minute = Duration::from_secs(60);

	// Four `local` validators.
	let [alice, bob, charlie, mut dave] = start_local_validators(dir);
	let boot = alice.multiaddr();
	let all = [&alice, &bob, &charlie];

	wait_until(3 * minute, "every validator sees block 3 finalized", || {
		all.iter().all(|n| n.finalized_number() >= 3) && dave.finalized_number() >= 3
	});
	assert_eq!(active_set(&alice).len(), 4);
	reward_period_passes_and_base_pays_it(&alice);

	// One validator crashes: three of four are more than 2/3, so finality goes on.
	dave.kill();
	let before = alice.finalized_number();
	wait_until(2 * minute, "finality advances by 5 blocks without dave", || {
		alice.finalized_number() >= before + 5
	});

	// It restarts on its database and catches up with nothing lost.
	let target = alice.finalized_number();
	dave.restart();
	wait_until(2 * minute, "dave catches up with the finalized chain", || {
		dave.finalized_number() >= target
	});
	for height in [1, before, target] {
		assert_eq!(dave.block_hash(height), alice.block_hash(height), "block {height} differs");
	}

	// A fifth account bonds, sets session keys, joins, and becomes an authority.
	let eve = Node::start(dir, "eve", "local", false, Some(&boot));
	let eve_pair = dev_pair("Eve");
	let eve_account: AccountId = eve_pair.public().into();
	let generated = eve.rpc(
		"author_rotateKeysWithOwner",
		json!([format!("0x{}", hex::encode(eve_account.encode()))]),
	);
	let keys =
		SessionKeys::decode(&mut &from_hex(generated["keys"].as_str().unwrap())[..]).unwrap();
	let proof =
		from_hex(generated["proof"].as_str().expect("the runtime returns an ownership proof"));

	alice.submit(
		&eve_pair,
		RuntimeCall::Session(pallet_session::Call::set_keys { keys: keys.clone(), proof }),
	);
	wait_until(minute, "eve's keys are registered", || {
		alice
			.storage::<SessionKeys>(&pallet_session::NextKeys::<Runtime>::hashed_key_for(
				&eve_account,
			))
			.is_some()
	});
	alice.submit(
		&eve_pair,
		RuntimeCall::Validators(pallet_validators::Call::bond { amount: DEFAULT_COLLATERAL }),
	);
	alice.submit(&eve_pair, RuntimeCall::Validators(pallet_validators::Call::join {}));
	wait_until(minute, "eve is a candidate", || {
		alice
			.storage::<Vec<AccountId>>(&pallet_validators::Candidates::<Runtime>::hashed_key())
			.unwrap_or_default()
			.contains(&eve_account)
	});
	wait_until(5 * minute, "eve is a BABE and GRANDPA authority", || {
		active_set(&alice).contains(&eve_account)
			&& grandpa_authorities(&alice).contains(&keys.grandpa)
			&& babe_authorities(&alice).contains(&keys.babe)
	});
	let with_eve = alice.finalized_number();
	wait_until(2 * minute, "five validators finalize", || alice.finalized_number() >= with_eve + 3);

	// Bob leaves and drops out of the set at a session boundary.
	let bob_pair = dev_pair("Bob");
	let bob_account: AccountId = bob_pair.public().into();
	let bob_grandpa = grandpa_authorities(&alice);
	alice.submit(&bob_pair, RuntimeCall::Validators(pallet_validators::Call::leave {}));
	wait_until(5 * minute, "bob is out of the active set and the authorities", || {
		!active_set(&alice).contains(&bob_account) && grandpa_authorities(&alice).len() == 4
	});
	assert_eq!(bob_grandpa.len(), 5);
	let without_bob = alice.finalized_number();
	wait_until(2 * minute, "the new set finalizes", || alice.finalized_number() >= without_bob + 3);
}

/// Period 1 closes at block 20; the validators' off-chain workers build its table, the drawn
/// proposers propose it and the others vote until 2/3 signed. Base then checks those very
/// signatures, and the treasury claims its share with the proof the node serves.
fn reward_period_passes_and_base_pays_it(alice: &Node) {
	let passed_key = pallet_coordinator::Passed::<Runtime>::hashed_key_for(1u64);
	wait_until(Duration::from_secs(240), "period 1's reward root passes", || {
		alice.storage::<pallet_coordinator::PassedUpdateOf<Runtime>>(&passed_key).is_some()
	});
	let passed: pallet_coordinator::PassedUpdateOf<Runtime> = alice.storage(&passed_key).unwrap();
	let validators: Vec<_> = ["Alice", "Bob", "Charlie", "Dave"]
		.into_iter()
		.map(|n| authority_keys(n).1.bridge.eth_address().unwrap())
		.collect();
	assert!(passed.signatures.len() >= 3, "2/3 of four is three");
	assert!(passed.signers.iter().all(|s| validators.contains(s)));

	let base = common::base::Base::start();
	assert_eq!(base.distributor, format!("0x{}", hex::encode(LOCAL_DISTRIBUTOR)));
	let c = &passed.commitment;
	let commitment = format!(
		"({},0x{},{},{:?},{},{})",
		c.chain_id,
		hex::encode(c.distributor),
		c.period,
		c.root,
		c.total,
		c.validator_set_id
	);
	let signatures: Vec<String> =
		passed.signatures.iter().map(|s| format!("0x{}", hex::encode(s))).collect();
	let submit = "submitRoot((uint256,address,uint64,bytes32,uint256,uint64),bytes[])";
	// One signature short of 2/3 is refused...
	let short = format!("[{}]", signatures[..2].join(","));
	let refused = base.send(&base.distributor, submit, &[&commitment, &short]).unwrap_err();
	assert!(refused.contains("InsufficientSignatures"), "{refused}");
	// ...the chain's own are accepted.
	let all = format!("[{}]", signatures.join(","));
	base.send(&base.distributor, submit, &[&commitment, &all])
		.expect("Base accepts the signatures the chain stored");
	assert_eq!(base.call(&base.distributor, "lastPeriod()(uint64)", &[]), "1");

	let treasury = format!("0x{}", hex::encode(LOCAL_TREASURY));
	let mut proof = serde_json::Value::Null;
	wait_until(Duration::from_secs(60), "the root is finalized and served", || {
		alice.try_rpc("smartnodes_rewardProof", json!([treasury])).map(|p| proof = p).is_ok()
	});
	assert_eq!(proof["root"].as_str().unwrap(), format!("{:?}", c.root));
	assert_eq!(proof["included"], json!(true));
	let amount = proof["cumulativeAmount"].as_str().unwrap().to_string();
	let siblings: Vec<&str> =
		proof["proof"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
	let siblings = format!("[{}]", siblings.join(","));
	base.send(
		&base.distributor,
		"claim(address,uint256,bytes32[])",
		&[&treasury, &amount, &siblings],
	)
	.expect("the proof the node serves is accepted");
	assert_eq!(base.call(&base.token, "balanceOf(address)(uint256)", &[&treasury]), amount);
}
