//! The runtime API behind the node's `smartnodes_rewardProof` and `smartnodes_currentPeriod`
//! RPC methods.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use scale_info::TypeInfo;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	ledger::{Period, TableError},
	rewards::RewardCommitment,
	Balance,
};

/// A proposal of the open round.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ProposalView<AccountId> {
	pub index: u32,
	pub proposer: AccountId,
	pub root: sp_core::H256,
	pub total: Balance,
	pub leaf_count: u32,
	pub set_id: u64,
	/// Who voted for it (its proposer first).
	pub voters: Vec<AccountId>,
}

/// The open round.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RoundView<AccountId> {
	pub period: Period,
	pub opened_at: u64,
	/// From this block any validator may propose.
	pub open_to_all_at: u64,
	/// The block the next period closes at (and this round is superseded if it has not passed).
	pub next_period_end: u64,
	pub proposers: Vec<AccountId>,
	/// Id and size of the signing set, and the votes a proposal needs.
	pub set_id: u64,
	pub set_size: u32,
	pub threshold: u32,
	pub passed: bool,
	pub proposals: Vec<ProposalView<AccountId>>,
}

/// The last update that passed: what a relayer posts to `RewardDistributor.submitRoot`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct PassedView<AccountId> {
	pub commitment: RewardCommitment,
	pub leaf_count: u32,
	pub proposer: AccountId,
	pub signatures: Vec<[u8; 65]>,
	pub signers: Vec<EthAddress>,
	pub passed_at: u64,
}

sp_api::decl_runtime_apis! {
	/// The coordinator's rounds and the reward books.
	pub trait CoordinatorApi<AccountId> where AccountId: Codec {
		/// The open round, if a period has closed.
		fn current_round() -> Option<RoundView<AccountId>>;

		/// The last update that passed, if any.
		fn latest_passed() -> Option<PassedView<AccountId>>;

		/// Every `(Base address, cumulative amount)` of `period`'s table, sorted by address.
		/// Reads every reward account: call it at a block of that period's round.
		fn reward_table(period: Period) -> Result<Vec<(EthAddress, Balance)>, TableError>;
	}
}
