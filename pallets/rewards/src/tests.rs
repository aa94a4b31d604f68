use crate::ContributionRecorder;
use crate::{mock::*, pallet::*, Error, Event, PoolState, RewardsLedger, TableError};
use frame_support::{assert_noop, assert_ok};
use smartnodes_primitives::{bridge_key::EthAddress, currency::SNO, Balance};
use sp_runtime::DispatchError;

fn addr(b: u8) -> EthAddress {
	EthAddress::repeat_byte(b)
}

/// Moves to the end of the accruing period (`INTERVAL` blocks after its start) and closes it.
fn close() -> u64 {
	let start = CurrentAccrual::<Test>::get().start;
	System::set_block_number(start + INTERVAL);
	Rewards::close_period()
}

fn table(period: u64) -> Vec<(EthAddress, Balance)> {
	Rewards::reward_table(period).expect("table of the last closed period")
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Rewards(e) = r.event { Some(e) } else { None })
		.next_back()
		.expect("an event")
}

const YEAR: u64 = BLOCKS_PER_YEAR as u64;

/// SNO with a tenth: `sno(34992, 10)` is 3,499.2 SNO.
fn sno(whole: u128, per: u128) -> Balance {
	whole * SNO / per
}

#[test]
fn emission_per_update_year_by_year() {
	build_and_execute(|| {
		// (year, SNO per hour, SNO per 8-hour update)
		let table = [
			(0, sno(5_625, 1), sno(45_000, 1)),
			(1, sno(3_375, 1), sno(27_000, 1)),
			(2, sno(2_025, 1), sno(16_200, 1)),
			(3, sno(1_215, 1), sno(9_720, 1)),
			(4, sno(729, 1), sno(5_832, 1)),
			(5, sno(4_374, 10), sno(34_992, 10)),
			(6, sno(420, 1), sno(3_360, 1)),
			(7, sno(420, 1), sno(3_360, 1)),
			(8, sno(420, 1), sno(3_360, 1)),
		];
		for (year, hourly, update) in table {
			assert_eq!(Rewards::hourly_emission(year), hourly, "hourly rate of year {year}");
			let start = year * YEAR;
			assert_eq!(
				Rewards::emission_between(start, start + INTERVAL),
				update,
				"first update of year {year}"
			);
			let end = (year + 1) * YEAR;
			assert_eq!(
				Rewards::emission_between(end - INTERVAL, end),
				update,
				"last update of year {year}"
			);
		}
		// The tail holds forever.
		assert_eq!(Rewards::hourly_emission(1_000), sno(420, 1));
	});
}

#[test]
fn emission_straddling_an_anniversary_pays_each_year_its_rate() {
	build_and_execute(|| {
		let half = INTERVAL / 2;
		// 4 hours at 5,625 and 4 hours at 3,375.
		assert_eq!(Rewards::emission_between(YEAR - half, YEAR + half), sno(36_000, 1));
		// Into the tail: 4 hours at 437.4 and 4 hours at 420.
		assert_eq!(Rewards::emission_between(6 * YEAR - half, 6 * YEAR + half), sno(34_296, 10));
	});
}

#[test]
fn supply_over_time() {
	build_and_execute(|| {
		// SNO emitted by the end of each year: 8,760 hours a year at that year's rate (in tenths
		// of SNO per hour).
		let per_year = [56_250, 33_750, 20_250, 12_150, 7_290, 4_374, 4_200, 4_200, 4_200, 4_200];
		let mut supply = 0;
		for (year, rate_tenths) in per_year.iter().enumerate() {
			supply += sno(rate_tenths * 8_760, 10);
			assert_eq!(Rewards::emitted_before((year as u64 + 1) * YEAR), supply, "year {year}");
		}
		assert_eq!(supply, sno(132_156_864, 1));
	});
}

#[test]
fn split_is_85_10_5() {
	build_and_execute(|| {
		assert_eq!(Rewards::split(sno(45_000, 1)), (sno(38_250, 1), sno(4_500, 1), sno(2_250, 1)));
		// The rounding goes to the treasury.
		assert_eq!(Rewards::split(199), (169, 19, 11));
	});
}

#[test]
fn close_period_shares_the_worker_pool_by_contribution() {
	build_and_execute(|| {
		Rewards::note_contribution(&addr(1), 1);
		Rewards::note_contribution(&addr(2), 2);
		assert_eq!(close(), 1);
		assert_eq!(
			last_event(),
			Event::PeriodClosed {
				period: 1,
				emission: sno(45_000, 1),
				worker_pool: sno(38_250, 1),
				validator_pool: sno(4_500, 1),
				treasury_share: sno(2_250, 1),
				units: 3,
				max_total: sno(40_500, 1),
			}
		);
		let mut expected =
			vec![(addr(1), sno(12_750, 1)), (addr(2), sno(25_500, 1)), (treasury(), sno(2_250, 1))];
		expected.sort();
		assert_eq!(table(1), expected);
		assert_eq!(Rewards::total_bounds(1), Some((sno(40_500, 1) - 2, sno(40_500, 1))));
		assert_eq!(CurrentAccrual::<Test>::get().period, 2);
		assert_eq!(TotalEmitted::<Test>::get(), sno(45_000, 1));
	});
}

#[test]
fn idle_worker_pool_goes_to_the_treasury() {
	build_and_execute(|| {
		close();
		assert_eq!(table(1), vec![(treasury(), sno(40_500, 1))]);
		assert_eq!(Rewards::total_bounds(1), Some((sno(40_500, 1), sno(40_500, 1))));
	});
}

#[test]
fn passed_table_pays_its_voters_in_the_next_table() {
	build_and_execute(|| {
		close();
		let (a, b, c) = (addr(0xa), addr(0xb), addr(0xc));
		Rewards::on_passed(1, sno(40_500, 1), &[a, b, c], &a);
		assert_eq!(
			last_event(),
			Event::ValidatorPoolPaid {
				period: 1,
				voters: 3,
				share: sno(1_500, 1),
				proposer_extra: 0
			}
		);
		assert_eq!(Periods::<Test>::get(1).unwrap().pool, PoolState::Paid);
		// Not in the table the voters signed...
		assert_eq!(table(1), vec![(treasury(), sno(40_500, 1))]);
		// ...but in the next one.
		close();
		let t = table(2);
		assert!(t.contains(&(a, sno(1_500, 1))) && t.contains(&(c, sno(1_500, 1))));
		let total: Balance = t.iter().map(|e| e.1).sum();
		assert_eq!(total, sno(40_500 * 2 + 4_500, 1));
		assert_eq!(Rewards::total_bounds(2), Some((total, total)));
		// Passing twice pays nothing more.
		Rewards::on_passed(1, sno(40_500, 1), &[a], &a);
		assert_eq!(CurrentAccrual::<Test>::get().validator_rewards, 0);
	});
}

#[test]
fn pool_remainder_goes_to_the_proposer() {
	build_and_execute(|| {
		System::set_block_number(7);
		Rewards::close_period();
		// 7 blocks: 65.625 SNO, a pool of 6.5625 SNO shared by 3.
		let pool = Periods::<Test>::get(1).unwrap().validator_pool;
		Rewards::on_passed(1, 1, &[addr(1), addr(2), addr(3)], &addr(1));
		let share = pool / 3;
		assert_eq!(
			last_event(),
			Event::ValidatorPoolPaid {
				period: 1,
				voters: 3,
				share,
				proposer_extra: pool - 3 * share
			}
		);
	});
}

#[test]
fn superseded_period_forfeits_its_pool_to_the_treasury() {
	build_and_execute(|| {
		close();
		Rewards::on_superseded(1);
		assert_eq!(
			last_event(),
			Event::ValidatorPoolForfeited { period: 1, amount: sno(4_500, 1) }
		);
		assert_eq!(Periods::<Test>::get(1).unwrap().pool, PoolState::Forfeited);
		close();
		assert_eq!(table(2), vec![(treasury(), sno(40_500 * 2 + 4_500, 1))]);
	});
}

#[test]
fn job_payment_pays_the_worker_less_the_fee() {
	build_and_execute(|| {
		assert_eq!(Rewards::note_job_payment(&addr(1), 1_000), 50);
		let accrual = CurrentAccrual::<Test>::get();
		assert_eq!((accrual.payments, accrual.fees), (950, 50));
		close();
		let t = table(1);
		assert!(t.contains(&(addr(1), 950)));
		assert!(t.contains(&(treasury(), sno(40_500, 1) + 50)));
	});
}

#[test]
fn accounts_are_settled_lazily_across_periods() {
	build_and_execute(|| {
		Rewards::note_contribution(&addr(1), 1);
		Rewards::note_contribution(&addr(2), 1);
		close();
		close();
		// Worker 1 comes back two periods later: its period-1 units are priced then.
		Rewards::note_contribution(&addr(1), 3);
		Rewards::note_contribution(&addr(2), 1);
		close();
		let t = table(3);
		let pool = sno(38_250, 1);
		assert!(t.contains(&(addr(1), pool / 2 + pool * 3 / 4)));
		assert!(t.contains(&(addr(2), pool / 2 + pool / 4)));
		assert_eq!(Accounts::<Test>::get(addr(1)).unwrap().open_period, 3);
	});
}

#[test]
fn rounding_stays_within_the_bounds() {
	build_and_execute(|| {
		System::set_block_number(1);
		for w in 1..=7 {
			Rewards::note_contribution(&addr(w), 1);
		}
		System::set_block_number(3);
		Rewards::close_period();
		let total: Balance = table(1).iter().map(|e| e.1).sum();
		let (lo, hi) = Rewards::total_bounds(1).unwrap();
		assert!(lo <= total && total <= hi, "{lo} <= {total} <= {hi}");
		assert!(total < hi, "seven shares of an odd pool round down");
	});
}

#[test]
fn tables_of_open_or_superseded_periods_are_refused() {
	build_and_execute(|| {
		assert_eq!(Rewards::reward_table(1), Err(TableError::NotClosed));
		assert_eq!(Rewards::reward_table(0), Err(TableError::NotClosed));
		close();
		close();
		assert_eq!(Rewards::reward_table(1), Err(TableError::Superseded));
		assert!(Rewards::reward_table(2).is_ok());
	});
}

#[test]
fn set_treasury_address_works() {
	build_and_execute(|| {
		assert_ok!(Rewards::set_treasury_address(RuntimeOrigin::root(), addr(9)));
		assert_eq!(TreasuryAddress::<Test>::get(), addr(9));
		assert_eq!(last_event(), Event::TreasuryAddressSet { address: addr(9) });
	});
}

#[test]
fn set_treasury_address_refuses_zero() {
	build_and_execute(|| {
		assert_noop!(
			Rewards::set_treasury_address(RuntimeOrigin::root(), EthAddress::zero()),
			Error::<Test>::ZeroAddress
		);
	});
}

#[test]
fn setters_need_root() {
	build_and_execute(|| {
		assert_noop!(
			Rewards::set_treasury_address(RuntimeOrigin::signed(1), addr(9)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Rewards::set_protocol_fee(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_protocol_fee_works() {
	build_and_execute(|| {
		assert_ok!(Rewards::set_protocol_fee(RuntimeOrigin::root(), 10_000));
		assert_eq!(ProtocolFeeBps::<Test>::get(), 10_000);
		assert_eq!(last_event(), Event::ProtocolFeeSet { bps: 10_000 });
	});
}

#[test]
fn set_protocol_fee_refuses_more_than_everything() {
	build_and_execute(|| {
		assert_noop!(
			Rewards::set_protocol_fee(RuntimeOrigin::root(), 10_001),
			Error::<Test>::FeeTooHigh
		);
	});
}
