//! A local stand-in for Base: Anvil (chain id 84532) with the Smartnodes contracts deployed by
//! `contracts/script/Deploy.s.sol` for the `local` chain's validators
//! (`contracts/script/config/localnet.json`), driven with `cast`.

use std::{
	io::{BufRead, BufReader},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
};

/// Anvil's first account: the deployer, genesis holder of 10,000,000 SNO and guardian.
pub const DEPLOYER_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
pub const DEPLOYER: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
/// Anvil's accounts #4 and #5: relayers in the tests.
pub const RELAYER_KEYS: [&str; 2] = [
	"0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
	"0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
];

fn contracts() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts")
}

fn tool(name: &str) -> PathBuf {
	let path = contracts().join("node_modules/.bin").join(name);
	assert!(path.exists(), "{} missing: run scripts/setup", path.display());
	path
}

pub struct Base {
	anvil: Child,
	pub rpc: String,
	pub distributor: String,
	pub token: String,
	pub dao: String,
	pub timelock: String,
}

impl Drop for Base {
	fn drop(&mut self) {
		let _ = self.anvil.kill();
		let _ = self.anvil.wait();
	}
}

impl Base {
	/// Starts Anvil on a free loopback port and deploys the contracts.
	pub fn start() -> Self {
		Self::start_with_block_time(None)
	}

	/// [`Base::start`], mining a block every `seconds` (else one per transaction).
	pub fn start_with_block_time(seconds: Option<u64>) -> Self {
		let port = super::free_port();
		let mut args: Vec<String> = ["--host", "127.0.0.1", "--port", &port.to_string()]
			.into_iter()
			.map(String::from)
			.collect();
		args.extend(["--chain-id".into(), "84532".into()]);
		if let Some(seconds) = seconds {
			args.extend(["--block-time".into(), seconds.to_string()]);
		}
		let mut anvil = Command::new(tool("anvil"))
			.args(&args)
			.stdout(Stdio::piped())
			.stderr(Stdio::null())
			.spawn()
			.expect("anvil starts");
		let stdout = anvil.stdout.take().expect("piped");
		let listening = BufReader::new(stdout)
			.lines()
			.map_while(Result::ok)
			.any(|line| line.starts_with("Listening on"));
		assert!(listening, "anvil did not start");
		let rpc = format!("http://127.0.0.1:{port}");
		// Forge may only write under contracts/deployments (foundry.toml's fs_permissions).
		let out = contracts().join(format!("deployments/test-{}-{port}.json", std::process::id()));
		let deploy = Command::new(tool("forge"))
			.current_dir(contracts())
			.args(["script", "script/Deploy.s.sol", "--rpc-url", &rpc, "--broadcast"])
			.args(["--private-key", DEPLOYER_KEY])
			.env("DEPLOY_CONFIG", "script/config/localnet.json")
			.env("DEPLOYMENTS_OUT", &out)
			.output()
			.expect("forge runs");
		assert!(
			deploy.status.success(),
			"deployment failed: {}{}",
			String::from_utf8_lossy(&deploy.stdout),
			String::from_utf8_lossy(&deploy.stderr)
		);
		let deployment: serde_json::Value =
			serde_json::from_slice(&std::fs::read(&out).expect("deployment written")).unwrap();
		let _ = std::fs::remove_file(&out);
		let field = |k: &str| deployment[k].as_str().expect("address").to_lowercase();
		Self {
			anvil,
			rpc,
			distributor: field("distributor"),
			token: field("token"),
			dao: field("dao"),
			timelock: field("timelock"),
		}
	}

	/// `cast call <to> <sig> <args>`: the decoded result.
	pub fn call(&self, to: &str, sig: &str, args: &[&str]) -> String {
		self.call_lines(to, sig, args).into_iter().next().unwrap_or_default()
	}

	/// `cast call` of a view returning several values: one per line, without the human form
	/// cast appends to large numbers ("123 [1.23e2]").
	pub fn call_lines(&self, to: &str, sig: &str, args: &[&str]) -> Vec<String> {
		let out = Command::new(tool("cast"))
			.args(["call", "--rpc-url", &self.rpc, to, sig])
			.args(args)
			.output()
			.expect("cast runs");
		assert!(out.status.success(), "{sig} failed: {}", String::from_utf8_lossy(&out.stderr));
		String::from_utf8_lossy(&out.stdout)
			.lines()
			.map(|l| l.split(' ').next().unwrap_or_default().to_string())
			.collect()
	}

	/// `cast send <to> <sig> <args>` from the deployer; the error output if it reverts.
	pub fn send(&self, to: &str, sig: &str, args: &[&str]) -> Result<(), String> {
		self.send_from(DEPLOYER_KEY, to, sig, args)
	}

	/// `cast send` from the account of `key`; an error if it reverts, in simulation or mined.
	pub fn send_from(&self, key: &str, to: &str, sig: &str, args: &[&str]) -> Result<(), String> {
		let out = Command::new(tool("cast"))
			.args(["send", "--json", "--rpc-url", &self.rpc, "--private-key", key, to, sig])
			.args(args)
			.output()
			.expect("cast runs");
		if !out.status.success() {
			return Err(String::from_utf8_lossy(&out.stderr).into_owned());
		}
		let receipt: serde_json::Value =
			serde_json::from_slice(&out.stdout).map_err(|e| format!("cast output: {e}"))?;
		match receipt["status"].as_str() {
			Some("0x1") => Ok(()),
			_ => Err(format!("{sig} reverted when mined: {receipt}")),
		}
	}
}

impl Base {
	/// A JSON-RPC call to Anvil.
	pub fn rpc(&self, method: &str, params: serde_json::Value) -> serde_json::Value {
		let body =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let response: serde_json::Value = ureq::post(&self.rpc)
			.send_json(body)
			.unwrap_or_else(|e| panic!("Base {method}: {e}"))
			.into_json()
			.unwrap();
		assert!(response.get("error").is_none(), "Base {method}: {response}");
		response["result"].clone()
	}

	/// Mines `n` blocks.
	pub fn mine(&self, n: u64) {
		self.rpc("anvil_mine", serde_json::json!([format!("0x{n:x}")]));
	}

	pub fn block_number(&self) -> u64 {
		let n = self.rpc("eth_blockNumber", serde_json::json!([]));
		u64::from_str_radix(n.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
	}

	/// Moves Base's clock `seconds` ahead (and mines a block at the new time).
	pub fn warp(&self, seconds: u64) {
		self.rpc("evm_increaseTime", serde_json::json!([seconds]));
		self.mine(1);
	}

	/// The logs of `event` (a signature such as `RootSubmitted(uint64,bytes32,uint256,uint64)`)
	/// at `address` since block 0.
	pub fn logs(&self, address: &str, event: &str) -> Vec<serde_json::Value> {
		let topic = format!("0x{}", hex::encode(sp_io::hashing::keccak_256(event.as_bytes())));
		let filter = serde_json::json!([{
			"address": address, "fromBlock": "0x0", "toBlock": "latest", "topics": [topic]
		}]);
		self.rpc("eth_getLogs", filter).as_array().cloned().unwrap_or_default()
	}

	/// A `uint256`/`uint64` view as a `u128`.
	pub fn uint(&self, to: &str, sig: &str, args: &[&str]) -> u128 {
		self.call(to, sig, args).parse().unwrap()
	}
}
