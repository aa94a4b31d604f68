use crate::{mock::*, *};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use frame_support::{dispatch::DispatchResult, weights::Weight};
use smartnodes_primitives::compute::{CompletedJobs, Fault, JobKind};
use smartnodes_primitives::{compute::JobId, Balance};
use sp_core::{Pair as _, H256};
use sp_runtime::{traits::Dispatchable, DispatchError};

type JobError = Error<Test>;

fn resource(byte: u8) -> Resource<<Test as Config>::MaxUriLen> {
	Resource {
		hash: H256::repeat_byte(byte),
		uri: BoundedVec::truncate_from(b"https://c".to_vec()),
	}
}

fn spec(replication: u8, max_payment: Balance) -> JobSpecOf<Test> {
	JobSpec {
		network: NET,
		kind: JobKind::Wasm,
		code: resource(1),
		input: resource(2),
		replication,
		limits: Limits { fuel: FUEL, memory_mib: 512, time_ms: 6_000 },
		deadline: System::block_number() + 100,
		max_payment,
	}
}

fn submit(spec: JobSpecOf<Test>) -> JobId {
	let id = NextJobId::<Test>::get();
	assert_ok!(Jobs::submit_job(RuntimeOrigin::signed(USER), spec));
	id
}

/// Submits a job and runs the blocks until its assignment; returns its id and workers.
fn running(replication: u8, max_payment: Balance) -> (JobId, Vec<AccountId>) {
	let id = submit(spec(replication, max_payment));
	run_to(System::block_number() + 2);
	(id, workers(id))
}

fn workers(id: JobId) -> Vec<AccountId> {
	Jobs::job(id).unwrap().replicas.iter().map(|r| r.worker).collect()
}

fn commit(id: JobId, worker: AccountId, output: H256, fuel: u64) -> DispatchResult {
	let c = commitment(worker, id, output, fuel);
	Jobs::commit_result(
		frame_system::RawOrigin::Authorized.into(),
		id,
		worker,
		c,
		sign(worker, id, c),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

fn reveal(id: JobId, worker: AccountId, output: H256, fuel: u64) -> DispatchResult {
	Jobs::reveal_result(
		frame_system::RawOrigin::Authorized.into(),
		id,
		worker,
		output,
		fuel,
		salt(worker),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// Every listed worker commits, then each reveals in order.
fn answer(id: JobId, answers: &[(AccountId, H256, u64)]) {
	for (worker, output, fuel) in answers {
		assert_ok!(commit(id, *worker, *output, *fuel));
	}
	for (worker, output, fuel) in answers {
		assert_ok!(reveal(id, *worker, *output, *fuel));
	}
}

fn escrow_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

fn faults() -> Vec<(AccountId, Fault)> {
	world(|w| w.faults.clone())
}

const OUT: H256 = H256::repeat_byte(0xaa);
const LIE: H256 = H256::repeat_byte(0xbb);

// ---- submit_job ----

#[test]
fn submit_job_holds_escrow_and_deposit_and_queues() {
	ExtBuilder::default().build_and_execute(|| {
		let id = submit(spec(3, 3_000));
		assert_eq!(id, 0);
		assert_eq!(NextJobId::<Test>::get(), 1);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Pending);
		assert_eq!(job.escrow, 3_000);
		assert_eq!(escrow_held(USER), 3_000);
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobStorage.into(), &USER), DEPOSIT);
		assert_eq!(Queue::<Test>::get().to_vec(), vec![id]);
		assert!(JobsOf::<Test>::contains_key(USER, id));
		assert_eq!(JobCount::<Test>::get(USER), 1);
		assert!(Agenda::<Test>::contains_key(job.spec.deadline + 1, id));
		assert_eq!(
			events(),
			vec![Event::JobSubmitted { id, owner: USER, network: NET, max_payment: 3_000 }]
		);
	});
}

#[test]
fn submit_job_refuses_non_users() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(STRANGER), spec(1, 1_000)),
			JobError::NotAUser
		);
	});
}

#[test]
fn submit_job_refuses_unknown_network() {
	ExtBuilder::default().build_and_execute(|| {
		let mut s = spec(1, 1_000);
		s.network = 9;
		assert_noop!(Jobs::submit_job(RuntimeOrigin::signed(USER), s), JobError::UnknownNetwork);
	});
}

#[test]
fn submit_job_refuses_retired_network() {
	ExtBuilder::default().build_and_execute(|| {
		world(|w| w.networks.get_mut(&NET).unwrap().retired = true);
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(USER), spec(1, 1_000)),
			JobError::NetworkRetired
		);
	});
}

#[test]
fn submit_job_refuses_bad_replication() {
	ExtBuilder::default().build_and_execute(|| {
		for replication in [0, 6] {
			assert_noop!(
				Jobs::submit_job(RuntimeOrigin::signed(USER), spec(replication, 6_000)),
				JobError::BadReplication
			);
		}
	});
}

#[test]
fn submit_job_refuses_replication_above_the_members() {
	ExtBuilder::default().workers(2).build_and_execute(|| {
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(USER), spec(3, 3_000)),
			JobError::NotEnoughWorkers
		);
	});
}

#[test]
fn submit_job_refuses_bad_limits() {
	ExtBuilder::default().build_and_execute(|| {
		let max = MaxLimits::get();
		for limits in [
			Limits { fuel: 0, ..spec(1, 0).limits },
			Limits { memory_mib: 0, ..spec(1, 0).limits },
			Limits { time_ms: 0, ..spec(1, 0).limits },
			Limits { fuel: max.fuel + 1, ..spec(1, 0).limits },
			Limits { memory_mib: max.memory_mib + 1, ..spec(1, 0).limits },
			Limits { time_ms: max.time_ms + 1, ..spec(1, 0).limits },
		] {
			let s = JobSpec { limits, ..spec(1, 1_000) };
			assert_noop!(Jobs::submit_job(RuntimeOrigin::signed(USER), s), JobError::BadLimits);
		}
	});
}

#[test]
fn submit_job_refuses_bad_deadlines() {
	ExtBuilder::default().build_and_execute(|| {
		// Assignment two blocks on, then the commit window (a 6 s time limit is one block on
		// top of it) and the reveal window.
		let earliest = System::block_number() + 2 + WINDOW + 1 + REVEAL;
		for deadline in [earliest - 1, System::block_number() + 1_001] {
			let s = JobSpec { deadline, ..spec(1, 1_000) };
			assert_noop!(Jobs::submit_job(RuntimeOrigin::signed(USER), s), JobError::BadDeadline);
		}
		assert_ok!(Jobs::submit_job(
			RuntimeOrigin::signed(USER),
			JobSpec { deadline: earliest, ..spec(1, 1_000) }
		));
	});
}

#[test]
fn submit_job_refuses_payment_below_the_floor() {
	ExtBuilder::default().build_and_execute(|| {
		// 299 / 3 = 99 per replica, below the floor of 100.
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(USER), spec(3, 299)),
			JobError::PaymentBelowFloor
		);
	});
}

#[test]
fn submit_job_refuses_payment_above_the_balance() {
	ExtBuilder::default().build_and_execute(|| {
		// 50 free: not even the payment.
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(POOR_USER), spec(1, 100)),
			JobError::InsufficientBalance
		);
	});
}

#[test]
fn submit_job_refuses_too_many_jobs() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..4 {
			submit(spec(1, 1_000));
		}
		run_to(3);
		for _ in 0..2 {
			submit(spec(1, 1_000));
		}
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(USER), spec(1, 1_000)),
			JobError::TooManyJobs
		);
	});
}

#[test]
fn submit_job_refuses_too_many_pending_jobs() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..4 {
			submit(spec(1, 1_000));
		}
		assert_eq!(PendingCount::<Test>::get(USER), 4);
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(USER), spec(1, 1_000)),
			JobError::TooManyPending
		);
	});
}

#[test]
fn submit_job_refuses_a_full_queue() {
	ExtBuilder::default().build_and_execute(|| {
		world(|w| w.users.insert(STRANGER));
		for who in [USER, STRANGER] {
			for _ in 0..4 {
				assert_ok!(Jobs::submit_job(RuntimeOrigin::signed(who), spec(1, 1_000)));
			}
		}
		world(|w| w.users.insert(POOR_USER));
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(POOR_USER), spec(1, 100)),
			JobError::QueueFull
		);
	});
}

#[test]
fn submit_job_refuses_exhausted_ids() {
	ExtBuilder::default().build_and_execute(|| {
		NextJobId::<Test>::put(u64::MAX);
		assert_noop!(
			Jobs::submit_job(RuntimeOrigin::signed(USER), spec(1, 1_000)),
			JobError::IdOverflow
		);
	});
}

#[test]
fn oversize_uris_do_not_decode() {
	ExtBuilder::default().build_and_execute(|| {
		let call = RuntimeCall::Jobs(Call::submit_job { spec: spec(1, 1_000) });
		let mut encoded = call.encode();
		assert!(RuntimeCall::decode(&mut &encoded[..]).is_ok());
		// Rewrite the code URI as 65 bytes, one over `MaxUriLen`.
		let uri = b"https://c".to_vec();
		let at = encoded.windows(uri.len()).position(|w| w == uri.as_slice()).unwrap();
		let long = vec![b'x'; 65];
		encoded.splice(at - 1..at + uri.len(), codec::Encode::encode(&long));
		assert!(RuntimeCall::decode(&mut &encoded[..]).is_err());
	});
}

// ---- cancel_job ----

#[test]
fn cancel_job_refunds_a_pending_job() {
	ExtBuilder::default().build_and_execute(|| {
		let free = Balances::balance(&USER);
		let id = submit(spec(1, 1_000));
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(USER), id));
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Cancelled);
		assert_eq!(job.settled_at, Some(1));
		assert_eq!(escrow_held(USER), 0);
		assert!(Queue::<Test>::get().is_empty());
		assert_eq!(Balances::balance(&USER), free - DEPOSIT);
		assert!(events().ends_with(&[
			Event::JobCancelled { id },
			Event::Refunded { id, owner: USER, amount: 1_000 }
		]));
		// Removed after the retention, with the deposit back.
		run_to(1 + RETENTION);
		assert!(Jobs::job(id).is_none());
		assert_eq!(Balances::balance(&USER), free);
		assert_eq!(JobCount::<Test>::get(USER), 0);
		assert!(events().ends_with(&[Event::JobRemoved { id }]));
	});
}

#[test]
fn cancel_job_refuses_unknown_jobs() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Jobs::cancel_job(RuntimeOrigin::signed(USER), 5), JobError::UnknownJob);
	});
}

#[test]
fn cancel_job_refuses_other_owners() {
	ExtBuilder::default().build_and_execute(|| {
		let id = submit(spec(1, 1_000));
		assert_noop!(Jobs::cancel_job(RuntimeOrigin::signed(STRANGER), id), JobError::NotOwner);
	});
}

#[test]
fn cancel_job_refuses_assigned_jobs() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, _) = running(1, 1_000);
		assert_noop!(Jobs::cancel_job(RuntimeOrigin::signed(USER), id), JobError::NotPending);
	});
}

// ---- assignment ----

#[test]
fn assignment_draws_distinct_eligible_workers_two_blocks_on() {
	ExtBuilder::default().build_and_execute(|| {
		let id = submit(spec(3, 3_000));
		assert!(Agenda::<Test>::contains_key(101 + 1, id));
		run_to(2);
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Pending);
		run_to(3);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Running);
		let chosen = workers(id);
		assert_eq!(chosen.len(), 3);
		let distinct: std::collections::BTreeSet<_> = chosen.iter().collect();
		assert_eq!(distinct.len(), 3);
		for replica in job.replicas.iter() {
			assert_eq!(replica.expires_at, 3 + WINDOW + 1);
			assert_eq!(replica.payout, payout(replica.worker));
			assert_eq!(replica.identity, identity(replica.worker).public().0);
			assert_eq!(Load::<Test>::get(replica.worker), 1);
		}
		assert!(Agenda::<Test>::contains_key(3 + WINDOW + 2, id));
		// The deadline timer went with the queue.
		assert!(!Agenda::<Test>::contains_key(101 + 1, id));
		assert_eq!(PendingCount::<Test>::get(USER), 0);
		assert!(events().contains(&Event::JobAssigned { id, workers: chosen }));
	});
}

#[test]
fn assignment_skips_ineligible_workers() {
	ExtBuilder::default().build_and_execute(|| {
		// 1: score below the network's 1,000; 2: too little memory; 3: blacklisted but still
		// listed. Only 4 and 5 are eligible.
		world(|w| {
			w.scores.insert(1, 999);
			w.workers.get_mut(&2).unwrap().capacity.memory_mib = 256;
			w.blacklisted.insert(3);
		});
		let (_, mut chosen) = running(2, 2_000);
		chosen.sort();
		assert_eq!(chosen, vec![4, 5]);
	});
}

#[test]
fn large_networks_are_drawn_independently() {
	ExtBuilder::default().workers(40).build_and_execute(|| {
		// 40 members, more than the 16 a draw examines: over many jobs every worker is drawn
		// at some point, not just runs next to a few starting points.
		let mut seen = std::collections::BTreeSet::new();
		world(|w| w.users.insert(STRANGER));
		for round in 0..30u64 {
			world(|w| w.seed = round as u8);
			let (id, chosen) = running(3, 3_000);
			let answers: Vec<_> = chosen.iter().map(|w| (*w, OUT, 1)).collect();
			answer(id, &answers);
			seen.extend(chosen);
			run_to(System::block_number() + RETENTION);
		}
		assert!(seen.len() >= 35, "{} of 40 drawn", seen.len());
	});
}

#[test]
fn a_worker_at_its_load_limit_is_not_assigned() {
	ExtBuilder::default().workers(1).build_and_execute(|| {
		let ids: Vec<_> = (0..3).map(|_| submit(spec(1, 1_000))).collect();
		run_to(3);
		assert_eq!(Load::<Test>::get(1), 2);
		assert_eq!(Jobs::job(ids[2]).unwrap().status, JobStatus::Pending);
		assert_eq!(Queue::<Test>::get().to_vec(), vec![ids[2]]);
		// Waiting for a busy worker uses none of the job's draws: more blocks pass than the
		// job has draws (3), and it still waits.
		run_to(7);
		assert_eq!(Jobs::job(ids[2]).unwrap().status, JobStatus::Pending);
		assert_eq!(Jobs::job(ids[2]).unwrap().attempts, 0);
		// Once the worker commits to one, the third job is assigned to it.
		assert_ok!(commit(ids[0], 1, OUT, 1));
		run_to(8);
		assert_eq!(workers(ids[2]), vec![1]);
	});
}

#[test]
fn a_job_without_eligible_workers_fails_after_its_draws() {
	ExtBuilder::default().build_and_execute(|| {
		world(|w| w.scores.extend((1..=5).map(|who| (who, 0))));
		let id = submit(spec(1, 1_000));
		run_to(4);
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Pending);
		assert_eq!(Jobs::job(id).unwrap().attempts, 2);
		run_to(5);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Failed { reason: FailReason::NotAssigned });
		assert!(Queue::<Test>::get().is_empty());
		assert_eq!(PendingCount::<Test>::get(USER), 0);
		assert_eq!(escrow_held(USER), 0);
		assert!(events().ends_with(&[
			Event::JobFailed { id, reason: FailReason::NotAssigned },
			Event::Refunded { id, owner: USER, amount: 1_000 }
		]));
	});
}

#[test]
fn a_job_whose_deadline_leaves_no_full_window_is_never_assigned() {
	ExtBuilder::default().build_and_execute(|| {
		let earliest = System::block_number() + 2 + WINDOW + 1 + REVEAL;
		world(|w| w.scores.extend((1..=5).map(|who| (who, 0))));
		let id = submit(JobSpec { deadline: earliest, ..spec(1, 1_000) });
		run_to(3);
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Pending);
		// Workers become eligible, but a draw now would leave less than a full window.
		world(|w| w.scores.clear());
		run_to(4);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Failed { reason: FailReason::NotAssigned });
		assert!(job.replicas.is_empty());
		assert!(faults().is_empty());
	});
}

#[test]
fn a_job_of_a_network_retired_while_queued_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let id = submit(spec(1, 1_000));
		world(|w| w.networks.get_mut(&NET).unwrap().retired = true);
		run_to(3);
		assert_eq!(
			Jobs::job(id).unwrap().status,
			JobStatus::Failed { reason: FailReason::NotAssigned }
		);
		assert_eq!(escrow_held(USER), 0);
	});
}

#[test]
fn a_blacklisted_worker_is_never_assigned_again() {
	ExtBuilder::default().build_and_execute(|| {
		blacklist(1);
		for round in 0..10u64 {
			world(|w| w.seed = round as u8);
			let (id, chosen) = running(3, 3_000);
			assert_eq!(chosen.len(), 3);
			assert!(!chosen.contains(&1));
			let answers: Vec<_> = chosen.iter().map(|w| (*w, OUT, 10)).collect();
			answer(id, &answers);
			run_to(System::block_number() + RETENTION);
		}
	});
}

// ---- commit_result and reveal_result ----

#[test]
fn commit_result_records_the_commitment_and_opens_the_reveal_when_all_committed() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(2, 2_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL));
		let job = Jobs::job(id).unwrap();
		assert_eq!(
			job.replicas[0].state,
			ReplicaState::Committed { commitment: commitment(chosen[0], id, OUT, FUEL) }
		);
		assert!(!job.revealing);
		assert_eq!(Load::<Test>::get(chosen[0]), 0);
		// A committed replica is still the worker's until it reveals.
		assert!(Assignments::<Test>::contains_key(chosen[0], id));
		assert_noop!(reveal(id, chosen[0], OUT, FUEL), JobError::NotRevealing);
		assert_ok!(commit(id, chosen[1], OUT, FUEL));
		let job = Jobs::job(id).unwrap();
		assert!(job.revealing);
		assert!(job.replicas.iter().all(|r| r.expires_at == 3 + REVEAL));
		assert!(events().ends_with(&[
			Event::ResultCommitted { id, worker: chosen[1] },
			Event::RevealOpened { id, until: 3 + REVEAL },
		]));
		assert_ok!(reveal(id, chosen[0], OUT, FUEL));
		assert!(!Assignments::<Test>::contains_key(chosen[0], id));
		assert!(Assignments::<Test>::contains_key(chosen[1], id));
	});
}

#[test]
fn a_single_replica_job_is_paid_by_fuel_but_earns_no_emission_or_reputation() {
	ExtBuilder::default().build_and_execute(|| {
		let free = Balances::balance(&USER);
		let (id, chosen) = running(1, 1_000);
		let worker = chosen[0];
		answer(id, &[(worker, OUT, FUEL / 4)]);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Completed { output_hash: OUT, fuel_used: FUEL / 4 });
		assert_eq!(job.replicas[0].state, ReplicaState::Paid { output_hash: OUT, amount: 250 });
		assert_eq!(job.settled_at, Some(3));
		assert_eq!(job.escrow, 0);
		// 250 burnt for the payment on Base, 750 refunded; the deposit stays until removal.
		assert_eq!(Balances::balance(&USER), free - 250 - DEPOSIT);
		assert_eq!(world(|w| w.payments.clone()), vec![(payout(worker), 250)]);
		assert!(world(|w| w.contributions.is_empty()));
		assert!(world(|w| w.successes.is_empty()));
		assert!(events().ends_with(&[
			Event::ResultReported { id, worker, output_hash: OUT, fuel_used: FUEL / 4 },
			Event::JobCompleted { id, output_hash: OUT, fuel_used: FUEL / 4 },
			Event::WorkerPaid { id, worker, amount: 250, fee: 6 },
			Event::Refunded { id, owner: USER, amount: 750 },
		]));
	});
}

#[test]
fn three_agreeing_replicas_are_paid_and_credited() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		for w in &chosen {
			assert_ok!(commit(id, *w, OUT, FUEL));
		}
		assert_ok!(reveal(id, chosen[0], OUT, FUEL));
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Running);
		assert_ok!(reveal(id, chosen[1], OUT, FUEL));
		assert_eq!(
			Jobs::job(id).unwrap().status,
			JobStatus::Completed { output_hash: OUT, fuel_used: FUEL }
		);
		// The third may still reveal until the reveal window closes.
		assert_eq!(Jobs::job(id).unwrap().settled_at, None);
		assert_ok!(reveal(id, chosen[2], OUT, FUEL));
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.settled_at, Some(3));
		assert!(job
			.replicas
			.iter()
			.all(|r| r.state == ReplicaState::Paid { output_hash: OUT, amount: 1_000 }));
		assert_eq!(escrow_held(USER), 0);
		// Verified by agreement: the amounts count toward emission, the scores rise.
		let credited: Vec<_> = chosen.iter().map(|w| (payout(*w), 1_000u128)).collect();
		assert_eq!(world(|w| w.contributions.clone()), credited);
		assert_eq!(world(|w| w.successes.clone()), chosen);
		assert!(faults().is_empty());
	});
}

#[test]
fn one_lying_replica_out_of_three_is_struck_and_unpaid() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		answer(id, &[(chosen[0], OUT, FUEL), (chosen[1], LIE, FUEL), (chosen[2], OUT, FUEL)]);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Completed { output_hash: OUT, fuel_used: FUEL });
		assert_eq!(job.replicas[1].state, ReplicaState::Wrong { output_hash: LIE });
		assert_eq!(faults(), vec![(chosen[1], Fault::WrongResult)]);
		let paid: Vec<_> = world(|w| w.payments.iter().map(|(a, _)| *a).collect());
		assert_eq!(paid, vec![payout(chosen[0]), payout(chosen[2])]);
		// The liar's third is refunded.
		assert!(events().contains(&Event::Refunded { id, owner: USER, amount: 1_000 }));
		assert!(events().contains(&Event::WrongResult { id, worker: chosen[1], output_hash: LIE }));
		// The auditors hear of the completion once, and can read the agreeing workers.
		assert_eq!(world(|w| w.completed.clone()), vec![id]);
		let completed = Jobs::completed_job(id).unwrap();
		assert_eq!((completed.id, completed.output_hash, completed.fuel_used), (id, OUT, FUEL));
		assert_eq!(completed.workers, vec![chosen[0], chosen[2]]);
		assert_eq!(completed.code_hash, Jobs::job(id).unwrap().spec.code.hash);
	});
}

#[test]
fn a_late_liar_is_struck_when_it_reveals() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL));
		assert_ok!(commit(id, chosen[1], OUT, FUEL));
		assert_ok!(commit(id, chosen[2], LIE, FUEL / 2));
		assert_ok!(reveal(id, chosen[0], OUT, FUEL));
		assert_ok!(reveal(id, chosen[1], OUT, FUEL));
		assert_ok!(reveal(id, chosen[2], LIE, FUEL / 2));
		assert_eq!(faults(), vec![(chosen[2], Fault::WrongResult)]);
		assert_eq!(Jobs::job(id).unwrap().settled_at, Some(3));
	});
}

#[test]
fn results_with_no_majority_fail_and_refund_without_strikes() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		answer(
			id,
			&[
				(chosen[0], OUT, FUEL),
				(chosen[1], LIE, FUEL),
				(chosen[2], H256::repeat_byte(9), FUEL),
			],
		);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Failed { reason: FailReason::NoMajority });
		assert!(job.replicas.iter().all(|r| r.state == ReplicaState::Released));
		assert_eq!(escrow_held(USER), 0);
		assert!(faults().is_empty());
		assert!(world(|w| w.completed.is_empty()));
	});
}

#[test]
fn silent_replicas_are_struck_and_reassigned_then_the_job_is_refunded() {
	ExtBuilder::default().build_and_execute(|| {
		// A commit window is 6 blocks and the reveal 3: a deadline at 30 leaves room for two
		// replacements (assigned at 3, 10 and 17).
		let id = submit(JobSpec { deadline: 30, ..spec(1, 1_000) });
		run_to(3);
		let first = workers(id)[0];
		run_to(3 + WINDOW + 2);
		let second = workers(id)[0];
		assert_ne!(first, second);
		assert_eq!(faults(), vec![(first, Fault::MissedDeadline)]);
		assert!(events().contains(&Event::ReplicaMissed { id, worker: first }));
		assert!(events().contains(&Event::ReplicaReassigned { id, from: first, to: second }));
		assert_eq!(Load::<Test>::get(first), 0);
		assert_eq!(Load::<Test>::get(second), 1);
		run_to(17);
		let third = workers(id)[0];
		assert_ne!(third, second);
		assert_eq!(Jobs::job(id).unwrap().replicas[0].expires_at, 23);
		// 24 + 9 > 30: no fourth.
		run_to(23);
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Running);
		run_to(24);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Failed { reason: FailReason::TimedOut });
		assert_eq!(job.tried.to_vec(), vec![first, second, third]);
		assert_eq!(
			faults(),
			vec![
				(first, Fault::MissedDeadline),
				(second, Fault::MissedDeadline),
				(third, Fault::MissedDeadline)
			]
		);
		assert_eq!(escrow_held(USER), 0);
		assert!(events().ends_with(&[
			Event::ReplicaMissed { id, worker: third },
			Event::JobFailed { id, reason: FailReason::TimedOut },
			Event::Refunded { id, owner: USER, amount: 1_000 },
		]));
	});
}

#[test]
fn a_replica_that_commits_but_never_reveals_is_struck() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		for w in &chosen {
			assert_ok!(commit(id, *w, OUT, FUEL));
		}
		assert_ok!(reveal(id, chosen[0], OUT, FUEL));
		assert_ok!(reveal(id, chosen[1], OUT, FUEL));
		run_to(3 + REVEAL + 1);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.replicas[2].state, ReplicaState::Missed);
		assert_eq!(job.replicas[2].worker, chosen[2]);
		assert_eq!(job.settled_at, Some(3 + REVEAL + 1));
		assert_eq!(faults(), vec![(chosen[2], Fault::MissedDeadline)]);
		assert_eq!(escrow_held(USER), 0);
	});
}

#[test]
fn a_silent_replica_is_replaced_while_the_others_wait_committed() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL));
		assert_ok!(commit(id, chosen[1], OUT, FUEL));
		run_to(3 + WINDOW + 2);
		let job = Jobs::job(id).unwrap();
		let replacement = job.replicas[2].worker;
		assert!(!chosen.contains(&replacement));
		assert!(!job.revealing);
		// The committed two were not struck for waiting.
		assert_eq!(faults(), vec![(chosen[2], Fault::MissedDeadline)]);
		assert_ok!(commit(id, replacement, OUT, FUEL));
		assert!(Jobs::job(id).unwrap().revealing);
		for w in [chosen[0], chosen[1], replacement] {
			assert_ok!(reveal(id, w, OUT, FUEL));
		}
		assert_eq!(Jobs::job(id).unwrap().settled_at, Some(3 + WINDOW + 2));
	});
}

#[test]
fn commit_result_refuses_unknown_jobs() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(commit(3, 1, OUT, 1), JobError::UnknownJob);
	});
}

#[test]
fn commit_result_refuses_jobs_not_running() {
	ExtBuilder::default().build_and_execute(|| {
		let id = submit(spec(1, 1_000));
		assert_noop!(commit(id, 1, OUT, 1), JobError::NotAcceptingResults);
	});
}

#[test]
fn commit_result_refuses_workers_not_assigned() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(1, 1_000);
		let other = (1..=5).find(|w| !chosen.contains(w)).unwrap();
		assert_noop!(commit(id, other, OUT, 1), JobError::NotAssigned);
	});
}

#[test]
fn commit_result_refuses_a_replay() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(3, 3_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL));
		assert_noop!(commit(id, chosen[0], OUT, FUEL), JobError::NotAssigned);
	});
}

#[test]
fn commit_result_refuses_expired_replicas() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(1, 1_000);
		System::set_block_number(3 + WINDOW + 2);
		assert_noop!(commit(id, chosen[0], OUT, FUEL), JobError::NotAssigned);
	});
}

#[test]
fn commit_result_refuses_another_key() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(1, 1_000);
		let other = (1..=5).find(|w| !chosen.contains(w)).unwrap();
		let c = commitment(chosen[0], id, OUT, FUEL);
		assert_noop!(
			Jobs::commit_result(
				frame_system::RawOrigin::Authorized.into(),
				id,
				chosen[0],
				c,
				sign(other, id, c),
			),
			JobError::BadSignature
		);
		// A signature over another commitment does not carry over either.
		let c2 = commitment(chosen[0], id, OUT, FUEL - 1);
		assert_noop!(
			Jobs::commit_result(
				frame_system::RawOrigin::Authorized.into(),
				id,
				chosen[0],
				c,
				sign(chosen[0], id, c2),
			),
			JobError::BadSignature
		);
	});
}

#[test]
fn reveal_result_refuses_before_the_reveal_opens() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(2, 2_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL));
		assert_noop!(reveal(id, chosen[0], OUT, FUEL), JobError::NotRevealing);
	});
}

#[test]
fn reveal_result_refuses_workers_without_a_commitment() {
	ExtBuilder::default().build_and_execute(|| {
		// A replay of a reveal, and a worker that never had a part.
		let (id, chosen) = running(2, 2_000);
		for w in &chosen {
			assert_ok!(commit(id, *w, OUT, FUEL));
		}
		assert_ok!(reveal(id, chosen[0], OUT, FUEL));
		assert_noop!(reveal(id, chosen[0], OUT, FUEL), JobError::NotCommitted);
		let other = (1..=5).find(|w| !chosen.contains(w)).unwrap();
		assert_noop!(reveal(id, other, OUT, FUEL), JobError::NotCommitted);
	});
}

#[test]
fn reveal_result_refuses_values_that_do_not_match_the_commitment() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(2, 2_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL));
		assert_ok!(commit(id, chosen[1], OUT, FUEL));
		// Copying another replica's revealed values does not match one's own commitment.
		assert_noop!(reveal(id, chosen[0], LIE, FUEL), JobError::CommitmentMismatch);
		assert_noop!(reveal(id, chosen[0], OUT, FUEL - 1), JobError::CommitmentMismatch);
		assert_noop!(
			Jobs::reveal_result(
				frame_system::RawOrigin::Authorized.into(),
				id,
				chosen[0],
				OUT,
				FUEL,
				salt(chosen[1]),
			)
			.map_err(|e| e.error),
			JobError::CommitmentMismatch
		);
	});
}

#[test]
fn reveal_result_refuses_fuel_above_the_limit() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(1, 1_000);
		assert_ok!(commit(id, chosen[0], OUT, FUEL + 1));
		assert_noop!(reveal(id, chosen[0], OUT, FUEL + 1), JobError::FuelAboveLimit);
	});
}

#[test]
fn results_take_signed_origins_and_reject_none() {
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(1, 1_000);
		let c = commitment(chosen[0], id, OUT, 5);
		let call = RuntimeCall::Jobs(Call::commit_result {
			id,
			worker: chosen[0],
			commitment: c,
			signature: sign(chosen[0], id, c),
		});
		assert_eq!(
			call.clone().dispatch(RuntimeOrigin::none()).map_err(|e| e.error),
			Err(DispatchError::BadOrigin)
		);
		assert_ok!(call.dispatch(RuntimeOrigin::signed(STRANGER)));
	});
}

#[test]
fn commits_and_reveals_are_validated_in_the_pool() {
	ExtBuilder::default().build_and_execute(|| {
		use sp_runtime::transaction_validity::{InvalidTransaction, TransactionSource};
		let source = TransactionSource::External;
		let (id, chosen) = running(1, 1_000);
		let c = commitment(chosen[0], id, OUT, 5);
		let (valid, _) =
			Jobs::authorize_commit(source, &id, &chosen[0], &c, &sign(chosen[0], id, c)).unwrap();
		assert_eq!(valid.longevity, WINDOW + 1);
		assert_eq!(valid.provides.len(), 1);
		let bad = JobError::BadSignature.encode()[0];
		assert_eq!(
			Jobs::authorize_commit(source, &id, &chosen[0], &c, &sign(chosen[0], id, OUT)),
			Err(InvalidTransaction::Custom(bad).into())
		);
		assert_ok!(commit(id, chosen[0], OUT, 5));
		assert!(Jobs::authorize_reveal(source, &id, &chosen[0], &OUT, &5, &salt(chosen[0])).is_ok());
		let mismatch = JobError::CommitmentMismatch.encode()[0];
		assert_eq!(
			Jobs::authorize_reveal(source, &id, &chosen[0], &OUT, &6, &salt(chosen[0])),
			Err(InvalidTransaction::Custom(mismatch).into())
		);
	});
}

// ---- hooks ----

#[test]
fn timers_beyond_the_cap_carry_over() {
	ExtBuilder::default().build_and_execute(|| {
		// 20 timers due at one block with a cap of 16 per block.
		for id in 0..20u64 {
			Agenda::<Test>::insert(5, id, ());
		}
		run_to(5);
		assert_eq!(Agenda::<Test>::iter_prefix(5).count(), 4);
		assert_eq!(AgendaCursor::<Test>::get(), 5);
		run_to(6);
		assert_eq!(Agenda::<Test>::iter_prefix(5).count(), 0);
		assert_eq!(AgendaCursor::<Test>::get(), 7);
	});
}

#[test]
fn the_hooks_stay_within_their_weight() {
	use frame_support::traits::Hooks;
	ExtBuilder::default().build_and_execute(|| {
		// Ten stale timers (their jobs are gone): each is checked against the heaviest timer's
		// weight but charged what it cost.
		for id in 0..10u64 {
			Agenda::<Test>::insert(2, id, ());
		}
		let db: frame_support::weights::RuntimeDbWeight =
			<<Test as frame_system::Config>::DbWeight as sp_core::Get<_>>::get();
		let bookkeeping = db.reads(1).saturating_add(db.reads_writes(1, 1));
		let heaviest = <() as WeightInfo>::on_timer().saturating_add(db.reads(1));
		System::set_block_number(2);
		// Not room for one heavy timer: nothing is handled.
		world(|w| {
			w.hook_weight =
				Some(bookkeeping.saturating_add(heaviest).saturating_sub(Weight::from_parts(1, 0)))
		});
		let used = Jobs::on_initialize(2);
		assert!(used.all_lte(world(|w| w.hook_weight.unwrap())));
		assert_eq!(Agenda::<Test>::iter_prefix(2).count(), 10);
		// Room for three heavy ones: all ten light ones fit, within the budget.
		let budget = bookkeeping.saturating_add(heaviest * 3);
		world(|w| w.hook_weight = Some(budget));
		let used = Jobs::on_initialize(2);
		assert!(used.all_lte(budget), "{used:?} within {budget:?}");
		assert_eq!(Agenda::<Test>::iter_prefix(2).count(), 0);
	});
}

#[test]
fn assignments_per_block_are_capped() {
	ExtBuilder::default().build_and_execute(|| {
		world(|w| w.users.insert(STRANGER));
		for who in [USER, STRANGER] {
			for _ in 0..3 {
				assert_ok!(Jobs::submit_job(RuntimeOrigin::signed(who), spec(1, 1_000)));
			}
		}
		run_to(3);
		assert_eq!(Queue::<Test>::get().len(), 2);
		run_to(4);
		assert!(Queue::<Test>::get().is_empty());
	});
}

#[test]
fn open_work_counts_loads_and_jobs() {
	use smartnodes_primitives::compute::OpenWork;
	ExtBuilder::default().build_and_execute(|| {
		let (id, chosen) = running(1, 1_000);
		assert_eq!(Jobs::worker_load(&chosen[0]), 1);
		assert_eq!(Jobs::user_jobs(&USER), 1);
		answer(id, &[(chosen[0], OUT, 1)]);
		assert_eq!(Jobs::worker_load(&chosen[0]), 0);
		assert_eq!(Jobs::user_jobs(&USER), 1);
	});
}

mod offchain;
