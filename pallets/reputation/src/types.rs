//! Types stored by the reputation pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

pub use smartnodes_primitives::compute::{Fault, Role, Score, MAX_SCORE};

/// A party's standing in one role.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Record<BlockNumber> {
	/// Points from 0 to [`MAX_SCORE`], as of `updated_at`.
	pub score: Score,
	/// Faults not yet forgiven, as of `updated_at`.
	pub strikes: u32,
	/// Verified pieces of work, ever.
	pub successes: u32,
	/// Faults, ever (forgiveness lowers `strikes`, not this).
	pub faults: u32,
	/// The block decay has been applied up to. It moves in whole decay periods, so it may lag
	/// the last write by less than one period.
	pub updated_at: BlockNumber,
	/// When the party was blacklisted; `None` while it may work.
	pub blacklisted_at: Option<BlockNumber>,
}

impl<BlockNumber> Record<BlockNumber> {
	/// The record of a party never seen: `initial` points, no strikes, no history.
	pub fn new(initial: Score, now: BlockNumber) -> Self {
		Self {
			score: initial,
			strikes: 0,
			successes: 0,
			faults: 0,
			updated_at: now,
			blacklisted_at: None,
		}
	}

	/// Whether the party is blacklisted.
	pub fn is_blacklisted(&self) -> bool {
		self.blacklisted_at.is_some()
	}
}

/// The record of runtime `T`.
pub type RecordOf<T> = Record<BlockNumberFor<T>>;
