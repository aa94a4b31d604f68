//! Records kept by the bridge pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use smartnodes_primitives::{
	bridge_key::{EthAddress, EthSignature},
	inbound::BaseEvent,
	Balance,
};

/// Where validators read Base events from.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct BaseSettings {
	/// `SmartnodesDAO`, which emits `ChainDecision`.
	pub dao: EthAddress,
	/// Base blocks on top of an event's block before a validator attests it.
	pub confirmations: u32,
	/// First Base block to scan (the contracts' deployment block).
	pub start_block: u64,
}

/// A queued validator set and the signatures of the set in office, for
/// `RewardDistributor.updateValidatorSet`.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxLen))]
pub struct SetUpdate<MaxLen: Get<u32>> {
	/// The new set's addresses, ascending.
	pub validators: BoundedVec<EthAddress, MaxLen>,
	/// Who signs it: the set with the previous id, ascending.
	pub signer_set: BoundedVec<EthAddress, MaxLen>,
	/// Signatures collected so far (at most the threshold of `signer_set`), with their signers.
	pub signatures: BoundedVec<(EthAddress, EthSignature), MaxLen>,
}

impl<MaxLen: Get<u32>> SetUpdate<MaxLen> {
	/// Signatures Base needs: ceil(2/3) of the signing set.
	pub fn threshold(&self) -> u32 {
		smartnodes_primitives::rewards::threshold(self.signer_set.len() as u32)
	}

	pub fn is_complete(&self) -> bool {
		self.signatures.len() as u32 >= self.threshold()
	}
}

/// One version of an event and the validators who attested it.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxLen))]
pub struct Candidate<AccountId: Clone + core::fmt::Debug + PartialEq + Eq, MaxLen: Get<u32>> {
	pub event: BaseEvent,
	pub voters: BoundedVec<AccountId, MaxLen>,
}

impl<AccountId: Clone + core::fmt::Debug + PartialEq + Eq, MaxLen: Get<u32>>
	Candidate<AccountId, MaxLen>
{
	/// Votes from `members` (validators that left the set do not count).
	pub fn member_votes(&self, members: &[(AccountId, EthAddress)]) -> usize {
		self.voters.iter().filter(|v| members.iter().any(|(m, _)| m == *v)).count()
	}
}

/// SNO that crossed the bridge, for supply accounting.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct BridgeTotals {
	/// Minted on the chain for deposits on Base.
	pub deposited: Balance,
	/// Deposits the chain could not mint, owed back to their senders on Base.
	pub refunded: Balance,
	/// Burnt on the chain by withdrawals, owed on Base.
	pub withdrawn: Balance,
	/// Burnt on the chain for good: transaction fees and slashes.
	pub burned: Balance,
}

/// Why a deposit was refunded instead of minted.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum RefundReason {
	/// The amount does not fit the chain's balance type.
	TooLarge,
	/// The chain refused the mint (an amount below the existential deposit for a new account).
	NotMintable,
}
