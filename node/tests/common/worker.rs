//! `smartnodes-worker` processes and a file host for their jobs, on loopback.

use super::{dev_pair, free_port, wait_until, Node};
use frame_support::BoundedVec;
use serde_json::json;
use serde_json::Value;
use smartnodes_primitives::compute::{Capacity, JobKind};
use smartnodes_runtime::AccountId;
use smartnodes_runtime::{Runtime, RuntimeCall, SNO};
use sp_core::crypto::Pair as _;
use std::{
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command},
	time::Duration,
};

const MINUTE: Duration = Duration::from_secs(60);

/// The worker binary, built next to this test by `cargo test --workspace`.
pub fn worker_bin() -> PathBuf {
	let dir = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf();
	let bin = dir.join("smartnodes-worker");
	assert!(bin.exists(), "{} missing: cargo build -p smartnodes-worker", bin.display());
	bin
}

/// A distinct payout address per worker, from its name: never zero (a port-derived byte once
/// wrapped to the zero address, which the registry rightly refuses).
fn payout_of(name: &str) -> [u8; 20] {
	let hash = sp_io::hashing::blake2_256(format!("smartnodes test payout {name}").as_bytes());
	let mut payout = [0u8; 20];
	payout.copy_from_slice(&hash[..20]);
	payout
}

/// A `smartnodes-worker` process.
pub struct Worker {
	pub name: String,
	pub account: AccountId,
	pub port: u16,
	args: Vec<String>,
	log: PathBuf,
	child: Option<Child>,
}

impl Worker {
	/// Starts worker `//<name>` (registering it on first start) in `dir/<name>`, attached to
	/// `validator_name` and reading the chain from `validator`; `fault` makes it lie.
	pub fn start(
		dir: &Path,
		name: &str,
		validator: &Node,
		validator_name: &str,
		fault: bool,
	) -> Self {
		let port = free_port();
		let data = dir.join(name);
		std::fs::create_dir_all(&data).unwrap();
		let attach: AccountId = dev_pair(validator_name).public().into();
		let mut args: Vec<String> = [
			"run",
			"--register",
			"--data-dir",
			data.to_str().unwrap(),
			"--listen",
			&format!("127.0.0.1:{port}"),
			"--node",
			&format!("http://127.0.0.1:{}", validator.rpc_port),
			"--account",
			&format!("//{name}"),
			"--payout",
			&format!("0x{}", hex::encode(payout_of(name))),
			"--networks",
			"0",
			"--validator",
			&attach.to_string(),
			"--cpu-cores",
			"2",
			"--memory-mib",
			"1024",
		]
		.into_iter()
		.map(String::from)
		.collect();
		if fault {
			args.extend(["--fault".into(), "wrong-output".into()]);
		}
		let mut worker = Worker {
			name: name.into(),
			account: dev_pair(name).public().into(),
			port,
			args,
			log: dir.join(format!("{name}.log")),
			child: None,
		};
		worker.spawn();
		worker
	}

	fn spawn(&mut self) {
		let log = std::fs::File::options().create(true).append(true).open(&self.log).unwrap();
		let child = Command::new(worker_bin())
			.args(&self.args)
			.env("RUST_LOG", "info")
			.stdout(log.try_clone().unwrap())
			.stderr(log)
			.spawn()
			.expect("the worker binary starts");
		self.child = Some(child);
		let url = format!("{}/healthz", self.endpoint());
		let name = self.name.clone();
		wait_until(MINUTE, &format!("{name} answers"), || {
			if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
				let log = std::fs::read_to_string(&self.log).unwrap_or_default();
				panic!("{name} exited with {status}:\n{log}");
			}
			ureq::get(&url).call().is_ok()
		});
	}

	/// The Base address the worker is paid at.
	pub fn payout(&self) -> [u8; 20] {
		payout_of(&self.name)
	}

	pub fn endpoint(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}

	/// SIGKILL: the process dies with whatever it was running.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts again on the same data directory, without the fault switch.
	pub fn restart_honest(&mut self) {
		self.kill();
		self.args.retain(|a| a != "--fault" && a != "wrong-output");
		self.spawn();
	}

	/// The worker's own view of job `id` (`GET /v1/jobs/<id>`).
	pub fn job_state(&self, id: u64) -> Option<String> {
		let response = ureq::get(&format!("{}/v1/jobs/{id}", self.endpoint())).call().ok()?;
		let body: Value = response.into_json().ok()?;
		body["state"].as_str().map(String::from)
	}
}

impl Drop for Worker {
	fn drop(&mut self) {
		self.kill();
	}
}

/// Serves `files` (path → bytes) over loopback HTTP, as a user's file host would.
pub fn serve(files: Vec<(String, Vec<u8>)>) -> String {
	let listener = TcpListener::bind("127.0.0.1:0").unwrap();
	let port = listener.local_addr().unwrap().port();
	std::thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			let mut request = String::new();
			let _ = BufReader::new(&stream).read_line(&mut request);
			let path = request.split_whitespace().nth(1).unwrap_or_default().to_string();
			let mut writer = &stream;
			let response = match files.iter().find(|(p, _)| *p == path) {
				Some((_, bytes)) => {
					let mut head =
						format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", bytes.len())
							.into_bytes();
					head.extend_from_slice(bytes);
					head
				},
				None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
			};
			let _ = writer.write_all(&response);
		}
	});
	format!("http://127.0.0.1:{port}")
}

/// The input of the example hash-chain job: `rounds`, then a seed.
pub fn hash_chain_input(rounds: u32) -> Vec<u8> {
	[rounds.to_le_bytes().to_vec(), b"smartnodes".to_vec()].concat()
}

/// Governance (Alice, sudo on `local`) opens network 0 for wasm jobs, and Alice gives each of
/// `names` 2,000 SNO to register with.
pub fn open_network_and_fund(alice: &Node, names: &[&str]) {
	let create = RuntimeCall::Registry(pallet_registry::Call::create_network {
		name: BoundedVec::truncate_from(b"wasm".to_vec()),
		kind: JobKind::Wasm,
		min_reputation: 0,
		min_capacity: Capacity { cpu_cores: 1, memory_mib: 128, gpu: None },
		price_floor: SNO / 100,
	});
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(create) });
	alice.submit(&dev_pair("Alice"), sudo);
	for name in names {
		let dest: AccountId = dev_pair(name).public().into();
		alice.submit(
			&dev_pair("Alice"),
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: dest.into(),
				value: 2_000 * SNO,
			}),
		);
	}
	wait_until(MINUTE, "the network exists and the workers are funded", || {
		let funded: AccountId = dev_pair(names.last().unwrap()).public().into();
		alice.rpc("smartnodes_networks", json!([])).as_array().is_some_and(|n| n.len() == 1)
			&& alice
				.storage::<frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>>(
					&frame_system::Account::<Runtime>::hashed_key_for(&funded),
				)
				.is_some()
	});
}
