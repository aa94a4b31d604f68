//! What runs a job: one executor per job kind, so a network with a new kind needs a new
//! executor here, not a new chain.

use crate::{Error, Result};
use smartnodes_primitives::compute::JobKind;
pub use smartnodes_primitives::compute::Limits;
use sp_core::H256;

/// A finished run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
	pub output: Vec<u8>,
	/// Fuel consumed, which replicas must agree on as they agree on the output.
	pub fuel_used: u64,
}

impl Execution {
	/// The blake2-256 hash of the output, as committed on chain.
	pub fn output_hash(&self) -> H256 {
		H256(sp_io::hashing::blake2_256(&self.output))
	}
}

/// Runs jobs of one kind.
pub trait Executor: Send + Sync {
	fn kind(&self) -> JobKind;

	/// Runs `code` on `input` within `limits`. Deterministic: the same arguments give the same
	/// result on every machine.
	fn execute(&self, code: &[u8], input: &[u8], limits: &Limits) -> Result<Execution>;
}

/// The executors a worker has, by kind.
#[derive(Default)]
pub struct Executors {
	executors: Vec<Box<dyn Executor>>,
}

impl Executors {
	pub fn with(mut self, executor: impl Executor + 'static) -> Self {
		self.executors.retain(|e| e.kind() != executor.kind());
		self.executors.push(Box::new(executor));
		self
	}

	pub fn get(&self, kind: JobKind) -> Result<&dyn Executor> {
		self.executors
			.iter()
			.find(|e| e.kind() == kind)
			.map(|e| e.as_ref())
			.ok_or(Error::UnsupportedKind(kind))
	}
}

/// Checks fetched bytes against the hash the job names.
pub fn verify_hash(what: &'static str, bytes: &[u8], expected: &H256) -> Result<()> {
	let got = H256(sp_io::hashing::blake2_256(bytes));
	if got == *expected {
		Ok(())
	} else {
		Err(Error::HashMismatch { what, expected: *expected, got })
	}
}
