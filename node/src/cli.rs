//! Command-line interface of `smartnodes-node`.

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys into the keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated upstream in favour of `export-chain-spec`).
	#[deprecated(note = "use export-chain-spec")]
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallet weights (`benchmark pallet --runtime <wasm>`), blocks and the machine.
	/// Only in a node built with `--features runtime-benchmarks` (`scripts/benchmark` does):
	/// the benchmarking CLI brings a large tree of crates no validator needs.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// `smartnodes-node [subcommand] [options]`.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[clap(flatten)]
	pub smartnodes: SmartnodesArgs,
}

/// Options of Smartnodes' own services.
#[derive(Debug, Clone, clap::Args)]
pub struct SmartnodesArgs {
	/// JSON-RPC endpoint of Base (Anvil locally) this validator reads deposits and DAO decisions
	/// from, to attest them on the chain. Without it the node attests nothing (it still signs
	/// validator-set updates and votes).
	#[arg(long, value_name = "URL", env = "SMARTNODES_BASE_RPC_URL")]
	pub base_rpc_url: Option<String>,
}
