//! Jobs per minute the `local` network sustains with three workers, and the time from
//! `submit_job` to completion, measured with real processes on loopback: four validator nodes
//! (debug builds, as the tests run them) and three `smartnodes-worker` processes, each attached
//! to a different validator. A user submits `JOBS` small hash-chain jobs at once (for 1 and then
//! 3 replicas) and the bench waits for every one to settle. Prints a Markdown table.
//!
//! `cargo build -p smartnodes-worker && cargo bench --profile dev -p smartnodes-node --bench
//! throughput` (as `scripts/bench` runs it); `JOBS` sets the batch size (default 48).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::{
	start_local_validators, wait_until,
	worker::{hash_chain_input, open_network_and_fund, serve, Worker},
};
use serde_json::{json, Value};
use smartnodes_cli::{user, Client};
use std::time::{Duration, Instant};

fn main() {
	let jobs: u64 = std::env::var("JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(48);
	let dir = tempfile::tempdir().unwrap();
	let dir = dir.path();
	let [alice, bob, charlie, _dave] = start_local_validators(dir);
	wait_until(Duration::from_secs(180), "the local chain finalizes", || {
		alice.finalized_number() >= 1
	});
	open_network_and_fund(&alice, &["Worker1", "Worker2", "Worker3"]);
	let _workers = [
		Worker::start(dir, "Worker1", &alice, "Alice", false),
		Worker::start(dir, "Worker2", &bob, "Bob", false),
		Worker::start(dir, "Worker3", &charlie, "Charlie", false),
	];
	let files = serve(vec![
		("/hash_chain.wasm".into(), smartnodes_worker::examples::HASH_CHAIN.to_vec()),
		("/input".into(), hash_chain_input(1_000_000)),
	]);
	std::fs::write(dir.join("hash_chain.wasm"), smartnodes_worker::examples::HASH_CHAIN).unwrap();
	std::fs::write(dir.join("input"), hash_chain_input(1_000_000)).unwrap();
	let client = Client::new(format!("http://127.0.0.1:{}", alice.rpc_port));
	let eve = user::signer("//Eve").unwrap();
	user::register_user(&client, &eve).unwrap();

	println!(
		"| replicas | jobs | wall time | jobs per minute | submit to settled (median, max) | not completed |"
	);
	println!("| --- | --- | --- | --- | --- | --- |");
	let mut next_id = 0;
	for replication in [1u8, 3] {
		let path = dir.join(format!("job-{replication}.json"));
		let job = json!({
			"network": 0,
			"code": {"file": "hash_chain.wasm", "uri": format!("{files}/hash_chain.wasm")},
			"input": {"file": "input", "uri": format!("{files}/input")},
			"replication": replication,
			"limits": {"fuel": 1_000_000_000, "memoryMib": 16, "timeMs": 10_000},
			"deadlineBlocks": 600,
			"maxPayment": "0.1"
		});
		std::fs::write(&path, job.to_string()).unwrap();
		let best = client.best_number().unwrap();
		let start = Instant::now();
		for _ in 0..jobs {
			let spec = smartnodes_cli::job::load(&path, best).unwrap();
			let call =
				smartnodes_runtime::RuntimeCall::Jobs(pallet_jobs::Call::submit_job { spec });
			client.submit(&eve, call).unwrap();
		}
		let ids: Vec<u64> = (next_id..next_id + jobs).collect();
		next_id += jobs;
		let mut done: Vec<Value> = Vec::new();
		wait_until(Duration::from_secs(1_800), "every job settled", || {
			done = ids.iter().filter_map(|id| user::status(&client, *id).ok()).collect();
			done.len() == ids.len() && done.iter().all(user::is_final)
		});
		let wall = start.elapsed();
		let completed = done.iter().filter(|j| j["status"] == "completed").count();
		let mut blocks: Vec<u64> = done
			.iter()
			.map(|j| j["settledAt"].as_u64().unwrap() - j["submittedAt"].as_u64().unwrap())
			.collect();
		blocks.sort_unstable();
		// Why the others ended as they did: each job that did not complete, by status and reason.
		let mut others = std::collections::BTreeMap::<String, usize>::new();
		for job in done.iter().filter(|j| j["status"] != "completed") {
			let reason = job["failure"].as_str().unwrap_or("no reason");
			*others
				.entry(format!("{} ({reason})", job["status"].as_str().unwrap_or("?")))
				.or_default() += 1;
		}
		let others = if others.is_empty() {
			"none".to_string()
		} else {
			others.iter().map(|(what, n)| format!("{n} {what}")).collect::<Vec<_>>().join(", ")
		};
		println!(
			"| {replication} | {completed} of {jobs} completed | {:.0} s | {:.1} | {} and {} blocks ({} and {} s) | {others} |",
			wall.as_secs_f64(),
			completed as f64 * 60.0 / wall.as_secs_f64(),
			blocks[blocks.len() / 2],
			blocks[blocks.len() - 1],
			blocks[blocks.len() / 2] * 6,
			blocks[blocks.len() - 1] * 6,
		);
	}
}
