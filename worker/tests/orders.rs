//! Which orders a worker works on, given what `smartnodes_job` says (decoded from the JSON the
//! node serves).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::json;
use smartnodes_primitives::{
	compute::{JobKind, Limits},
	dispatch::{Fetch, JobOrder},
	AccountId,
};
use smartnodes_worker::chain::{refuse_order, ChainJob};
use sp_core::{crypto::Pair as _, sr25519, H256};

fn account(suri: &str) -> AccountId {
	sr25519::Pair::from_string(suri, None).unwrap().public().into()
}

fn order() -> JobOrder {
	JobOrder {
		job: 5,
		worker: codec::Encode::encode(&account("//Alice")),
		network: 0,
		kind: JobKind::Wasm,
		code: Fetch { hash: H256::repeat_byte(1), uri: b"http://x/code".to_vec() },
		input: Fetch { hash: H256::repeat_byte(2), uri: b"http://x/input".to_vec() },
		limits: Limits { fuel: 1_000, memory_mib: 16, time_ms: 500 },
		expires_at: 40,
	}
}

/// Job 5 as the node's RPC shows it, with `edit` applied to the JSON.
fn on_chain(edit: impl FnOnce(&mut serde_json::Value)) -> ChainJob {
	let mut job = json!({
		"id": 5,
		"owner": "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
		"network": 0,
		"kind": "wasm",
		"codeHash": H256::repeat_byte(1),
		"codeUri": "http://x/code",
		"inputHash": H256::repeat_byte(2),
		"inputUri": "http://x/input",
		"replication": 2,
		"fuel": 1_000,
		"memoryMib": 16,
		"timeMs": 500,
		"deadline": 100,
		"maxPayment": "1000",
		"escrow": "1000",
		"status": "running",
		"failure": null,
		"outputHash": null,
		"fuelUsed": null,
		"revealing": false,
		"submittedAt": 3,
		"settledAt": null,
		"replicas": [
			{ "worker": "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", "payout": "0x0000000000000000000000000000000000000001", "assignedAt": 4, "expiresAt": 40, "state": "waiting", "outputHash": null, "fuelUsed": null, "paid": null },
			{ "worker": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "payout": "0x0000000000000000000000000000000000000002", "assignedAt": 4, "expiresAt": 40, "state": "waiting", "outputHash": null, "fuelUsed": null, "paid": null }
		]
	});
	edit(&mut job);
	serde_json::from_value(job).unwrap()
}

#[test]
fn an_order_assigned_on_chain_is_taken() {
	let alice = account("//Alice");
	let job = on_chain(|_| {});
	assert_eq!(job.replica_of(&alice).unwrap().expires_at, 40);
	assert_eq!(refuse_order(&order(), Some(&job), &alice), None);
}

#[test]
fn an_order_the_chain_does_not_back_is_refused() {
	let alice = account("//Alice");
	let why = |job: Option<&ChainJob>| refuse_order(&order(), job, &alice).unwrap();
	assert!(why(None).contains("not on chain"));
	assert!(why(Some(&on_chain(|j| j["status"] = json!("completed")))).contains("completed"));
	assert!(why(Some(&on_chain(|j| j["replicas"][1]["state"] = json!("committed"))))
		.contains("committed"));
	assert!(why(Some(&on_chain(|j| {
		j["replicas"].as_array_mut().unwrap().pop();
	})))
	.contains("no replica"));
	assert!(why(Some(&on_chain(|j| j["codeHash"] = json!(H256::repeat_byte(9))))).contains("hash"));
	assert!(why(Some(&on_chain(|j| j["inputHash"] = json!(H256::repeat_byte(9))))).contains("hash"));
	assert!(why(Some(&on_chain(|j| j["fuel"] = json!(1_000_000)))).contains("limits"));
	// The same replica, assigned again (the first assignment was on a fork, or lapsed).
	assert!(why(Some(&on_chain(|j| j["replicas"][1]["expiresAt"] = json!(52))))
		.contains("expires at block 40, job 5's replica for this worker at 52"));
	// Charlie has no replica.
	assert!(refuse_order(&order(), Some(&on_chain(|_| {})), &account("//Charlie")).is_some());
}
