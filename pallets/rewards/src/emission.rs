//! The SNO emission schedule, in exact integer arithmetic.
//!
//! The hourly rate starts at [`Config::InitialHourlyEmission`] (5,625 SNO) and is multiplied by
//! 3/5 at every anniversary of genesis (every [`Config::BlocksPerYear`] blocks) until it would fall
//! below [`Config::TailHourlyEmission`] (420 SNO), which then holds forever:
//!
//! | year | SNO per hour | per 8-hour update |
//! |---|---|---|
//! | 0 | 5,625 | 45,000 |
//! | 1 | 3,375 | 27,000 |
//! | 2 | 2,025 | 16,200 |
//! | 3 | 1,215 | 9,720 |
//! | 4 | 729 | 5,832 |
//! | 5 | 437.4 | 3,499.2 |
//! | 6 on | 420 | 3,360 |
//!
//! Emission is accrued per block (the hourly rate over [`Config::BlocksPerHour`] blocks), so a
//! period that straddles an anniversary is paid at each year's rate for its blocks in that year,
//! and a change of the state-update interval never changes what a block earns.

use crate::{Config, Pallet};
use frame_support::traits::Get;
use smartnodes_primitives::Balance;
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// The yearly decay of the hourly rate, as a fraction: x 0.6.
pub const DECAY: (Balance, Balance) = (3, 5);

impl<T: Config> Pallet<T> {
	/// SNO per hour (in the smallest unit) during `year` (0 is the first year after genesis).
	pub fn hourly_emission(year: u64) -> Balance {
		let tail = T::TailHourlyEmission::get();
		let mut rate = T::InitialHourlyEmission::get();
		for _ in 0..year {
			// `rate` only shrinks, so a few dozen steps reach the tail whatever the year.
			let next = rate.saturating_mul(DECAY.0).checked_div(DECAY.1).unwrap_or_default();
			if next < tail {
				return tail;
			}
			rate = next;
		}
		rate.max(tail)
	}

	/// The emission of the blocks in `[start, end)`, split at every anniversary.
	pub fn emission_between(start: u64, end: u64) -> Balance {
		let per_year = u64::from(T::BlocksPerYear::get()).max(1);
		let per_hour = Balance::from(T::BlocksPerHour::get()).max(1);
		let mut total: Balance = 0;
		let mut from = start;
		while from < end {
			let year = from.checked_div(per_year).unwrap_or_default();
			let year_end = year.saturating_add(1).saturating_mul(per_year);
			let to = end.min(year_end);
			let blocks = Balance::from(to.saturating_sub(from));
			let paid = multiply_by_rational_with_rounding(
				blocks,
				Self::hourly_emission(year),
				per_hour,
				Rounding::Down,
			)
			.unwrap_or(Balance::MAX);
			total = total.saturating_add(paid);
			from = to;
		}
		total
	}

	/// Everything emitted by the blocks before `block`: the supply created by rewards.
	pub fn emitted_before(block: u64) -> Balance {
		Self::emission_between(0, block)
	}
}
