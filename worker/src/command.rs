//! The `smartnodes-worker` command line: `run`, `register`, `identity` and `example`.

use crate::{
	chain::{self, RpcChain},
	config::{Config, Fault, Settings},
	daemon::{self, Daemon},
	identity, Result,
};
use clap::{Parser, Subcommand};
use sp_core::crypto::Pair as _;
use std::{path::PathBuf, time::Duration};

/// A Smartnodes worker: runs the compute jobs its validator dispatches and serves the results.
#[derive(Parser)]
#[command(name = "smartnodes-worker", version)]
pub struct Cli {
	#[command(subcommand)]
	pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
	/// Run the daemon (until SIGINT or SIGTERM).
	Run(RunArgs),
	/// Register the account as a worker (`register_worker`, holding the deposit) and wait for
	/// the transaction's inclusion.
	Register(Args),
	/// Print the identity public key (generated in the data directory on first use).
	Identity(Args),
	/// Write one of the example jobs' WebAssembly modules (`hash-chain`, `matmul`, `sieve`), to
	/// try a network with.
	Example {
		#[arg(value_parser = ["hash-chain", "matmul", "sieve"])]
		name: String,
		/// Where to write the module.
		#[arg(long)]
		out: PathBuf,
	},
}

/// Where the settings come from: a file, overridden by flags and environment variables.
#[derive(clap::Args)]
pub struct Args {
	/// A TOML file with the settings (keys as the flags' names: `data-dir = "..."`).
	#[arg(long, short, env = "SMARTNODES_WORKER_CONFIG")]
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

#[derive(clap::Args)]
pub struct RunArgs {
	#[command(flatten)]
	pub args: Args,
	/// Register the account as a worker first if it is not one.
	#[arg(long)]
	pub register: bool,
	/// FOR FAULT TESTS ONLY: misbehave on purpose. `wrong-output` commits to (and reveals) a
	/// hash that is not the output's, which the chain must catch and punish. Never set it on a
	/// real worker.
	#[arg(long, value_enum, hide_short_help = true)]
	pub fault: Option<Fault>,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
	match cli.command {
		Command::Example { name, out } => {
			let code = match name.as_str() {
				"matmul" => crate::examples::MATMUL,
				"sieve" => crate::examples::SIEVE,
				_ => crate::examples::HASH_CHAIN,
			};
			std::fs::write(&out, code).map_err(|e| {
				crate::Error::Server(format!("cannot write {}: {e}", out.display()))
			})?;
			Ok(())
		},
		Command::Identity(args) => {
			let config = args.load()?;
			let pair = identity::load_or_create(&config.data_dir)?;
			println!("0x{}", hex::encode(pair.public().0));
			Ok(())
		},
		Command::Register(args) => {
			let config = args.load()?;
			let signer = daemon::account(&config)?;
			let identity = identity::load_or_create(&config.data_dir)?.public().0;
			let registration = daemon::registration(&config, identity)?;
			let chain = RpcChain::new(&config.node);
			chain::register(chain.client(), &signer, &registration)?;
			println!("registered {} with identity 0x{}", config.endpoint, hex::encode(identity));
			Ok(())
		},
		Command::Run(RunArgs { args, register, fault }) => {
			let mut config = args.load()?;
			config.fault = fault;
			let runtime = tokio::runtime::Builder::new_multi_thread()
				.enable_all()
				.build()
				.map_err(|e| crate::Error::Server(format!("cannot start the runtime: {e}")))?;
			let result = runtime.block_on(async move {
				Daemon::start(config, register).await?.run_until_signal().await
			});
			// Runs that outlived the grace run again on the next start; do not wait for them.
			runtime.shutdown_timeout(Duration::from_secs(1));
			result
		},
	}
}
