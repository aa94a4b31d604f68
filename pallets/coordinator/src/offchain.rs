//! The validators' off-chain worker: builds the open round's reward table from the chain's
//! record, then proposes it (when drawn, or once proposing is open to all) and votes for the
//! proposal that matches it, signing with the node's bridge key (`snbr` in the keystore).
//!
//! The table of a period is read from state once (every reward account: the one pass over a
//! million accounts happens here, never in a block), its root computed in place, and the result
//! kept in the node's persistent off-chain storage:
//! - `smartnodes::table-summary::<period>`: `(closing parent hash, root, total, leaf count)`, so
//!   later blocks of the round cost nothing;
//! - `smartnodes::table::<period>`: `(root, total, entries)`, which the node's
//!   `smartnodes_rewardProof` RPC serves proofs from.
//!
//! A proposal or vote is sent once and again only if it has not landed `RESEND_AFTER` blocks
//! later (it may have been dropped from the pool); the mark is kept in local off-chain storage.

use crate::{pallet::*, Period, RewardsLedger, SigningSet, LOG_TARGET};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use smartnodes_primitives::{
	bridge_key::{self, EthAddress},
	rewards::{reward_leaf, root_of},
	Balance,
};
use sp_core::H256;
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration,
	},
	traits::{One, Saturating},
	SaturatedConversion,
};

/// Off-chain storage key of a period's table summary.
pub fn summary_key(period: Period) -> Vec<u8> {
	(b"smartnodes::table-summary::", period).encode()
}

/// Off-chain storage key of a period's full table.
pub fn table_key(period: Period) -> Vec<u8> {
	(b"smartnodes::table::", period).encode()
}

/// Tables kept in off-chain storage: the open round's and a few before it.
const TABLES_KEPT: Period = 4;

/// Blocks before a proposal or vote that has not landed is sent again.
const RESEND_AFTER: u32 = 10;

/// A period's table as this node computed it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct TableSummary {
	/// Hash of the parent of the block that closed the period: the table is a function of the
	/// chain up to it, so a reorg below it gets a fresh table.
	pub closed_on: H256,
	pub root: H256,
	pub total: Balance,
	pub leaf_count: u32,
}

/// A full table, as stored for the RPC.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct StoredTable {
	pub root: H256,
	pub total: Balance,
	pub entries: Vec<(EthAddress, Balance)>,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn offchain_worker_run(now: BlockNumberFor<T>) {
		let Some(round) = CurrentRound::<T>::get() else { return };
		if Passed::<T>::contains_key(round.period) {
			return;
		}
		let (set_id, members) = T::Validators::signing_set();
		let mine = bridge_key::local_signers(&members);
		if mine.is_empty() {
			return;
		}
		let closed_on =
			frame_system::Pallet::<T>::block_hash(round.opened_at.saturating_sub(One::one()));
		let Some(table) = Self::table_summary(round.period, closed_on.as_ref()) else { return };

		let proposals: Vec<(u32, crate::ProposalOf<T>)> = (0..round.proposals)
			.filter_map(|i| Proposals::<T>::get(round.period, i).map(|p| (i, p)))
			.collect();
		let ours = proposals.iter().find(|(_, p)| {
			p.set_id == set_id
				&& p.root == table.root
				&& p.total == table.total
				&& p.leaf_count == table.leaf_count
		});
		for (key, who) in mine {
			if Voted::<T>::get(round.period, &who).is_some_and(|(set, _)| set == set_id) {
				continue;
			}
			let call = match ours {
				Some((index, proposal)) => {
					let commitment =
						Self::commitment(round.period, proposal.root, proposal.total, set_id);
					let Some(signature) = bridge_key::sign_prehashed(&key, &commitment.digest())
					else {
						continue;
					};
					Call::vote { period: round.period, index: *index, signature }
				},
				None => {
					let drawn = round.proposers.contains(&who) || now >= round.open_to_all_at;
					if !drawn || Proposed::<T>::get(round.period, &who) == Some(set_id) {
						continue;
					}
					let commitment =
						Self::commitment(round.period, table.root, table.total, set_id);
					let Some(signature) = bridge_key::sign_prehashed(&key, &commitment.digest())
					else {
						continue;
					};
					Call::propose {
						period: round.period,
						root: table.root,
						total: table.total,
						leaf_count: table.leaf_count,
						signature,
					}
				},
			};
			// One mark per local key: (period, set id, block sent at).
			let sent_key = (b"smartnodes::sent::", &who).encode();
			let sent = StorageValueRef::persistent(&sent_key);
			let current: u32 = now.saturated_into();
			if let Ok(Some((period, set, at))) = sent.get::<(Period, u64, u32)>() {
				if period == round.period
					&& set == set_id
					&& current < at.saturating_add(RESEND_AFTER)
				{
					continue;
				}
			}
			sent.set(&(round.period, set_id, current));
			let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
				call.into(),
			);
			if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
				log::debug!(target: LOG_TARGET, "period {}: transaction not accepted", round.period);
			} else {
				log::info!(target: LOG_TARGET, "period {}: submitted {}", round.period,
					if ours.is_some() { "vote" } else { "proposal" });
			}
		}
	}

	/// The summary of `period`'s table, computed at most once per closing block.
	fn table_summary(period: Period, closed_on: &[u8]) -> Option<TableSummary> {
		let closed_on = H256::from_slice(closed_on);
		let key = summary_key(period);
		let stored = StorageValueRef::persistent(&key);
		if let Ok(Some(summary)) = stored.get::<TableSummary>() {
			if summary.closed_on == closed_on {
				return Some(summary);
			}
		}
		// Concurrent workers (one per imported block) build a table once.
		let mut lock = StorageLock::<Time>::with_deadline(
			b"smartnodes::table-lock",
			Duration::from_millis(10 * 60 * 1000),
		);
		let _guard = lock.try_lock().ok()?;
		let entries = match T::Rewards::reward_table(period) {
			Ok(entries) => entries,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "no table for period {period}: {e:?}");
				return None;
			},
		};
		let leaves = entries.iter().map(|(a, v)| reward_leaf(a, *v)).collect();
		let root = root_of(leaves);
		let total = entries.iter().fold(0, |t: Balance, (_, v)| t.saturating_add(*v));
		let summary = TableSummary { closed_on, root, total, leaf_count: entries.len() as u32 };
		log::info!(
			target: LOG_TARGET,
			"period {period}: table of {} accounts, total {total}, root {root:?}",
			entries.len(),
		);
		StorageValueRef::persistent(&table_key(period)).set(&StoredTable { root, total, entries });
		if let Some(old) = period.checked_sub(TABLES_KEPT) {
			StorageValueRef::persistent(&table_key(old)).clear();
			StorageValueRef::persistent(&summary_key(old)).clear();
		}
		stored.set(&summary);
		Some(summary)
	}
}
