//! The `local` chain with real node processes on loopback: four validators produce and finalize
//! blocks, survive a crash, and a fifth account bonds, joins and becomes an authority while
//! another leaves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use codec::{Decode, Encode};
use common::*;
use serde_json::json;
use smartnodes_runtime::{
	genesis_config_presets::DEFAULT_COLLATERAL, AccountId, Runtime, RuntimeCall, SessionKeys,
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
	let dir = tempfile::tempdir().unwrap();
	let dir = dir.path();
	let minute = Duration::from_secs(60);

	// Four `local` validators.
	let alice = Node::start(dir, "alice", "local", true, None);
	let boot = alice.multiaddr();
	let bob = Node::start(dir, "bob", "local", true, Some(&boot));
	let charlie = Node::start(dir, "charlie", "local", true, Some(&boot));
	let mut dave = Node::start(dir, "dave", "local", true, Some(&boot));
	let all = [&alice, &bob, &charlie];

	wait_until(3 * minute, "every validator sees block 3 finalized", || {
		all.iter().all(|n| n.finalized_number() >= 3) && dave.finalized_number() >= 3
	});
	assert_eq!(active_set(&alice).len(), 4);

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
