//! Helpers for tests that start real `smartnodes-node` processes on loopback and talk to them
//! over JSON-RPC, the way operators and dApps do.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

pub mod base;
pub mod netns;
pub mod worker;

use codec::{Decode, Encode};
use serde_json::{json, Value};
use smartnodes_runtime::{AccountId, RuntimeCall};
use sp_core::{crypto::Pair as _, sr25519, H256};
use std::{
	fs::File,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// The node binary cargo built for this test run.
pub const NODE_BIN: &str = env!("CARGO_BIN_EXE_smartnodes-node");

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One node process.
pub struct Node {
	pub name: String,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub base_path: PathBuf,
	pub log: PathBuf,
	/// Where its RPC and libp2p listen (127.0.0.1 unless it runs in a network namespace).
	pub ip: String,
	/// The network namespace it runs in, if any.
	netns: Option<String>,
	args: Vec<String>,
	child: Option<Child>,
}

impl Node {
	/// Starts `smartnodes-node` for `chain` with `--<name>` dev keys (or none when `dev_key`
	/// is false) in `dir/<name>`.
	pub fn start(
		dir: &Path,
		name: &str,
		chain: &str,
		dev_key: bool,
		bootnode: Option<&str>,
	) -> Node {
		Self::start_with(dir, name, chain, dev_key, bootnode, &[])
	}

	/// [`Node::start`] with `extra` arguments.
	pub fn start_with(
		dir: &Path,
		name: &str,
		chain: &str,
		dev_key: bool,
		bootnode: Option<&str>,
		extra: &[String],
	) -> Node {
		let mut node = Self::configure(dir, name, chain, dev_key, bootnode, extra);
		node.spawn();
		node
	}

	/// A node's command line and files, not started.
	fn configure(
		dir: &Path,
		name: &str,
		chain: &str,
		dev_key: bool,
		bootnode: Option<&str>,
		extra: &[String],
	) -> Node {
		let base_path = dir.join(name);
		std::fs::create_dir_all(&base_path).unwrap();
		let rpc_port = free_port();
		let p2p_port = free_port();
		let mut args: Vec<String> = vec![
			"--chain".into(),
			chain.into(),
			"--base-path".into(),
			base_path.display().to_string(),
			"--name".into(),
			name.into(),
			"--listen-addr".into(),
			format!("/ip4/127.0.0.1/tcp/{p2p_port}"),
			"--rpc-port".into(),
			rpc_port.to_string(),
			"--no-prometheus".into(),
			"--no-telemetry".into(),
			"--no-mdns".into(),
			"--allow-private-ip".into(),
			"--discover-local".into(),
			"--node-key".into(),
			node_key(name),
		];
		if dev_key {
			args.push(format!("--{name}"));
		} else {
			args.push("--validator".into());
		}
		if let Some(b) = bootnode {
			args.push("--bootnodes".into());
			args.push(b.into());
		}
		args.extend(extra.iter().cloned());
		let log = dir.join(format!("{name}.log"));
		Node {
			name: name.into(),
			rpc_port,
			p2p_port,
			base_path,
			log,
			ip: "127.0.0.1".into(),
			netns: None,
			args,
			child: None,
		}
	}

	/// [`Node::start`] inside network namespace `netns`, listening on its address `ip` (RPC
	/// included, which only that namespace's link reaches).
	pub fn start_in_netns(
		dir: &Path,
		name: &str,
		chain: &str,
		bootnode: Option<&str>,
		netns: &str,
		ip: &str,
	) -> Node {
		let mut node = Self::configure(dir, name, chain, true, bootnode, &[]);
		let listen = format!("/ip4/{ip}/tcp/{}", node.p2p_port);
		if let Some(at) = node.args.iter().position(|a| a.starts_with("/ip4/127.0.0.1/tcp/")) {
			node.args[at] = listen;
		}
		node.args.extend(["--rpc-external".into(), "--rpc-cors".into(), "all".into()]);
		node.ip = ip.into();
		node.netns = Some(netns.into());
		node.spawn();
		node
	}

	fn spawn(&mut self) {
		let log = File::options().create(true).append(true).open(&self.log).unwrap();
		let mut command = match &self.netns {
			// `ip netns exec` enters the namespace and execs the node: the child is the node.
			Some(ns) => {
				let mut c = Command::new("ip");
				c.args(["netns", "exec", ns, NODE_BIN]);
				c
			},
			None => Command::new(NODE_BIN),
		};
		let child = command
			.args(&self.args)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("the node binary starts");
		self.child = Some(child);
		let name = self.name.clone();
		wait_until(Duration::from_secs(120), &format!("{name} answers RPC"), || {
			if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
				let log = std::fs::read_to_string(&self.log).unwrap_or_default();
				let tail: Vec<_> = log.lines().rev().take(20).collect();
				panic!("{name} exited with {status}; log tail:\n{}", tail.join("\n"));
			}
			self.try_rpc("system_health", json!([])).is_ok()
		});
	}

	/// Stops the process (SIGKILL: a crash, not a clean shutdown).
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts the process again on the same database, keys and ports.
	pub fn restart(&mut self) {
		self.kill();
		self.spawn();
	}

	/// The libp2p address of this node, for `--bootnodes`.
	pub fn multiaddr(&self) -> String {
		let peer_id = self.rpc("system_localPeerId", json!([]));
		format!("/ip4/{}/tcp/{}/p2p/{}", self.ip, self.p2p_port, peer_id.as_str().unwrap())
	}

	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let response: Value = ureq::post(&format!("http://{}:{}", self.ip, self.rpc_port))
			.timeout(Duration::from_secs(30))
			.send_json(body)
			.map_err(|e| e.to_string())?
			.into_json()
			.map_err(|e| e.to_string())?;
		match response.get("error") {
			Some(error) => Err(error.to_string()),
			None => Ok(response["result"].clone()),
		}
	}

	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params)
			.unwrap_or_else(|e| panic!("{} {method} failed: {e}", self.name))
	}

	pub fn finalized_number(&self) -> u32 {
		let hash = self.rpc("chain_getFinalizedHead", json!([]));
		self.block_number(hash)
	}

	pub fn best_number(&self) -> u32 {
		let header = self.rpc("chain_getHeader", json!([]));
		hex_u32(&header["number"])
	}

	pub fn block_number(&self, hash: Value) -> u32 {
		let header = self.rpc("chain_getHeader", json!([hash]));
		hex_u32(&header["number"])
	}

	pub fn block_hash(&self, number: u32) -> Option<String> {
		self.rpc("chain_getBlockHash", json!([number])).as_str().map(String::from)
	}

	/// Raw storage at the best block, SCALE-decoded.
	pub fn storage<T: Decode>(&self, key: &[u8]) -> Option<T> {
		let value = self.rpc("state_getStorage", json!([format!("0x{}", hex::encode(key))]));
		value.as_str().map(|v| T::decode(&mut &from_hex(v)[..]).expect("storage decodes"))
	}

	/// A runtime API call at the best block, SCALE-decoded.
	pub fn runtime_call<T: Decode>(&self, method: &str, args: &[u8]) -> T {
		let value = self.rpc("state_call", json!([method, format!("0x{}", hex::encode(args))]));
		T::decode(&mut &from_hex(value.as_str().unwrap())[..]).expect("runtime answer decodes")
	}

	/// Signs `call` as `signer` and submits it; returns the transaction hash.
	pub fn submit(&self, signer: &sr25519::Pair, call: RuntimeCall) -> String {
		let who: AccountId = signer.public().into();
		let nonce = self.rpc("system_accountNextIndex", json!([who.to_string()])).as_u64().unwrap();
		let genesis = H256::from_slice(&from_hex(self.block_hash(0).unwrap().as_str()));
		let version = self.rpc("state_getRuntimeVersion", json!([]));
		let spec_version = version["specVersion"].as_u64().unwrap() as u32;
		let tx_version = version["transactionVersion"].as_u64().unwrap() as u32;
		let xt = smartnodes_cli::client::signed_extrinsic(
			signer,
			call,
			nonce as u32,
			genesis,
			spec_version,
			tx_version,
		);
		self.rpc("author_submitExtrinsic", json!([format!("0x{}", hex::encode(xt.encode()))]))
			.as_str()
			.unwrap()
			.to_string()
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

/// The four `local` validators Alice, Bob, Charlie and Dave in `dir`, booting from Alice.
pub fn start_local_validators(dir: &Path) -> [Node; 4] {
	let alice = Node::start(dir, "alice", "local", true, None);
	let boot = alice.multiaddr();
	let bob = Node::start(dir, "bob", "local", true, Some(&boot));
	let charlie = Node::start(dir, "charlie", "local", true, Some(&boot));
	let dave = Node::start(dir, "dave", "local", true, Some(&boot));
	[alice, bob, charlie, dave]
}

/// A test's folder for node databases and logs: removed when the test passes, kept (and named on
/// stderr) when it fails, or always with `KEEP_TEST_DIR=1`, for a post-mortem.
pub struct TestDir {
	dir: Option<tempfile::TempDir>,
	path: std::path::PathBuf,
}

impl TestDir {
	pub fn new(prefix: &str) -> Self {
		let dir = tempfile::Builder::new().prefix(prefix).tempdir().unwrap();
		if std::env::var_os("KEEP_TEST_DIR").is_some() {
			let path = dir.keep();
			eprintln!("logs in {}", path.display());
			return Self { dir: None, path };
		}
		Self { path: dir.path().to_path_buf(), dir: Some(dir) }
	}

	pub fn path(&self) -> &std::path::Path {
		&self.path
	}
}

impl Drop for TestDir {
	fn drop(&mut self) {
		if std::thread::panicking() {
			if let Some(dir) = self.dir.take() {
				eprintln!("the test failed; its logs are kept in {}", dir.keep().display());
			}
		}
	}
}

/// A fixed, distinct libp2p key per node name, so peer ids survive restarts.
fn node_key(name: &str) -> String {
	hex::encode(sp_io::hashing::blake2_256(name.as_bytes()))
}

pub fn hex_u32(v: &Value) -> u32 {
	u32::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

pub fn from_hex(s: &str) -> Vec<u8> {
	hex::decode(s.trim_start_matches("0x")).unwrap()
}

/// Polls `condition` every second until it holds, or panics after `timeout`.
pub fn wait_until(timeout: Duration, what: &str, mut condition: impl FnMut() -> bool) {
	let start = Instant::now();
	while !condition() {
		assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting until {what}");
		std::thread::sleep(Duration::from_secs(1));
	}
	eprintln!("[{:>5.1}s] {what}", start.elapsed().as_secs_f32());
}

/// The dev account of `//<name>`.
pub fn dev_pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}"), None).unwrap()
}
