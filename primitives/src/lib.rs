//! Types shared by every part of Smartnodes: the runtime, the node, the worker and the bridge.
//!
//! Everything here is `no_std` so the runtime can use it. Data does not flow through this crate;
//! it only fixes the vocabulary (balances, block numbers, keys) that the other crates agree on.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod bridge_key;
pub mod compute;
pub mod dispatch;
pub mod inbound;
pub mod ledger;
pub mod rewards;

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// Balance of an account, in the smallest unit (1 SNO = 10^18 units, as on Base).
pub type Balance = u128;
/// Block height.
pub type BlockNumber = u32;
/// Transaction signature.
pub type Signature = MultiSignature;
/// Account id on the Smartnodes chain (32 bytes, sr25519 by default).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Block and state hashes.
pub type Hash = sp_core::H256;
/// Milliseconds since the Unix epoch.
pub type Moment = u64;

/// Token constants: SNO has 18 decimals on the chain and on Base, so amounts never need scaling
/// when they cross the bridge.
pub mod currency {
	use super::Balance;

	pub const DECIMALS: u8 = 18;
	pub const SYMBOL: &str = "SNO";
	pub const SNO: Balance = 1_000_000_000_000_000_000;
	pub const MILLI_SNO: Balance = SNO / 1_000;
	pub const MICRO_SNO: Balance = SNO / 1_000_000;
}

/// Block time and the durations derived from it.
pub mod time {
	use super::BlockNumber;

	/// 6-second blocks. Changing this after genesis breaks BABE's slot arithmetic.
	pub const MILLISECS_PER_BLOCK: u64 = 6_000;
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	pub const HOURS: BlockNumber = MINUTES * 60;
	pub const DAYS: BlockNumber = HOURS * 24;
}
