//! The chain side: the Smartnodes node's JSON-RPC, read at GRANDPA-finalized blocks only.

use crate::{status::BridgeStatus, Error, Result};
use alloy::{
	primitives::{Bytes, B256},
	rpc::client::RpcClient,
};
use std::future::Future;

const TARGET: &str = "bridge::chain";

/// Storage key of `pallet_timestamp::Now` (`twox128("Timestamp") ++ twox128("Now")`).
const TIMESTAMP_NOW_KEY: &str =
	"0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb";

/// Where the relayer learns what to post. The node's RPC in production ([`RpcChain`]); a fixed or
/// scripted status in tests.
pub trait ChainSource: Send + Sync {
	/// The bridge's status at the chain's latest finalized block.
	fn status(&self) -> impl Future<Output = Result<BridgeStatus>> + Send;

	/// When chain block `number` was built, in Unix milliseconds, if known. Used only for the
	/// lag metric.
	fn block_time_ms(&self, number: u64) -> impl Future<Output = Result<Option<u64>>> + Send {
		let _ = number;
		async { Ok(None) }
	}
}

/// The Smartnodes node's JSON-RPC over HTTP.
#[derive(Clone)]
pub struct RpcChain {
	client: RpcClient,
}

impl RpcChain {
	pub fn new(client: RpcClient) -> Self {
		Self { client }
	}

	/// `chain_getFinalizedHead`: the hash of the latest block GRANDPA finalized.
	pub async fn finalized_head(&self) -> Result<B256> {
		const METHOD: &str = "chain_getFinalizedHead";
		self.client.request_noparams(METHOD).await.map_err(|e| Error::chain(METHOD, e))
	}

	/// `smartnodes_bridgeStatus` at block `at`.
	pub async fn bridge_status(&self, at: B256) -> Result<BridgeStatus> {
		const METHOD: &str = "smartnodes_bridgeStatus";
		self.client.request(METHOD, [at]).await.map_err(|e| Error::chain(METHOD, e))
	}
}

impl ChainSource for RpcChain {
	async fn status(&self) -> Result<BridgeStatus> {
		let head = self.finalized_head().await?;
		let status = self.bridge_status(head).await?;
		tracing::trace!(target: TARGET, number = status.at.number, hash = %head, "finalized status");
		Ok(status)
	}

	async fn block_time_ms(&self, number: u64) -> Result<Option<u64>> {
		const HASH: &str = "chain_getBlockHash";
		const STORAGE: &str = "state_getStorage";
		let hash: Option<B256> =
			self.client.request(HASH, [number]).await.map_err(|e| Error::chain(HASH, e))?;
		let Some(hash) = hash else { return Ok(None) };
		let value: Option<Bytes> = self
			.client
			.request(STORAGE, (TIMESTAMP_NOW_KEY, hash))
			.await
			.map_err(|e| Error::chain(STORAGE, e))?;
		// SCALE u64: eight bytes, little-endian.
		Ok(value.and_then(|bytes| <[u8; 8]>::try_from(bytes.as_ref()).ok()).map(u64::from_le_bytes))
	}
}
