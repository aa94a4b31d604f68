//! Runtime integration: jobs through the real registry, reputation and reward books on the
//! `local` preset. Commitments and reveals go through the transaction pipeline the validators'
//! off-chain workers use (authorized, fee-free transactions; commitments are signed by the
//! workers' identity keys).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use common::ext;
use frame_support::{
	assert_ok,
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		Hooks,
	},
	BoundedVec,
};
use frame_system::offchain::CreateAuthorizedTransaction;
use pallet_jobs::{FailReason, JobSpec, JobStatus, Limits, ReplicaState, Resource};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{commit_payload, result_commitment, Capacity, Fault, JobId, JobKind, Role},
};
use smartnodes_runtime::{
	genesis_config_presets::account, AccountId, Audits, Balances, Executive, Jobs, Registry,
	Reputation, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System, UncheckedExtrinsic, SNO,
};
use sp_core::{crypto::Pair as _, ed25519, H256};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

const NET: u32 = 0;
const FUEL: u64 = 1_000_000;
const OUT: H256 = H256::repeat_byte(0xaa);
const LIE: H256 = H256::repeat_byte(0xbb);

fn worker(i: u32) -> AccountId {
	account(&format!("Worker{i}"))
}

fn identity(i: u32) -> ed25519::Pair {
	ed25519::Pair::from_string(&format!("//Worker{i}//identity"), None).unwrap()
}

fn payout(i: u32) -> EthAddress {
	EthAddress::from_low_u64_be(0x1000 + u64::from(i))
}

fn user() -> AccountId {
	account("User")
}

/// A network, `workers` workers attached to Alice, and a user.
fn world(workers: u32) {
	assert_ok!(Registry::create_network(
		RuntimeOrigin::root(),
		BoundedVec::truncate_from(b"wasm".to_vec()),
		JobKind::Wasm,
		1_000,
		Capacity { cpu_cores: 1, memory_mib: 256, gpu: None },
		SNO,
	));
	for i in 1..=workers {
		let who = worker(i);
		Balances::set_balance(&who, 1_000 * SNO);
		assert_ok!(Registry::register_worker(
			RuntimeOrigin::signed(who),
			identity(i).public().0,
			BoundedVec::truncate_from(format!("http://127.0.0.1:{}", 9000 + i).into_bytes()),
			Capacity { cpu_cores: 4, memory_mib: 2_048, gpu: None },
			payout(i),
			BoundedVec::truncate_from(vec![NET]),
			account("Alice"),
		));
	}
	Balances::set_balance(&user(), 10_000 * SNO);
	assert_ok!(Registry::register_user(RuntimeOrigin::signed(user())));
}

fn spec(replication: u8, max_payment: u128, deadline_in: u32) -> pallet_jobs::JobSpecOf<Runtime> {
	let uri = |s: &str| BoundedVec::truncate_from(s.as_bytes().to_vec());
	JobSpec {
		network: NET,
		kind: JobKind::Wasm,
		code: Resource { hash: H256::repeat_byte(1), uri: uri("http://127.0.0.1/code.wasm") },
		input: Resource { hash: H256::repeat_byte(2), uri: uri("http://127.0.0.1/input") },
		replication,
		limits: Limits { fuel: FUEL, memory_mib: 512, time_ms: 6_000 },
		deadline: System::block_number() + deadline_in,
		max_payment,
	}
}

/// Submits a job and runs the blocks up to its assignment.
fn assigned(replication: u8, max_payment: u128) -> (JobId, Vec<AccountId>) {
	let id = pallet_jobs::NextJobId::<Runtime>::get();
	assert_ok!(Jobs::submit_job(
		RuntimeOrigin::signed(user()),
		spec(replication, max_payment, 300)
	));
	run_blocks(2);
	let job = Jobs::job(id).unwrap();
	assert_eq!(job.status, JobStatus::Running);
	(id, job.replicas.iter().map(|r| r.worker.clone()).collect())
}

fn next_block() {
	let n = System::block_number() + 1;
	common::set_block(n);
	Jobs::on_initialize(n);
	Audits::on_initialize(n);
	pallet_jobs::Pallet::<Runtime>::do_try_state().unwrap();
	pallet_audits::Pallet::<Runtime>::do_try_state().unwrap();
	pallet_registry::Pallet::<Runtime>::do_try_state().unwrap();
	pallet_reputation::Pallet::<Runtime>::do_try_state().unwrap();
}

fn run_blocks(n: u32) {
	for _ in 0..n {
		next_block();
	}
}

fn index_of(who: &AccountId) -> u32 {
	(1..=20).find(|i| worker(*i) == *who).unwrap()
}

fn authorized(call: pallet_jobs::Call<Runtime>) -> UncheckedExtrinsic {
	<Runtime as CreateAuthorizedTransaction<pallet_jobs::Call<Runtime>>>::create_authorized_transaction(
		RuntimeCall::Jobs(call),
	)
}

fn salt(who: &AccountId) -> [u8; 32] {
	sp_io::hashing::blake2_256(who.as_ref())
}

/// The commitment a validator's off-chain worker relays for `who`, signed with `key`.
fn commit_tx(
	id: JobId,
	who: &AccountId,
	output: H256,
	fuel: u64,
	key: &ed25519::Pair,
) -> UncheckedExtrinsic {
	let identity = identity(index_of(who)).public().0;
	let commitment = result_commitment(id, &identity, &output, fuel, &salt(who));
	let signature = key.sign(&commit_payload(&System::block_hash(0), id, &commitment)).0;
	authorized(pallet_jobs::Call::commit_result { id, worker: who.clone(), commitment, signature })
}

fn reveal_tx(id: JobId, who: &AccountId, output: H256, fuel: u64) -> UncheckedExtrinsic {
	authorized(pallet_jobs::Call::reveal_result {
		id,
		worker: who.clone(),
		output_hash: output,
		fuel_used: fuel,
		salt: salt(who),
	})
}

/// Every listed worker commits, then each reveals, through the transaction pipeline.
fn answer(id: JobId, answers: &[(&AccountId, H256, u64)]) {
	for (who, output, fuel) in answers {
		let tx = commit_tx(id, who, *output, *fuel, &identity(index_of(who)));
		assert_eq!(Executive::apply_extrinsic(tx).unwrap(), Ok(()));
	}
	for (who, output, fuel) in answers {
		assert_eq!(Executive::apply_extrinsic(reveal_tx(id, who, *output, *fuel)).unwrap(), Ok(()));
	}
}

fn job_error(error: pallet_jobs::Error<Runtime>) -> TransactionValidityError {
	TransactionValidityError::Invalid(InvalidTransaction::Custom(codec::Encode::encode(&error)[0]))
}

fn escrow_held() -> u128 {
	Balances::balance_on_hold(&pallet_jobs::HoldReason::Escrow.into(), &user())
}

fn faults() -> Vec<(AccountId, Fault)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Reputation(pallet_reputation::Event::Struck { who, fault, .. }) => {
				Some((who, fault))
			},
			_ => None,
		})
		.collect()
}

fn owed(i: u32) -> u128 {
	let account = pallet_rewards::Accounts::<Runtime>::get(payout(i)).unwrap_or_default();
	account.open_amount + account.settled
}

#[test]
fn a_single_replica_job_pays_its_worker_on_base_less_the_fee() {
	ext("local_testnet").execute_with(|| {
		world(3);
		let before = Balances::balance(&user());
		let (id, workers) = assigned(1, 10 * SNO);
		let i = index_of(&workers[0]);
		// The relayer pays nothing: the worker's signature authorizes the commitment.
		let tx = commit_tx(id, &workers[0], OUT, FUEL / 2, &identity(i));
		let valid = Executive::validate_transaction(
			TransactionSource::External,
			tx.clone(),
			System::block_hash(0),
		)
		.expect("a signed commitment of an assigned worker is valid");
		// It lives until the replica's commit window closes: 11 blocks, checked from the next.
		assert_eq!(valid.longevity, 10);
		assert_eq!(Executive::apply_extrinsic(tx.clone()).unwrap(), Ok(()));
		// A replay is refused before dispatch.
		assert_eq!(Executive::apply_extrinsic(tx), Err(job_error(pallet_jobs::Error::NotAssigned)));
		assert!(Jobs::job(id).unwrap().revealing);
		assert_eq!(
			Executive::apply_extrinsic(reveal_tx(id, &workers[0], OUT, FUEL / 2)).unwrap(),
			Ok(())
		);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Completed { output_hash: OUT, fuel_used: FUEL / 2 });
		// Half the fuel: half the payment, burnt here and owed on Base less 2.5% to the treasury.
		assert_eq!(job.replicas[0].state, ReplicaState::Paid { output_hash: OUT, amount: 5 * SNO });
		assert_eq!(owed(i), 5 * SNO - 5 * SNO * 250 / 10_000);
		assert_eq!(escrow_held(), 0);
		assert_eq!(Balances::balance(&user()), before - 5 * SNO - SNO);
		// One replica is not verified work: paid, but no reputation.
		assert_eq!(Reputation::standing(Role::Worker, &workers[0]).score, 5_000);
		pallet_rewards::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

/// An off-chain worker relays a commitment again every block until it lands. Each relay is born
/// at its own block, so a pool that lost the first (to a reorg, say) takes the next as a new
/// transaction instead of refusing it as already imported; both name one tag, and one applies.
#[test]
fn each_block_relays_a_new_transaction_of_which_one_applies() {
	ext("local_testnet").execute_with(|| {
		world(3);
		let (id, workers) = assigned(1, 10 * SNO);
		let key = identity(index_of(&workers[0]));
		let first = commit_tx(id, &workers[0], OUT, FUEL / 2, &key);
		next_block();
		let second = commit_tx(id, &workers[0], OUT, FUEL / 2, &key);
		assert_ne!(codec::Encode::encode(&first), codec::Encode::encode(&second));
		let validate = |tx: &UncheckedExtrinsic| {
			Executive::validate_transaction(
				TransactionSource::Local,
				tx.clone(),
				System::block_hash(0),
			)
			.expect("a relay from a recent block is valid")
		};
		let (a, b) = (validate(&first), validate(&second));
		assert_eq!(a.provides, b.provides, "one tag: a pool holds one of them at a time");
		assert_eq!(a.priority, b.priority);
		assert!(a.longevity <= smartnodes_runtime::configs::AUTHORIZED_ERA_PERIOD);
		assert_eq!(Executive::apply_extrinsic(second).unwrap(), Ok(()));
		assert_eq!(
			Executive::apply_extrinsic(first),
			Err(job_error(pallet_jobs::Error::NotAssigned)),
			"the commitment applied once"
		);
	});
}

#[test]
fn three_replicas_with_one_liar_pay_the_honest_two_and_strike_the_liar() {
	ext("local_testnet").execute_with(|| {
		world(5);
		let (id, workers) = assigned(3, 30 * SNO);
		answer(id, &[(&workers[0], OUT, FUEL), (&workers[1], LIE, FUEL), (&workers[2], OUT, FUEL)]);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Completed { output_hash: OUT, fuel_used: FUEL });
		assert_eq!(faults(), vec![(workers[1].clone(), Fault::WrongResult)]);
		let fee = 10 * SNO * 250 / 10_000;
		assert_eq!(owed(index_of(&workers[0])), 10 * SNO - fee);
		assert_eq!(owed(index_of(&workers[2])), 10 * SNO - fee);
		assert_eq!(owed(index_of(&workers[1])), 0);
		assert_eq!(Reputation::standing(Role::Worker, &workers[1]).score, 4_500);
		assert_eq!(Reputation::standing(Role::Worker, &workers[0]).score, 5_010);
		// The liar's third came back to the user.
		assert_eq!(escrow_held(), 0);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Jobs(pallet_jobs::Event::Refunded {
				id,
				owner: user(),
				amount: 10 * SNO
			})));
	});
}

#[test]
fn three_agreeing_replicas_all_earn() {
	ext("local_testnet").execute_with(|| {
		world(5);
		let (id, workers) = assigned(3, 30 * SNO);
		let answers: Vec<_> = workers.iter().map(|w| (w, OUT, FUEL)).collect();
		answer(id, &answers);
		assert!(Jobs::job(id).unwrap().settled_at.is_some());
		for w in &workers {
			assert_eq!(owed(index_of(w)), 10 * SNO - 10 * SNO * 250 / 10_000);
		}
		assert!(faults().is_empty());
	});
}

#[test]
fn silent_replicas_are_reassigned_then_the_job_is_refunded() {
	ext("local_testnet").execute_with(|| {
		world(3);
		let before = Balances::balance(&user());
		let id = pallet_jobs::NextJobId::<Runtime>::get();
		// A commit window is 10 + 1 blocks and the reveal 5: the deadline leaves room for one
		// replacement.
		assert_ok!(Jobs::submit_job(RuntimeOrigin::signed(user()), spec(1, 10 * SNO, 35)));
		run_blocks(2);
		let first = Jobs::job(id).unwrap().replicas[0].worker.clone();
		run_blocks(12);
		let second = Jobs::job(id).unwrap().replicas[0].worker.clone();
		assert_ne!(first, second);
		run_blocks(12);
		let job = Jobs::job(id).unwrap();
		assert_eq!(job.status, JobStatus::Failed { reason: FailReason::TimedOut });
		assert_eq!(job.tried.len(), 2);
		assert_eq!(faults(), vec![(first, Fault::MissedDeadline), (second, Fault::MissedDeadline)]);
		// Everything but the storage deposit is back.
		assert_eq!(Balances::balance(&user()), before - SNO);
		// After the retention, the deposit too.
		run_blocks(smartnodes_runtime::DAYS);
		assert!(Jobs::job(id).is_none());
		assert_eq!(Balances::balance(&user()), before);
	});
}

#[test]
fn cancelling_before_assignment_refunds_everything() {
	ext("local_testnet").execute_with(|| {
		world(3);
		let before = Balances::balance(&user());
		let id = pallet_jobs::NextJobId::<Runtime>::get();
		assert_ok!(Jobs::submit_job(RuntimeOrigin::signed(user()), spec(2, 10 * SNO, 300)));
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(user()), id));
		next_block();
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Cancelled);
		assert!(Jobs::job(id).unwrap().replicas.is_empty());
		assert_eq!(Balances::balance(&user()), before - SNO);
	});
}

#[test]
fn a_worker_struck_five_times_is_blacklisted_and_never_assigned_again() {
	ext("local_testnet").execute_with(|| {
		world(4);
		let liar = worker(1);
		let mut strikes = 0;
		while strikes < 5 {
			let (id, workers) = assigned(3, 30 * SNO);
			let answers: Vec<_> =
				workers.iter().map(|w| (w, if *w == liar { LIE } else { OUT }, FUEL)).collect();
			answer(id, &answers);
			strikes = faults().iter().filter(|(w, _)| *w == liar).count();
		}
		let standing = Reputation::standing(Role::Worker, &liar);
		assert!(standing.blacklisted_at.is_some());
		assert_eq!(pallet_registry::MemberCount::<Runtime>::get(NET), 3);
		for _ in 0..20 {
			let (id, workers) = assigned(3, 30 * SNO);
			assert!(!workers.contains(&liar));
			let answers: Vec<_> = workers.iter().map(|w| (w, OUT, FUEL)).collect();
			answer(id, &answers);
		}
		// Governance can pardon it; it stands for assignment again.
		assert_ok!(Reputation::pardon(RuntimeOrigin::root(), Role::Worker, liar.clone()));
		assert_eq!(pallet_registry::MemberCount::<Runtime>::get(NET), 4);
	});
}

#[test]
fn a_commitment_signed_by_another_key_is_refused_in_the_pool() {
	ext("local_testnet").execute_with(|| {
		world(3);
		let (id, workers) = assigned(1, 10 * SNO);
		let other = (1..=3).find(|i| worker(*i) != workers[0]).unwrap();
		let forged = commit_tx(id, &workers[0], OUT, FUEL, &identity(other));
		assert_eq!(
			Executive::validate_transaction(
				TransactionSource::External,
				forged.clone(),
				System::block_hash(0)
			),
			Err(job_error(pallet_jobs::Error::BadSignature))
		);
		assert_eq!(
			Executive::apply_extrinsic(forged),
			Err(job_error(pallet_jobs::Error::BadSignature))
		);
		// A worker's own signature for a job it does not hold is refused too.
		let stranger = worker(other);
		let misdirected = commit_tx(id, &stranger, OUT, FUEL, &identity(other));
		assert_eq!(
			Executive::apply_extrinsic(misdirected),
			Err(job_error(pallet_jobs::Error::NotAssigned))
		);
		assert_eq!(Jobs::job(id).unwrap().status, JobStatus::Running);
	});
}

/// The bridge key of a `local` validator, as `--alice` and friends insert it.
fn bridge(name: &str) -> sp_core::ecdsa::Pair {
	sp_core::ecdsa::Pair::from_string(&format!("//{name}"), None).unwrap()
}

fn bridge_sign(name: &str, digest: &H256) -> [u8; 65] {
	smartnodes_primitives::rewards::eth_signature(bridge(name).sign_prehashed(&digest.0).0)
}

fn audits_tx(call: pallet_audits::Call<Runtime>) -> UncheckedExtrinsic {
	<Runtime as CreateAuthorizedTransaction<pallet_audits::Call<Runtime>>>::create_authorized_transaction(
		RuntimeCall::Audits(call),
	)
}

#[test]
fn a_lying_single_replica_is_caught_by_re_execution_and_struck() {
	use pallet_audits::{audit_digest, AuditOutcome};
	ext("local_testnet").execute_with(|| {
		world(2);
		assert_ok!(Audits::set_audit_rate(RuntimeOrigin::root(), sp_runtime::Permill::one()));
		let (id, workers) = assigned(1, 10 * SNO);
		// The only replica lies; nothing on chain can contradict it, so it is paid.
		answer(id, &[(&workers[0], LIE, FUEL)]);
		assert_eq!(
			Jobs::job(id).unwrap().status,
			JobStatus::Completed { output_hash: LIE, fuel_used: FUEL }
		);
		run_blocks(2);
		// Drawn for audit by a validator other than Alice, whom the worker is attached to.
		let audit = pallet_audits::OpenAudits::<Runtime>::get(id).expect("audited at 100%");
		let names = ["Bob", "Charlie", "Dave"];
		let auditor = names.iter().find(|n| account(n) == audit.auditor).expect("not Alice");
		// A report by another validator is refused in the pool.
		let honest = AuditOutcome::Reproduced { output_hash: OUT, fuel_used: FUEL };
		let digest = audit_digest(&System::block_hash(0), id, &honest);
		let forged = audits_tx(pallet_audits::Call::report_audit {
			job: id,
			outcome: honest,
			signature: bridge_sign("Alice", &digest),
		});
		assert!(Executive::apply_extrinsic(forged).is_err());
		// The auditor's run gives the true output: the liar is struck.
		let report = audits_tx(pallet_audits::Call::report_audit {
			job: id,
			outcome: honest,
			signature: bridge_sign(auditor, &digest),
		});
		assert_eq!(Executive::apply_extrinsic(report).unwrap(), Ok(()));
		assert_eq!(faults(), vec![(workers[0].clone(), Fault::WrongResult)]);
		assert_eq!(Reputation::standing(Role::Worker, &workers[0]).score, 4_500);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Audits(pallet_audits::Event::AuditFailed { job, struck, .. })
				if *job == id && *struck == vec![workers[0].clone()]
		)));
	});
}

#[test]
fn challenge_outcomes_strike_and_credit_through_the_pipeline() {
	use pallet_audits::challenges_digest;
	ext("local_testnet").execute_with(|| {
		world(2);
		run_blocks(smartnodes_runtime::MINUTES);
		let round = Audits::current_round().unwrap();
		let outcomes = vec![(worker(1), true), (worker(2), false)];
		let digest = challenges_digest(&System::block_hash(0), &account("Alice"), round, &outcomes);
		let report = |signer: &str| {
			audits_tx(pallet_audits::Call::report_challenges {
				validator: account("Alice"),
				round,
				outcomes: BoundedVec::truncate_from(outcomes.clone()),
				signature: bridge_sign(signer, &digest),
			})
		};
		// Only Alice, whom the workers are attached to, can report on them.
		assert!(Executive::apply_extrinsic(report("Bob")).is_err());
		assert_eq!(Executive::apply_extrinsic(report("Alice")).unwrap(), Ok(()));
		assert_eq!(faults(), vec![(worker(2), Fault::FailedChallenge)]);
		let credited = pallet_rewards::Accounts::<Runtime>::get(payout(1)).unwrap();
		assert_eq!(credited.open_units, SNO / 1_000);
		// A replay is refused.
		assert!(Executive::apply_extrinsic(report("Alice")).is_err());
	});
}
