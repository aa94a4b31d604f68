//! A local stand-in for Base: Anvil (chain id 84532) with the Smartnodes contracts deployed by
//! `contracts/script/Deploy.s.sol` for the `local` chain's validators
//! (`contracts/script/config/localnet.json`), driven with `cast`.

use std::{
	io::{BufRead, BufReader},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
};

/// Anvil's first account: the deployer (and the account that relays here).
const DEPLOYER_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

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
		let port = super::free_port();
		let mut anvil = Command::new(tool("anvil"))
			.args(["--host", "127.0.0.1", "--port", &port.to_string(), "--chain-id", "84532"])
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
		Self { anvil, rpc, distributor: field("distributor"), token: field("token") }
	}

	/// `cast call <to> <sig> <args>`: the decoded result.
	pub fn call(&self, to: &str, sig: &str, args: &[&str]) -> String {
		let out = Command::new(tool("cast"))
			.args(["call", "--rpc-url", &self.rpc, to, sig])
			.args(args)
			.output()
			.expect("cast runs");
		assert!(out.status.success(), "{sig} failed: {}", String::from_utf8_lossy(&out.stderr));
		let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
		// cast appends a human form to large numbers: "123 [1.23e2]".
		text.split(' ').next().unwrap_or_default().to_string()
	}

	/// `cast send <to> <sig> <args>` from the deployer; the error output if it reverts.
	pub fn send(&self, to: &str, sig: &str, args: &[&str]) -> Result<(), String> {
		let out = Command::new(tool("cast"))
			.args(["send", "--rpc-url", &self.rpc, "--private-key", DEPLOYER_KEY, to, sig])
			.args(args)
			.output()
			.expect("cast runs");
		if out.status.success() {
			Ok(())
		} else {
			Err(String::from_utf8_lossy(&out.stderr).into_owned())
		}
	}
}
