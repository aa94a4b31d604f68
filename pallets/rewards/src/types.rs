//! Records kept by the rewards pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use smartnodes_primitives::{ledger::Period, Balance};

/// The period being accrued: what has been reported since the last close.
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
)]
pub struct Accrual {
	/// The period number (the first is 1).
	pub period: Period,
	/// First block of the period.
	pub start: u64,
	/// Sum of the workers' contribution units.
	pub units: u128,
	/// Number of reward accounts that reported units this period (each rounds down by less than
	/// one unit of SNO when the worker pool is shared).
	pub contributors: u32,
	/// Job payments to workers, net of the protocol fee.
	pub payments: Balance,
	/// Protocol fees (to the treasury).
	pub fees: Balance,
	/// Validator pools of earlier periods paid to the voters of their passed tables.
	pub validator_rewards: Balance,
	/// Validator pools of earlier periods that no table passed for (to the treasury).
	pub forfeited: Balance,
	/// SNO sent from the chain to Base through the table (withdrawals and refunded deposits).
	pub transfers: Balance,
}

/// What happened to a period's validator pool.
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
pub enum PoolState {
	/// Waiting for the period's table to pass.
	#[default]
	Pending,
	/// Paid to the voters of the passed table (in the table of the period it passed in).
	Paid,
	/// No table passed before the next period closed; the treasury took it.
	Forfeited,
}

/// A closed period: its emission and how it was shared.
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
)]
pub struct PeriodRecord {
	/// First block of the period.
	pub start: u64,
	/// First block after the period.
	pub end: u64,
	/// SNO emitted by the period's blocks.
	pub emission: Balance,
	/// 85%: shared by the workers pro rata to `units`.
	pub worker_pool: Balance,
	/// 10%: for the validators who vote the period's table through.
	pub validator_pool: Balance,
	/// 5% and the rounding of the split (the treasury also takes the worker pool when no worker
	/// contributed: `accrual.units == 0`).
	pub treasury_share: Balance,
	/// What was reported during the period (units, payments, fees, older pools settled).
	pub accrual: Accrual,
	/// The most the table of this period can total: everything owed up to and including it.
	pub max_total: Balance,
	/// Worker shares rounded down up to and including this period: the table total is at most
	/// this much below `max_total` (relative to the last passed table, see `total_bounds`).
	pub rounding: Balance,
	/// What became of `validator_pool`.
	pub pool: PoolState,
}

impl PeriodRecord {
	/// What the period adds to the table: its emission but the validator pool (which lands in the
	/// table of the period the pool is paid or forfeited in), and what was reported during it.
	pub fn table_delta(&self) -> Balance {
		self.emission
			.saturating_sub(self.validator_pool)
			.saturating_add(self.accrual.payments)
			.saturating_add(self.accrual.fees)
			.saturating_add(self.accrual.validator_rewards)
			.saturating_add(self.accrual.forfeited)
			.saturating_add(self.accrual.transfers)
	}
}

/// One reward account (a Base address), settled lazily: the units of the period it was last
/// touched in are priced when the account is next touched, so a period's close costs nothing per
/// account.
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
)]
pub struct RewardAccount {
	/// Everything earned in the periods before `open_period`.
	pub settled: Balance,
	/// The period the account was last credited in.
	pub open_period: Period,
	/// Contribution units in `open_period`.
	pub open_units: u128,
	/// Payments and direct credits in `open_period`.
	pub open_amount: Balance,
}

/// The last table that passed: its total is exact, and the bounds of later tables start from it.
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
pub struct PassedTotal {
	pub period: Period,
	pub total: Balance,
	/// `max_total` and `rounding` of that period's record.
	pub max_total: Balance,
	pub rounding: Balance,
}
