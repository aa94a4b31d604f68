//! The runtime API behind the node's `smartnodes_bridgeStatus` RPC method: what a relayer posts
//! to Base (set updates with their signatures), where the inbound streams stand, and the supply
//! totals a test checks against Base.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use smartnodes_primitives::{
	bridge_key::{EthAddress, EthSignature},
	Balance,
};

/// A queued validator set and the signatures of the set before it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SetUpdateView {
	pub set_id: u64,
	pub validators: Vec<EthAddress>,
	pub signer_set_id: u64,
	pub signer_set: Vec<EthAddress>,
	/// Signatures Base needs.
	pub threshold: u32,
	pub signatures: Vec<EthSignature>,
	pub signers: Vec<EthAddress>,
}

/// One inbound stream (deposits or decisions).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct StreamView {
	/// The next nonce to apply.
	pub next_nonce: u64,
	/// The Base block of the last applied event.
	pub last_base_block: u64,
	/// Nonces being attested, with the most votes any version has.
	pub attesting: Vec<(u64, u32)>,
	/// Nonces agreed that wait for an earlier one.
	pub ready: Vec<u64>,
}

/// SNO on the chain and what crossed the bridge.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SupplyView {
	pub genesis_issuance: Balance,
	pub issuance: Balance,
	pub deposited: Balance,
	pub refunded: Balance,
	pub withdrawn: Balance,
	/// Fees and slashes, burnt for good.
	pub burned: Balance,
	/// Job payments burnt on the chain and owed on Base (workers' shares and fees).
	pub job_payments: Balance,
	/// Emission of every closed period (owed on Base, claimable once passed).
	pub emitted: Balance,
	/// `genesis + deposited - withdrawn - burned - job_payments`: equals `issuance`.
	pub expected_issuance: Balance,
}

/// The bridge at a block.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct BridgeView {
	pub chain_id: u64,
	pub distributor: EthAddress,
	pub dao: EthAddress,
	pub confirmations: u32,
	pub start_block: u64,
	/// The set in office (signing roots) and the queued one.
	pub set_id: u64,
	pub validators: Vec<EthAddress>,
	pub queued_set_id: u64,
	/// Kept set updates, ascending by id.
	pub set_updates: Vec<SetUpdateView>,
	pub deposits: StreamView,
	pub decisions: StreamView,
	pub supply: SupplyView,
}

sp_api::decl_runtime_apis! {
	/// The bridge's state for relayers, dashboards and tests.
	pub trait BridgeApi {
		fn bridge_status() -> BridgeView;
	}
}
