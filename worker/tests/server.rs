//! The daemon over HTTP, on loopback, with a node URL nothing answers at: everything a worker
//! does without asking the chain, and the clear refusals where it would have to.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use codec::{Decode, Encode};
use common::{config, hash, request};
use smartnodes_primitives::{
	compute::{commit_payload, JobKind, Limits},
	dispatch::{
		challenge_answer, challenge_payload, Challenge, ChallengeReply, CommitReply, Fetch,
		JobOrder, MAX_CHALLENGE_STEPS,
	},
};
use smartnodes_worker::{
	chain::{Chain, ChainJob, ChainReplica, ChainWorker, RpcChain},
	config::{measured_capacity, Config},
	daemon::Daemon,
	examples,
	store::{Progress, Record, State, Store},
};
use sp_core::{crypto::Pair as _, ed25519, sr25519, H256};
use std::{
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

const GENESIS: H256 = H256::repeat_byte(0x42);

/// A daemon on its own runtime, so the test thread can make blocking requests to it.
struct Running {
	runtime: tokio::runtime::Runtime,
	daemon: Daemon,
	url: String,
}

fn start(config: Config) -> Running {
	let chain = Arc::new(RpcChain::new(&config.node));
	start_on(config, chain)
}

fn start_on(config: Config, chain: Arc<dyn Chain>) -> Running {
	let runtime =
		tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
	let daemon = runtime.block_on(Daemon::start_with(config, chain, GENESIS)).unwrap();
	let url = format!("http://{}", daemon.local_addr());
	Running { runtime, daemon, url }
}

impl Running {
	fn get(&self, path: &str) -> (u16, Vec<u8>) {
		request("GET", &format!("{}{path}", self.url), None)
	}

	fn post(&self, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
		request("POST", &format!("{}{path}", self.url), Some(body))
	}

	fn identity(&self) -> ed25519::Public {
		ed25519::Public::from_raw(self.daemon.worker().identity)
	}

	fn stop(self) {
		let Running { runtime, daemon, .. } = self;
		runtime.block_on(daemon.stop()).unwrap();
	}
}

fn text(body: &[u8]) -> String {
	String::from_utf8_lossy(body).into_owned()
}

fn alice() -> Vec<u8> {
	let account: smartnodes_primitives::AccountId =
		sr25519::Pair::from_string("//Alice", None).unwrap().public().into();
	account.encode()
}

fn order(job: u64, worker: Vec<u8>, code: Fetch, input: Fetch) -> JobOrder {
	JobOrder {
		job,
		worker,
		network: 0,
		kind: JobKind::Wasm,
		code,
		input,
		limits: Limits { fuel: 1_000_000_000, memory_mib: 64, time_ms: 30_000 },
		expires_at: 1_000,
	}
}

fn somewhere() -> Fetch {
	Fetch { hash: H256::repeat_byte(1), uri: b"http://127.0.0.1:1/x".to_vec() }
}

#[test]
fn health_metrics_and_unknown_jobs() {
	let dir = tempfile::tempdir().unwrap();
	let worker = start(config(dir.path()));
	assert_eq!(worker.get("/healthz"), (200, b"ok\n".to_vec()));
	let (status, metrics) = worker.get("/metrics");
	assert_eq!(status, 200);
	let metrics = text(&metrics);
	for name in [
		"jobs_accepted_total",
		"jobs_refused_total{reason=\"malformed\"}",
		"executions_total{outcome=\"failed-deterministically\"}",
		"execution_seconds_bucket",
		"fuel_used_total",
		"fetch_bytes_total",
		"cache_hits_total",
		"cache_misses_total",
		"challenges_answered_total",
		"outputs_served_total",
	] {
		assert!(metrics.contains(&format!("smartnodes_worker_{name}")), "{name} in {metrics}");
	}
	for path in ["/v1/jobs/7", "/v1/jobs/7/commit", "/v1/jobs/7/reveal", "/v1/jobs/7/output"] {
		let (status, body) = worker.get(path);
		assert_eq!(status, 404, "{path}");
		assert!(text(&body).contains("no job 7"), "{path}: {}", text(&body));
	}
	// A web page may read outputs (and why there is none): they are public once completed.
	let response = ureq::get(&format!("{}/v1/jobs/7/output", worker.url)).call();
	let Err(ureq::Error::Status(404, response)) = response else { panic!("404 expected") };
	assert_eq!(response.header("access-control-allow-origin"), Some("*"));
	assert_eq!(worker.get("/v1/jobs/seven").0, 400);
	assert_eq!(worker.get("/v2/anything").0, 404);
	worker.stop();
}

#[test]
fn bad_orders_are_refused_with_reasons() {
	let dir = tempfile::tempdir().unwrap();
	let worker = start(Config { max_body_bytes: 1024, ..config(dir.path()) });

	let (status, body) = worker.post("/v1/jobs", &[1, 2, 3]);
	assert_eq!(status, 400);
	assert!(text(&body).contains("JobOrder"), "{}", text(&body));
	let mut trailing = order(1, alice(), somewhere(), somewhere()).encode();
	trailing.push(0);
	assert_eq!(worker.post("/v1/jobs", &trailing).0, 400);
	assert_eq!(worker.post("/v1/challenge", b"short").0, 400);
	assert_eq!(worker.post("/v1/jobs", &vec![0u8; 4096]).0, 413);
	assert_eq!(worker.post("/v1/challenge", &vec![0u8; 4096]).0, 413);

	let bob = vec![8u8; 32];
	let (status, body) = worker.post("/v1/jobs", &order(1, bob, somewhere(), somewhere()).encode());
	assert_eq!(status, 409);
	assert!(text(&body).contains("is for worker"), "{}", text(&body));

	// Right worker, but the chain cannot be asked whether the job is really assigned here.
	let (status, body) =
		worker.post("/v1/jobs", &order(1, alice(), somewhere(), somewhere()).encode());
	assert_eq!(status, 503);
	assert!(text(&body).contains("cannot ask the node"), "{}", text(&body));
	assert_eq!(worker.get("/v1/jobs/1").0, 404, "a refused order is not kept");

	let metrics = text(&worker.get("/metrics").1);
	assert!(metrics.contains("smartnodes_worker_jobs_refused_total{reason=\"malformed\"} 2"));
	assert!(metrics.contains("smartnodes_worker_jobs_refused_total{reason=\"wrong-worker\"} 1"));
	assert!(metrics.contains("smartnodes_worker_jobs_refused_total{reason=\"node\"} 1"));
	assert!(metrics.contains("smartnodes_worker_jobs_accepted_total 0"));
	assert_eq!(worker.get("/healthz").0, 200, "still serving");
	worker.stop();
}

#[test]
fn challenges_are_answered_and_signed() {
	let dir = tempfile::tempdir().unwrap();
	let worker = start(config(dir.path()));
	let identity = worker.identity();
	for steps in [100, u32::MAX] {
		let challenge = Challenge { nonce: [9; 32], steps };
		let (status, body) = worker.post("/v1/challenge", &challenge.encode());
		assert_eq!(status, 200);
		let reply = ChallengeReply::decode(&mut &body[..]).unwrap();
		assert_eq!(reply.answer, challenge_answer(&challenge, &identity.0));
		assert_eq!(reply.capacity, measured_capacity());
		let payload = challenge_payload(&GENESIS, &challenge.nonce, &reply.answer, &reply.capacity);
		let signature = ed25519::Signature::from_raw(reply.signature);
		assert!(ed25519::Pair::verify(&signature, &payload, &identity));
	}
	let capped = Challenge { nonce: [9; 32], steps: MAX_CHALLENGE_STEPS };
	let reply =
		worker.post("/v1/challenge", &Challenge { nonce: [9; 32], steps: u32::MAX }.encode());
	assert_eq!(
		ChallengeReply::decode(&mut &reply.1[..]).unwrap().answer,
		challenge_answer(&capped, &identity.0)
	);
	assert!(
		text(&worker.get("/metrics").1).contains("smartnodes_worker_challenges_answered_total 3")
	);
	worker.stop();
}

/// Polls job `id`'s commitment until it is no longer running.
fn commitment(worker: &Running, id: u64) -> (u16, Vec<u8>) {
	let started = Instant::now();
	loop {
		let (status, body) = worker.get(&format!("/v1/jobs/{id}/commit"));
		if status != 202 || started.elapsed() > Duration::from_secs(60) {
			return (status, body);
		}
		std::thread::sleep(Duration::from_millis(50));
	}
}

#[test]
fn jobs_left_unfinished_run_after_a_restart_and_results_stay_served() {
	let dir = tempfile::tempdir().unwrap();
	let files = tempfile::tempdir().unwrap();
	let input = 5_000u32.to_le_bytes();
	std::fs::write(files.path().join("sieve.wasm"), examples::SIEVE).unwrap();
	std::fs::write(files.path().join("input"), input).unwrap();
	let file = |name: &str, bytes: &[u8]| Fetch {
		hash: hash(bytes),
		uri: format!("file://{}", files.path().join(name).display()).into_bytes(),
	};
	// What a worker that died left: one job accepted, one running with an input now gone.
	{
		let store = Store::open(dir.path()).unwrap();
		let progress = |state| Progress { state, accepted_at: 1, fetched_at: None };
		let sieve = order(3, alice(), file("sieve.wasm", examples::SIEVE), file("input", &input));
		store.insert(&Record { order: sieve, progress: progress(State::Accepted) }).unwrap();
		let lost = order(4, alice(), file("sieve.wasm", examples::SIEVE), file("gone", b"gone"));
		store.insert(&Record { order: lost, progress: progress(State::Running) }).unwrap();
	}

	let worker = start(config(dir.path()));
	let identity = worker.identity();
	let (status, body) = commitment(&worker, 3);
	assert_eq!(status, 200, "{}", text(&body));
	let reply = CommitReply::decode(&mut &body[..]).unwrap();
	let signature = ed25519::Signature::from_raw(reply.signature);
	assert!(ed25519::Pair::verify(
		&signature,
		commit_payload(&GENESIS, 3, &reply.commitment),
		&identity
	));
	let (status, body) = commitment(&worker, 4);
	assert_eq!(status, 409, "a failed fetch gives no commitment");
	assert!(text(&body).contains("no result"), "{}", text(&body));

	let status: serde_json::Value = serde_json::from_slice(&worker.get("/v1/jobs/3").1).unwrap();
	assert_eq!(status["state"], "done");
	assert_eq!(status["commitment"], serde_json::json!(reply.commitment));
	assert_eq!(
		serde_json::from_slice::<serde_json::Value>(&worker.get("/v1/jobs/4").1).unwrap()["state"],
		"failed"
	);
	// Reveals and outputs wait for the chain's word.
	for path in ["/v1/jobs/3/reveal", "/v1/jobs/3/output"] {
		let (status, body) = worker.get(path);
		assert_eq!(status, 503, "{path}");
		assert!(text(&body).contains("cannot ask the node"), "{path}");
	}
	let metrics = text(&worker.get("/metrics").1);
	assert!(
		metrics.contains("smartnodes_worker_executions_total{outcome=\"done\"} 1"),
		"{metrics}"
	);
	assert!(metrics.contains("smartnodes_worker_executions_total{outcome=\"failed\"} 1"));
	worker.stop();

	let again = start(config(dir.path()));
	assert_eq!(again.identity(), identity, "the identity key is kept");
	let (status, body) = again.get("/v1/jobs/3/commit");
	assert_eq!(status, 200);
	assert_eq!(CommitReply::decode(&mut &body[..]).unwrap(), reply, "the same commitment");
	assert_eq!(again.get("/v1/jobs/4/commit").0, 409);
	again.stop();
}

#[test]
fn outputs_fetched_long_ago_are_collected_a_few_at_a_time() {
	let dir = tempfile::tempdir().unwrap();
	let sealed = |n: u8| smartnodes_worker::store::Sealed {
		output_hash: H256::repeat_byte(n),
		fuel_used: 1,
		salt: [n; 32],
		commitment: H256::repeat_byte(n),
		signature: [n; 64],
		failure: None,
	};
	{
		let store = Store::open(dir.path()).unwrap();
		for (id, fetched_at) in [(1, Some(10)), (2, Some(10)), (3, Some(10)), (4, None)] {
			let progress =
				Progress { state: State::Done(sealed(id as u8)), accepted_at: 1, fetched_at };
			store
				.insert(&Record { order: order(id, alice(), somewhere(), somewhere()), progress })
				.unwrap();
			store.write_output(id, b"output").unwrap();
		}
	}
	let worker = start(config(dir.path()));
	let gc = |max| worker.runtime.block_on(worker.daemon.worker().gc_pass(max));
	assert_eq!(gc(2), 2);
	assert_eq!(gc(2), 1, "the next pass goes on after the last job looked at");
	// Job 4's output was never fetched, and the chain cannot be asked whether it is gone.
	assert_eq!(gc(2), 0);
	assert_eq!(worker.get("/v1/jobs/1/commit").0, 404);
	assert_eq!(worker.get("/v1/jobs/4/commit").0, 200);
	assert!(!dir.path().join("jobs/3").exists());
	assert!(dir.path().join("jobs/4/output").exists());
	worker.stop();
}

/// A chain whose one job the test sets, as the worker's node would show it from whichever fork
/// it follows at the moment.
#[derive(Default)]
struct Forking {
	job: Mutex<Option<ChainJob>>,
}

impl Forking {
	/// Job `order.job`, running, with Alice's replica waiting under `order`'s assignment.
	fn back(&self, order: &JobOrder) {
		*self.job.lock().unwrap() = Some(ChainJob {
			id: order.job,
			status: "running".into(),
			revealing: false,
			output_hash: None,
			code_hash: order.code.hash,
			input_hash: order.input.hash,
			fuel: order.limits.fuel,
			memory_mib: order.limits.memory_mib,
			time_ms: order.limits.time_ms,
			replicas: vec![ChainReplica {
				worker: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into(),
				state: "waiting".into(),
				expires_at: order.expires_at.into(),
				output_hash: None,
			}],
		});
	}
}

impl Chain for Forking {
	fn genesis(&self) -> smartnodes_worker::Result<H256> {
		Ok(GENESIS)
	}

	fn best_number(&self) -> smartnodes_worker::Result<u32> {
		Ok(10)
	}

	fn job(&self, id: u64) -> smartnodes_worker::Result<Option<ChainJob>> {
		Ok(self.job.lock().unwrap().clone().filter(|job| job.id == id))
	}

	fn worker(
		&self,
		_: &smartnodes_primitives::AccountId,
	) -> smartnodes_worker::Result<Option<ChainWorker>> {
		Ok(None)
	}
}

/// The worker's node may show it an assignment from a block that then leaves the best chain
/// (BABE forks at a slot two validators both won), and the chain later assigns the same job to
/// it again with another expiry, or assigns a different job under the same id. The worker
/// follows what the chain backs now instead of holding on to the first order.
#[test]
fn an_order_from_a_fork_gives_way_to_the_one_the_chain_backs() {
	let dir = tempfile::tempdir().unwrap();
	let files = tempfile::tempdir().unwrap();
	let (small, large) = (3_000u32.to_le_bytes(), 5_000u32.to_le_bytes());
	std::fs::write(files.path().join("sieve.wasm"), examples::SIEVE).unwrap();
	std::fs::write(files.path().join("small"), small).unwrap();
	std::fs::write(files.path().join("large"), large).unwrap();
	let file = |name: &str, bytes: &[u8]| Fetch {
		hash: hash(bytes),
		uri: format!("file://{}", files.path().join(name).display()).into_bytes(),
	};
	let chain = Arc::new(Forking::default());
	let worker = start_on(config(dir.path()), chain.clone());
	let executions = |worker: &Running| {
		let metrics = text(&worker.get("/metrics").1);
		let line = metrics
			.lines()
			.find(|l| l.starts_with("smartnodes_worker_executions_total{outcome=\"done\"}"))
			.unwrap()
			.to_string();
		line.rsplit(' ').next().unwrap().parse::<u32>().unwrap()
	};

	// The order from the fork: taken and run.
	let forked = JobOrder {
		expires_at: 34,
		..order(7, alice(), file("sieve.wasm", examples::SIEVE), file("small", &small))
	};
	chain.back(&forked);
	assert_eq!(worker.post("/v1/jobs", &forked.encode()).0, 202);
	let (status, first) = commitment(&worker, 7);
	assert_eq!(status, 200, "{}", text(&first));

	// The best chain assigns the same work later, with another expiry: the result stands.
	let reassigned = JobOrder {
		expires_at: 52,
		code: Fetch { uri: b"http://elsewhere/sieve.wasm".to_vec(), ..forked.code.clone() },
		..forked.clone()
	};
	assert_eq!(worker.post("/v1/jobs", &reassigned.encode()).0, 409, "not backed yet");
	chain.back(&reassigned);
	let (status, body) = worker.post("/v1/jobs", &reassigned.encode());
	assert_eq!(status, 202, "{}", text(&body));
	assert_eq!(worker.post("/v1/jobs", &reassigned.encode()).0, 200, "then it is the same");
	assert_eq!(commitment(&worker, 7), (200, first.clone()), "the same commitment");
	assert_eq!(executions(&worker), 1, "not run again");
	let status: serde_json::Value = serde_json::from_slice(&worker.get("/v1/jobs/7").1).unwrap();
	assert_eq!((status["state"].as_str(), status["expiresAt"].as_u64()), (Some("done"), Some(52)));
	assert_eq!(Store::open(dir.path()).unwrap().load(7).unwrap().order, reassigned, "on disk");

	// Job 7 on the best chain is another job (other input): its run replaces the fork's.
	let other = JobOrder {
		input: file("large", &large),
		..order(7, alice(), file("sieve.wasm", examples::SIEVE), file("small", &small))
	};
	chain.back(&other);
	let (status, body) = worker.post("/v1/jobs", &other.encode());
	assert_eq!(status, 202, "{}", text(&body));
	let (status, second) = commitment(&worker, 7);
	assert_eq!(status, 200, "{}", text(&second));
	assert_ne!(second, first, "a new commitment, to the other input's output");
	assert_eq!(executions(&worker), 2);

	// While a run under an order the chain dropped is still going, a new one waits for it.
	let stalls = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
	let stalled = JobOrder {
		input: Fetch {
			hash: H256::repeat_byte(9),
			uri: format!("http://{}/input", stalls.local_addr().unwrap()).into_bytes(),
		},
		..order(8, alice(), file("sieve.wasm", examples::SIEVE), file("small", &small))
	};
	chain.back(&stalled);
	assert_eq!(worker.post("/v1/jobs", &stalled.encode()).0, 202);
	let replacing = JobOrder { input: file("small", &small), ..stalled.clone() };
	chain.back(&replacing);
	let (status, body) = worker.post("/v1/jobs", &replacing.encode());
	assert_eq!(status, 409);
	assert!(text(&body).contains("still running"), "{}", text(&body));
	drop(stalls);
	let (status, body) = commitment(&worker, 8);
	assert_eq!(status, 409, "the stalled fetch failed: {}", text(&body));
	let (status, body) = worker.post("/v1/jobs", &replacing.encode());
	assert_eq!(status, 202, "{}", text(&body));
	let (status, body) = commitment(&worker, 8);
	assert_eq!(status, 200, "{}", text(&body));
	let metrics = text(&worker.get("/metrics").1);
	assert!(metrics.contains("smartnodes_worker_jobs_accepted_total 4"), "{metrics}");
	assert!(metrics.contains("smartnodes_worker_jobs_refused_total{reason=\"conflict\"} 1"));
	assert!(metrics.contains("smartnodes_worker_jobs_refused_total{reason=\"chain\"} 1"));
	worker.stop();
}
