//! Events on Base that the chain applies once 2/3 of its active validators attest them: deposits
//! to the chain (`RewardDistributor.DepositedToChain`) and DAO decisions
//! (`SmartnodesDAO.ChainDecision`). Both carry nonces 1, 2, 3, ... that the chain applies once
//! each, in order.
//!
//! A validator attests an event by signing [`BaseEvent::digest`] with its bridge key: the same
//! key that signs reward roots, so an attestation is as strong as a vote.

use crate::{bridge_key::EthAddress, rewards::hex_literal};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{H256, U256};
use sp_io::hashing::keccak_256;

/// `keccak256("DepositedToChain(uint64,address,bytes32,uint256)")`.
pub const DEPOSIT_TOPIC: [u8; 32] =
	hex_literal(b"2529e42c7c0b8e7908d1101bfd4fbcc69c3f23c39fa729f648521ab7c5d203af");
/// `keccak256("ChainDecision(uint64,uint8,bytes)")`.
pub const DECISION_TOPIC: [u8; 32] =
	hex_literal(b"8616b73a5066af4ba60cd44d8dd6230c805f5db4fdccd7a528a05a0d52ef0d2c");
/// Domain of an attestation signature.
pub const ATTESTATION_TAG: &[u8] = b"Smartnodes.Attestation.v1";

/// Kinds of DAO decision (`ChainDecision.kind`).
pub mod decision {
	/// `uint32` blocks per state-update period.
	pub const STATE_UPDATE_INTERVAL: u8 = 0;
	/// `uint128` validator collateral, in wei of SNO.
	pub const COLLATERAL: u8 = 1;
	/// `uint16` protocol fee in basis points.
	pub const PROTOCOL_FEE: u8 = 2;
	/// `bytes32` hash of an authorized runtime upgrade.
	pub const AUTHORIZE_UPGRADE: u8 = 3;
	/// What a validator attests for a decision whose payload is not one 32-byte word: the
	/// chain rejects it, and the nonce moves on.
	pub const MALFORMED: u8 = u8::MAX;
}

/// The stream an event belongs to; each has its own nonces.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Source {
	/// `RewardDistributor.DepositedToChain`.
	Deposits,
	/// `SmartnodesDAO.ChainDecision`.
	Decisions,
}

impl Source {
	pub const ALL: [Source; 2] = [Source::Deposits, Source::Decisions];

	/// The event's topic0.
	pub fn topic(self) -> [u8; 32] {
		match self {
			Source::Deposits => DEPOSIT_TOPIC,
			Source::Decisions => DECISION_TOPIC,
		}
	}

	pub fn name(self) -> &'static str {
		match self {
			Source::Deposits => "deposits",
			Source::Decisions => "decisions",
		}
	}
}

/// `depositToChain(chainAccount, amount)`: SNO burnt on Base, to be minted to `to` on the chain.
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
pub struct Deposit {
	pub nonce: u64,
	/// Who burnt the SNO on Base (refunded there if the chain cannot mint).
	pub from: EthAddress,
	/// The chain account (`bytes32 chainAccount`).
	pub to: [u8; 32],
	/// In wei of SNO (`uint256`).
	pub amount: U256,
	/// The Base block the event is in.
	pub base_block: u64,
}

/// A passed DAO proposal's instruction to the chain.
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
pub struct Decision {
	pub nonce: u64,
	/// One of [`decision`]'s kinds.
	pub kind: u8,
	/// The `abi.encode`d argument: one 32-byte word.
	pub payload: [u8; 32],
	pub base_block: u64,
}

/// An event on Base the chain acts on.
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
pub enum BaseEvent {
	Deposit(Deposit),
	Decision(Decision),
}

impl BaseEvent {
	pub fn source(&self) -> Source {
		match self {
			BaseEvent::Deposit(_) => Source::Deposits,
			BaseEvent::Decision(_) => Source::Decisions,
		}
	}

	pub fn nonce(&self) -> u64 {
		match self {
			BaseEvent::Deposit(d) => d.nonce,
			BaseEvent::Decision(d) => d.nonce,
		}
	}

	pub fn base_block(&self) -> u64 {
		match self {
			BaseEvent::Deposit(d) => d.base_block,
			BaseEvent::Decision(d) => d.base_block,
		}
	}

	/// What a validator signs to attest the event on the chain with genesis hash `genesis`:
	/// `keccak256(ATTESTATION_TAG ++ genesis ++ SCALE(event))`.
	pub fn digest(&self, genesis: &H256) -> H256 {
		let mut message = ATTESTATION_TAG.to_vec();
		message.extend_from_slice(genesis.as_bytes());
		self.encode_to(&mut message);
		H256(keccak_256(&message))
	}
}

/// The big-endian 32-byte word of `value`, as topics and `abi.encode` carry it.
pub fn word_of(value: u64) -> [u8; 32] {
	crate::rewards::word_u128(value.into())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn topics_are_the_event_signatures() {
		assert_eq!(DEPOSIT_TOPIC, keccak_256(b"DepositedToChain(uint64,address,bytes32,uint256)"));
		assert_eq!(DECISION_TOPIC, keccak_256(b"ChainDecision(uint64,uint8,bytes)"));
	}

	#[test]
	fn digest_binds_the_chain_and_every_field() {
		let deposit = Deposit {
			nonce: 1,
			from: EthAddress::repeat_byte(1),
			to: [2; 32],
			amount: U256::from(5u8),
			base_block: 9,
		};
		let event = BaseEvent::Deposit(deposit);
		let genesis = H256::repeat_byte(7);
		let base = event.digest(&genesis);
		assert_ne!(base, event.digest(&H256::repeat_byte(8)));
		let other = BaseEvent::Deposit(Deposit { amount: U256::from(6u8), ..deposit });
		assert_ne!(base, other.digest(&genesis));
		let decision =
			BaseEvent::Decision(Decision { nonce: 1, kind: 0, payload: [0; 32], base_block: 9 });
		assert_ne!(base, decision.digest(&genesis));
	}
}
