//! The configuration file, flags over it, defaults and the identity key.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use clap::Parser;
use smartnodes_worker::{
	command::{Cli, Command},
	config::{measured_capacity, Fault, Settings},
	identity,
};
use sp_core::{crypto::Pair as _, H160};
use std::os::unix::fs::PermissionsExt;

const FILE: &str = r#"
data-dir = "/var/lib/worker"
listen = "0.0.0.0:9000"
endpoint = "http://worker.example:9000"
node = "http://node.example:9944"
account = "//Bob"
payout = "0x00000000000000000000000000000000000000aa"
networks = [1, 2]
validator = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
cpu-cores = 3
memory-mib = 2048
max-fetch-bytes = 1000
retention-secs = 10
"#;

fn parse(args: &[&str]) -> Command {
	Cli::try_parse_from([&["smartnodes-worker"], args].concat()).unwrap().command
}

#[test]
fn flags_override_the_file_key_by_key() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("worker.toml");
	std::fs::write(&path, FILE).unwrap();
	let path = path.to_str().unwrap();
	let Command::Run(run) = parse(&[
		"run",
		"--config",
		path,
		"--listen",
		"127.0.0.1:1234",
		"--networks",
		"7,8,9",
		"--cpu-cores",
		"1",
		"--allow-file-uris",
		"false",
	]) else {
		panic!("run")
	};
	assert!(!run.register);
	assert_eq!(run.fault, None);
	let config = run.args.load().unwrap();
	assert_eq!(config.listen.to_string(), "127.0.0.1:1234");
	assert_eq!(config.data_dir.to_str(), Some("/var/lib/worker"));
	assert_eq!(config.endpoint, "http://worker.example:9000");
	assert_eq!(config.node, "http://node.example:9944");
	assert_eq!(config.account.unwrap().0, "//Bob");
	assert_eq!(config.payout, Some(H160::from_low_u64_be(0xaa)));
	assert_eq!(config.networks, vec![7, 8, 9]);
	assert_eq!(config.validator.unwrap(), sp_keyring_alice());
	assert_eq!((config.capacity.cpu_cores, config.capacity.memory_mib), (1, 2048));
	assert_eq!(config.max_fetch_bytes, 1000);
	assert_eq!(config.retention.as_secs(), 10);
	assert!(!config.allow_file_uris);
}

fn sp_keyring_alice() -> smartnodes_primitives::AccountId {
	sp_core::sr25519::Pair::from_string("//Alice", None).unwrap().public().into()
}

#[test]
fn defaults_fill_what_neither_gives() {
	let config = Settings::default().resolve().unwrap();
	assert_eq!(config.listen.to_string(), "127.0.0.1:9955");
	assert_eq!(config.endpoint, "http://127.0.0.1:9955");
	assert_eq!(config.node, "http://127.0.0.1:9944");
	assert_eq!(config.capacity, measured_capacity());
	assert!(config.capacity.cpu_cores >= 1 && config.capacity.memory_mib > 0);
	assert_eq!(config.concurrency, usize::from(config.capacity.cpu_cores));
	assert_eq!(config.max_output_bytes, smartnodes_worker::wasm::DEFAULT_MAX_OUTPUT);
	assert!(config.account.is_none() && config.fault.is_none() && config.allow_file_uris);
	// The endpoint follows the listen address unless given.
	let Command::Identity(args) = parse(&["identity", "--listen", "10.0.0.1:80"]) else {
		panic!("identity")
	};
	assert_eq!(args.load().unwrap().endpoint, "http://10.0.0.1:80");
}

#[test]
fn bad_configurations_are_refused_with_a_reason() {
	let unknown = Settings::from_toml("listen-on = \"127.0.0.1:1\"").err().unwrap().to_string();
	assert!(unknown.contains("listen-on"), "{unknown}");
	let payout = Settings { payout: Some("0x1234".into()), ..Default::default() };
	assert!(payout.resolve().unwrap_err().to_string().contains("payout"));
	let validator = Settings { validator: Some("not-an-address".into()), ..Default::default() };
	assert!(validator.resolve().is_err());
	let both = Settings {
		account: Some("//Alice".into()),
		account_file: Some("/nowhere".into()),
		..Default::default()
	};
	assert!(both.resolve().unwrap_err().to_string().contains("not both"));
	assert!(Cli::try_parse_from(["smartnodes-worker", "run", "--fault", "nonsense"]).is_err());
}

#[test]
fn the_fault_flag_is_off_unless_given_and_hidden_from_short_help() {
	let Command::Run(run) = parse(&["run", "--fault", "wrong-output", "--register"]) else {
		panic!("run")
	};
	assert_eq!(run.fault, Some(Fault::WrongOutput));
	assert!(run.register);
	let short = Cli::try_parse_from(["smartnodes-worker", "run", "-h"]).err().unwrap().to_string();
	assert!(!short.contains("--fault"), "{short}");
	let long =
		Cli::try_parse_from(["smartnodes-worker", "run", "--help"]).err().unwrap().to_string();
	assert!(long.contains("--fault") && long.contains("FAULT TESTS ONLY"), "{long}");
}

#[test]
fn the_account_may_come_from_a_file() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("account");
	std::fs::write(&path, "//Charlie\n").unwrap();
	let settings = Settings { account_file: Some(path), ..Default::default() };
	assert_eq!(settings.resolve().unwrap().account.unwrap().0, "//Charlie");
}

#[test]
fn the_identity_key_is_generated_once_and_private() {
	let dir = tempfile::tempdir().unwrap();
	let first = identity::load_or_create(dir.path()).unwrap();
	let second = identity::load_or_create(dir.path()).unwrap();
	assert_eq!(first.public(), second.public());
	let mode = std::fs::metadata(identity::path(dir.path())).unwrap().permissions().mode();
	assert_eq!(mode & 0o777, 0o600);
	let other = tempfile::tempdir().unwrap();
	assert_ne!(identity::load_or_create(other.path()).unwrap().public(), first.public());

	std::fs::write(identity::path(other.path()), "zz").unwrap();
	assert!(identity::load_or_create(other.path()).is_err());
}
