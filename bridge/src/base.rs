//! The Base side: reads what the `RewardDistributor` holds, simulates and sends posts, and
//! follows a sent transaction until it has enough confirmations or leaves the chain.

use crate::{
	bindings::{IRewardDistributor::RootCommitment, RewardDistributor},
	decide::Post,
	error::Revert,
	Error, Result,
};
use alloy::{
	eips::BlockId,
	network::TransactionBuilder,
	primitives::{Address, TxHash, B256, U256},
	providers::Provider,
	rpc::types::{TransactionReceipt, TransactionRequest},
	sol_types::SolCall,
	transports::{RpcError, TransportError},
};
use std::time::Duration;
use tokio::sync::OnceCell;

const TARGET: &str = "bridge::base";

/// Polls after which a sent transaction that neither has a receipt nor is known to the node counts
/// as dropped (a load-balanced endpoint may briefly not know a transaction it just accepted).
const DROPPED_AFTER_POLLS: u32 = 3;

/// Extra gas over the estimate, in percent: the estimate is exact for the state it ran on, and a
/// due pending root activated by the call changes the storage it writes.
const GAS_MARGIN_PERCENT: u64 = 20;

/// What the distributor holds, read at one Base block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseState {
	/// The block the contract was read at.
	pub block: u64,
	/// `validatorSetId()`.
	pub set_id: u64,
	/// `lastPeriod()`: the highest period accepted, pending or vetoed ones included.
	pub last_period: u64,
	/// `pendingRoot()`, if a root waits out its delay.
	pub pending: Option<PendingRoot>,
	/// `paused()`.
	pub paused: bool,
	/// The relayer account's nonces, when there is a relayer account.
	pub own_nonces: Option<Nonces>,
}

/// A root inside its delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingRoot {
	pub period: u64,
	pub root: B256,
	pub activates_at: u64,
}

/// An account's nonce as of the latest block and with its pool transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nonces {
	pub latest: u64,
	pub pending: u64,
}

/// How a sent transaction ended.
#[derive(Debug)]
pub enum TxOutcome {
	/// Mined successfully, with the configured confirmations on top.
	Confirmed(Box<TransactionReceipt>),
	/// Mined, but reverted (another relayer was faster, or Base changed in between).
	Reverted(Box<TransactionReceipt>),
	/// Was mined, then its block left the chain.
	Reorged,
	/// Neither mined nor known to the node any more.
	Dropped,
}

/// The result of trying to send a post.
#[derive(Debug)]
pub enum Attempt {
	/// Sent; the transaction's hash.
	Sent(TxHash),
	/// The simulation or the gas estimate reverted: the transaction was not sent.
	Refused(Revert),
}

/// The distributor on Base, through `P`.
pub struct Base<P> {
	provider: P,
	distributor: RewardDistributor::RewardDistributorInstance<P>,
	/// The account that sends posts, if any (none for read-only use).
	sender: Option<Address>,
	/// Base's chain id, read (with the distributor's code checked) on first use.
	chain_id: OnceCell<u64>,
}

impl<P: Provider + Clone> Base<P> {
	/// The distributor at `distributor`; posts are sent from `sender`, whose key `provider`'s
	/// wallet must hold.
	pub fn new(provider: P, distributor: Address, sender: Option<Address>) -> Self {
		let instance = RewardDistributor::new(distributor, provider.clone());
		Self { provider, distributor: instance, sender, chain_id: OnceCell::new() }
	}

	pub fn provider(&self) -> &P {
		&self.provider
	}

	pub fn distributor(&self) -> Address {
		*self.distributor.address()
	}

	pub fn sender(&self) -> Option<Address> {
		self.sender
	}

	/// Base's chain id. The first call also checks that the distributor has code there.
	pub async fn chain_id(&self) -> Result<u64> {
		self.chain_id.get_or_try_init(|| self.check_deployment()).await.copied()
	}

	async fn check_deployment(&self) -> Result<u64> {
		let chain_id =
			self.provider.get_chain_id().await.map_err(|e| Error::base("eth_chainId", e))?;
		let code = self
			.provider
			.get_code_at(self.distributor())
			.await
			.map_err(|e| Error::base("eth_getCode", e))?;
		if code.is_empty() {
			return Err(Error::NoCode { address: self.distributor(), chain_id });
		}
		Ok(chain_id)
	}

	/// The sender's nonces: latest first, so that a transaction mined in between shows as still
	/// pending (a wait) rather than as gone (a possible second post).
	pub async fn nonces(&self, account: Address) -> Result<Nonces> {
		let count = |e| Error::base("eth_getTransactionCount", e);
		let latest = self.provider.get_transaction_count(account).latest().await.map_err(count)?;
		let pending =
			self.provider.get_transaction_count(account).pending().await.map_err(count)?;
		Ok(Nonces { latest, pending })
	}

	/// Reads the distributor at the latest block. The sender's nonces are read before the block,
	/// so every transaction of the sender that the state does not show is counted as pending.
	pub async fn state(&self) -> Result<BaseState> {
		let own_nonces = match self.sender {
			Some(sender) => Some(self.nonces(sender).await?),
			None => None,
		};
		let block = self
			.provider
			.get_block_number()
			.await
			.map_err(|e| Error::base("eth_blockNumber", e))?;
		let at = BlockId::number(block);
		let d = &self.distributor;
		let (set_id, last_period, pending, paused) = tokio::try_join!(
			async { d.validatorSetId().block(at).call().await.map_err(call("validatorSetId")) },
			async { d.lastPeriod().block(at).call().await.map_err(call("lastPeriod")) },
			async { d.pendingRoot().block(at).call().await.map_err(call("pendingRoot")) },
			async { d.paused().block(at).call().await.map_err(call("paused")) },
		)?;
		let pending = (pending.activatesAt != 0).then_some(PendingRoot {
			period: pending.period,
			root: pending.root,
			activates_at: pending.activatesAt,
		});
		Ok(BaseState { block, set_id, last_period, pending, paused, own_nonces })
	}

	/// The transaction that makes `post`, from the sender.
	pub async fn request(&self, post: &Post) -> Result<TransactionRequest> {
		let input = match post {
			Post::SetUpdate(update) => RewardDistributor::updateValidatorSetCall {
				newSetId: update.set_id,
				newValidators: update.validators.clone(),
				signatures: update.signatures.clone(),
			}
			.abi_encode(),
			Post::Root(root) => RewardDistributor::submitRootCall {
				commitment: RootCommitment {
					chainId: U256::from(self.chain_id().await?),
					distributor: self.distributor(),
					period: root.period,
					root: root.root,
					total: root.total,
					validatorSetId: root.validator_set_id,
				},
				signatures: root.signatures.clone(),
			}
			.abi_encode(),
		};
		let mut request =
			TransactionRequest::default().with_to(self.distributor()).with_input(input);
		if let Some(sender) = self.sender {
			request.set_from(sender);
		}
		Ok(request)
	}

	/// Runs `post` with `eth_call` on the latest block: `Some` with the distributor's reason if
	/// it would revert.
	pub async fn simulate(&self, post: &Post) -> Result<Option<Revert>> {
		let request = self.request(post).await?;
		match self.provider.call(request).await {
			Ok(_) => Ok(None),
			Err(e) => revert_of(&e).map(Some).ok_or_else(|| Error::base("eth_call", e)),
		}
	}

	/// Estimates and sends `post` with `nonce`. Does not wait for it to be mined.
	pub async fn send(&self, post: &Post, nonce: u64) -> Result<Attempt> {
		let request = self.request(post).await?.with_nonce(nonce);
		let estimate = match self.provider.estimate_gas(request.clone()).await {
			Ok(gas) => gas,
			Err(e) => {
				return revert_of(&e)
					.map(Attempt::Refused)
					.ok_or_else(|| Error::base("eth_estimateGas", e))
			},
		};
		let margin = estimate.saturating_mul(GAS_MARGIN_PERCENT) / 100;
		let request = request.with_gas_limit(estimate.saturating_add(margin));
		match self.provider.send_transaction(request).await {
			Ok(pending) => Ok(Attempt::Sent(*pending.tx_hash())),
			Err(e) => match revert_of(&e) {
				Some(revert) => Ok(Attempt::Refused(revert)),
				None => Err(Error::base("eth_sendRawTransaction", e)),
			},
		}
	}

	/// Follows `hash` until it is `confirmations` blocks deep (the block that holds it counts as
	/// one), reverted, reorganized out, or dropped.
	pub async fn confirm(
		&self,
		hash: TxHash,
		confirmations: u64,
		poll: Duration,
	) -> Result<TxOutcome> {
		let mut mined_in: Option<u64> = None;
		let mut missing_polls = 0u32;
		loop {
			let receipt = self
				.provider
				.get_transaction_receipt(hash)
				.await
				.map_err(|e| Error::base("eth_getTransactionReceipt", e))?;
			match receipt {
				Some(receipt) => {
					missing_polls = 0;
					if !receipt.status() {
						return Ok(TxOutcome::Reverted(Box::new(receipt)));
					}
					if let Some(number) = receipt.block_number {
						if mined_in.is_some_and(|before| before != number) {
							tracing::info!(target: TARGET, %hash, block = number, "transaction moved to another block by a reorganization");
						}
						mined_in = Some(number);
						let head = self
							.provider
							.get_block_number()
							.await
							.map_err(|e| Error::base("eth_blockNumber", e))?;
						if head.saturating_sub(number).saturating_add(1) >= confirmations {
							return Ok(TxOutcome::Confirmed(Box::new(receipt)));
						}
					}
				},
				None if mined_in.is_some() => return Ok(TxOutcome::Reorged),
				None => {
					let known = self
						.provider
						.get_transaction_by_hash(hash)
						.await
						.map_err(|e| Error::base("eth_getTransactionByHash", e))?;
					missing_polls =
						if known.is_some() { 0 } else { missing_polls.saturating_add(1) };
					if missing_polls >= DROPPED_AFTER_POLLS {
						return Ok(TxOutcome::Dropped);
					}
				},
			}
			tokio::time::sleep(poll).await;
		}
	}
}

/// Maps a failed contract read to an error.
fn call(what: &'static str) -> impl Fn(alloy::contract::Error) -> Error {
	move |e| match e {
		alloy::contract::Error::TransportError(source) => Error::base(what, source),
		other => Error::BaseCall { what, detail: other.to_string() },
	}
}

/// The distributor's reason, if the node refused a call because it reverts.
fn revert_of(error: &TransportError) -> Option<Revert> {
	let RpcError::ErrorResp(payload) = error else { return None };
	match payload.as_revert_data() {
		Some(data) => Some(Revert::decode(&data)),
		None if payload.message.contains("revert") => Some(Revert::decode(&[])),
		None => None,
	}
}
