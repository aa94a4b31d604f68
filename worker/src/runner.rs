//! Runs a job and seals the result: a fresh salt, the commitment
//! ([`result_commitment`]) and the identity key's signature over [`commit_payload`].
//!
//! A failure that belongs to the job ([`Error::is_deterministic`]) is a result like any other,
//! one every honest replica agrees on: the output `smartnodes:failed:<tag>` and all the job's
//! fuel. Any other failure (time limit, engine) gives no commitment.

use crate::{
	config::Fault,
	executor::{Execution, Executors},
	identity,
	store::Sealed,
	wasm::WasmExecutor,
	Error, Result,
};
use smartnodes_primitives::{
	compute::{commit_payload, result_commitment, JobKind, Limits},
	dispatch::JobOrder,
};
use sp_core::{crypto::Pair as _, ed25519, H256};

/// What a deterministic failure's output starts with; the failure's tag follows.
pub const FAILED_PREFIX: &[u8] = b"smartnodes:failed:";

/// The output every honest replica produces for a job that fails with `error`.
pub fn failure_output(error: &Error) -> Vec<u8> {
	let mut output = FAILED_PREFIX.to_vec();
	output.extend_from_slice(error.tag().as_bytes());
	output
}

/// Runs a job the way every honest replica does: a failure that belongs to the job becomes the
/// result `smartnodes:failed:<tag>` with all the job's fuel (the tag is returned with it); any
/// other failure is an error, and no result.
pub fn execute(
	executors: &Executors,
	kind: JobKind,
	code: &[u8],
	input: &[u8],
	limits: &Limits,
) -> Result<(Execution, Option<String>)> {
	match executors.get(kind).and_then(|executor| executor.execute(code, input, limits)) {
		Ok(execution) => Ok((execution, None)),
		Err(e) if e.is_deterministic() => {
			Ok((Execution { output: failure_output(&e), fuel_used: limits.fuel }, Some(e.tag())))
		},
		Err(e) => Err(e),
	}
}

/// What a run comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// A result to commit to, with its output.
	Sealed { output: Vec<u8>, sealed: Sealed },
	/// No commitment: the run failed for a reason of this worker's.
	Failed { reason: String },
}

/// Runs jobs and seals their results.
pub struct Runner {
	executors: Executors,
	identity: ed25519::Pair,
	genesis: H256,
	fault: Option<Fault>,
}

impl Runner {
	/// A runner with the WebAssembly executor (outputs up to `max_output` bytes) that signs for
	/// the chain with `genesis`.
	pub fn new(
		max_output: usize,
		identity: ed25519::Pair,
		genesis: H256,
		fault: Option<Fault>,
	) -> Result<Self> {
		let executors = Executors::default().with(WasmExecutor::new(max_output)?);
		Ok(Self { executors, identity, genesis, fault })
	}

	pub fn identity(&self) -> [u8; 32] {
		self.identity.public().0
	}

	/// Runs `order` on `code` and `input` (already checked against their hashes). Blocks for as
	/// long as the job runs.
	pub fn run(&self, order: &JobOrder, code: &[u8], input: &[u8]) -> Outcome {
		let (execution, failure) =
			match execute(&self.executors, order.kind, code, input, &order.limits) {
				Ok(done) => done,
				Err(e) => {
					tracing::warn!(target: "worker::run", job = order.job, "no result: {e}");
					return Outcome::Failed { reason: e.to_string() };
				},
			};
		if let Some(tag) = &failure {
			tracing::info!(target: "worker::run", job = order.job, "the job failed: {tag}");
		}
		match self.seal(order, &execution, failure) {
			Ok(sealed) => Outcome::Sealed { output: execution.output, sealed },
			Err(e) => Outcome::Failed { reason: e.to_string() },
		}
	}

	/// Commits to `execution` with a fresh salt and signs the commitment.
	pub fn seal(
		&self,
		order: &JobOrder,
		execution: &Execution,
		failure: Option<String>,
	) -> Result<Sealed> {
		let output_hash = match self.fault {
			None => execution.output_hash(),
			Some(Fault::WrongOutput) => {
				let mut corrupted = execution.output.clone();
				corrupted.push(b'x');
				tracing::warn!(target: "worker::run", job = order.job, "fault: wrong output");
				H256(sp_io::hashing::blake2_256(&corrupted))
			},
		};
		let salt = identity::random32()?;
		let identity = self.identity();
		let commitment =
			result_commitment(order.job, &identity, &output_hash, execution.fuel_used, &salt);
		let signature =
			self.identity.sign(&commit_payload(&self.genesis, order.job, &commitment)).0;
		Ok(Sealed {
			output_hash,
			fuel_used: execution.fuel_used,
			salt,
			commitment,
			signature,
			failure,
		})
	}
}
