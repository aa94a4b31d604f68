//! Errors of the worker.

use sp_core::H256;

/// Why a job could not be run, or ran and failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The code or input fetched does not hash to what the job names.
	#[error("{what} hashes to {got:?}, the job names {expected:?}")]
	HashMismatch { what: &'static str, expected: H256, got: H256 },
	/// The code is not a valid WebAssembly module.
	#[error("invalid WebAssembly module: {0}")]
	InvalidModule(String),
	/// The module lacks an export the job ABI requires.
	#[error("the module does not export `{0}` (see the job ABI)")]
	MissingExport(&'static str),
	/// The module asks for something the sandbox does not provide (files, clock, network...).
	#[error("the module imports `{module}.{name}`; only `smartnodes.output` is provided")]
	ForbiddenImport { module: String, name: String },
	/// The job used all its fuel.
	#[error("the job ran out of fuel ({limit} units)")]
	OutOfFuel { limit: u64 },
	/// The job asked for more memory than its limit.
	#[error("the job exceeded its memory limit of {limit_mib} MiB")]
	MemoryLimit { limit_mib: u32 },
	/// The job ran longer than its wall-time limit.
	#[error("the job exceeded its time limit of {limit_ms} ms")]
	TimeLimit { limit_ms: u32 },
	/// The output is larger than the worker accepts.
	#[error("the output is {len} bytes, more than the {max} allowed")]
	OutputTooLarge { len: usize, max: usize },
	/// The job returned without calling `smartnodes.output`.
	#[error("the job produced no output")]
	NoOutput,
	/// The job called `smartnodes.output` twice.
	#[error("the job produced its output twice")]
	OutputTwice,
	/// The job returned a non-zero status: it failed by its own account.
	#[error("the job failed with status {0}")]
	JobFailed(i32),
	/// The job trapped (out-of-bounds access, unreachable, division by zero...).
	#[error("the job trapped: {0}")]
	Trap(String),
	/// No executor runs this kind of job.
	#[error("no executor for jobs of kind {0:?}")]
	UnsupportedKind(smartnodes_primitives::compute::JobKind),
	/// The sandbox could not be set up.
	#[error("the sandbox could not be set up: {0}")]
	Engine(String),
}

impl Error {
	/// Whether the failure belongs to the job itself, so every honest replica meets the same
	/// one (as opposed to this worker's environment).
	pub fn is_deterministic(&self) -> bool {
		matches!(
			self,
			Self::InvalidModule(_)
				| Self::MissingExport(_)
				| Self::ForbiddenImport { .. }
				| Self::OutOfFuel { .. }
				| Self::MemoryLimit { .. }
				| Self::OutputTooLarge { .. }
				| Self::NoOutput
				| Self::OutputTwice
				| Self::JobFailed(_)
				| Self::Trap(_)
		)
	}
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
