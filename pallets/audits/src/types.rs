//! Audits, challenge reports and the digests validators sign for them.

// The `*NoBound` derives restate the generic bounds in their own `where` clauses.
#![allow(clippy::multiple_bound_locations)]

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{JobId, JobKind, Limits},
};
use sp_core::{Get, H256};

pub use smartnodes_primitives::bridge_key::EthSignature;

/// A challenge round: `block / ChallengePeriod`.
pub type Round = u32;

/// Domain tag of an audit report's digest.
pub const AUDIT_DOMAIN: &[u8] = b"smartnodes:audit-report:v1";
/// Domain tag of a challenge report's digest.
pub const CHALLENGES_DOMAIN: &[u8] = b"smartnodes:challenge-report:v1";

/// Where to fetch a job's code or input again, and the hash it must have.
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
#[scale_info(skip_type_params(MaxUriLen))]
pub struct Source<MaxUriLen: Get<u32>> {
	pub hash: H256,
	pub uri: BoundedVec<u8, MaxUriLen>,
}

/// A completed job drawn for re-execution by one validator.
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
#[scale_info(skip_type_params(MaxUriLen, MaxWorkers))]
pub struct Audit<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
	MaxWorkers: Get<u32>,
> {
	pub auditor: AccountId,
	/// The auditor's bridge-key address when drawn: its report must be signed by it, even if
	/// the set has changed since.
	pub auditor_key: EthAddress,
	/// The last block the report is accepted at.
	pub due: BlockNumber,
	pub kind: JobKind,
	pub code: Source<MaxUriLen>,
	pub input: Source<MaxUriLen>,
	pub limits: Limits,
	/// What the replicas agreed on.
	pub output_hash: H256,
	pub fuel_used: u64,
	/// The workers paid for that result, struck if it does not reproduce.
	pub workers: BoundedVec<AccountId, MaxWorkers>,
}

/// What the auditor found.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum AuditOutcome {
	/// It ran the job and got this output and fuel.
	Reproduced { output_hash: H256, fuel_used: u64 },
	/// It could not fetch the code or input any more, or could not run the job in its time
	/// limit: no verdict either way.
	Unavailable,
}

/// The digest an auditor signs to report on `job`: the domain, the chain's genesis hash (no
/// replay on another chain) and the outcome.
pub fn audit_digest(genesis: &H256, job: JobId, outcome: &AuditOutcome) -> H256 {
	let mut preimage = Vec::with_capacity(AUDIT_DOMAIN.len().saturating_add(90));
	preimage.extend_from_slice(AUDIT_DOMAIN);
	preimage.extend_from_slice(genesis.as_bytes());
	job.encode_to(&mut preimage);
	outcome.encode_to(&mut preimage);
	H256(sp_io::hashing::blake2_256(&preimage))
}

/// The digest a validator signs to report a round of challenges.
pub fn challenges_digest<AccountId: Encode>(
	genesis: &H256,
	validator: &AccountId,
	round: Round,
	outcomes: &[(AccountId, bool)],
) -> H256 {
	let mut preimage = Vec::new();
	preimage.extend_from_slice(CHALLENGES_DOMAIN);
	preimage.extend_from_slice(genesis.as_bytes());
	validator.encode_to(&mut preimage);
	round.encode_to(&mut preimage);
	outcomes.encode_to(&mut preimage);
	H256(sp_io::hashing::blake2_256(&preimage))
}
