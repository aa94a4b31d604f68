//! Records kept by the coordinator.

// The `*NoBound` derives restate the generic bounds in their own `where` clauses.
#![allow(clippy::multiple_bound_locations)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::ConstU32, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use smartnodes_primitives::{bridge_key::EthAddress, ledger::Period, rewards::RewardCommitment};
use sp_core::{Get, H256};

pub use smartnodes_primitives::bridge_key::EthSignature;

/// The largest proposer round (design: 5 proposers from 10 validators on).
pub type MaxProposers = ConstU32<5>;

/// One period's round of proposals and votes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(BlockNumber))]
pub struct Round<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
> {
	/// The period whose table is voted on.
	pub period: Period,
	/// Block the period closed at, where the round opened.
	pub opened_at: BlockNumber,
	/// From this block any validator of the set may propose (1.25 x the interval after the
	/// period started).
	pub open_to_all_at: BlockNumber,
	/// Validators drawn to propose first, in order.
	pub proposers: BoundedVec<AccountId, MaxProposers>,
	/// Proposals made so far.
	pub proposals: u32,
}

/// A proposed table and the votes it gathered.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxSigners))]
pub struct Proposal<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxSigners: Get<u32>> {
	/// Who proposed it (its signature is the first vote).
	pub proposer: AccountId,
	/// Root of the cumulative reward tree.
	pub root: H256,
	/// Sum of the tree's cumulative amounts.
	pub total: u128,
	/// Number of leaves (accounts) in the tree.
	pub leaf_count: u32,
	/// The signing set the votes belong to; a proposal dies when the set changes.
	pub set_id: u64,
	/// Voters and their signatures over the commitment, in the order they arrived.
	pub votes: BoundedVec<(AccountId, EthSignature), MaxSigners>,
}

/// A table that passed: exactly what `RewardDistributor.submitRoot` takes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxSigners))]
pub struct PassedUpdate<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxSigners: Get<u32>,
> {
	/// The signed commitment.
	pub commitment: RewardCommitment,
	/// Number of leaves.
	pub leaf_count: u32,
	/// Who proposed it.
	pub proposer: AccountId,
	/// Signatures of at least 2/3 of the set over `commitment.digest()`.
	pub signatures: BoundedVec<EthSignature, MaxSigners>,
	/// Their signers' addresses, in the same order.
	pub signers: BoundedVec<EthAddress, MaxSigners>,
	/// Block the last vote arrived in.
	pub passed_at: BlockNumber,
}

/// A validator's record in the rounds, which feeds its reputation and the proposer draw.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Participation {
	/// Tables it proposed that passed.
	pub proposed: u32,
	/// Passed tables it voted for (proposals included).
	pub voted: u32,
	/// Passed tables of its set it did not vote for.
	pub missed: u32,
	/// The last period it voted for a passed table in.
	pub last_active: Period,
}

/// What a validator did in a passed round, for the reputation pallet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundOutcome {
	/// Proposed the table that passed.
	Proposed,
	/// Voted for the table that passed.
	Voted,
	/// Was in the set and did not vote for it.
	Missed,
}

/// Receives every validator's outcome when a round passes (the reputation pallet).
pub trait OnRoundOutcome<AccountId> {
	fn note(who: &AccountId, outcome: RoundOutcome);
}

impl<AccountId> OnRoundOutcome<AccountId> for () {
	fn note(_: &AccountId, _: RoundOutcome) {}
}
