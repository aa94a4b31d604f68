//! The interfaces between the pallets that account for rewards.
//!
//! `pallet-coordinator` runs the periods and the votes, `pallet-rewards` keeps the books, and
//! `pallet-jobs` reports who did what. They talk only through these traits, which the runtime
//! wires together.

use crate::{bridge_key::EthAddress, Balance};
use alloc::vec::Vec;

/// A state-update period. Period 1 is the first one; Base never accepts period 0.
pub type Period = u64;

/// Why the reward table of a period cannot be produced from the current state.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
)]
pub enum TableError {
	/// The period has not closed yet.
	NotClosed,
	/// Later periods have been accounted since: read the table at a block of that period's
	/// round (the block its root passed at, for instance).
	Superseded,
}

/// What the coordinator needs from the reward books.
pub trait RewardsLedger {
	/// Closes the accruing period at the current block, fixes its emission and returns it with
	/// the bounds of its table total (see [`Self::total_bounds`]).
	fn close_period() -> Period;

	/// The range the total of `period`'s table must fall in: the exact sum of everything owed,
	/// less at most one unit per worker share rounded down. `None` if the period is not closed.
	fn total_bounds(period: Period) -> Option<(Balance, Balance)>;

	/// `period`'s table passed with `total`: its validator pool goes to `voters` in equal shares
	/// with the remainder to `proposer`, in the table of the accruing period.
	fn on_passed(period: Period, total: Balance, voters: &[EthAddress], proposer: &EthAddress);

	/// `period` closed with no table passed before the next one: nobody earned its validator pool,
	/// which goes to the treasury.
	fn on_superseded(period: Period);

	/// Every `(account, cumulative amount)` of `period`'s table, sorted by account. Reads every
	/// reward account: for off-chain use only (off-chain workers and runtime APIs).
	fn reward_table(period: Period) -> Result<Vec<(EthAddress, Balance)>, TableError>;
}

/// What the jobs pallet reports about finished work.
pub trait ContributionRecorder {
	/// `worker` did `units` of verified work in the accruing period.
	fn note_contribution(worker: &EthAddress, units: u128);

	/// `worker` earned `amount` from a job's escrow; the protocol fee goes to the treasury and the
	/// rest to the worker. Returns the fee taken.
	fn note_job_payment(worker: &EthAddress, amount: Balance) -> Balance;
}

/// The validator set whose signatures Base checks.
pub trait SigningSet<AccountId> {
	/// The set id and its members with their bridge keys' Ethereum addresses, by address.
	fn signing_set() -> (u64, Vec<(AccountId, EthAddress)>);

	/// Where a validator wants its rewards on Base, if it chose an address other than its
	/// bridge key's.
	fn reward_address(who: &AccountId) -> Option<EthAddress>;

	/// The set that takes over at the next session (the current one if no change is queued):
	/// its id and addresses, ascending.
	fn queued_set() -> (u64, Vec<EthAddress>) {
		let (id, members) = Self::signing_set();
		(id, members.into_iter().map(|(_, address)| address).collect())
	}

	/// Installs a set (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn set_signing_set(set_id: u64, signers: Vec<(AccountId, EthAddress)>);
}

/// Told when a new bridge set is queued: `signers` (the set in office, id `next.0 - 1`) must
/// sign `next` so Base accepts it before the roots it will sign.
pub trait OnBridgeSetQueued {
	fn bridge_set_queued(signers: (u64, &[EthAddress]), next: (u64, &[EthAddress]));
}

impl OnBridgeSetQueued for () {
	fn bridge_set_queued(_: (u64, &[EthAddress]), _: (u64, &[EthAddress])) {}
}

/// SNO that leaves the chain for Base through the reward tree: withdrawals, and deposits the
/// chain could not mint (refunded to their sender on Base).
pub trait BaseTransfers {
	/// Adds `amount` to what `to` may claim on Base, in the accruing period's table.
	fn note_transfer(to: &EthAddress, amount: Balance);
}
