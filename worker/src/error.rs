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
	/// Code or input could not be fetched (unreachable, refused, bad URI).
	#[error("cannot fetch {what} from {uri}: {detail}")]
	Fetch { what: &'static str, uri: String, detail: String },
	/// Fetched code or input is larger than the worker accepts.
	#[error("{what} at {uri} is larger than the {max} bytes this worker fetches")]
	FetchTooLarge { what: &'static str, uri: String, max: u64 },
	/// A file or folder of the worker could not be read or written.
	#[error("{path}: {source}")]
	Io { path: String, source: std::io::Error },
	/// A stored record is not what this worker writes (corrupted or from another version).
	#[error("{path} is corrupt: {detail}")]
	Corrupt { path: String, detail: String },
	/// The configuration is incomplete or invalid.
	#[error("configuration: {0}")]
	Config(String),
	/// The node could not be asked, or answered something unexpected.
	#[error("node: {0}")]
	Chain(#[from] smartnodes_cli::Error),
	/// The HTTP server could not start or failed.
	#[error("server: {0}")]
	Server(String),
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

	/// Whether trying again later may succeed (a server or the node was briefly away).
	pub fn is_retryable(&self) -> bool {
		match self {
			Self::Fetch { .. } | Self::TimeLimit { .. } => true,
			Self::Chain(e) => e.is_retryable(),
			_ => false,
		}
	}

	/// A short tag for the failure, the same on every worker and every version for the same
	/// job: what a deterministic failure's output names.
	pub fn tag(&self) -> String {
		match self {
			Self::HashMismatch { .. } => "hash-mismatch".into(),
			Self::InvalidModule(_) => "invalid-module".into(),
			Self::MissingExport(name) => format!("missing-export:{name}"),
			Self::ForbiddenImport { .. } => "forbidden-import".into(),
			Self::OutOfFuel { .. } => "out-of-fuel".into(),
			Self::MemoryLimit { .. } => "memory-limit".into(),
			Self::TimeLimit { .. } => "time-limit".into(),
			Self::OutputTooLarge { .. } => "output-too-large".into(),
			Self::NoOutput => "no-output".into(),
			Self::OutputTwice => "output-twice".into(),
			Self::JobFailed(status) => format!("status:{status}"),
			Self::Trap(_) => "trap".into(),
			Self::UnsupportedKind(_) => "unsupported-kind".into(),
			Self::Engine(_) => "engine".into(),
			Self::Fetch { .. } => "fetch".into(),
			Self::FetchTooLarge { .. } => "fetch-too-large".into(),
			Self::Io { .. } => "io".into(),
			Self::Corrupt { .. } => "corrupt".into(),
			Self::Config(_) => "config".into(),
			Self::Chain(_) => "chain".into(),
			Self::Server(_) => "server".into(),
		}
	}

	pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
		Self::Io { path: path.display().to_string(), source }
	}
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
