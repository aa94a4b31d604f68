//! The bookkeeping behind [`RewardsLedger`] and [`ContributionRecorder`].

use crate::{
	pallet::*, Accrual, BaseTransfers, ContributionRecorder, PassedTotal, Period, PeriodRecord,
	PoolState, RewardAccount, RewardsLedger, TableError, LOG_TARGET, MAX_FEE_BPS,
};
use alloc::vec::Vec;
use smartnodes_primitives::{bridge_key::EthAddress, Balance};
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use sp_runtime::SaturatedConversion;

/// Shares of the emission, in percent.
pub const WORKERS_PERCENT: Balance = 85;
pub const VALIDATORS_PERCENT: Balance = 10;

fn percent(amount: Balance, pct: Balance) -> Balance {
	multiply_by_rational_with_rounding(amount, pct, 100, Rounding::Down).unwrap_or(0)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> u64 {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	/// `units` of `record`'s worker pool, rounded down.
	pub fn worker_share(units: u128, record: &PeriodRecord) -> Balance {
		if units == 0 || record.accrual.units == 0 {
			return 0;
		}
		multiply_by_rational_with_rounding(
			units,
			record.worker_pool,
			record.accrual.units,
			Rounding::Down,
		)
		.unwrap_or(0)
	}

	/// What `account` is owed by the table of `period`, which must be the last closed period or
	/// the accruing one (earlier periods may already be folded into `settled`).
	pub fn cumulative_as_of(account: &RewardAccount, period: Period) -> Balance {
		if account.open_period > period {
			return account.settled;
		}
		let share = Periods::<T>::get(account.open_period)
			.map(|record| Self::worker_share(account.open_units, &record))
			.unwrap_or(0);
		account.settled.saturating_add(account.open_amount).saturating_add(share)
	}

	/// `account` with everything before `period` settled.
	fn folded(mut account: RewardAccount, period: Period) -> RewardAccount {
		if account.open_period < period {
			let owed = Self::cumulative_as_of(&account, account.open_period);
			account =
				RewardAccount { settled: owed, open_period: period, open_units: 0, open_amount: 0 };
		}
		account
	}

	/// Adds `amount` to what `who` is owed in the accruing period. The caller accounts for it in
	/// the accrual.
	fn credit(who: &EthAddress, amount: Balance, period: Period) {
		if amount == 0 {
			return;
		}
		Accounts::<T>::mutate(who, |slot| {
			let mut account = Self::folded(slot.take().unwrap_or_default(), period);
			account.open_amount = account.open_amount.saturating_add(amount);
			*slot = Some(account);
		});
	}

	/// The split of `emission`: (workers, validators, treasury).
	pub fn split(emission: Balance) -> (Balance, Balance, Balance) {
		let workers = percent(emission, WORKERS_PERCENT);
		let validators = percent(emission, VALIDATORS_PERCENT);
		(workers, validators, emission.saturating_sub(workers).saturating_sub(validators))
	}

	/// The bounds of `record`'s table total, starting from the last passed table.
	fn bounds_of(period: Period, record: &PeriodRecord) -> Option<(Balance, Balance)> {
		let base = LastPassed::<T>::get().unwrap_or_default();
		if period <= base.period {
			return None;
		}
		let hi = base.total.saturating_add(record.max_total.saturating_sub(base.max_total));
		let lo = hi.saturating_sub(record.rounding.saturating_sub(base.rounding));
		Some((lo, hi))
	}

	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let accrual = CurrentAccrual::<T>::get();
		ensure!(accrual.period >= 1, "periods start at 1");
		let mut emitted: Balance = 0;
		let mut previous = PeriodRecord::default();
		let (mut pools_settled, mut pools_spent): (Balance, Balance) = (0, 0);
		for period in 1..accrual.period {
			let record = Periods::<T>::get(period).ok_or("a closed period has no record")?;
			ensure!(
				record
					.worker_pool
					.saturating_add(record.validator_pool)
					.saturating_add(record.treasury_share)
					== record.emission,
				"a period shares more or less than its emission"
			);
			ensure!(
				record.max_total == previous.max_total.saturating_add(record.table_delta()),
				"a period's table does not add up its emission and payments"
			);
			ensure!(record.start == previous.end || period == 1, "periods are not contiguous");
			if record.pool != PoolState::Pending {
				pools_settled = pools_settled.saturating_add(record.validator_pool);
			}
			pools_spent = pools_spent
				.saturating_add(record.accrual.validator_rewards)
				.saturating_add(record.accrual.forfeited);
			emitted = emitted.saturating_add(record.emission);
			previous = record;
		}
		pools_spent =
			pools_spent.saturating_add(accrual.validator_rewards).saturating_add(accrual.forfeited);
		ensure!(pools_settled == pools_spent, "a validator pool was paid twice or not at all");
		ensure!(emitted == TotalEmitted::<T>::get(), "the emission total is off");
		ensure!(accrual.start == previous.end || accrual.period == 1, "the accrual has a gap");
		if let Some(passed) = LastPassed::<T>::get() {
			let record = Periods::<T>::get(passed.period).ok_or("passed an unknown period")?;
			ensure!(record.pool != PoolState::Pending, "a passed period still holds its pool");
			ensure!(passed.total <= record.max_total, "a passed total exceeds what is owed");
		}
		// The table of the last closed period adds up to its bounds.
		if let Some(last) = accrual.period.checked_sub(1).filter(|p| *p >= 1) {
			let record = Periods::<T>::get(last).ok_or("no record of the last period")?;
			let sum = Accounts::<T>::iter_values()
				.map(|a| Self::cumulative_as_of(&a, last))
				.fold(0, Balance::saturating_add);
			ensure!(sum <= record.max_total, "the accounts are owed more than was emitted");
			let passed = LastPassed::<T>::get().unwrap_or_default();
			ensure!(
				sum >= record
					.max_total
					.saturating_sub(record.rounding.saturating_sub(passed.rounding))
					.saturating_sub(passed.max_total.saturating_sub(passed.total)),
				"the accounts are owed less than the emission less its rounding"
			);
		}
		Ok(())
	}
}

impl<T: Config> RewardsLedger for Pallet<T> {
	fn close_period() -> Period {
		let mut accrual = CurrentAccrual::<T>::get();
		let period = accrual.period;
		let end = Self::now();
		let emission = Self::emission_between(accrual.start, end);
		let (worker_pool, validator_pool, treasury_share) = Self::split(emission);
		// Nobody to share the worker pool with: the treasury takes it.
		let idle_workers = if accrual.units == 0 { worker_pool } else { 0 };
		Self::credit(
			&TreasuryAddress::<T>::get(),
			treasury_share.saturating_add(idle_workers),
			period,
		);
		let previous = period.checked_sub(1).and_then(Periods::<T>::get).unwrap_or_default();
		let rounding = if accrual.units == 0 {
			previous.rounding
		} else {
			previous.rounding.saturating_add(accrual.contributors.into())
		};
		let mut record = PeriodRecord {
			start: accrual.start,
			end,
			emission,
			worker_pool,
			validator_pool,
			treasury_share,
			accrual: core::mem::take(&mut accrual),
			max_total: 0,
			rounding,
			pool: PoolState::Pending,
		};
		record.max_total = previous.max_total.saturating_add(record.table_delta());
		Self::deposit_event(Event::PeriodClosed {
			period,
			emission,
			worker_pool,
			validator_pool,
			treasury_share: record.treasury_share,
			units: record.accrual.units,
			max_total: record.max_total,
		});
		Periods::<T>::insert(period, record);
		TotalEmitted::<T>::mutate(|t| *t = t.saturating_add(emission));
		CurrentAccrual::<T>::put(Accrual {
			period: period.saturating_add(1),
			start: end,
			..Default::default()
		});
		period
	}

	fn total_bounds(period: Period) -> Option<(Balance, Balance)> {
		Periods::<T>::get(period).and_then(|record| Self::bounds_of(period, &record))
	}

	fn on_passed(period: Period, total: Balance, voters: &[EthAddress], proposer: &EthAddress) {
		let Some(mut record) = Periods::<T>::get(period) else {
			log::error!(target: LOG_TARGET, "period {period} passed without a record");
			return;
		};
		if record.pool != PoolState::Pending {
			log::error!(target: LOG_TARGET, "period {period} passed twice");
			return;
		}
		let mut accrual = CurrentAccrual::<T>::get();
		let pool = record.validator_pool;
		let count = voters.len() as u128;
		let share = pool.checked_div(count).unwrap_or_default();
		let extra = pool.saturating_sub(share.saturating_mul(count));
		for voter in voters {
			Self::credit(voter, share, accrual.period);
		}
		Self::credit(proposer, extra, accrual.period);
		accrual.validator_rewards = accrual.validator_rewards.saturating_add(pool);
		CurrentAccrual::<T>::put(accrual);
		record.pool = PoolState::Paid;
		LastPassed::<T>::put(PassedTotal {
			period,
			total,
			max_total: record.max_total,
			rounding: record.rounding,
		});
		Periods::<T>::insert(period, record);
		Self::deposit_event(Event::ValidatorPoolPaid {
			period,
			voters: voters.len() as u32,
			share,
			proposer_extra: extra,
		});
	}

	fn on_superseded(period: Period) {
		let Some(mut record) = Periods::<T>::get(period) else { return };
		if record.pool != PoolState::Pending {
			return;
		}
		let mut accrual = CurrentAccrual::<T>::get();
		let amount = record.validator_pool;
		Self::credit(&TreasuryAddress::<T>::get(), amount, accrual.period);
		accrual.forfeited = accrual.forfeited.saturating_add(amount);
		CurrentAccrual::<T>::put(accrual);
		record.pool = PoolState::Forfeited;
		Periods::<T>::insert(period, record);
		Self::deposit_event(Event::ValidatorPoolForfeited { period, amount });
	}

	fn reward_table(period: Period) -> Result<Vec<(EthAddress, Balance)>, TableError> {
		let accruing = CurrentAccrual::<T>::get().period;
		if period == 0 || period >= accruing {
			return Err(TableError::NotClosed);
		}
		if period.saturating_add(1) < accruing {
			return Err(TableError::Superseded);
		}
		let mut table: Vec<(EthAddress, Balance)> = Accounts::<T>::iter()
			.map(|(who, account)| (who, Self::cumulative_as_of(&account, period)))
			.filter(|(_, amount)| *amount > 0)
			.collect();
		table.sort_unstable_by_key(|(who, _)| *who);
		Ok(table)
	}
}

impl<T: Config> ContributionRecorder for Pallet<T> {
	fn note_contribution(worker: &EthAddress, units: u128) {
		if units == 0 {
			return;
		}
		let mut accrual = CurrentAccrual::<T>::get();
		Accounts::<T>::mutate(worker, |slot| {
			let mut account = Self::folded(slot.take().unwrap_or_default(), accrual.period);
			if account.open_units == 0 {
				accrual.contributors = accrual.contributors.saturating_add(1);
			}
			account.open_units = account.open_units.saturating_add(units);
			*slot = Some(account);
		});
		accrual.units = accrual.units.saturating_add(units);
		CurrentAccrual::<T>::put(accrual);
	}

	fn note_job_payment(worker: &EthAddress, amount: Balance) -> Balance {
		let bps = ProtocolFeeBps::<T>::get().min(MAX_FEE_BPS);
		let fee = multiply_by_rational_with_rounding(
			amount,
			bps.into(),
			MAX_FEE_BPS.into(),
			Rounding::Down,
		)
		.unwrap_or(0);
		let net = amount.saturating_sub(fee);
		let mut accrual = CurrentAccrual::<T>::get();
		Self::credit(worker, net, accrual.period);
		Self::credit(&TreasuryAddress::<T>::get(), fee, accrual.period);
		accrual.payments = accrual.payments.saturating_add(net);
		accrual.fees = accrual.fees.saturating_add(fee);
		CurrentAccrual::<T>::put(accrual);
		fee
	}
}

impl<T: Config> BaseTransfers for Pallet<T> {
	fn note_transfer(to: &EthAddress, amount: Balance) {
		let mut accrual = CurrentAccrual::<T>::get();
		Self::credit(to, amount, accrual.period);
		accrual.transfers = accrual.transfers.saturating_add(amount);
		CurrentAccrual::<T>::put(accrual);
	}
}
