//! The `smartnodes-bridge` command line: `relay` and `status`.

use crate::{
	base::{Base, BaseState},
	chain::{ChainSource, RpcChain},
	config::{Config, Settings},
	decide::{decide, Decision},
	error::redact_urls,
	metrics::Metrics,
	relayer::{check_status, Relayer},
	status::BridgeStatus,
	Error, Result,
};
use alloy::providers::{Provider, ProviderBuilder};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

const TARGET: &str = "bridge";

/// Relays the Smartnodes chain's finalized validator-set updates and reward roots to the
/// RewardDistributor on Base. Permissionless: any funded Base key can relay, and several
/// relayers may run at once.
#[derive(Parser)]
#[command(name = "smartnodes-bridge", version)]
pub struct Cli {
	#[command(subcommand)]
	pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
	/// Relay until SIGINT or SIGTERM (or a permanent error, exit status 1).
	Relay(Args),
	/// Print the chain's and Base's bridge state once, and what a relayer would post next.
	Status {
		#[command(flatten)]
		args: Args,
		/// Print JSON instead of text.
		#[arg(long)]
		json: bool,
	},
}

/// Where the settings come from: a file, overridden by flags and environment variables.
#[derive(clap::Args)]
pub struct Args {
	/// A TOML file with the settings (keys as the flags' names: `base-rpc = "..."`).
	#[arg(long, short, env = "SMARTNODES_BRIDGE_CONFIG")]
	pub config: Option<PathBuf>,
	#[command(flatten)]
	pub settings: Settings,
}

impl Args {
	/// The file's settings overridden by the flags', resolved.
	pub fn load(self) -> Result<Config> {
		let file = match &self.config {
			Some(path) => Settings::from_file(path)?,
			None => Settings::default(),
		};
		self.settings.over(file).resolve()
	}
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
	let runtime = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(2)
		.enable_all()
		.build()
		.map_err(|e| Error::Config(format!("cannot start the runtime: {e}")))?;
	match cli.command {
		Command::Relay(args) => runtime.block_on(relay(args.load()?)),
		Command::Status { args, json } => runtime.block_on(status(args.load()?, json)),
	}
}

async fn relay(config: Config) -> Result<()> {
	let signer = config.signer()?;
	let sender = signer.address();
	let provider = ProviderBuilder::new().wallet(signer).connect_client(config.base_client()?);
	let base = Base::new(provider, config.distributor, Some(sender));
	let chain = RpcChain::new(config.chain_client()?);
	let metrics = Metrics::new()?;
	let server = match config.metrics {
		Some(listen) => {
			let (bound, task) = metrics.serve(listen, std::future::pending()).await?;
			tracing::info!(target: TARGET, "metrics at http://{bound}/metrics");
			Some(task)
		},
		None => None,
	};
	tracing::info!(
		target: TARGET,
		relayer = %sender,
		distributor = %config.distributor,
		chain = %redact_urls(config.chain_rpc.as_str()),
		base = %redact_urls(config.base_rpc.as_str()),
		confirmations = config.options.confirmations,
		"relaying"
	);
	match base.provider().get_balance(sender).await {
		Ok(balance) if balance.is_zero() => {
			tracing::warn!(target: TARGET, "{sender} holds no ETH on Base: fund it to pay for posts")
		},
		Ok(_) => {},
		Err(e) => tracing::debug!(target: TARGET, "cannot read the relayer's balance: {e}"),
	}
	let relayer = Relayer::new(chain, base, config.options, metrics);
	let result = relayer.run_until(shutdown_signal()).await;
	if let Some(task) = server {
		task.abort();
	}
	result
}

async fn status(config: Config, json: bool) -> Result<()> {
	let provider = ProviderBuilder::new().connect_client(config.base_client()?);
	let base = Base::new(provider, config.distributor, None);
	let chain = RpcChain::new(config.chain_client()?);
	let chain_id = base.chain_id().await?;
	if let Some(expected) = config.options.expected_chain_id.filter(|e| *e != chain_id) {
		return Err(Error::WrongChainId { base: chain_id, expected, what: "the deployment file" });
	}
	let status = chain.status().await?;
	check_status(&status, chain_id, config.distributor)?;
	let state = base.state().await?;
	let decision = decide(&status, &state);
	if json {
		println!("{}", status_json(&status, &state, chain_id, &decision));
	} else {
		print!("{}", status_text(&status, &state, chain_id, &decision));
	}
	Ok(())
}

fn next(decision: &Decision) -> String {
	match decision {
		Decision::Post(post) => format!("post {post}"),
		Decision::Wait(wait) => wait.to_string(),
	}
}

fn status_json(
	status: &BridgeStatus,
	state: &BaseState,
	chain_id: u64,
	decision: &Decision,
) -> serde_json::Value {
	let root = status.latest_passed.as_ref();
	serde_json::json!({
		"chain": {
			"finalizedBlock": status.at.number,
			"finalizedHash": status.at.hash,
			"validatorSetId": status.validator_set.set_id,
			"setUpdates": status.set_updates.iter().map(|u| serde_json::json!({
				"setId": u.set_id, "signatures": u.signatures.len(), "threshold": u.threshold,
				"complete": u.complete,
			})).collect::<Vec<_>>(),
			"latestPassed": root.map(|r| serde_json::json!({
				"period": r.period, "root": r.root, "total": r.total.to_string(),
				"validatorSetId": r.validator_set_id, "passedAt": r.passed_at,
			})),
		},
		"base": {
			"chainId": chain_id,
			"distributor": status.distributor,
			"block": state.block,
			"validatorSetId": state.set_id,
			"lastPeriod": state.last_period,
			"pendingRoot": state.pending.map(|p| serde_json::json!({
				"period": p.period, "root": p.root, "activatesAt": p.activates_at,
			})),
			"paused": state.paused,
		},
		"next": match decision {
			Decision::Post(post) => serde_json::json!({ "post": post.kind(), "what": post.to_string() }),
			Decision::Wait(wait) => serde_json::json!({ "wait": wait.to_string() }),
		},
	})
}

fn status_text(
	status: &BridgeStatus,
	state: &BaseState,
	chain_id: u64,
	decision: &Decision,
) -> String {
	let root = match &status.latest_passed {
		Some(r) => format!(
			"period {} (root {}, total {}, set {}, passed at block {})",
			r.period, r.root, r.total, r.validator_set_id, r.passed_at
		),
		None => "none".into(),
	};
	let updates = status
		.set_updates
		.iter()
		.map(|u| format!("set {} ({}/{})", u.set_id, u.signatures.len(), u.threshold))
		.collect::<Vec<_>>()
		.join(", ");
	let pending = match state.pending {
		Some(p) => format!("period {} until {}", p.period, p.activates_at),
		None => "none".into(),
	};
	format!(
		"chain: finalized block {} ({})\n  validator set {}\n  set updates: {}\n  newest passed root: {root}\n\
		 base: chain {chain_id}, distributor {}, block {}\n  validator set {}\n  last period {}\n  pending root: {pending}\n  paused: {}\n\
		 next: {}\n",
		status.at.number,
		status.at.hash,
		status.validator_set.set_id,
		if updates.is_empty() { "none".into() } else { updates },
		status.distributor,
		state.block,
		state.set_id,
		state.last_period,
		state.paused,
		next(decision),
	)
}

/// Completes at SIGINT or SIGTERM.
async fn shutdown_signal() {
	#[cfg(unix)]
	{
		use tokio::signal::unix::{signal, SignalKind};
		match signal(SignalKind::terminate()) {
			Ok(mut term) => {
				tokio::select! {
					_ = tokio::signal::ctrl_c() => {},
					_ = term.recv() => {},
				}
				return;
			},
			Err(e) => tracing::warn!(target: TARGET, "cannot watch SIGTERM: {e}"),
		}
	}
	let _ = tokio::signal::ctrl_c().await;
}
