//! Re-execution for audits: a validator's node runs a completed job again with the worker's own
//! fetcher, sandbox and failure semantics ([`runner::execute`]), so an honest worker's result
//! and the auditor's agree byte for byte.

use crate::{
	executor::Executors, fetch::Fetcher, metrics::Metrics, runner, wasm::WasmExecutor, Result,
};
use smartnodes_primitives::{
	compute::{JobKind, Limits},
	dispatch::Fetch,
};
use sp_core::H256;
use std::path::Path;

/// Runs jobs again for audits.
pub struct Auditor {
	fetcher: Fetcher,
	executors: Executors,
}

impl Auditor {
	/// An auditor caching code and input under `data_dir`, fetching at most `max_fetch_bytes`
	/// per blob and accepting outputs of at most `max_output_bytes` (the workers' defaults are
	/// 256 MiB and 16 MiB).
	pub fn new(data_dir: &Path, max_fetch_bytes: u64, max_output_bytes: usize) -> Result<Self> {
		let fetcher = Fetcher::new(data_dir, max_fetch_bytes, false, Metrics::new()?)?;
		let executors = Executors::default().with(WasmExecutor::new(max_output_bytes)?);
		Ok(Self { fetcher, executors })
	}

	/// The output hash and fuel of the job, or why there is no verdict (the code or input
	/// cannot be fetched or does not match its hash, or the run failed for a reason that is not
	/// the job's, such as its time limit on this machine). Blocks while the job runs.
	pub fn reproduce(
		&self,
		kind: JobKind,
		code: &Fetch,
		input: &Fetch,
		limits: &Limits,
	) -> Result<(H256, u64)> {
		let code = self.fetcher.get("code", code)?;
		let input = self.fetcher.get("input", input)?;
		let (execution, _) = runner::execute(&self.executors, kind, &code, &input, limits)?;
		Ok((execution.output_hash(), execution.fuel_used))
	}
}
