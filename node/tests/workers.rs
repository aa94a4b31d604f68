//! Workers as operators run them, against the `local` chain: four validator nodes and three
//! `smartnodes-worker` processes on loopback, each attached to a different validator whose
//! off-chain worker orders its jobs, relays its signed commitments and reveals, and challenges
//! it every minute. A user submits jobs from files through the CLI's library and fetches the
//! output from a worker, checked against the agreed hash.
//!
//! - a job runs on three replicas, completes with payment, and its output is fetched from a
//!   worker and checked; the replica that lies (a worker started with `--fault wrong-output`)
//!   is struck;
//! - a worker killed in the middle of a long job is replaced, and the job completes before its
//!   deadline;
//! - the killed worker stops answering challenges and loses reputation for it, while the live
//!   ones pass.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{
	worker::{hash_chain_input, open_network_and_fund, serve, Worker},
	*,
};
use serde_json::{json, Value};
use smartnodes_cli::{user, Client, Error};
use smartnodes_runtime::{AccountId, Runtime};
use sp_core::{crypto::Pair as _, H256};
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
/// Hash-chain rounds of the long job: some seconds of work, so a replica can be killed mid-run.
const LONG: u32 = 1_000_000_000;

fn standing(client: &Client, who: &AccountId) -> Value {
	client.rpc("smartnodes_standing", json!([who.to_string()])).unwrap()["worker"].clone()
}

/// Waits until job `id` is final (completed, failed or cancelled) and returns it.
fn settled(client: &Client, id: u64, timeout: Duration) -> Value {
	let mut job = Value::Null;
	wait_until(timeout, &format!("job {id} is final"), || {
		job = user::status(client, id).unwrap();
		user::is_final(&job)
	});
	job
}

fn replica_of<'a>(job: &'a Value, who: &AccountId) -> Option<&'a Value> {
	job["replicas"].as_array()?.iter().find(|r| r["worker"] == who.to_string())
}

#[test]
fn workers_run_jobs_lies_are_struck_dead_workers_are_replaced_and_lose_reputation() {
	// Kept on failure (or with `KEEP_TEST_DIR=1`): the nodes' and workers' logs, for a post-mortem.
	let test_dir = TestDir::new("smartnodes-workers-");
	let dir = test_dir.path();
	let [alice, bob, charlie, _dave] = start_local_validators(dir);
	wait_until(3 * MINUTE, "the local chain finalizes", || alice.finalized_number() >= 1);

	open_network_and_fund(&alice, &["Worker1", "Worker2", "Worker3"]);

	// Three workers, each attached to a different validator; the third lies.
	let mut workers = vec![
		Worker::start(dir, "Worker1", &alice, "Alice", false),
		Worker::start(dir, "Worker2", &bob, "Bob", false),
		Worker::start(dir, "Worker3", &charlie, "Charlie", true),
	];
	wait_until(MINUTE, "three workers stand in network 0", || {
		alice.rpc("smartnodes_networkWorkers", json!([0])).as_array().is_some_and(|w| w.len() == 3)
	});

	let files = serve(vec![
		("/hash_chain.wasm".into(), smartnodes_worker::examples::HASH_CHAIN.to_vec()),
		("/short".into(), hash_chain_input(100_000)),
		("/long".into(), hash_chain_input(LONG)),
	]);
	std::fs::write(dir.join("hash_chain.wasm"), smartnodes_worker::examples::HASH_CHAIN).unwrap();
	std::fs::write(dir.join("short"), hash_chain_input(100_000)).unwrap();
	std::fs::write(dir.join("long"), hash_chain_input(LONG)).unwrap();
	let job_file = |name: &str, input: &str, replication: u8, fuel: u64, time_ms: u32| {
		let path = dir.join(name);
		let job = json!({
			"network": 0,
			"code": {"file": "hash_chain.wasm", "uri": format!("{files}/hash_chain.wasm")},
			"input": {"file": input, "uri": format!("{files}/{input}")},
			"replication": replication,
			"limits": {"fuel": fuel, "memoryMib": 64, "timeMs": time_ms},
			"deadlineBlocks": 100,
			"maxPayment": "3"
		});
		std::fs::write(&path, job.to_string()).unwrap();
		path
	};

	// The user: Eve, through the CLI's library.
	let client = Client::new(format!("http://127.0.0.1:{}", alice.rpc_port));
	let eve = user::signer("//Eve").unwrap();
	user::register_user(&client, &eve).unwrap();
	// Refusals are reported by the pallet error's name.
	match user::register_user(&client, &eve) {
		Err(Error::Dispatch(message)) => assert_eq!(message, "registry.UserAlreadyRegistered"),
		other => panic!("expected a dispatch error, got {other:?}"),
	}
	match user::submit(&client, &eve, &job_file("nine.json", "short", 9, 1_000, 1_000)) {
		Err(Error::Dispatch(message)) => assert_eq!(message, "jobs.BadReplication"),
		other => panic!("expected a dispatch error, got {other:?}"),
	}

	// 1. Three replicas; the liar is outvoted and struck, the others are paid.
	let submitted = Instant::now();
	let id = user::submit(&client, &eve, &job_file("a.json", "short", 3, 1_000_000_000, 10_000))
		.unwrap();
	let job = settled(&client, id, 2 * MINUTE);
	eprintln!(
		"[measure] submit to completion, 3 replicas: {:.1} s",
		submitted.elapsed().as_secs_f32()
	);
	assert_eq!(job["status"], "completed", "{job}");
	let expected = smartnodes_example_jobs::hash_chain(&hash_chain_input(100_000));
	assert_eq!(job["outputHash"], json!(H256(sp_io::hashing::blake2_256(&expected))));
	for worker in &workers[..2] {
		let replica = replica_of(&job, &worker.account).unwrap();
		assert_eq!(replica["state"], "paid", "{job}");
	}
	wait_until(MINUTE, "the liar's late reveal is judged", || {
		let job = user::status(&client, id).unwrap();
		replica_of(&job, &workers[2].account).is_some_and(|r| r["state"] == "wrong")
	});
	for worker in &workers {
		eprintln!("{}: {}", worker.name, standing(&client, &worker.account));
	}
	let liar = standing(&client, &workers[2].account);
	assert_eq!((liar["score"].as_u64(), liar["strikes"].as_u64()), (Some(4_500), Some(1)));
	// The user fetches the output from a worker and checks it against the agreed hash.
	assert_eq!(user::fetch_output(&client, id).unwrap(), expected);
	let jobs = client.rpc("smartnodes_jobsOf", json!([eve.public().to_string()])).unwrap();
	assert_eq!(jobs.as_array().unwrap().len(), 1);
	match user::status(&client, 99) {
		Err(Error::Usage(message)) => assert!(message.contains("no job 99"), "{message}"),
		other => panic!("expected a usage error, got {other:?}"),
	}

	// 2. The liar comes back honest. A long job: one of its replicas is killed mid-run.
	workers[2].restart_honest();
	let id = user::submit(&client, &eve, &job_file("b.json", "long", 2, 100_000_000_000, 40_000))
		.unwrap();
	wait_until(MINUTE, "the long job is assigned", || {
		user::status(&client, id).unwrap()["status"] == "running"
	});
	let job = user::status(&client, id).unwrap();
	let victim = workers
		.iter()
		.position(|w| replica_of(&job, &w.account).is_some())
		.expect("a replica on one of ours");
	wait_until(MINUTE, "the victim is running the job", || {
		workers[victim].job_state(id).as_deref() == Some("running")
	});
	workers[victim].kill();
	let killed_at = Instant::now();
	let job = settled(&client, id, 5 * MINUTE);
	eprintln!(
		"[measure] kill to completion by a replacement: {:.1} s",
		killed_at.elapsed().as_secs_f32()
	);
	assert_eq!(job["status"], "completed", "{job}");
	assert!(job["deadline"].as_u64().unwrap() >= job["settledAt"].as_u64().unwrap_or(0));
	let dead = &workers[victim].account;
	// Its slot went to the one worker that had not run the job.
	let replacement =
		workers.iter().find(|w| w.account != *dead && replica_of(&job, &w.account).is_some());
	assert!(replacement.is_some(), "{job}");
	assert!(replica_of(&job, dead).is_none(), "the dead worker's slot was reassigned: {job}");
	let paid = job["replicas"].as_array().unwrap().iter().filter(|r| r["state"] == "paid").count();
	assert_eq!(paid, 2, "{job}");

	// 3. The dead worker misses its challenges; the live ones pass theirs.
	let before = standing(&client, dead)["score"].as_u64().unwrap();
	wait_until(3 * MINUTE, "the dead worker fails a challenge", || {
		standing(&client, dead)["score"].as_u64().unwrap() < before
	});
	// Worker1 or Worker2: honest from the start (Worker3 lied in job 1).
	let live = workers[..2].iter().find(|w| w.account != *dead).unwrap();
	let key = pallet_audits::LastChallenged::<Runtime>::hashed_key_for(&live.account);
	wait_until(2 * MINUTE, "a live worker passes a challenge", || {
		alice.storage::<u32>(&key).is_some()
	});
	let live_standing = standing(&client, &live.account);
	assert!(live_standing["score"].as_u64().unwrap() >= 5_000, "{live_standing}");
}
