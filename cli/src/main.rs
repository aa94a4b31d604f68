//! `smartnodes`: the user CLI.

use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use smartnodes_cli::{user, Client, Error, Result};
use sp_core::crypto::{Pair as _, Ss58Codec};
use std::{io::Write, path::PathBuf, time::Duration};

/// Submit compute jobs to Smartnodes and fetch their verified results.
#[derive(Debug, Parser)]
#[command(name = "smartnodes", version)]
struct Cli {
	/// The node's JSON-RPC endpoint.
	#[arg(long, global = true, default_value = "http://127.0.0.1:9944", env = "SMARTNODES_RPC")]
	url: String,
	/// The signing key: a dev path (`//Alice`), a mnemonic or a 0x seed.
	#[arg(long, global = true, env = "SMARTNODES_SURI")]
	suri: Option<String>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Register the signer as a user (holds 100 SNO while registered).
	RegisterUser,
	/// Submit the job described in a JSON file; prints its id.
	Submit { file: PathBuf },
	/// Print a job; with --follow, every change until it is final.
	Status {
		id: u64,
		#[arg(long)]
		follow: bool,
	},
	/// Fetch a completed job's output from a worker and check its hash.
	Result {
		id: u64,
		/// Write the output here instead of standard output.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Cancel a job still waiting for assignment.
	Cancel { id: u64 },
	/// List the signer's (or an account's) jobs.
	Jobs {
		#[arg(long)]
		account: Option<String>,
	},
	/// List the networks.
	Networks,
	/// The workers of a network with their reputation.
	Workers { network: u32 },
	/// The signer's (or an account's) standing as a worker and a user.
	Standing {
		#[arg(long)]
		account: Option<String>,
	},
	/// Send SNO to an account (SS58), e.g. `transfer 5F... 2000`.
	Transfer { to: String, amount: String },
	/// Burn SNO on the chain and owe it to a Base address, claimable on Base once the period's
	/// reward root is there (at least 1 SNO).
	Withdraw { to: String, amount: String },
	/// Create a network for WebAssembly jobs with the sudo key (dev and local chains only).
	CreateNetwork {
		name: String,
		/// Lowest worker score admitted (0 to 10,000).
		#[arg(long, default_value_t = 0)]
		min_reputation: u32,
		/// Least a job may pay per replica, in SNO.
		#[arg(long, default_value = "0.01")]
		price_floor: String,
	},
}

fn sno(amount: &str) -> Result<u128> {
	smartnodes_cli::job::parse_sno(amount)
		.ok_or_else(|| Error::Usage(format!("{amount:?} is not an amount of SNO (e.g. 12.5)")))
}

fn print(value: &Value) {
	println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

fn run(cli: Cli) -> Result<()> {
	let client = Client::new(&cli.url);
	let signer = || {
		let suri = cli.suri.as_deref().ok_or_else(|| {
			Error::Usage(
				"this command signs a transaction: give --suri (or SMARTNODES_SURI)".into(),
			)
		})?;
		user::signer(suri)
	};
	let account = |given: &Option<String>| -> Result<String> {
		match given {
			Some(a) => Ok(a.clone()),
			None => Ok(signer()?.public().to_ss58check()),
		}
	};
	match &cli.command {
		Command::RegisterUser => {
			user::register_user(&client, &signer()?)?;
			eprintln!("registered");
		},
		Command::Submit { file } => {
			let id = user::submit(&client, &signer()?, file)?;
			println!("{id}");
		},
		Command::Status { id, follow: false } => print(&user::status(&client, *id)?),
		Command::Status { id, follow: true } => {
			user::follow(&client, *id, Duration::from_secs(2), |job| {
				let status = job.get("status").and_then(Value::as_str).unwrap_or("?");
				let replicas = job.get("replicas").and_then(Value::as_array).map_or(0, Vec::len);
				eprintln!("job {id}: {status} ({replicas} replicas)");
			})
			.map(|job| print(&job))?;
		},
		Command::Result { id, out } => {
			let bytes = user::fetch_output(&client, *id)?;
			match out {
				Some(path) => std::fs::write(path, &bytes)
					.map_err(|source| Error::Io { path: path.display().to_string(), source })?,
				None => std::io::stdout()
					.write_all(&bytes)
					.map_err(|source| Error::Io { path: "stdout".into(), source })?,
			}
		},
		Command::Cancel { id } => {
			user::cancel(&client, &signer()?, *id)?;
			eprintln!("cancelled job {id}");
		},
		Command::Jobs { account: given } => {
			print(&client.rpc("smartnodes_jobsOf", json!([account(given)?]))?)
		},
		Command::Networks => print(&client.rpc("smartnodes_networks", json!([]))?),
		Command::Workers { network } => {
			print(&client.rpc("smartnodes_networkWorkers", json!([network]))?)
		},
		Command::Standing { account: given } => {
			print(&client.rpc("smartnodes_standing", json!([account(given)?]))?)
		},
		Command::Transfer { to, amount } => {
			user::transfer(&client, &signer()?, to, sno(amount)?)?;
			eprintln!("sent {amount} SNO to {to}");
		},
		Command::Withdraw { to, amount } => {
			user::withdraw(&client, &signer()?, to, sno(amount)?)?;
			eprintln!("withdrew {amount} SNO to {to} on Base (claimable once the period passes)");
		},
		Command::CreateNetwork { name, min_reputation, price_floor } => {
			user::create_wasm_network(
				&client,
				&signer()?,
				name,
				*min_reputation,
				sno(price_floor)?,
			)?;
			eprintln!("created network {name:?}");
		},
	}
	Ok(())
}

fn main() {
	if let Err(error) = run(Cli::parse()) {
		eprintln!("error: {error}");
		std::process::exit(if error.is_retryable() { 75 } else { 1 });
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	#[test]
	fn the_command_line_is_well_formed() {
		Cli::command().debug_assert();
		let cli = Cli::try_parse_from(["smartnodes", "--suri", "//Eve", "status", "7", "--follow"])
			.unwrap();
		assert!(matches!(cli.command, Command::Status { id: 7, follow: true }));
		assert!(Cli::try_parse_from(["smartnodes", "status", "seven"]).is_err());
	}
}
