//! The daemon's settings: a TOML file (`--config`), overridden key by key by flags and by
//! `SMARTNODES_WORKER_*` environment variables, then resolved with defaults.
//!
//! Every key of the file is also a flag of the same name (`data-dir = "..."` is
//! `--data-dir ...`); see docs/worker.md for the list.

use crate::{wasm::DEFAULT_MAX_OUTPUT, Error, Result};
use serde::Deserialize;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{Capacity, Gpu, NetworkId},
	AccountId,
};
use sp_core::crypto::Ss58Codec;
use std::{net::SocketAddr, path::PathBuf, time::Duration};

const MIB: u64 = 1024 * 1024;

/// The keys of the configuration file, each also a flag. Every one is optional here: a flag
/// overrides the file's value, and [`Settings::resolve`] fills in the defaults.
#[derive(Clone, Default, Deserialize, clap::Args)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
	/// Where the identity key, the fetch cache and the jobs are kept.
	#[arg(long, env = "SMARTNODES_WORKER_DATA_DIR")]
	pub data_dir: Option<PathBuf>,
	/// Address the HTTP API listens on (default 127.0.0.1:9955).
	#[arg(long, env = "SMARTNODES_WORKER_LISTEN")]
	pub listen: Option<SocketAddr>,
	/// The URL validators and users reach the API at, as registered on chain (default
	/// `http://<listen>`).
	#[arg(long, env = "SMARTNODES_WORKER_ENDPOINT")]
	pub endpoint: Option<String>,
	/// The node's JSON-RPC URL (default http://127.0.0.1:9944).
	#[arg(long, env = "SMARTNODES_WORKER_NODE")]
	pub node: Option<String>,
	/// The worker account's secret URI (sr25519: a mnemonic, a hex seed, `//Alice`).
	#[arg(long, env = "SMARTNODES_WORKER_ACCOUNT", hide_env_values = true)]
	pub account: Option<String>,
	/// A file holding the account's secret URI, instead of `account`.
	#[arg(long, env = "SMARTNODES_WORKER_ACCOUNT_FILE")]
	pub account_file: Option<PathBuf>,
	/// Where earnings are paid on Base (0x and 20 bytes in hex).
	#[arg(long, env = "SMARTNODES_WORKER_PAYOUT")]
	pub payout: Option<String>,
	/// Networks to register in (comma-separated ids).
	#[arg(long, env = "SMARTNODES_WORKER_NETWORKS", value_delimiter = ',')]
	pub networks: Option<Vec<NetworkId>>,
	/// The validator (SS58) whose off-chain worker dispatches this worker's jobs.
	#[arg(long, env = "SMARTNODES_WORKER_VALIDATOR")]
	pub validator: Option<String>,
	/// Declared CPU cores (default: measured).
	#[arg(long, env = "SMARTNODES_WORKER_CPU_CORES")]
	pub cpu_cores: Option<u16>,
	/// Declared memory in MiB (default: measured, from /proc/meminfo).
	#[arg(long, env = "SMARTNODES_WORKER_MEMORY_MIB")]
	pub memory_mib: Option<u32>,
	/// Declared GPUs (default none).
	#[arg(long, env = "SMARTNODES_WORKER_GPU_COUNT")]
	pub gpu_count: Option<u8>,
	/// Memory of each declared GPU, in MiB.
	#[arg(long, env = "SMARTNODES_WORKER_GPU_MEMORY_MIB")]
	pub gpu_memory_mib: Option<u32>,
	/// Largest output a job may produce (default 16 MiB; keep the default: a different value
	/// makes `output-too-large` disagree with other replicas).
	#[arg(long, env = "SMARTNODES_WORKER_MAX_OUTPUT_BYTES")]
	pub max_output_bytes: Option<usize>,
	/// Largest code or input fetched (default 256 MiB).
	#[arg(long, env = "SMARTNODES_WORKER_MAX_FETCH_BYTES")]
	pub max_fetch_bytes: Option<u64>,
	/// Largest request body the API reads (default 64 KiB).
	#[arg(long, env = "SMARTNODES_WORKER_MAX_BODY_BYTES")]
	pub max_body_bytes: Option<usize>,
	/// Jobs run at once (default: the number of cores).
	#[arg(long, env = "SMARTNODES_WORKER_CONCURRENCY")]
	pub concurrency: Option<usize>,
	/// Seconds an output is kept after a user first fetched it (default 3600).
	#[arg(long, env = "SMARTNODES_WORKER_RETENTION_SECS")]
	pub retention_secs: Option<u64>,
	/// Seconds running jobs are given to finish on shutdown (default 30).
	#[arg(long, env = "SMARTNODES_WORKER_SHUTDOWN_GRACE_SECS")]
	pub shutdown_grace_secs: Option<u64>,
	/// Whether `file://` URIs may be fetched (default true).
	#[arg(long, env = "SMARTNODES_WORKER_ALLOW_FILE_URIS")]
	pub allow_file_uris: Option<bool>,
}

macro_rules! overlay {
	($top:ident, $base:ident, $($field:ident),*) => {
		Settings { $($field: $top.$field.or($base.$field)),* }
	};
}

impl Settings {
	/// Parses a configuration file's text.
	pub fn from_toml(text: &str) -> Result<Self> {
		toml::from_str(text).map_err(|e| Error::Config(e.to_string()))
	}

	/// Reads a configuration file.
	pub fn from_file(path: &std::path::Path) -> Result<Self> {
		let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
		Self::from_toml(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
	}

	/// `self`'s values, and `base`'s where `self` has none.
	pub fn over(self, base: Settings) -> Settings {
		let top = self;
		overlay!(
			top,
			base,
			data_dir,
			listen,
			endpoint,
			node,
			account,
			account_file,
			payout,
			networks,
			validator,
			cpu_cores,
			memory_mib,
			gpu_count,
			gpu_memory_mib,
			max_output_bytes,
			max_fetch_bytes,
			max_body_bytes,
			concurrency,
			retention_secs,
			shutdown_grace_secs,
			allow_file_uris
		)
	}

	/// The settings with defaults filled in and every value checked.
	pub fn resolve(self) -> Result<Config> {
		let measured = measured_capacity();
		let listen = self.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 9955)));
		let account = match (self.account, self.account_file) {
			(Some(_), Some(_)) => {
				return Err(Error::Config("give `account` or `account-file`, not both".into()))
			},
			(Some(suri), None) => Some(Secret(suri)),
			(None, Some(path)) => {
				let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
				Some(Secret(text.trim().to_string()))
			},
			(None, None) => None,
		};
		let payout = self.payout.as_deref().map(parse_payout).transpose()?;
		let validator = self.validator.as_deref().map(parse_account).transpose()?;
		let gpu = match (self.gpu_count, self.gpu_memory_mib) {
			(None | Some(0), _) => None,
			(Some(count), memory_mib) => Some(Gpu { count, memory_mib: memory_mib.unwrap_or(0) }),
		};
		let capacity = Capacity {
			cpu_cores: self.cpu_cores.unwrap_or(measured.cpu_cores),
			memory_mib: self.memory_mib.unwrap_or(measured.memory_mib),
			gpu,
		};
		let concurrency = self.concurrency.unwrap_or(usize::from(measured.cpu_cores)).max(1);
		Ok(Config {
			data_dir: self.data_dir.unwrap_or_else(default_data_dir),
			listen,
			endpoint: self.endpoint.unwrap_or_else(|| format!("http://{listen}")),
			node: self.node.unwrap_or_else(|| "http://127.0.0.1:9944".into()),
			account,
			payout,
			networks: self.networks.unwrap_or_default(),
			validator,
			capacity,
			max_output_bytes: self.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT),
			max_fetch_bytes: self.max_fetch_bytes.unwrap_or(256 * MIB),
			max_body_bytes: self.max_body_bytes.unwrap_or(64 * 1024),
			concurrency,
			retention: Duration::from_secs(self.retention_secs.unwrap_or(3600)),
			shutdown_grace: Duration::from_secs(self.shutdown_grace_secs.unwrap_or(30)),
			allow_file_uris: self.allow_file_uris.unwrap_or(true),
			fault: None,
		})
	}
}

/// A secret that never appears in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("<secret>")
	}
}

/// A deliberate misbehaviour, for fault tests of the chain's verification only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Fault {
	/// Commit to (and reveal) a hash that is not the output's: blake2-256 of the output
	/// followed by `x`.
	WrongOutput,
}

/// The daemon's resolved configuration.
#[derive(Clone, Debug)]
pub struct Config {
	pub data_dir: PathBuf,
	pub listen: SocketAddr,
	/// The URL registered on chain.
	pub endpoint: String,
	/// The node's JSON-RPC URL.
	pub node: String,
	/// The worker account's secret URI; needed to run and to register.
	pub account: Option<Secret>,
	pub payout: Option<EthAddress>,
	pub networks: Vec<NetworkId>,
	pub validator: Option<AccountId>,
	/// What is declared on chain.
	pub capacity: Capacity,
	pub max_output_bytes: usize,
	pub max_fetch_bytes: u64,
	pub max_body_bytes: usize,
	pub concurrency: usize,
	/// How long an output is kept after a user first fetched it.
	pub retention: Duration,
	pub shutdown_grace: Duration,
	pub allow_file_uris: bool,
	/// Never set outside fault tests.
	pub fault: Option<Fault>,
}

fn default_data_dir() -> PathBuf {
	match std::env::var_os("HOME") {
		Some(home) => PathBuf::from(home).join(".local/share/smartnodes-worker"),
		None => PathBuf::from("smartnodes-worker"),
	}
}

/// A Base address: `0x` and 40 hex digits.
pub fn parse_payout(text: &str) -> Result<EthAddress> {
	let digits = text.trim().strip_prefix("0x").unwrap_or(text.trim());
	match hex::decode(digits) {
		Ok(bytes) if bytes.len() == 20 => Ok(EthAddress::from_slice(&bytes)),
		_ => Err(Error::Config(format!("payout {text:?} is not 0x and 20 bytes in hex"))),
	}
}

/// An account in SS58, whatever the network prefix.
pub fn parse_account(text: &str) -> Result<AccountId> {
	AccountId::from_ss58check_with_version(text.trim())
		.map(|(account, _)| account)
		.map_err(|e| Error::Config(format!("{text:?} is not an SS58 address: {e:?}")))
}

/// This machine's cores (`available_parallelism`) and memory (`MemTotal` in /proc/meminfo).
pub fn measured_capacity() -> Capacity {
	let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
	let memory_kib = std::fs::read_to_string("/proc/meminfo")
		.ok()
		.and_then(|text| {
			text.lines().find_map(|line| {
				let rest = line.strip_prefix("MemTotal:")?;
				rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok()
			})
		})
		.unwrap_or(0);
	Capacity {
		cpu_cores: u16::try_from(cores).unwrap_or(u16::MAX),
		memory_mib: u32::try_from(memory_kib / 1024).unwrap_or(u32::MAX),
		gpu: None,
	}
}
