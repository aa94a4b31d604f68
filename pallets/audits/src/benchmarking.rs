//! Benchmarks of the audits pallet (FRAME benchmarking v2). Bridge keys are generated in the
//! benchmark's keystore, so report signatures are real and checked as on chain.

use super::*;
use crate::pallet::{
	AuditQueue, AuditRate, Call, ChallengePeriod, Config, LastChallenged, OpenAudits, Pallet,
	Sampling,
};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::pallet_prelude::*;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use smartnodes_primitives::{
	bridge_key::{eth_address, EthAddress, KEY_TYPE},
	compute::{CompletedJobs, JobId, Registry},
	ledger::SigningSet,
	rewards::eth_signature,
};
use sp_core::{ecdsa, H256};
use sp_runtime::{traits::Saturating, transaction_validity::TransactionSource, Permill};

const SEED: u32 = 0;

/// A validator with a bridge key in the keystore, the only member of the signing set.
fn validator<T: Config>() -> (T::AccountId, ecdsa::Public, EthAddress) {
	let key = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
	let address = eth_address(&key.0).expect("generated keys are curve points");
	let who: T::AccountId = account("validator", 0, SEED);
	T::Validators::set_signing_set(0, alloc::vec![(who.clone(), address)]);
	(who, key, address)
}

fn sign(key: &ecdsa::Public, digest: &H256) -> EthSignature {
	eth_signature(
		sp_io::crypto::ecdsa_sign_prehashed(KEY_TYPE, key, &digest.0)
			.expect("the key is in the keystore")
			.0,
	)
}

fn workers<T: Config>(n: u32) -> Vec<T::AccountId> {
	let network = T::Registry::bench_network();
	(0..n)
		.map(|i| {
			let who: T::AccountId = account("worker", i, SEED);
			let mut address = [0u8; 20];
			address[16..].copy_from_slice(&i.to_be_bytes());
			T::Registry::bench_worker(&who, [i as u8; 32], EthAddress::from(address), network);
			who
		})
		.collect()
}

/// Job `id`, completed and paid to `w` workers, under audit by the benchmark's validator.
fn open_audit<T: Config>(id: JobId, w: u32) -> (T::AccountId, ecdsa::Public) {
	let (auditor, key, auditor_key) = validator::<T>();
	let workers = workers::<T>(w);
	T::Jobs::bench_completed(id, account("user", 0, SEED), workers.clone());
	let job = T::Jobs::completed_job(id).expect("just stored");
	let due = frame_system::Pallet::<T>::block_number().saturating_add(T::AuditWindow::get());
	Pallet::<T>::open(
		id,
		Audit {
			auditor: auditor.clone(),
			auditor_key,
			due,
			kind: job.kind,
			code: Source { hash: job.code_hash, uri: BoundedVec::truncate_from(job.code_uri) },
			input: Source { hash: job.input_hash, uri: BoundedVec::truncate_from(job.input_uri) },
			limits: job.limits,
			output_hash: job.output_hash,
			fuel_used: job.fuel_used,
			workers: BoundedVec::truncate_from(workers),
		},
	);
	(auditor, key)
}

/// A report that the job did not reproduce: every worker is struck.
fn failed_report<T: Config>(id: JobId, key: &ecdsa::Public) -> (AuditOutcome, EthSignature) {
	let outcome = AuditOutcome::Reproduced { output_hash: H256::repeat_byte(0xee), fuel_used: 1 };
	let signature = sign(key, &audit_digest(&Pallet::<T>::genesis_hash(), id, &outcome));
	(outcome, signature)
}

/// A report failing `n` workers attached to the validator (a failure strikes, the heavier
/// outcome), in round 1.
fn challenge_report<T: Config>(
	n: u32,
) -> (T::AccountId, crate::ChallengeOutcomesOf<T>, EthSignature) {
	let (validator, key, _) = validator::<T>();
	let network = T::Registry::bench_network();
	let outcomes: Vec<(T::AccountId, bool)> = (0..n)
		.map(|i| {
			let who: T::AccountId = account("worker", i, SEED);
			T::Registry::bench_worker(&who, [i as u8; 32], EthAddress::repeat_byte(1), network);
			T::Registry::bench_attach(&who, &validator);
			(who, false)
		})
		.collect();
	let period: BlockNumberFor<T> = 10u32.into();
	ChallengePeriod::<T>::put(period);
	frame_system::Pallet::<T>::set_block_number(period);
	let digest = challenges_digest(&Pallet::<T>::genesis_hash(), &validator, 1, &outcomes);
	(validator, BoundedVec::truncate_from(outcomes), sign(&key, &digest))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn report_audit(w: Linear<1, { T::MaxWorkers::get() }>) {
		let (_, key) = open_audit::<T>(0, w);
		let (outcome, signature) = failed_report::<T>(0, &key);

		#[extrinsic_call]
		_(RawOrigin::Authorized, 0, outcome, signature);

		assert!(OpenAudits::<T>::get(0).is_none());
	}

	#[benchmark]
	fn authorize_audit() -> Result<(), BenchmarkError> {
		let (_, key) = open_audit::<T>(0, 1);
		let (outcome, signature) = failed_report::<T>(0, &key);
		let call = Call::<T>::report_audit { job: 0, outcome, signature };

		#[block]
		{
			use frame_support::pallet_prelude::Authorize;
			call.authorize(TransactionSource::External)
				.ok_or("authorized call")?
				.map_err(|_| "valid")?;
		}
		Ok(())
	}

	#[benchmark]
	fn report_challenges(n: Linear<1, { T::MaxChallengeReport::get() }>) {
		let (validator, outcomes, signature) = challenge_report::<T>(n);

		#[extrinsic_call]
		_(RawOrigin::Authorized, validator, 1, outcomes, signature);

		assert_eq!(LastChallenged::<T>::get(account::<T::AccountId>("worker", 0, SEED)), Some(1));
	}

	#[benchmark]
	fn authorize_challenges(
		n: Linear<1, { T::MaxChallengeReport::get() }>,
	) -> Result<(), BenchmarkError> {
		let (validator, outcomes, signature) = challenge_report::<T>(n);
		let call = Call::<T>::report_challenges { validator, round: 1, outcomes, signature };

		#[block]
		{
			use frame_support::pallet_prelude::Authorize;
			call.authorize(TransactionSource::External)
				.ok_or("authorized call")?
				.map_err(|_| "valid")?;
		}
		Ok(())
	}

	#[benchmark]
	fn set_audit_rate() {
		#[extrinsic_call]
		_(RawOrigin::Root, Permill::from_percent(10));

		assert_eq!(AuditRate::<T>::get(), Permill::from_percent(10));
	}

	#[benchmark]
	fn set_challenge_period() {
		#[extrinsic_call]
		_(RawOrigin::Root, 100u32.into());

		assert_eq!(ChallengePeriod::<T>::get(), 100u32.into());
	}

	/// A completion noted into a block's sampling list that is one short of full (what
	/// `on_completed` does after reading the rate and the block number).
	#[benchmark]
	fn note_completed() {
		AuditRate::<T>::put(Permill::one());
		let at =
			frame_system::Pallet::<T>::block_number().saturating_add(crate::SAMPLE_DELAY.into());
		let full = T::MaxSamplesPerBlock::get().saturating_sub(1);
		Sampling::<T>::insert(at, BoundedVec::truncate_from((0..full as u64).collect::<Vec<_>>()));

		#[block]
		{
			Pallet::<T>::note_completed_at(at, u64::MAX);
		}

		assert_eq!(Sampling::<T>::get(at).len() as u32, full + 1);
	}

	/// `n` completions drawn at once, every one audited, among the largest signing set.
	#[benchmark]
	fn sample(n: Linear<1, { T::MaxSamplesPerBlock::get() }>) {
		AuditRate::<T>::put(Permill::one());
		let set: Vec<(T::AccountId, EthAddress)> = (0..100u32)
			.map(|i| (account("validator", i, SEED), EthAddress::repeat_byte(i as u8)))
			.collect();
		T::Validators::set_signing_set(0, set);
		let workers = workers::<T>(T::MaxWorkers::get());
		for id in 0..n as u64 {
			T::Jobs::bench_completed(id, account("user", 0, SEED), workers.clone());
		}
		let at = frame_system::Pallet::<T>::block_number();
		Sampling::<T>::insert(at, BoundedVec::truncate_from((0..n as u64).collect::<Vec<_>>()));

		#[block]
		{
			Pallet::<T>::do_sample(at);
		}

		assert_eq!(AuditQueue::<T>::get().len() as u32, n);
	}

	/// `n` audits expire in one block, in a full queue.
	#[benchmark]
	fn expire(n: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		let (auditor, _, auditor_key) = validator::<T>();
		let start = frame_system::Pallet::<T>::block_number();
		for id in 0..T::MaxOpenAudits::get() as u64 {
			let due = if id < n as u64 { start } else { start.saturating_add(100u32.into()) };
			Pallet::<T>::open(
				id,
				Audit {
					auditor: auditor.clone(),
					auditor_key,
					due,
					kind: smartnodes_primitives::compute::JobKind::Wasm,
					code: Source { hash: H256::zero(), uri: BoundedVec::new() },
					input: Source { hash: H256::zero(), uri: BoundedVec::new() },
					limits: Default::default(),
					output_hash: H256::zero(),
					fuel_used: 0,
					workers: BoundedVec::new(),
				},
			);
		}
		let now = start.saturating_add(1u32.into());

		#[block]
		{
			Pallet::<T>::do_expire(now);
		}

		assert_eq!(AuditQueue::<T>::get().len() as u32, T::MaxOpenAudits::get().saturating_sub(n));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build_bench(),
		crate::mock::Test
	);
}
