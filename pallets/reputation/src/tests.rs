use crate::{mock::*, pallet::*, Error, Event, Fault, Record, Role};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use smartnodes_primitives::compute::{Reputation as _, MAX_SCORE};
use sp_runtime::DispatchError;

const W: Role = Role::Worker;
const V: Role = Role::Validator;

fn record(role: Role, who: AccountId) -> Record<u64> {
	Records::<Test>::get(role, who).expect("the party has a record")
}

fn fault(role: Role, who: AccountId) -> bool {
	Reputation::note_fault(role, &who, Fault::WrongResult)
}

/// Strikes `who` until `StrikeLimit` blacklists it, all in the current block.
fn strike_out(role: Role, who: AccountId) {
	for _ in 1..STRIKE_LIMIT {
		assert!(!fault(role, who));
	}
	assert!(fault(role, who));
}

#[test]
fn integrity_test_passes() {
	ExtBuilder::default().build_and_execute(|| {
		<Reputation as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn unknown_parties_stand_at_the_initial_score() {
	ExtBuilder::default().build_and_execute(|| {
		go_to(7);
		assert_eq!(Reputation::score(W, &1), INITIAL);
		assert_eq!(Reputation::score(V, &1), INITIAL);
		assert!(!Reputation::is_blacklisted(W, &1));
		assert_eq!(Reputation::standing(V, &1), Record::new(INITIAL, 7));
		// Reading writes nothing.
		assert_eq!(Records::<Test>::iter().count(), 0);
	});
}

#[test]
fn note_success_rewards_up_to_the_maximum() {
	ExtBuilder::default().build_and_execute(|| {
		Reputation::note_success(W, &1);
		assert_eq!(
			record(W, 1),
			Record {
				score: INITIAL + REWARD,
				strikes: 0,
				successes: 1,
				faults: 0,
				updated_at: 1,
				blacklisted_at: None
			}
		);
		// No event per job.
		assert!(events().is_empty());

		for _ in 0..(MAX_SCORE - INITIAL) / REWARD {
			Reputation::note_success(W, &1);
		}
		assert_eq!(record(W, 1).score, MAX_SCORE);
		assert_eq!(record(W, 1).successes, 1 + (MAX_SCORE - INITIAL) / REWARD);
		assert!(Records::<Test>::get(V, 1).is_none());
	});
}

#[test]
fn note_fault_strikes_and_emits() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!Reputation::note_fault(V, &2, Fault::MissedVote));
		assert_eq!(
			record(V, 2),
			Record {
				score: INITIAL - PENALTY,
				strikes: 1,
				successes: 0,
				faults: 1,
				updated_at: 1,
				blacklisted_at: None
			}
		);
		assert_eq!(
			last_event(),
			Event::Struck {
				role: V,
				who: 2,
				fault: Fault::MissedVote,
				score: INITIAL - PENALTY,
				strikes: 1
			}
			.into()
		);
		assert!(hook_calls().is_empty());
		// The other role is untouched.
		assert_eq!(Reputation::score(W, &2), INITIAL);
	});
}

#[test]
fn a_high_score_decays_down_to_the_initial_score_and_no_further() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..30 {
			Reputation::note_success(W, &1);
		}
		assert_eq!(record(W, 1).score, INITIAL + 300);

		go_to(1 + PERIOD - 1);
		assert_eq!(Reputation::score(W, &1), INITIAL + 300);
		go_to(1 + PERIOD);
		assert_eq!(Reputation::score(W, &1), INITIAL + 300 - STEP);
		go_to(1 + 2 * PERIOD);
		assert_eq!(Reputation::score(W, &1), INITIAL + 300 - 2 * STEP);
		// Five periods would move 500 points; the score stops at the initial one.
		go_to(1 + 5 * PERIOD);
		let standing = Reputation::standing(W, &1);
		assert_eq!(standing.score, INITIAL);
		assert_eq!(standing.updated_at, 1 + 5 * PERIOD);
		// Reading does not write: the stored record is as of its last write.
		assert_eq!(record(W, 1).score, INITIAL + 300);
		assert_eq!(record(W, 1).updated_at, 1);
	});
}

#[test]
fn a_low_score_decays_up_to_the_initial_score_and_no_further() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!fault(W, 1));
		assert!(!fault(W, 1));
		assert_eq!(record(W, 1).score, INITIAL - 2 * PENALTY);

		go_to(1 + PERIOD);
		assert_eq!(Reputation::score(W, &1), INITIAL - 2 * PENALTY + STEP);
		// Ten periods would move 1,000 points; the score stops at the initial one.
		go_to(1 + 10 * PERIOD);
		assert_eq!(Reputation::score(W, &1), INITIAL);
	});
}

#[test]
fn decay_over_more_periods_than_a_u32_holds_saturates() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!fault(W, 1));
		let far = 1 + PERIOD * (u64::from(u32::MAX) + 5);
		go_to(far);
		let standing = Reputation::standing(W, &1);
		assert_eq!((standing.score, standing.strikes, standing.updated_at), (INITIAL, 0, far));
	});
}

#[test]
fn one_strike_is_forgiven_per_period() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..STRIKE_LIMIT - 1 {
			assert!(!fault(W, 1));
		}
		assert_eq!(record(W, 1).strikes, STRIKE_LIMIT - 1);

		go_to(1 + PERIOD);
		assert_eq!(Reputation::standing(W, &1).strikes, STRIKE_LIMIT - 2);
		// One strike was forgiven, so the strike that would have been the last is not.
		assert!(!fault(W, 1));
		assert_eq!(record(W, 1).strikes, STRIKE_LIMIT - 1);
		assert_eq!(record(W, 1).faults, STRIKE_LIMIT);

		go_to(1 + 3 * PERIOD);
		assert_eq!(Reputation::standing(W, &1).strikes, STRIKE_LIMIT - 3);
		go_to(1 + 100 * PERIOD);
		assert_eq!(Reputation::standing(W, &1).strikes, 0);
		assert!(!Reputation::is_blacklisted(W, &1));
	});
}

#[test]
fn decay_keeps_the_remainder_of_a_period() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!fault(W, 1));

		// One and a half periods later: one period decays, the half is kept.
		go_to(1 + PERIOD + PERIOD / 2);
		Reputation::note_success(W, &1);
		assert_eq!(record(W, 1).score, INITIAL - PENALTY + STEP + REWARD);
		assert_eq!(record(W, 1).strikes, 0);
		assert_eq!(record(W, 1).updated_at, 1 + PERIOD);

		// Half a period more completes the second period, although only half a period passed
		// since the last write.
		go_to(1 + 2 * PERIOD);
		assert_eq!(Reputation::score(W, &1), INITIAL - PENALTY + 2 * STEP + REWARD);
		assert_eq!(Reputation::standing(W, &1).updated_at, 1 + 2 * PERIOD);
	});
}

#[test]
fn the_strike_limit_blacklists_and_tells_the_hook() {
	ExtBuilder::default().build_and_execute(|| {
		go_to(3);
		strike_out(W, 1);
		let score = INITIAL - STRIKE_LIMIT * PENALTY;
		assert_eq!(
			record(W, 1),
			Record {
				score,
				strikes: STRIKE_LIMIT,
				successes: 0,
				faults: STRIKE_LIMIT,
				updated_at: 3,
				blacklisted_at: Some(3)
			}
		);
		let events = events();
		assert_eq!(
			events[events.len() - 2..],
			[
				Event::Struck {
					role: W,
					who: 1,
					fault: Fault::WrongResult,
					score,
					strikes: STRIKE_LIMIT
				}
				.into(),
				Event::Blacklisted { role: W, who: 1, strikes: STRIKE_LIMIT, score }.into(),
			]
		);
		assert_eq!(hook_calls(), vec![Hook::Blacklisted(W, 1)]);
		assert!(Reputation::is_blacklisted(W, &1));
		assert!(!Reputation::is_blacklisted(V, &1));
	});
}

#[test]
fn a_score_of_zero_blacklists() {
	ExtBuilder::default().build_and_execute(|| {
		// A fault every period: the strike is forgiven each time, but the score falls by
		// `PENALTY - STEP` per period until the penalty takes it to 0 on the 13th fault.
		let mut expected = INITIAL;
		for k in 0..13u64 {
			go_to(1 + k * PERIOD);
			if k > 0 {
				expected = (expected + STEP).min(INITIAL);
			}
			expected = expected.saturating_sub(PENALTY);
			assert_eq!(fault(W, 1), k == 12, "fault {k}");
			assert_eq!(record(W, 1).score, expected);
		}
		assert_eq!(expected, 0);
		assert_eq!(record(W, 1).strikes, 1);
		assert_eq!(record(W, 1).blacklisted_at, Some(1 + 12 * PERIOD));
		assert_eq!(
			last_event(),
			Event::Blacklisted { role: W, who: 1, strikes: 1, score: 0 }.into()
		);
		assert_eq!(hook_calls(), vec![Hook::Blacklisted(W, 1)]);
	});
}

#[test]
fn faults_after_a_blacklist_count_but_do_not_blacklist_again() {
	ExtBuilder::default().build_and_execute(|| {
		strike_out(W, 1);
		go_to(5);
		assert!(!fault(W, 1));

		let score = INITIAL - (STRIKE_LIMIT + 1) * PENALTY;
		assert_eq!(
			record(W, 1),
			Record {
				score,
				strikes: STRIKE_LIMIT + 1,
				successes: 0,
				faults: STRIKE_LIMIT + 1,
				updated_at: 1,
				blacklisted_at: Some(1)
			}
		);
		assert_eq!(
			last_event(),
			Event::Struck {
				role: W,
				who: 1,
				fault: Fault::WrongResult,
				score,
				strikes: STRIKE_LIMIT + 1
			}
			.into()
		);
		assert_eq!(hook_calls(), vec![Hook::Blacklisted(W, 1)]);
	});
}

#[test]
fn a_blacklist_does_not_wear_off() {
	ExtBuilder::default().build_and_execute(|| {
		strike_out(W, 1);
		go_to(1 + 1_000 * PERIOD);
		let standing = Reputation::standing(W, &1);
		// Strikes are not forgiven while blacklisted; the score still drifts back.
		assert_eq!(standing.strikes, STRIKE_LIMIT);
		assert_eq!(standing.score, INITIAL);
		assert!(Reputation::is_blacklisted(W, &1));
		Reputation::note_success(W, &1);
		assert!(Reputation::is_blacklisted(W, &1));
	});
}

#[test]
fn pardon_lifts_the_blacklist_and_tells_the_hook() {
	ExtBuilder::default().build_and_execute(|| {
		strike_out(W, 1);
		go_to(1 + 3 * PERIOD + 4);
		assert_ok!(Reputation::pardon(RuntimeOrigin::root(), W, 1));

		assert_eq!(
			record(W, 1),
			Record {
				score: INITIAL,
				strikes: 0,
				successes: 0,
				faults: STRIKE_LIMIT,
				updated_at: 1 + 3 * PERIOD,
				blacklisted_at: None
			}
		);
		assert!(!Reputation::is_blacklisted(W, &1));
		assert_eq!(last_event(), Event::Pardoned { role: W, who: 1 }.into());
		assert_eq!(hook_calls(), vec![Hook::Blacklisted(W, 1), Hook::Pardoned(W, 1)]);

		// A fresh start: the next fault is one strike, not the sixth.
		assert!(!fault(W, 1));
		assert_eq!(record(W, 1).strikes, 1);
	});
}

#[test]
fn pardon_fails_for_a_party_not_blacklisted() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Reputation::pardon(RuntimeOrigin::root(), W, 1),
			Error::<Test>::NotBlacklisted
		);
		assert!(!fault(W, 1));
		assert_noop!(
			Reputation::pardon(RuntimeOrigin::root(), W, 1),
			Error::<Test>::NotBlacklisted
		);
		// Blacklisted as a worker is not blacklisted as a validator.
		strike_out(W, 3);
		assert_noop!(
			Reputation::pardon(RuntimeOrigin::root(), V, 3),
			Error::<Test>::NotBlacklisted
		);
	});
}

#[test]
fn pardon_needs_root() {
	ExtBuilder::default().build_and_execute(|| {
		strike_out(W, 1);
		assert_noop!(Reputation::pardon(RuntimeOrigin::signed(1), W, 1), DispatchError::BadOrigin);
	});
}

#[test]
fn blacklist_bans_a_party_and_tells_the_hook() {
	ExtBuilder::default().build_and_execute(|| {
		go_to(5);
		assert_ok!(Reputation::blacklist(RuntimeOrigin::root(), V, 2));

		assert_eq!(record(V, 2), Record { blacklisted_at: Some(5), ..Record::new(INITIAL, 5) });
		assert_eq!(
			last_event(),
			Event::Blacklisted { role: V, who: 2, strikes: 0, score: INITIAL }.into()
		);
		assert_eq!(hook_calls(), vec![Hook::Blacklisted(V, 2)]);
		assert!(Reputation::is_blacklisted(V, &2));
		assert!(!Reputation::is_blacklisted(W, &2));
		// Later faults do not blacklist it again.
		assert!(!Reputation::note_fault(V, &2, Fault::MissedVote));
		assert_eq!(hook_calls().len(), 1);
	});
}

#[test]
fn blacklist_applies_decay_first() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!fault(W, 1));
		go_to(1 + PERIOD);
		assert_ok!(Reputation::blacklist(RuntimeOrigin::root(), W, 1));
		assert_eq!(
			last_event(),
			Event::Blacklisted { role: W, who: 1, strikes: 0, score: INITIAL - PENALTY + STEP }
				.into()
		);
	});
}

#[test]
fn blacklist_fails_for_a_blacklisted_party() {
	ExtBuilder::default().build_and_execute(|| {
		strike_out(W, 1);
		assert_noop!(
			Reputation::blacklist(RuntimeOrigin::root(), W, 1),
			Error::<Test>::AlreadyBlacklisted
		);
		assert_eq!(hook_calls().len(), 1);
	});
}

#[test]
fn blacklist_needs_root() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Reputation::blacklist(RuntimeOrigin::signed(1), W, 1),
			DispatchError::BadOrigin
		);
	});
}
