//! Types stored by the validators pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	traits::fungible::{Credit, Inspect},
	CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

pub use smartnodes_primitives::bridge_key::{BridgeId, EthAddress};

/// Balance of the pallet's currency.
pub type BalanceOf<T> =
	<<T as crate::Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Funds taken from an account, to be burned or moved elsewhere.
pub type CreditOf<T> =
	Credit<<T as frame_system::Config>::AccountId, <T as crate::Config>::Currency>;

/// An account's collateral.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Bond<Balance, BlockNumber> {
	/// Amount held as collateral.
	pub amount: Balance,
	/// Block from which the collateral may be unbonded; set when the account leaves or is
	/// slashed, `None` while it is a candidate or if it never joined.
	pub unbonding_at: Option<BlockNumber>,
}

/// The bond of an account of runtime `T`.
pub type BondOf<T> = Bond<BalanceOf<T>, BlockNumberFor<T>>;

/// A validator set as Base sees it: the Ethereum addresses of the validators' bridge keys, sorted,
/// and a set id that grows by one whenever the addresses change.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DefaultNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxLen))]
pub struct BridgeSet<MaxLen: Get<u32>> {
	/// Grows by one with every change of `addresses`.
	pub set_id: u64,
	/// Ethereum addresses of the bridge keys, ascending.
	pub addresses: BoundedVec<EthAddress, MaxLen>,
}

/// The bridge set of runtime `T`.
pub type BridgeSetOf<T> = BridgeSet<<T as crate::Config>::MaxValidators>;
