//! Errors of the client and the CLI.

/// Everything that can go wrong talking to a node or reading a job file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The node could not be reached (not running, wrong URL, network down).
	#[error("cannot reach the node at {url}: {source}")]
	Unreachable { url: String, source: Box<ureq::Error> },
	/// The node answered with a JSON-RPC error.
	#[error("the node refused {method}: {message}")]
	Rpc { method: String, message: String },
	/// The node's answer is not what the method returns.
	#[error("unexpected answer to {method}: {detail}")]
	BadAnswer { method: String, detail: String },
	/// The transaction was included but failed.
	#[error("the transaction failed: {0}")]
	Dispatch(String),
	/// The transaction did not make it into a block in time.
	#[error("the transaction {hash} was not included within {blocks} blocks")]
	NotIncluded { hash: String, blocks: u32 },
	/// A job file is malformed.
	#[error("job file {path}: {detail}")]
	JobFile { path: String, detail: String },
	/// A file could not be read or written.
	#[error("{path}: {source}")]
	Io { path: String, source: std::io::Error },
	/// A worker's output does not hash to what the replicas agreed on.
	#[error("the output from {endpoint} hashes to {got:?}, not the agreed {expected:?}")]
	OutputMismatch { endpoint: String, expected: sp_core::H256, got: sp_core::H256 },
	/// No worker that produced the agreed output served it.
	#[error("no worker served the output of job {id}: {detail}")]
	NoOutput { id: u64, detail: String },
	/// Bad command-line input.
	#[error("{0}")]
	Usage(String),
}

impl Error {
	/// Whether trying again later may succeed (the node or a worker was briefly away).
	pub fn is_retryable(&self) -> bool {
		matches!(self, Self::Unreachable { .. } | Self::NotIncluded { .. } | Self::NoOutput { .. })
	}
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
