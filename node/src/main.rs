//! The Smartnodes validator node.

// `sc_cli::Error` and `sc_service::Error` are large by upstream's design and every command
// returns them; boxing them here would only add indirection.
#![allow(clippy::result_large_err)]

mod audit;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
