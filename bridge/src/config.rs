//! The relayer's settings: a TOML file (`--config`), overridden key by key by flags and by
//! `SMARTNODES_BRIDGE_*` environment variables, then resolved with defaults.
//!
//! Every key of the file is also a flag of the same name (`base-rpc = "..."` is
//! `--base-rpc ...`); see the crate's README for the list.

use crate::{relayer::Options, Error, Result};
use alloy::{primitives::Address, rpc::client::RpcClient, signers::local::PrivateKeySigner};
use reqwest::Url;
use serde::Deserialize;
use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
	str::FromStr,
	sync::Once,
	time::Duration,
};

/// The metrics address unless configured: Prometheus's conventional range, loopback only.
pub const DEFAULT_METRICS: &str = "127.0.0.1:9616";

/// The keys of the configuration file, each also a flag. Every one is optional here: a flag
/// overrides the file's value, and [`Settings::resolve`] fills in the defaults.
#[derive(Clone, Default, Deserialize, clap::Args)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
	/// The Smartnodes node's JSON-RPC URL (default http://127.0.0.1:9944).
	#[arg(long, env = "SMARTNODES_BRIDGE_CHAIN_RPC")]
	pub chain_rpc: Option<String>,
	/// The Base node's JSON-RPC URL (default http://127.0.0.1:8545).
	#[arg(long, env = "SMARTNODES_BRIDGE_BASE_RPC")]
	pub base_rpc: Option<String>,
	/// The RewardDistributor's address on Base.
	#[arg(long, env = "SMARTNODES_BRIDGE_DISTRIBUTOR")]
	pub distributor: Option<String>,
	/// A deployment file (`contracts/deployments/<chainId>.json`) to take the distributor and
	/// the expected Base chain id from.
	#[arg(long, env = "SMARTNODES_BRIDGE_DEPLOYMENT")]
	pub deployment: Option<PathBuf>,
	/// The Base private key that pays for posts (hex). Prefer `key-file` or the environment.
	#[arg(long, env = "SMARTNODES_BRIDGE_KEY", hide_env_values = true)]
	pub key: Option<String>,
	/// A file holding the Base private key (hex), instead of `key`.
	#[arg(long, env = "SMARTNODES_BRIDGE_KEY_FILE")]
	pub key_file: Option<PathBuf>,
	/// Base blocks (counting the one holding it) before a post counts as done (default 3).
	#[arg(long, env = "SMARTNODES_BRIDGE_CONFIRMATIONS")]
	pub confirmations: Option<u64>,
	/// Milliseconds between reads when idle, and between receipt polls (default 6000).
	#[arg(long, env = "SMARTNODES_BRIDGE_POLL_INTERVAL_MS")]
	pub poll_interval_ms: Option<u64>,
	/// Longest back-off after repeated transient errors, in seconds (default 60).
	#[arg(long, env = "SMARTNODES_BRIDGE_MAX_BACKOFF_SECS")]
	pub max_backoff_secs: Option<u64>,
	/// Timeout of one RPC request to either node, in seconds (default 10).
	#[arg(long, env = "SMARTNODES_BRIDGE_RPC_TIMEOUT_SECS")]
	pub rpc_timeout_secs: Option<u64>,
	/// Address of the Prometheus endpoint `/metrics` (default 127.0.0.1:9616; `off` for none;
	/// port 0 for any free port).
	#[arg(long, env = "SMARTNODES_BRIDGE_METRICS")]
	pub metrics: Option<String>,
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
	pub fn from_file(path: &Path) -> Result<Self> {
		let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
		Self::from_toml(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
	}

	/// `self`'s values, and `base`'s where `self` has none.
	pub fn over(self, base: Settings) -> Settings {
		let top = self;
		overlay!(
			top,
			base,
			chain_rpc,
			base_rpc,
			distributor,
			deployment,
			key,
			key_file,
			confirmations,
			poll_interval_ms,
			max_backoff_secs,
			rpc_timeout_secs,
			metrics
		)
	}

	/// The settings with defaults filled in and every value checked. The key is read here but
	/// parsed only by [`Config::signer`], since `status` does not need one.
	pub fn resolve(self) -> Result<Config> {
		let chain_rpc =
			url("chain-rpc", self.chain_rpc.as_deref().unwrap_or("http://127.0.0.1:9944"))?;
		let base_rpc =
			url("base-rpc", self.base_rpc.as_deref().unwrap_or("http://127.0.0.1:8545"))?;
		let deployment = self.deployment.as_deref().map(Deployment::from_file).transpose()?;
		let configured = self.distributor.as_deref().map(parse_address).transpose()?;
		let distributor = match (configured, &deployment) {
			(Some(a), Some(d)) if a != d.distributor => {
				return Err(Error::Config(format!(
					"distributor {a} differs from the deployment file's {}",
					d.distributor
				)))
			},
			(Some(a), _) => a,
			(None, Some(d)) => d.distributor,
			(None, None) => return Err(Error::Config("give `distributor` or `deployment`".into())),
		};
		let key = match (self.key, self.key_file) {
			(Some(_), Some(_)) => {
				return Err(Error::Config("give `key` or `key-file`, not both".into()))
			},
			(Some(key), None) => Some(Secret(key)),
			(None, Some(path)) => {
				let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
				Some(Secret(text.trim().to_string()))
			},
			(None, None) => None,
		};
		let confirmations = self.confirmations.unwrap_or(3);
		if confirmations == 0 {
			return Err(Error::Config("confirmations must be at least 1".into()));
		}
		let poll_interval = Duration::from_millis(self.poll_interval_ms.unwrap_or(6000).max(10));
		let metrics = match self.metrics.as_deref().unwrap_or(DEFAULT_METRICS).trim() {
			"off" | "none" | "" => None,
			text => Some(SocketAddr::from_str(text).map_err(|e| {
				Error::Config(format!(
					"metrics {text:?} is not an address such as 127.0.0.1:9616: {e}"
				))
			})?),
		};
		Ok(Config {
			chain_rpc,
			base_rpc,
			distributor,
			key,
			options: Options {
				confirmations,
				poll_interval,
				max_backoff: Duration::from_secs(self.max_backoff_secs.unwrap_or(60).max(1)),
				expected_chain_id: deployment.map(|d| d.chain_id),
			},
			rpc_timeout: Duration::from_secs(self.rpc_timeout_secs.unwrap_or(10).max(1)),
			metrics,
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

/// The relayer's resolved configuration.
#[derive(Clone, Debug)]
pub struct Config {
	pub chain_rpc: Url,
	pub base_rpc: Url,
	pub distributor: Address,
	/// The Base key; needed to relay, not to print the status.
	pub key: Option<Secret>,
	/// The loop's pacing, and the chain id of the deployment file if one was given.
	pub options: Options,
	pub rpc_timeout: Duration,
	/// Where `/metrics` is served, if anywhere.
	pub metrics: Option<SocketAddr>,
}

impl Config {
	/// The relayer's key. The error never repeats the key.
	pub fn signer(&self) -> Result<PrivateKeySigner> {
		let Some(Secret(key)) = &self.key else {
			return Err(Error::Key(
				"none given: set `key-file`, `key` or SMARTNODES_BRIDGE_KEY".into(),
			));
		};
		PrivateKeySigner::from_str(key.trim())
			.map_err(|_| Error::Key("not a secp256k1 private key of 32 bytes in hex".into()))
	}

	/// A JSON-RPC client of the chain node.
	pub fn chain_client(&self) -> Result<RpcClient> {
		rpc_client(self.chain_rpc.clone(), self.rpc_timeout)
	}

	/// A JSON-RPC client of the Base node.
	pub fn base_client(&self) -> Result<RpcClient> {
		rpc_client(self.base_rpc.clone(), self.rpc_timeout)
	}
}

/// The fields of a deployment file (`contracts/deployments/<chainId>.json`) the relayer uses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
	pub chain_id: u64,
	pub distributor: Address,
}

impl Deployment {
	pub fn from_file(path: &Path) -> Result<Self> {
		let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
		serde_json::from_str(&text)
			.map_err(|e| Error::Config(format!("deployment file {}: {e}", path.display())))
	}
}

/// Makes ring the process's TLS provider. reqwest is built without a default one (see the root
/// Cargo.toml) and panics when it builds a client without any, so a program that builds its own
/// HTTP clients or alloy providers calls this first; [`rpc_client`] does.
pub fn install_tls() {
	static TLS: Once = Once::new();
	TLS.call_once(|| {
		// An error means another provider is installed already, which serves as well.
		let _ = rustls::crypto::ring::default_provider().install_default();
	});
}

/// An HTTP JSON-RPC client whose requests time out.
pub fn rpc_client(url: Url, timeout: Duration) -> Result<RpcClient> {
	install_tls();
	let http = reqwest::Client::builder()
		.timeout(timeout)
		.connect_timeout(timeout)
		.build()
		.map_err(|e| Error::Config(format!("cannot build an HTTP client: {e}")))?;
	Ok(RpcClient::builder().http_with_client(http, url))
}

fn url(key: &str, text: &str) -> Result<Url> {
	let url = Url::parse(text.trim()).map_err(|e| Error::Config(format!("{key} {text:?}: {e}")))?;
	match url.scheme() {
		"http" | "https" => Ok(url),
		other => {
			Err(Error::Config(format!("{key}: only http and https are supported, not {other}")))
		},
	}
}

fn parse_address(text: &str) -> Result<Address> {
	Address::from_str(text.trim())
		.map_err(|_| Error::Config(format!("distributor {text:?} is not 0x and 20 bytes in hex")))
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloy::primitives::address;
	use std::io::Write;

	const ANVIL_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
	const DISTRIBUTOR: &str = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

	fn with_distributor() -> Settings {
		Settings { distributor: Some(DISTRIBUTOR.into()), ..Settings::default() }
	}

	#[test]
	fn defaults() {
		let config = with_distributor().resolve().unwrap();
		assert_eq!(config.chain_rpc.as_str(), "http://127.0.0.1:9944/");
		assert_eq!(config.base_rpc.as_str(), "http://127.0.0.1:8545/");
		assert_eq!(config.distributor, address!("e7f1725E7734CE288F8367e1Bb143E90bb3F0512"));
		assert_eq!(config.options.confirmations, 3);
		assert_eq!(config.options.poll_interval, Duration::from_secs(6));
		assert_eq!(config.options.max_backoff, Duration::from_secs(60));
		assert_eq!(config.options.expected_chain_id, None);
		assert_eq!(config.rpc_timeout, Duration::from_secs(10));
		assert_eq!(config.metrics, Some(SocketAddr::from(([127, 0, 0, 1], 9616))));
		assert!(config.key.is_none());
		assert!(matches!(config.signer(), Err(Error::Key(_))));
	}

	#[test]
	fn parses_every_key_of_a_file() {
		let text = format!(
			r#"
			chain-rpc = "http://10.0.0.1:9944"
			base-rpc = "https://sepolia.base.org"
			distributor = "{DISTRIBUTOR}"
			key = "{ANVIL_KEY}"
			confirmations = 5
			poll-interval-ms = 250
			max-backoff-secs = 30
			rpc-timeout-secs = 4
			metrics = "0.0.0.0:9700"
			"#
		);
		let config = Settings::from_toml(&text).unwrap().resolve().unwrap();
		assert_eq!(config.chain_rpc.as_str(), "http://10.0.0.1:9944/");
		assert_eq!(config.base_rpc.host_str(), Some("sepolia.base.org"));
		assert_eq!(config.options.confirmations, 5);
		assert_eq!(config.options.poll_interval, Duration::from_millis(250));
		assert_eq!(config.options.max_backoff, Duration::from_secs(30));
		assert_eq!(config.rpc_timeout, Duration::from_secs(4));
		assert_eq!(config.metrics, Some(SocketAddr::from(([0, 0, 0, 0], 9700))));
		assert_eq!(
			config.signer().unwrap().address(),
			address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
		);
	}

	#[test]
	fn unknown_keys_are_refused() {
		assert!(matches!(Settings::from_toml("base_rpc = \"x\""), Err(Error::Config(_))));
		assert!(matches!(Settings::from_toml("confirmation = 3"), Err(Error::Config(_))));
	}

	#[test]
	fn flags_override_the_file() {
		let file = Settings::from_toml(&format!(
			"distributor = \"{DISTRIBUTOR}\"\nconfirmations = 5\nmetrics = \"off\""
		))
		.unwrap();
		let flags = Settings { confirmations: Some(1), ..Settings::default() };
		let config = flags.over(file).resolve().unwrap();
		assert_eq!(config.options.confirmations, 1);
		assert_eq!(config.metrics, None);
	}

	#[test]
	fn takes_the_distributor_and_chain_id_from_a_deployment_file() {
		let mut file = tempfile::NamedTempFile::new().unwrap();
		write!(
			file,
			r#"{{"chainId": 84532, "dao": "0x0000000000000000000000000000000000000001",
			"distributor": "{DISTRIBUTOR}", "startBlock": 0, "validatorSetId": 0}}"#
		)
		.unwrap();
		let settings = Settings { deployment: Some(file.path().into()), ..Settings::default() };
		let config = settings.clone().resolve().unwrap();
		assert_eq!(config.distributor, address!("e7f1725E7734CE288F8367e1Bb143E90bb3F0512"));
		assert_eq!(config.options.expected_chain_id, Some(84532));
		// The same distributor twice is fine; two different ones are refused.
		let same = Settings { distributor: Some(DISTRIBUTOR.to_lowercase()), ..settings.clone() };
		assert!(same.resolve().is_ok());
		let other = Settings {
			distributor: Some("0x0000000000000000000000000000000000000002".into()),
			..settings
		};
		assert!(matches!(other.resolve(), Err(Error::Config(_))));
	}

	#[test]
	fn reads_the_key_from_a_file_and_never_shows_it() {
		let mut file = tempfile::NamedTempFile::new().unwrap();
		writeln!(file, "{ANVIL_KEY}").unwrap();
		let settings = Settings { key_file: Some(file.path().into()), ..with_distributor() };
		let config = settings.resolve().unwrap();
		assert!(config.signer().is_ok());
		assert!(!format!("{config:?}").contains(&ANVIL_KEY[2..]));
		let bad = Settings { key: Some("0x1234zz".into()), ..with_distributor() };
		let error = bad.resolve().unwrap().signer().unwrap_err();
		assert!(error.is_permanent());
		assert!(!error.to_string().contains("1234zz"));
	}

	#[test]
	fn invalid_values_are_refused() {
		let refused = |settings: Settings| matches!(settings.resolve(), Err(Error::Config(_)));
		assert!(refused(Settings::default()), "a distributor is required");
		assert!(refused(Settings { distributor: Some("0x12".into()), ..Settings::default() }));
		assert!(refused(Settings { base_rpc: Some("ws://x".into()), ..with_distributor() }));
		assert!(refused(Settings { chain_rpc: Some("not a url".into()), ..with_distributor() }));
		assert!(refused(Settings { confirmations: Some(0), ..with_distributor() }));
		assert!(refused(Settings { metrics: Some("9616".into()), ..with_distributor() }));
		assert!(refused(Settings {
			key: Some(ANVIL_KEY.into()),
			key_file: Some("k".into()),
			..with_distributor()
		}));
		assert!(matches!(
			Settings { deployment: Some("/nonexistent.json".into()), ..Settings::default() }
				.resolve(),
			Err(Error::Io { .. })
		));
	}
}
