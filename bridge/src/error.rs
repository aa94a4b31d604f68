//! Errors of the relayer, sorted into permanent ones (the relayer exits and says what to fix) and
//! transient ones (it backs off and tries again).

use alloy::{
	primitives::{Address, Bytes},
	sol_types::SolInterface,
	transports::{RpcError, TransportError},
};

use crate::bindings::RewardDistributor::RewardDistributorErrors;

/// JSON-RPC "method not found".
const METHOD_NOT_FOUND: i64 = -32601;

#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The configuration is incomplete or invalid.
	#[error("configuration: {0}")]
	Config(String),
	/// The relayer's Base key cannot be read or parsed. The message never contains the key.
	#[error("relayer key: {0}")]
	Key(String),
	/// A file could not be read.
	#[error("{path}: {source}")]
	Io { path: String, source: std::io::Error },
	/// The chain node could not be reached, or answered with an error. URLs in the detail are
	/// cut to their host, as they may carry an API key.
	#[error("chain node, {method}: {detail}")]
	ChainRpc { method: &'static str, detail: String },
	/// The chain node does not know a method the relayer needs.
	#[error(
		"the chain node does not serve `{method}`: point chain-rpc at a smartnodes-node with \
		 the bridge RPC"
	)]
	ChainMethodMissing { method: &'static str },
	/// The chain node's answer does not have the shape this relayer reads.
	#[error("the chain node's `{method}` answer does not match this relayer's version: {detail}")]
	ChainAnswer { method: &'static str, detail: String },
	/// The Base node could not be reached, or answered with an error (URLs cut to their host).
	#[error("Base, {what}: {detail}")]
	BaseRpc { what: &'static str, detail: String },
	/// A contract call failed in a way that is not a revert of the distributor.
	#[error("Base, {what}: {detail}")]
	BaseCall { what: &'static str, detail: String },
	/// The Base node is on another network than the chain or the deployment signs for.
	#[error("the Base node is chain {base}, but {what} is for chain {expected}")]
	WrongChainId { base: u64, expected: u64, what: &'static str },
	/// The chain signs for another distributor than the one configured.
	#[error(
		"the chain signs for distributor {chain}, but this relayer is configured for {configured}"
	)]
	WrongDistributor { configured: Address, chain: Address },
	/// There is no contract at the configured distributor address.
	#[error("no contract at {address} on Base chain {chain_id}: wrong distributor or network")]
	NoCode { address: Address, chain_id: u64 },
	/// The metrics server could not start.
	#[error("metrics: {0}")]
	Metrics(String),
}

impl Error {
	/// Whether the relayer should stop: retrying cannot help until an operator fixes something.
	pub fn is_permanent(&self) -> bool {
		matches!(
			self,
			Self::Config(_)
				| Self::Key(_)
				| Self::Io { .. }
				| Self::ChainMethodMissing { .. }
				| Self::ChainAnswer { .. }
				| Self::WrongChainId { .. }
				| Self::WrongDistributor { .. }
				| Self::NoCode { .. }
				| Self::Metrics(_)
		)
	}

	/// Whether trying again later may succeed (a node was away, slow or lagging).
	pub fn is_retryable(&self) -> bool {
		!self.is_permanent()
	}

	/// A short tag for the `failures_total` metric.
	pub fn kind(&self) -> &'static str {
		match self {
			Self::ChainRpc { .. } => "chain-rpc",
			Self::BaseRpc { .. } | Self::BaseCall { .. } => "base-rpc",
			_ => "permanent",
		}
	}

	/// A chain node's error for `method`, sorted: a missing method or an answer of the wrong shape
	/// is permanent, anything else transient.
	pub fn chain(method: &'static str, source: TransportError) -> Self {
		match &source {
			RpcError::ErrorResp(payload) if payload.code == METHOD_NOT_FOUND => {
				Self::ChainMethodMissing { method }
			},
			RpcError::DeserError { err, .. } => {
				Self::ChainAnswer { method, detail: err.to_string() }
			},
			_ => Self::ChainRpc { method, detail: redact_urls(&source.to_string()) },
		}
	}

	pub(crate) fn base(what: &'static str, source: TransportError) -> Self {
		Self::BaseRpc { what, detail: redact_urls(&source.to_string()) }
	}

	pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
		Self::Io { path: path.display().to_string(), source }
	}
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` with every URL cut to its scheme and host (and port): RPC providers put API keys in
/// the path, the query or the user info, and HTTP errors quote the URL.
pub fn redact_urls(text: &str) -> String {
	let mut out = String::with_capacity(text.len());
	let mut rest = text;
	while let Some(at) = rest.find("://") {
		let (before, after) = rest.split_at(at);
		out.push_str(before);
		out.push_str("://");
		let after = after.trim_start_matches("://");
		let end = after
			.find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | ','))
			.unwrap_or(after.len());
		let (url, tail) = after.split_at(end);
		let authority = url.split(['/', '?', '#']).next().unwrap_or_default();
		let host = authority.rsplit('@').next().unwrap_or_default();
		out.push_str(host);
		let path = url.get(authority.len()..).unwrap_or_default();
		if host.len() < authority.len() || !matches!(path, "" | "/") {
			out.push_str("/…");
		}
		rest = tail;
	}
	out.push_str(rest);
	out
}

/// Why the distributor refuses a call, decoded from the revert data with the contract's ABI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revert {
	/// One of the distributor's custom errors (or an inherited one such as `EnforcedPause`).
	Known(RewardDistributorErrors),
	/// Revert data the ABI does not describe.
	Unknown(Bytes),
}

impl Revert {
	/// Decodes revert data.
	pub fn decode(data: &[u8]) -> Self {
		match RewardDistributorErrors::abi_decode(data) {
			Ok(known) => Self::Known(known),
			Err(_) => Self::Unknown(Bytes::copy_from_slice(data)),
		}
	}

	/// The error's name, as in the contract (`PeriodNotIncreasing`), or `unknown`.
	pub fn name(&self) -> &'static str {
		match self {
			Self::Known(error) => {
				RewardDistributorErrors::name_by_selector(error.selector()).unwrap_or("unknown")
			},
			Self::Unknown(_) => "unknown",
		}
	}

	/// Whether the call is refused because what it posts is already on Base, or is superseded:
	/// another relayer got there first.
	pub fn is_already_done(&self) -> bool {
		matches!(
			self,
			Self::Known(
				RewardDistributorErrors::PeriodNotIncreasing(_)
					| RewardDistributorErrors::InvalidValidatorSetId(_)
					| RewardDistributorErrors::PendingRootExists(_)
			)
		)
	}
}

impl std::fmt::Display for Revert {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			// The variant's Debug form carries the fields by name:
			// `PeriodNotIncreasing(PeriodNotIncreasing { period: 5, lastPeriod: 5 })`.
			Self::Known(error) => {
				let debug = format!("{error:?}");
				let fields = debug
					.split_once('(')
					.and_then(|(_, rest)| rest.strip_suffix(')'))
					.unwrap_or(&debug);
				f.write_str(fields)
			},
			Self::Unknown(data) => write!(f, "unknown revert data {data}"),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::bindings::RewardDistributor;
	use alloy::{
		primitives::U256, rpc::json_rpc::ErrorPayload, sol_types::SolError,
		transports::TransportErrorKind,
	};

	fn error_response(code: i64) -> TransportError {
		RpcError::ErrorResp(ErrorPayload { code, message: "no".into(), data: None })
	}

	#[test]
	fn urls_are_cut_to_their_host() {
		assert_eq!(
			redact_urls("error sending request for url (https://base.example/v2/SECRET?k=SECRET)"),
			"error sending request for url (https://base.example/…)"
		);
		assert_eq!(
			redact_urls("http://user:SECRET@127.0.0.1:8545 down"),
			"http://127.0.0.1:8545/… down"
		);
		assert_eq!(redact_urls("http://127.0.0.1:9944"), "http://127.0.0.1:9944");
		assert_eq!(
			redact_urls("at http://127.0.0.1:9944/, twice"),
			"at http://127.0.0.1:9944, twice"
		);
		assert_eq!(redact_urls("no url here"), "no url here");
		let error = Error::base(
			"eth_call",
			TransportErrorKind::custom_str("GET https://x.example/key/SECRET failed"),
		);
		assert!(!error.to_string().contains("SECRET"), "{error}");
	}

	#[test]
	fn chain_errors_are_sorted_into_permanent_and_transient() {
		let missing = Error::chain("smartnodes_bridgeStatus", error_response(-32601));
		assert!(matches!(missing, Error::ChainMethodMissing { .. }));
		assert!(missing.is_permanent());
		let busy = Error::chain("smartnodes_bridgeStatus", error_response(-32000));
		assert!(busy.is_retryable());
		assert_eq!(busy.kind(), "chain-rpc");
		let down = Error::chain("chain_getFinalizedHead", TransportErrorKind::backend_gone());
		assert!(down.is_retryable());
		let shape = serde_json::from_str::<u64>("\"x\"").unwrap_err();
		let wrong = Error::chain(
			"smartnodes_bridgeStatus",
			RpcError::DeserError { err: shape, text: "x".into() },
		);
		assert!(matches!(wrong, Error::ChainAnswer { .. }));
		assert!(wrong.is_permanent());
		let base = Error::base("eth_call", TransportErrorKind::backend_gone());
		assert!(base.is_retryable());
		assert_eq!(base.kind(), "base-rpc");
	}

	#[test]
	fn reverts_decode_to_named_errors() {
		let data = RewardDistributor::PeriodNotIncreasing { period: 5, lastPeriod: 7 }.abi_encode();
		let revert = Revert::decode(&data);
		assert_eq!(revert.name(), "PeriodNotIncreasing");
		assert_eq!(revert.to_string(), "PeriodNotIncreasing { period: 5, lastPeriod: 7 }");
		assert!(revert.is_already_done());

		let paused = Revert::decode(&RewardDistributor::EnforcedPause {}.abi_encode());
		assert_eq!(
			(paused.name(), paused.to_string().as_str()),
			("EnforcedPause", "EnforcedPause")
		);
		assert!(!paused.is_already_done());

		let signer = Revert::decode(
			&RewardDistributor::UnknownSigner { index: U256::from(2u64), signer: Address::ZERO }
				.abi_encode(),
		);
		assert_eq!(signer.name(), "UnknownSigner");
		assert!(!signer.is_already_done());
		for done in [
			RewardDistributor::InvalidValidatorSetId { setId: 1, expected: 2 }.abi_encode(),
			RewardDistributor::PendingRootExists { period: 1, activatesAt: 9 }.abi_encode(),
		] {
			assert!(Revert::decode(&done).is_already_done());
		}

		let unknown = Revert::decode(&[1, 2, 3, 4]);
		assert_eq!(unknown.name(), "unknown");
		assert_eq!(unknown.to_string(), "unknown revert data 0x01020304");
	}
}
