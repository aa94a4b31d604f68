//! A user's job end to end against a real dev node, through the `smartnodes` client library the
//! CLI wraps: register, submit from a job file, follow, and fetch the output from the workers'
//! endpoint with its hash checked. The workers are registered on chain with real ed25519
//! identities; until the worker program exists, this test signs their commitments and relays
//! them and the reveals the way a validator's off-chain worker does (authorized, fee-free
//! transactions).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use codec::Encode;
use common::{dev_pair, wait_until, Node};
use frame_support::BoundedVec;
use frame_system::offchain::CreateAuthorizedTransaction;
use serde_json::{json, Value};
use smartnodes_cli::{user, Client, Error};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{commit_payload, result_commitment, Capacity, JobKind},
};
use smartnodes_runtime::{AccountId, Runtime, RuntimeCall, SNO};
use sp_core::{crypto::Pair as _, ed25519, H256};
use std::{
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	time::Duration,
};

const WORKERS: [&str; 3] = ["Bob", "Charlie", "Dave"];
const OUTPUT: &[u8] = b"42 is the answer\n";

fn identity(name: &str) -> ed25519::Pair {
	ed25519::Pair::from_string(&format!("//{name}//identity"), None).unwrap()
}

/// A loopback HTTP server answering `GET /v1/jobs/<id>/output` with `OUTPUT` for job 0, and
/// 404 otherwise, as a worker's result endpoint does.
fn serve_outputs() -> u16 {
	let listener = TcpListener::bind("127.0.0.1:0").unwrap();
	let port = listener.local_addr().unwrap().port();
	std::thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			let mut request = String::new();
			let mut reader = BufReader::new(&stream);
			let _ = reader.read_line(&mut request);
			let mut writer = &stream;
			let response = if request.starts_with("GET /v1/jobs/0/output ") {
				let mut head =
					format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", OUTPUT.len())
						.into_bytes();
				head.extend_from_slice(OUTPUT);
				head
			} else {
				b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()
			};
			let _ = writer.write_all(&response);
		}
	});
	port
}

fn relay(node: &Node, call: pallet_jobs::Call<Runtime>) {
	let xt = <Runtime as CreateAuthorizedTransaction<pallet_jobs::Call<Runtime>>>::create_authorized_transaction(
		RuntimeCall::Jobs(call),
	);
	node.rpc("author_submitExtrinsic", json!([format!("0x{}", hex::encode(xt.encode()))]));
}

fn commit(node: &Node, id: u64, worker: &str, output: H256, fuel: u64) {
	let genesis = H256::from_slice(&common::from_hex(node.block_hash(0).unwrap().as_str()));
	let key = identity(worker);
	let commitment = result_commitment(id, &key.public().0, &output, fuel, &[7; 32]);
	let signature = key.sign(&commit_payload(&genesis, id, &commitment)).0;
	let who: AccountId = dev_pair(worker).public().into();
	relay(node, pallet_jobs::Call::commit_result { id, worker: who, commitment, signature });
}

fn reveal(node: &Node, id: u64, worker: &str, output: H256, fuel: u64) {
	let who: AccountId = dev_pair(worker).public().into();
	relay(
		node,
		pallet_jobs::Call::reveal_result {
			id,
			worker: who,
			output_hash: output,
			fuel_used: fuel,
			salt: [7; 32],
		},
	);
}

#[test]
fn a_user_submits_follows_and_fetches_a_verified_result() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(dir.path(), "alice", "dev", true, None);
	let client = Client::new(format!("http://127.0.0.1:{}", node.rpc_port));
	let port = serve_outputs();

	// Governance opens a network; three workers register against Alice, the dev validator.
	let create = RuntimeCall::Registry(pallet_registry::Call::create_network {
		name: BoundedVec::truncate_from(b"wasm".to_vec()),
		kind: JobKind::Wasm,
		min_reputation: 0,
		min_capacity: Capacity { cpu_cores: 1, memory_mib: 128, gpu: None },
		price_floor: SNO / 100,
	});
	node.submit(
		&dev_pair("Alice"),
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(create) }),
	);
	wait_until(Duration::from_secs(60), "the network exists", || {
		node.rpc("smartnodes_networks", json!([])).as_array().is_some_and(|n| n.len() == 1)
	});
	let alice: AccountId = dev_pair("Alice").public().into();
	for (i, name) in WORKERS.iter().enumerate() {
		node.submit(
			&dev_pair(name),
			RuntimeCall::Registry(pallet_registry::Call::register_worker {
				identity: identity(name).public().0,
				endpoint: BoundedVec::truncate_from(
					format!("http://127.0.0.1:{port}").into_bytes(),
				),
				capacity: Capacity { cpu_cores: 2, memory_mib: 1_024, gpu: None },
				payout: EthAddress::repeat_byte(i as u8 + 1),
				networks: BoundedVec::truncate_from(vec![0]),
				validator: alice.clone(),
			}),
		);
	}
	wait_until(Duration::from_secs(60), "three workers stand in network 0", || {
		node.rpc("smartnodes_networkWorkers", json!([0])).as_array().is_some_and(|w| w.len() == 3)
	});

	// The user: Eve, registered through the client.
	let eve = user::signer("//Eve").unwrap();
	user::register_user(&client, &eve).unwrap();
	let standing = client.rpc("smartnodes_standing", json!([eve.public().to_string()])).unwrap();
	assert!(standing["userSince"].is_u64(), "{standing}");
	// A second registration fails with the pallet's error, named.
	match user::register_user(&client, &eve) {
		Err(Error::Dispatch(message)) => assert_eq!(message, "registry.UserAlreadyRegistered"),
		other => panic!("expected a dispatch error, got {other:?}"),
	}

	std::fs::write(dir.path().join("code.wasm"), b"\0asm\x01\0\0\0").unwrap();
	std::fs::write(dir.path().join("input.bin"), b"6 7").unwrap();
	let job = |replication: u8| {
		json!({
			"network": 0,
			"code": {"file": "code.wasm", "uri": format!("http://127.0.0.1:{port}/code.wasm")},
			"input": {"file": "input.bin", "uri": format!("http://127.0.0.1:{port}/input.bin")},
			"replication": replication,
			"limits": {"fuel": 1_000_000, "memoryMib": 64, "timeMs": 5_000},
			"deadlineBlocks": 60,
			"maxPayment": "3"
		})
	};
	std::fs::write(dir.path().join("too-many.json"), job(9).to_string()).unwrap();
	match user::submit(&client, &eve, &dir.path().join("too-many.json")) {
		Err(Error::Dispatch(message)) => assert_eq!(message, "jobs.BadReplication"),
		other => panic!("expected a dispatch error, got {other:?}"),
	}
	std::fs::write(dir.path().join("job.json"), job(3).to_string()).unwrap();
	let id = user::submit(&client, &eve, &dir.path().join("job.json")).unwrap();
	assert_eq!(id, 0);

	wait_until(Duration::from_secs(60), "the job is assigned", || {
		user::status(&client, id).unwrap()["status"] == "running"
	});
	let job = user::status(&client, id).unwrap();
	assert_eq!(job["codeHash"], json!(H256(sp_io::hashing::blake2_256(b"\0asm\x01\0\0\0"))));
	let output = H256(sp_io::hashing::blake2_256(OUTPUT));
	let assigned: Vec<&str> = job["replicas"]
		.as_array()
		.unwrap()
		.iter()
		.map(|replica| {
			WORKERS
				.into_iter()
				.find(|n| {
					let who: AccountId = dev_pair(n).public().into();
					replica["worker"] == who.to_string()
				})
				.unwrap()
		})
		.collect();
	for worker in &assigned {
		commit(&node, id, worker, output, 400_000);
	}
	wait_until(Duration::from_secs(60), "every replica committed", || {
		user::status(&client, id).unwrap()["revealing"] == true
	});
	for worker in &assigned {
		reveal(&node, id, worker, output, 400_000);
	}

	let mut seen = Vec::new();
	let last = user::follow(&client, id, Duration::from_millis(500), |job| {
		seen.push(job["status"].as_str().unwrap_or_default().to_string());
	})
	.unwrap();
	assert_eq!(last["status"], "completed");
	assert_eq!(last["outputHash"], json!(output));
	assert_eq!(last["fuelUsed"], 400_000);
	// 3 SNO for three replicas, 40% of the fuel each: 0.4 SNO per worker, 1.8 SNO back.
	let paid: Vec<Value> =
		last["replicas"].as_array().unwrap().iter().map(|r| r["paid"].clone()).collect();
	assert_eq!(paid, vec![json!((4 * SNO / 10).to_string()); 3]);
	assert!(seen.contains(&"completed".to_string()), "{seen:?}");

	let bytes = user::fetch_output(&client, id).unwrap();
	assert_eq!(bytes, OUTPUT);
	let jobs = client.rpc("smartnodes_jobsOf", json!([eve.public().to_string()])).unwrap();
	assert_eq!(jobs.as_array().unwrap().len(), 1);
	// Unknown jobs are a clear error.
	match user::status(&client, 99) {
		Err(Error::Usage(message)) => assert!(message.contains("no job 99"), "{message}"),
		other => panic!("expected a usage error, got {other:?}"),
	}
}
