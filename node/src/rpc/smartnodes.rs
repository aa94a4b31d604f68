//! `smartnodes_*` RPC methods, backed by the coordinator's runtime API.
//!
//! - `smartnodes_currentPeriod`: the open round (period, proposers, proposals and their votes).
//! - `smartnodes_rewardProof(address)`: the last finalized reward root, its period, the
//!   account's cumulative amount and its Merkle proof, ready for `RewardDistributor.claim`.
//!
//! A proof needs the whole table of the passed period. The node takes it from its off-chain
//! storage, where its off-chain worker kept the table it voted for, or else reads it through the
//! runtime API at the block the root passed (a state a pruned node keeps for a while), checks
//! that it reproduces the passed root, and keeps the tree in memory until the next root.

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_coordinator::offchain::{table_key, StoredTable};
use pallet_coordinator_runtime_api::{CoordinatorApi, PassedView, RoundView};
use parking_lot::Mutex;
use serde::Serialize;
use smartnodes_primitives::{bridge_key::EthAddress, rewards::RewardTree, Balance};
use smartnodes_runtime::{opaque::Block, AccountId};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{offchain::OffchainStorage, H256};
use std::sync::Arc;

/// JSON-RPC error codes of this module.
pub mod code {
	/// No reward root has been finalized yet.
	pub const NO_ROOT: i32 = 7001;
	/// The node cannot produce the passed table (pruned state and no off-chain copy).
	pub const TABLE_UNAVAILABLE: i32 = 7002;
	/// The table this node computes does not hash to the passed root.
	pub const ROOT_MISMATCH: i32 = 7003;
	/// A runtime API call failed.
	pub const RUNTIME: i32 = 7004;
}

pub(crate) fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.into(), None::<()>)
}

/// An account's claim on Base: `RewardDistributor.claim(account, cumulativeAmount, proof)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardProof {
	pub period: u64,
	pub root: H256,
	/// Sum of the table, in wei (decimal string: it exceeds JSON's safe integers).
	pub total: String,
	pub validator_set_id: u64,
	pub account: EthAddress,
	/// Everything the account ever earned, in wei (decimal string); "0" if it is not in the table.
	pub cumulative_amount: String,
	pub proof: Vec<H256>,
	/// Whether the account has a leaf (a proof of nothing is empty).
	pub included: bool,
	/// The block the root passed in.
	pub passed_at: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposalJson {
	pub index: u32,
	pub proposer: String,
	pub root: H256,
	pub total: String,
	pub leaf_count: u32,
	pub set_id: u64,
	pub votes: u32,
	pub voters: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentPeriod {
	pub period: u64,
	pub opened_at: u64,
	pub open_to_all_at: u64,
	pub next_period_end: u64,
	pub proposers: Vec<String>,
	pub set_id: u64,
	pub set_size: u32,
	pub threshold: u32,
	pub passed: bool,
	pub proposals: Vec<ProposalJson>,
}

impl From<RoundView<AccountId>> for CurrentPeriod {
	fn from(r: RoundView<AccountId>) -> Self {
		Self {
			period: r.period,
			opened_at: r.opened_at,
			open_to_all_at: r.open_to_all_at,
			next_period_end: r.next_period_end,
			proposers: r.proposers.iter().map(ToString::to_string).collect(),
			set_id: r.set_id,
			set_size: r.set_size,
			threshold: r.threshold,
			passed: r.passed,
			proposals: r
				.proposals
				.into_iter()
				.map(|p| ProposalJson {
					index: p.index,
					proposer: p.proposer.to_string(),
					root: p.root,
					total: p.total.to_string(),
					leaf_count: p.leaf_count,
					set_id: p.set_id,
					votes: p.voters.len() as u32,
					voters: p.voters.iter().map(ToString::to_string).collect(),
				})
				.collect(),
		}
	}
}

#[rpc(server)]
pub trait SmartnodesApi {
	/// The open state-update round at the best block: `null` before the first period closes.
	#[method(name = "smartnodes_currentPeriod")]
	fn current_period(&self) -> RpcResult<Option<CurrentPeriod>>;

	/// The proof of `account`'s cumulative reward under the last finalized reward root.
	#[method(name = "smartnodes_rewardProof", blocking)]
	fn reward_proof(&self, account: EthAddress) -> RpcResult<RewardProof>;
}

/// A passed table held in memory: one tree per root, rebuilt when a new root passes.
#[derive(Default)]
pub struct RewardTables {
	current: Mutex<Option<Arc<LoadedTable>>>,
}

pub struct LoadedTable {
	period: u64,
	root: H256,
	entries: Vec<(EthAddress, Balance)>,
	tree: RewardTree,
}

pub struct Smartnodes<C, B> {
	client: Arc<C>,
	backend: Arc<B>,
	tables: Arc<RewardTables>,
}

impl<C, B> Smartnodes<C, B> {
	pub fn new(client: Arc<C>, backend: Arc<B>, tables: Arc<RewardTables>) -> Self {
		Self { client, backend, tables }
	}
}

impl<C, B> Smartnodes<C, B>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CoordinatorApi<Block, AccountId>,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
{
	/// The table of `passed`, from off-chain storage or the runtime API, checked against its root.
	fn load(&self, passed: &PassedView<AccountId>) -> RpcResult<Arc<LoadedTable>> {
		let period = passed.commitment.period;
		let root = passed.commitment.root;
		if let Some(table) = self.tables.current.lock().as_ref() {
			if table.period == period && table.root == root {
				return Ok(table.clone());
			}
		}
		let mut entries = match self.offchain_table(period, root) {
			Some(entries) => entries,
			None => self.runtime_table(passed)?,
		};
		// Sorted by account (already so, in practice): `reward_proof` binary-searches it.
		let tree = RewardTree::from_entries(&mut entries);
		if tree.root() != root {
			return Err(error(
				code::ROOT_MISMATCH,
				format!(
					"this node's table of period {period} has root {:?}, not {root:?}",
					tree.root()
				),
			));
		}
		let table = Arc::new(LoadedTable { period, root, entries, tree });
		*self.tables.current.lock() = Some(table.clone());
		Ok(table)
	}

	/// The table of `passed`'s period read through the runtime API at the block it passed in.
	fn runtime_table(
		&self,
		passed: &PassedView<AccountId>,
	) -> RpcResult<Vec<(EthAddress, Balance)>> {
		let period = passed.commitment.period;
		let block = u32::try_from(passed.passed_at)
			.ok()
			.and_then(|n| self.client.hash(n).ok().flatten())
			.ok_or_else(|| {
				error(code::TABLE_UNAVAILABLE, "the block the root passed in is unknown")
			})?;
		self.client
			.runtime_api()
			.reward_table(block, period)
			.map_err(|e| {
				error(
					code::TABLE_UNAVAILABLE,
					format!(
						"cannot read period {period}'s table at block {}: {e} (query a validator, \
						 or run with --state-pruning archive)",
						passed.passed_at
					),
				)
			})?
			.map_err(|e| error(code::TABLE_UNAVAILABLE, format!("{e:?}")))
	}

	fn offchain_table(&self, period: u64, root: H256) -> Option<Vec<(EthAddress, Balance)>> {
		use codec::Decode;
		let storage = self.backend.offchain_storage()?;
		let raw = storage.get(sp_offchain::STORAGE_PREFIX, &table_key(period))?;
		let table = StoredTable::decode(&mut &raw[..]).ok()?;
		(table.root == root).then_some(table.entries)
	}
}

impl<C, B> SmartnodesApiServer for Smartnodes<C, B>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CoordinatorApi<Block, AccountId>,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
{
	fn current_period(&self) -> RpcResult<Option<CurrentPeriod>> {
		let best = self.client.info().best_hash;
		let round = self
			.client
			.runtime_api()
			.current_round(best)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(round.map(Into::into))
	}

	fn reward_proof(&self, account: EthAddress) -> RpcResult<RewardProof> {
		let finalized = self.client.info().finalized_hash;
		let passed = self
			.client
			.runtime_api()
			.latest_passed(finalized)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?
			.ok_or_else(|| error(code::NO_ROOT, "no reward root has been finalized yet"))?;
		let table = self.load(&passed)?;
		let found = table.entries.binary_search_by_key(&account, |(a, _)| *a).ok();
		let (amount, proof) = match found {
			Some(index) => (
				table.entries.get(index).map_or(0, |(_, v)| *v),
				table.tree.proof(index).unwrap_or_default(),
			),
			None => (0, Vec::new()),
		};
		Ok(RewardProof {
			period: passed.commitment.period,
			root: passed.commitment.root,
			total: passed.commitment.total.to_string(),
			validator_set_id: passed.commitment.validator_set_id,
			account,
			cumulative_amount: amount.to_string(),
			proof,
			included: found.is_some(),
			passed_at: passed.passed_at,
		})
	}
}
