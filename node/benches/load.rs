//! A load test with real processes: four `local` validators and three workers; `USERS` users
//! (default 6) each submit a small hash-chain job every `EVERY_MS` (default 3,000 ms, replication
//! 1 and 3 in turn) for `LOAD_SECONDS` (default 120), without waiting for inclusion, as busy dApps do.
//! Then every job must settle. Prints jobs per minute submitted, accepted on chain, completed,
//! and the refusals and failures by reason, and exits non-zero if anything was lost: a
//! transaction the pool took that was never included, one included that neither made a job nor
//! failed its dispatch with a reason, or a job that did not end completed, refunded or failed
//! with a reason.
//!
//! `cargo build -p smartnodes-worker && cargo bench --profile dev -p smartnodes-node --bench load`
//! (as `scripts/bench load` runs it).

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
use sp_core::crypto::{Pair as _, Ss58Codec};
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

fn env(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What one user did: the transactions the pool took, and the pool's refusals.
#[derive(Default)]
struct Sent {
	pooled: Vec<smartnodes_runtime::UncheckedExtrinsic>,
	refused: BTreeMap<String, u64>,
}

fn main() {
	let users = env("USERS", 6);
	let every = Duration::from_millis(env("EVERY_MS", 3_000));
	let window = Duration::from_secs(env("LOAD_SECONDS", 120));
	let dir = tempfile::tempdir().unwrap();
	let dir = dir.path();
	let [alice, bob, charlie, _dave] = start_local_validators(dir);
	wait_until(Duration::from_secs(180), "the local chain finalizes", || {
		alice.finalized_number() >= 1
	});
	let names: Vec<String> = (1..=users).map(|i| format!("Load{i}")).collect();
	let mut funded: Vec<&str> = vec!["Worker1", "Worker2", "Worker3"];
	funded.extend(names.iter().map(String::as_str));
	open_network_and_fund(&alice, &funded);
	let _workers = [
		Worker::start(dir, "Worker1", &alice, "Alice", false),
		Worker::start(dir, "Worker2", &bob, "Bob", false),
		Worker::start(dir, "Worker3", &charlie, "Charlie", false),
	];
	let files = serve(vec![
		("/hash_chain.wasm".into(), smartnodes_worker::examples::HASH_CHAIN.to_vec()),
		("/input".into(), hash_chain_input(200_000)),
	]);
	std::fs::write(dir.join("hash_chain.wasm"), smartnodes_worker::examples::HASH_CHAIN).unwrap();
	std::fs::write(dir.join("input"), hash_chain_input(200_000)).unwrap();
	for replication in [1u8, 3] {
		let job = json!({
			"network": 0,
			"code": {"file": dir.join("hash_chain.wasm"), "uri": format!("{files}/hash_chain.wasm")},
			"input": {"file": dir.join("input"), "uri": format!("{files}/input")},
			"replication": replication,
			"limits": {"fuel": 1_000_000_000, "memoryMib": 16, "timeMs": 10_000},
			"deadlineBlocks": 300,
			"maxPayment": "0.1"
		});
		std::fs::write(dir.join(format!("job-{replication}.json")), job.to_string()).unwrap();
	}
	let rpc = format!("http://127.0.0.1:{}", alice.rpc_port);
	let signers: Vec<_> = names.iter().map(|n| user::signer(&format!("//{n}")).unwrap()).collect();
	for signer in &signers {
		user::register_user(&Client::new(&rpc), signer).unwrap();
	}

	eprintln!("[load] {users} users, a job each every {every:?}, for {window:?}");
	let first_block = Client::new(&rpc).best_number().unwrap();
	let start = Instant::now();
	let sent: Vec<Sent> = std::thread::scope(|scope| {
		let handles: Vec<_> = signers
			.iter()
			.map(|signer| {
				let (rpc, dir) = (rpc.clone(), dir.to_path_buf());
				scope.spawn(move || {
					let client = Client::new(&rpc);
					let mut sent = Sent::default();
					let mut n = 0u64;
					while start.elapsed() < window {
						let replication = if n.is_multiple_of(2) { 1 } else { 3 };
						n += 1;
						let path = dir.join(format!("job-{replication}.json"));
						let spec = smartnodes_cli::job::load(&path, client.best_number().unwrap())
							.unwrap();
						let call =
							smartnodes_runtime::RuntimeCall::Jobs(pallet_jobs::Call::submit_job {
								spec,
							});
						match client.submit(signer, call) {
							Ok(xt) => sent.pooled.push(xt),
							Err(e) => *sent.refused.entry(e.to_string()).or_default() += 1,
						}
						std::thread::sleep(every);
					}
					sent
				})
			})
			.collect();
		handles.into_iter().map(|h| h.join().unwrap()).collect()
	});
	let submitting = start.elapsed();
	let pooled: Vec<_> = sent.iter().flat_map(|s| s.pooled.iter().cloned()).collect();

	// Every job of every user, once all settled.
	let client = Client::new(&rpc);
	let jobs_of = |who: &sp_core::sr25519::Pair| -> Vec<Value> {
		let account = who.public().to_ss58check();
		let mut all: Vec<Value> = Vec::new();
		loop {
			let after = all.last().and_then(|j| j["id"].as_u64());
			let page = client.rpc("smartnodes_jobsOf", json!([account, after, 100])).unwrap();
			let page = page.as_array().cloned().unwrap_or_default();
			if page.is_empty() {
				return all;
			}
			all.extend(page);
		}
	};
	// Every transaction the pool took is included, and each either made a job or failed its
	// dispatch with a pallet error (the chain refusing a job it cannot serve, say); every job
	// then settles.
	let mut jobs: Vec<Value> = Vec::new();
	let mut found = vec![None; pooled.len()];
	let mut next_block = first_block;
	wait_until(Duration::from_secs(1_800), "every submission is included and settled", || {
		next_block = client.find_included(next_block, &pooled, &mut found).unwrap();
		jobs = signers.iter().flat_map(jobs_of).collect();
		found.iter().all(Option::is_some) && jobs.iter().all(user::is_final)
	});
	let total = start.elapsed();
	let mut dispatch_failed: BTreeMap<String, u64> = BTreeMap::new();
	for (block, index) in found.iter().flatten() {
		if let Err(e) = client.outcome(*block, *index) {
			*dispatch_failed.entry(e.to_string()).or_default() += 1;
		}
	}
	let made_jobs = pooled.len() as u64 - dispatch_failed.values().sum::<u64>();
	let pooled = pooled.len() as u64;

	let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
	for job in &jobs {
		let status = job["status"].as_str().unwrap_or("?").to_string();
		let key = match job["failure"].as_str() {
			Some(reason) => format!("{status} ({reason})"),
			None => status,
		};
		*outcomes.entry(key).or_default() += 1;
	}
	let completed = outcomes.get("completed").copied().unwrap_or(0);
	let minutes = |d: Duration| d.as_secs_f64() / 60.0;
	let mut blocks: Vec<u64> = jobs
		.iter()
		.map(|j| j["settledAt"].as_u64().unwrap() - j["submittedAt"].as_u64().unwrap())
		.collect();
	blocks.sort_unstable();

	println!("| measure | value |");
	println!("| --- | --- |");
	println!(
		"| users, pace | {users} users, one job each every {} ms, {} s |",
		every.as_millis(),
		window.as_secs()
	);
	println!(
		"| submitted (taken by the pool) | {pooled} ({:.1} per minute) |",
		pooled as f64 / minutes(submitting)
	);
	let mut refused: BTreeMap<&str, u64> = BTreeMap::new();
	for (reason, count) in sent.iter().flat_map(|s| s.refused.iter()) {
		*refused.entry(reason).or_default() += count;
	}
	for (reason, count) in &refused {
		println!("| refused by the pool | {count}: {reason} |");
	}
	for (reason, count) in &dispatch_failed {
		println!("| refused on chain | {count}: {reason} |");
	}
	println!(
		"| accepted on chain | {} ({:.1} per minute of submission) |",
		jobs.len(),
		jobs.len() as f64 / minutes(submitting)
	);
	println!(
		"| completed | {completed} ({:.1} per minute, until the last settled) |",
		completed as f64 / minutes(total)
	);
	for (outcome, count) in &outcomes {
		if outcome != "completed" {
			println!("| {outcome} | {count} |");
		}
	}
	println!(
		"| submit to settlement | median {} blocks, max {} blocks |",
		blocks[blocks.len() / 2],
		blocks[blocks.len() - 1]
	);
	println!("| wall time | {:.0} s |", total.as_secs_f64());

	// Nothing lost: every transaction the pool took was included and made a job or was refused
	// with a reason, and every job ended in a final state with a reason when it did not complete.
	assert_eq!(jobs.len() as u64, made_jobs, "a submitted job never reached the chain");
	for job in &jobs {
		let status = job["status"].as_str().unwrap_or("?");
		assert!(
			status == "completed" || job["failure"].is_string() || status == "refunded",
			"job {} ended {status} without a reason",
			job["id"]
		);
	}
	println!("| lost | 0 |");
}
