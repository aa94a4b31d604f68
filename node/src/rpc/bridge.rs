//! `smartnodes_bridgeStatus`: everything a relayer posts to Base and everything a dashboard or
//! test checks about the bridge, at one block (the finalized head unless a block hash is given,
//! since a relayer must only carry what GRANDPA finalized).
//!
//! Amounts are decimal strings (they exceed JSON's safe integers); hashes, addresses and
//! signatures `0x`-hex.

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_bridge_runtime_api::{BridgeApi, BridgeView, SetUpdateView, StreamView, SupplyView};
use pallet_coordinator_runtime_api::{CoordinatorApi, PassedView};
use serde::Serialize;
use smartnodes_primitives::bridge_key::EthAddress;
use smartnodes_runtime::{opaque::Block, AccountId};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use std::sync::Arc;

use super::smartnodes::{code, error};

fn hex_sig(signature: &[u8; 65]) -> String {
	format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&signature.as_slice()))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockRef {
	pub number: u32,
	pub hash: H256,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorSetJson {
	pub set_id: u64,
	pub validators: Vec<EthAddress>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetUpdateJson {
	pub set_id: u64,
	pub validators: Vec<EthAddress>,
	pub signer_set_id: u64,
	pub signer_set: Vec<EthAddress>,
	pub threshold: u32,
	pub signatures: Vec<String>,
	pub signers: Vec<EthAddress>,
	/// Enough signatures for `RewardDistributor.updateValidatorSet`.
	pub complete: bool,
}

impl From<SetUpdateView> for SetUpdateJson {
	fn from(u: SetUpdateView) -> Self {
		Self {
			set_id: u.set_id,
			complete: u.signatures.len() as u32 >= u.threshold,
			validators: u.validators,
			signer_set_id: u.signer_set_id,
			signer_set: u.signer_set,
			threshold: u.threshold,
			signatures: u.signatures.iter().map(hex_sig).collect(),
			signers: u.signers,
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassedJson {
	pub period: u64,
	pub root: H256,
	pub total: String,
	pub validator_set_id: u64,
	pub signatures: Vec<String>,
	pub signers: Vec<EthAddress>,
	pub passed_at: u64,
}

impl From<PassedView<AccountId>> for PassedJson {
	fn from(p: PassedView<AccountId>) -> Self {
		Self {
			period: p.commitment.period,
			root: p.commitment.root,
			total: p.commitment.total.to_string(),
			validator_set_id: p.commitment.validator_set_id,
			signatures: p.signatures.iter().map(hex_sig).collect(),
			signers: p.signers,
			passed_at: p.passed_at,
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamJson {
	pub next_nonce: u64,
	pub last_base_block: u64,
	/// `[nonce, most votes of any version]`.
	pub attesting: Vec<(u64, u32)>,
	pub ready: Vec<u64>,
}

impl From<StreamView> for StreamJson {
	fn from(s: StreamView) -> Self {
		Self {
			next_nonce: s.next_nonce,
			last_base_block: s.last_base_block,
			attesting: s.attesting,
			ready: s.ready,
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplyJson {
	pub genesis_issuance: String,
	pub issuance: String,
	pub deposited: String,
	pub refunded: String,
	pub withdrawn: String,
	pub burned: String,
	pub job_payments: String,
	pub emitted: String,
	pub expected_issuance: String,
}

impl From<SupplyView> for SupplyJson {
	fn from(s: SupplyView) -> Self {
		Self {
			genesis_issuance: s.genesis_issuance.to_string(),
			issuance: s.issuance.to_string(),
			deposited: s.deposited.to_string(),
			refunded: s.refunded.to_string(),
			withdrawn: s.withdrawn.to_string(),
			burned: s.burned.to_string(),
			job_payments: s.job_payments.to_string(),
			emitted: s.emitted.to_string(),
			expected_issuance: s.expected_issuance.to_string(),
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeStatus {
	pub at: BlockRef,
	pub chain_id: u64,
	pub distributor: EthAddress,
	pub dao: EthAddress,
	pub confirmations: u32,
	pub start_block: u64,
	/// The set in office: the one that signs roots now.
	pub validator_set: ValidatorSetJson,
	pub queued_set_id: u64,
	pub set_updates: Vec<SetUpdateJson>,
	pub latest_passed: Option<PassedJson>,
	pub deposits: StreamJson,
	pub decisions: StreamJson,
	pub supply: SupplyJson,
}

impl BridgeStatus {
	fn new(at: BlockRef, view: BridgeView, passed: Option<PassedView<AccountId>>) -> Self {
		Self {
			at,
			chain_id: view.chain_id,
			distributor: view.distributor,
			dao: view.dao,
			confirmations: view.confirmations,
			start_block: view.start_block,
			validator_set: ValidatorSetJson { set_id: view.set_id, validators: view.validators },
			queued_set_id: view.queued_set_id,
			set_updates: view.set_updates.into_iter().map(Into::into).collect(),
			latest_passed: passed.map(Into::into),
			deposits: view.deposits.into(),
			decisions: view.decisions.into(),
			supply: view.supply.into(),
		}
	}
}

#[rpc(server)]
pub trait BridgeStatusApi {
	/// The bridge at block `at` (default: the finalized head).
	#[method(name = "smartnodes_bridgeStatus")]
	fn bridge_status(&self, at: Option<H256>) -> RpcResult<BridgeStatus>;
}

pub struct Bridge<C> {
	client: Arc<C>,
}

impl<C> Bridge<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> BridgeStatusApiServer for Bridge<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: BridgeApi<Block> + CoordinatorApi<Block, AccountId>,
{
	fn bridge_status(&self, at: Option<H256>) -> RpcResult<BridgeStatus> {
		let hash = at.unwrap_or_else(|| self.client.info().finalized_hash);
		let number = self
			.client
			.number(hash)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?
			.ok_or_else(|| error(code::RUNTIME, format!("unknown block {hash:?}")))?;
		let api = self.client.runtime_api();
		let view = api.bridge_status(hash).map_err(|e| error(code::RUNTIME, e.to_string()))?;
		let passed = api.latest_passed(hash).map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(BridgeStatus::new(BlockRef { number, hash }, view, passed))
	}
}
