//! Unit tests. Every test runs through `ExtBuilder::build_and_execute` (and `run_to`), so the
//! pallet's invariants are checked after each block and at the end.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use smartnodes_primitives::compute::{Fault, JobId, OnJobCompleted};
use sp_core::H256;
use sp_runtime::{DispatchError, Permill};

mod offchain;

type AuditError = Error<Test>;

fn genesis() -> H256 {
	System::block_hash(0)
}

/// Completes job `id` paid to `workers` (attached to validator 1) and runs to its draw.
fn audited(id: JobId, workers: &[AccountId]) -> Option<crate::AuditOf<Test>> {
	for w in workers {
		add_worker(*w, 1);
	}
	complete(id, workers);
	Audits::on_completed(id);
	run_to(System::block_number() + SAMPLE_DELAY as u64);
	Audits::audits(id)
}

fn report(id: JobId, outcome: AuditOutcome, signer: AccountId) -> Result<(), DispatchError> {
	let signature = sign(signer, &audit_digest(&genesis(), id, &outcome));
	Audits::report_audit(frame_system::RawOrigin::Authorized.into(), id, outcome, signature)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn outcomes(list: &[(AccountId, bool)]) -> BoundedVec<(AccountId, bool), ConstU32Four> {
	BoundedVec::truncate_from(list.to_vec())
}
type ConstU32Four = frame_support::traits::ConstU32<4>;

fn challenges(
	validator: AccountId,
	round: Round,
	list: &[(AccountId, bool)],
	signer: AccountId,
) -> Result<(), DispatchError> {
	let signature = sign(signer, &challenges_digest(&genesis(), &validator, round, list));
	Audits::report_challenges(
		frame_system::RawOrigin::Authorized.into(),
		validator,
		round,
		outcomes(list),
		signature,
	)
}

const AGREED: (H256, u64) = (H256::repeat_byte(3), 400);

impl Pallet<Test> {
	fn audits(id: JobId) -> Option<crate::AuditOf<Test>> {
		OpenAudits::<Test>::get(id)
	}
}

// ---- drawing audits ----

#[test]
fn a_completed_job_is_drawn_two_blocks_later_for_a_validator_its_workers_are_not_attached_to() {
	ExtBuilder::default().build_and_execute(|| {
		let audit = audited(7, &[11, 12]).unwrap();
		// Seed zero picks the first candidate; validator 1 is excluded as the workers' own.
		assert_eq!(audit.auditor, 2);
		assert_eq!(audit.auditor_key, address(2));
		assert_eq!(audit.due, 3 + WINDOW);
		assert_eq!((audit.output_hash, audit.fuel_used), AGREED);
		assert_eq!(audit.workers.to_vec(), vec![11, 12]);
		assert!(AuditsOf::<Test>::contains_key(2, 7));
		assert_eq!(AuditQueue::<Test>::get().to_vec(), vec![(3 + WINDOW, 7)]);
		assert_eq!(events(), vec![Event::AuditOpened { job: 7, auditor: 2, due: 3 + WINDOW }]);
	});
}

#[test]
fn no_job_is_sampled_at_a_zero_rate() {
	ExtBuilder { rate: Permill::zero(), ..Default::default() }.build_and_execute(|| {
		assert_eq!(audited(7, &[11]), None);
		assert!(Sampling::<Test>::iter().next().is_none());
	});
}

#[test]
fn the_rate_decides_which_jobs_are_audited() {
	ExtBuilder { rate: Permill::from_percent(30), ..Default::default() }.build_and_execute(|| {
		world(|w| w.seed = 1);
		add_worker(11, 1);
		for id in 0..200 {
			complete(id, &[11]);
			Audits::on_completed(id);
			// Three blocks per job: fewer than `MaxOpenAudits` audits are ever in the queue.
			run_to(System::block_number() + 3);
		}
		let opened =
			events().iter().filter(|e| matches!(e, Event::AuditOpened { .. })).count() as u32;
		// 30% of 200, within a generous margin for a fixed seed.
		assert!((35..=85).contains(&opened), "{opened} audits opened");
	});
}

#[test]
fn a_job_whose_workers_attach_to_every_validator_is_not_audited() {
	ExtBuilder::default().build_and_execute(|| {
		for (w, v) in [(11, 1), (12, 2), (13, 3), (14, 4)] {
			add_worker(w, v);
		}
		complete(7, &[11, 12, 13, 14]);
		Audits::on_completed(7);
		run_to(3);
		assert_eq!(Audits::audits(7), None);
		assert!(events().is_empty());
	});
}

#[test]
fn no_audit_opens_beyond_max_open_audits() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 1);
		for id in 0..6 {
			complete(id, &[11]);
			Audits::on_completed(id);
			run_to(System::block_number() + 1);
		}
		run_to(System::block_number() + 2);
		assert_eq!(OpenAudits::<Test>::iter().count(), 4);
		assert_eq!(Audits::audits(4), None);
	});
}

#[test]
fn completions_beyond_a_blocks_sampling_cap_are_not_considered() {
	ExtBuilder::default().build_and_execute(|| {
		for id in 0..5 {
			complete(id, &[11]);
			Audits::on_completed(id);
		}
		assert_eq!(Sampling::<Test>::get(1 + SAMPLE_DELAY as u64).to_vec(), vec![0, 1, 2]);
		run_to(3);
	});
}

// ---- report_audit ----

#[test]
fn report_audit_that_reproduces_passes() {
	ExtBuilder::default().build_and_execute(|| {
		let audit = audited(7, &[11, 12]).unwrap();
		let outcome = AuditOutcome::Reproduced { output_hash: AGREED.0, fuel_used: AGREED.1 };
		assert_ok!(report(7, outcome, audit.auditor));
		assert_eq!(Audits::audits(7), None);
		assert!(!AuditsOf::<Test>::contains_key(2, 7));
		assert!(world(|w| w.faults.is_empty()));
		assert_eq!(events().last(), Some(&Event::AuditPassed { job: 7, auditor: 2 }));
	});
}

#[test]
fn report_audit_that_does_not_reproduce_strikes_the_paid_workers_with_evidence() {
	ExtBuilder::default().build_and_execute(|| {
		audited(7, &[11, 12]).unwrap();
		let wrong = H256::repeat_byte(0xee);
		let outcome = AuditOutcome::Reproduced { output_hash: wrong, fuel_used: 400 };
		assert_ok!(report(7, outcome, 2));
		assert_eq!(
			world(|w| w.faults.clone()),
			vec![(11, Fault::WrongResult), (12, Fault::WrongResult)]
		);
		assert_eq!(
			events().last(),
			Some(&Event::AuditFailed {
				job: 7,
				auditor: 2,
				agreed: AGREED,
				reproduced: (wrong, 400),
				struck: vec![11, 12],
			})
		);
	});
}

#[test]
fn report_audit_unavailable_gives_no_verdict() {
	ExtBuilder::default().build_and_execute(|| {
		audited(7, &[11]).unwrap();
		assert_ok!(report(7, AuditOutcome::Unavailable, 2));
		assert!(world(|w| w.faults.is_empty()));
		assert_eq!(events().last(), Some(&Event::AuditInconclusive { job: 7, auditor: 2 }));
	});
}

#[test]
fn report_audit_of_an_unknown_or_reported_audit_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(report(7, AuditOutcome::Unavailable, 2), AuditError::UnknownAudit);
		audited(7, &[11]).unwrap();
		assert_ok!(report(7, AuditOutcome::Unavailable, 2));
		assert_noop!(report(7, AuditOutcome::Unavailable, 2), AuditError::UnknownAudit);
	});
}

#[test]
fn report_audit_signed_by_another_validator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		audited(7, &[11]).unwrap();
		assert_noop!(report(7, AuditOutcome::Unavailable, 3), AuditError::BadSignature);
		// A signature over another outcome does not carry over.
		let signature = sign(2, &audit_digest(&genesis(), 7, &AuditOutcome::Unavailable));
		let outcome = AuditOutcome::Reproduced { output_hash: AGREED.0, fuel_used: AGREED.1 };
		assert_noop!(
			Audits::report_audit(frame_system::RawOrigin::Authorized.into(), 7, outcome, signature)
				.map_err(|e| e.error),
			AuditError::BadSignature
		);
	});
}

#[test]
fn report_audit_is_checked_in_the_pool_and_takes_no_unsigned_origin() {
	use frame_support::pallet_prelude::Authorize;
	use sp_runtime::transaction_validity::TransactionSource;
	ExtBuilder::default().build_and_execute(|| {
		audited(7, &[11]).unwrap();
		let good = crate::Call::<Test>::report_audit {
			job: 7,
			outcome: AuditOutcome::Unavailable,
			signature: sign(2, &audit_digest(&genesis(), 7, &AuditOutcome::Unavailable)),
		};
		assert!(matches!(good.authorize(TransactionSource::External), Some(Ok(_))));
		let forged = crate::Call::<Test>::report_audit {
			job: 7,
			outcome: AuditOutcome::Unavailable,
			signature: sign(3, &audit_digest(&genesis(), 7, &AuditOutcome::Unavailable)),
		};
		assert!(matches!(forged.authorize(TransactionSource::External), Some(Err(_))));
		assert_noop!(
			Audits::report_audit(RuntimeOrigin::none(), 7, AuditOutcome::Unavailable, [0; 65])
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
	});
}

// ---- expiry ----

#[test]
fn an_unreported_audit_expires_after_its_window() {
	ExtBuilder::default().build_and_execute(|| {
		audited(7, &[11]).unwrap();
		run_to(3 + WINDOW);
		assert!(Audits::audits(7).is_some());
		run_to(4 + WINDOW);
		assert_eq!(Audits::audits(7), None);
		assert!(AuditQueue::<Test>::get().is_empty());
		assert_eq!(events().last(), Some(&Event::AuditExpired { job: 7, auditor: 2 }));
		assert_noop!(report(7, AuditOutcome::Unavailable, 2), AuditError::UnknownAudit);
	});
}

#[test]
fn expiries_per_block_are_capped() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 1);
		for id in 0..3 {
			complete(id, &[11]);
			Audits::on_completed(id);
		}
		run_to(3);
		assert_eq!(AuditQueue::<Test>::get().len(), 3);
		run_to(4 + WINDOW);
		// Two expire per block; the third one block later.
		assert_eq!(AuditQueue::<Test>::get().len(), 1);
		run_to(5 + WINDOW);
		assert!(AuditQueue::<Test>::get().is_empty());
	});
}

// ---- report_challenges ----

#[test]
fn report_challenges_credits_passes_and_strikes_failures() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 1);
		add_worker(12, 1);
		run_to(PERIOD);
		assert_ok!(challenges(1, 1, &[(11, true), (12, false)], 1));
		assert_eq!(world(|w| w.contributions.clone()), vec![(payout(11), CREDIT)]);
		assert_eq!(world(|w| w.faults.clone()), vec![(12, Fault::FailedChallenge)]);
		assert_eq!(LastChallenged::<Test>::get(11), Some(1));
		assert_eq!(LastChallenged::<Test>::get(12), Some(1));
		assert_eq!(
			events(),
			vec![
				Event::ChallengeFailed { worker: 12, validator: 1, round: 1 },
				Event::ChallengesReported { validator: 1, round: 1, passed: 1, failed: 1 },
			]
		);
	});
}

#[test]
fn report_challenges_while_challenges_are_off_fails() {
	ExtBuilder { period: 0, ..Default::default() }.build_and_execute(|| {
		add_worker(11, 1);
		assert_noop!(challenges(1, 0, &[(11, true)], 1), AuditError::ChallengesOff);
	});
}

#[test]
fn report_challenges_for_another_round_fails() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 1);
		run_to(2 * PERIOD);
		assert_noop!(challenges(1, 3, &[(11, true)], 1), AuditError::WrongRound);
		assert_noop!(challenges(1, 0, &[(11, true)], 1), AuditError::WrongRound);
		// The previous round is still accepted, for reports sent near its end.
		assert_ok!(challenges(1, 1, &[(11, true)], 1));
	});
}

#[test]
fn report_challenges_without_outcomes_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(challenges(1, 0, &[], 1), AuditError::EmptyReport);
	});
}

#[test]
fn report_challenges_from_outside_the_set_fails() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 9);
		assert_noop!(challenges(9, 0, &[(11, true)], 9), AuditError::NotInSet);
	});
}

#[test]
fn report_challenges_signed_by_another_key_fails() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 1);
		assert_noop!(challenges(1, 0, &[(11, true)], 2), AuditError::BadSignature);
	});
}

#[test]
fn report_challenges_of_workers_not_attached_fails() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 2);
		assert_noop!(challenges(1, 0, &[(11, false)], 1), AuditError::NotAttached);
		assert_noop!(challenges(1, 0, &[(99, false)], 1), AuditError::NotAttached);
	});
}

#[test]
fn report_challenges_twice_in_a_round_fails() {
	ExtBuilder::default().build_and_execute(|| {
		add_worker(11, 1);
		add_worker(12, 1);
		assert_noop!(
			challenges(1, 0, &[(11, true), (11, false)], 1),
			AuditError::AlreadyChallenged
		);
		assert_ok!(challenges(1, 0, &[(11, true)], 1));
		assert_noop!(
			challenges(1, 0, &[(12, true), (11, false)], 1),
			AuditError::AlreadyChallenged
		);
		run_to(PERIOD);
		assert_ok!(challenges(1, 1, &[(11, false)], 1));
	});
}

// ---- governance ----

#[test]
fn governance_sets_the_rate_and_the_period() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Audits::set_audit_rate(RuntimeOrigin::signed(1), Permill::zero()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Audits::set_challenge_period(RuntimeOrigin::signed(1), 0),
			DispatchError::BadOrigin
		);
		assert_ok!(Audits::set_audit_rate(RuntimeOrigin::root(), Permill::from_percent(5)));
		assert_ok!(Audits::set_challenge_period(RuntimeOrigin::root(), 0));
		assert_eq!(AuditRate::<Test>::get(), Permill::from_percent(5));
		assert_eq!(Audits::current_round(), None);
		assert_eq!(
			events(),
			vec![
				Event::AuditRateSet { rate: Permill::from_percent(5) },
				Event::ChallengePeriodSet { blocks: 0 },
			]
		);
	});
}
