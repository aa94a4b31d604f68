//! Benchmarks of the jobs pallet (FRAME benchmarking v2). Worker identity keys are generated in
//! the benchmark's keystore, so result signatures are real and checked as on chain.

use super::*;
use crate::impls::ASSIGNMENT_DELAY;
use crate::pallet::{Call, Config, JobsById, Load, Pallet, Queue};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{commit_payload, result_commitment, JobId, NetworkId, Registry},
	Balance,
};
use sp_core::{crypto::KeyTypeId, ed25519, H256};
use sp_runtime::{
	traits::{One, Saturating},
	transaction_validity::TransactionSource,
};

const WORKER_KEY: KeyTypeId = KeyTypeId(*b"snwk");
const SEED: u32 = 0;

fn user<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("user", 0, SEED);
	T::Registry::bench_user(&who);
	T::Currency::set_balance(&who, Balance::MAX / 4);
	who
}

fn payout(i: u32) -> EthAddress {
	let mut address = [0u8; 20];
	address[16..].copy_from_slice(&i.to_be_bytes());
	EthAddress::from(address)
}

/// `n` members of a new network, with identity keys in the keystore.
fn network<T: Config>(n: u32) -> (NetworkId, Vec<(T::AccountId, ed25519::Public)>) {
	let id = T::Registry::bench_network();
	let members = (0..n)
		.map(|i| {
			let who: T::AccountId = account("worker", i, SEED);
			let key = sp_io::crypto::ed25519_generate(WORKER_KEY, None);
			T::Registry::bench_worker(&who, key.0, payout(i), id);
			(who, key)
		})
		.collect();
	(id, members)
}

fn uri<T: Config>() -> BoundedVec<u8, T::MaxUriLen> {
	BoundedVec::truncate_from(alloc::vec![b'u'; T::MaxUriLen::get() as usize])
}

fn spec<T: Config>(network: NetworkId, replication: u32) -> JobSpecOf<T> {
	let max = T::MaxLimits::get();
	JobSpec {
		network,
		kind: smartnodes_primitives::compute::JobKind::Wasm,
		code: Resource { hash: H256::repeat_byte(1), uri: uri::<T>() },
		input: Resource { hash: H256::repeat_byte(2), uri: uri::<T>() },
		replication: replication as u8,
		limits: Limits { fuel: max.fuel, memory_mib: 1, time_ms: max.time_ms },
		deadline: frame_system::Pallet::<T>::block_number().saturating_add(T::MaxDeadline::get()),
		max_payment: 1_000_000_000_000_000_000,
	}
}

fn submitted<T: Config>(owner: &T::AccountId, spec: JobSpecOf<T>) -> JobId {
	let id = Pallet::<T>::check_submit(owner, &spec).expect("a valid job");
	Pallet::<T>::do_submit(id, owner.clone(), spec).expect("a valid job");
	id
}

/// A job with `replicas` replicas, assigned at the next block.
fn assigned<T: Config>(
	replicas: u32,
	members: u32,
) -> (JobId, Vec<(T::AccountId, ed25519::Public)>) {
	let owner = user::<T>();
	let (network, members) = network::<T>(members);
	let id = submitted::<T>(&owner, spec::<T>(network, replicas));
	let now = frame_system::Pallet::<T>::block_number().saturating_add(ASSIGNMENT_DELAY.into());
	frame_system::Pallet::<T>::set_block_number(now);
	Pallet::<T>::do_assign_queued(now, Weight::MAX);
	let job = JobsById::<T>::get(id).expect("just submitted");
	assert_eq!(job.replicas.len() as u32, replicas, "every replica assigned");
	let keys = job
		.replicas
		.iter()
		.map(|r| {
			let key = members.iter().find(|(w, _)| *w == r.worker).expect("a member").1;
			(r.worker.clone(), key)
		})
		.collect();
	(id, keys)
}

fn salt(i: usize) -> [u8; 32] {
	[i as u8; 32]
}

/// The commitment and its signature for `key`'s result in job `id`.
fn committed<T: Config>(
	key: &ed25519::Public,
	id: JobId,
	output: &H256,
	fuel: u64,
	salt: &[u8; 32],
) -> (H256, Ed25519Signature) {
	let commitment = result_commitment(id, &key.0, output, fuel, salt);
	let payload = commit_payload(&Pallet::<T>::genesis_hash(), id, &commitment);
	let signature = sp_io::crypto::ed25519_sign(WORKER_KEY, key, &payload)
		.expect("the key is in the keystore")
		.0;
	(commitment, signature)
}

/// The output replica `i` of `r` reveals: alternating so that no majority forms before the
/// last reveal, which sides with the first and completes the job with the most payments and
/// strikes.
fn output_of(i: usize, r: u32) -> H256 {
	if i.is_multiple_of(2) || i + 1 == r as usize {
		H256::repeat_byte(7)
	} else {
		H256::repeat_byte(8)
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The largest job, to a network, with a nearly full queue.
	#[benchmark]
	fn submit_job() {
		let owner = user::<T>();
		let (network, _) = network::<T>(T::MaxReplicas::get());
		let spec = spec::<T>(network, T::MaxReplicas::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), spec);

		assert_eq!(Queue::<T>::get().len(), 1);
	}

	/// Cancelling the last job of a full queue.
	#[benchmark]
	fn cancel_job() {
		let owner = user::<T>();
		let (network, _) = network::<T>(1);
		let spec = spec::<T>(network, 1);
		let mut last = 0;
		let pending = T::MaxPendingJobs::get().min(T::MaxPendingPerUser::get());
		for _ in 0..pending.min(T::MaxJobsPerUser::get()) {
			last = submitted::<T>(&owner, spec.clone());
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), last);

		assert!(!Queue::<T>::get().contains(&last));
	}

	/// The last commitment of a job of `r` replicas, which opens its reveals.
	#[benchmark]
	fn commit_result(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (id, workers) = assigned::<T>(r, r);
		let fuel = T::MaxLimits::get().fuel;
		for (i, (worker, key)) in workers.iter().enumerate().take(r as usize - 1) {
			let (commitment, signature) = committed::<T>(key, id, &output_of(i, r), fuel, &salt(i));
			let (job, slot) =
				Pallet::<T>::check_commit(id, worker, &commitment, &signature).expect("valid");
			Pallet::<T>::do_commit(id, job, slot, commitment);
		}
		let last = r as usize - 1;
		let (worker, key) = workers.get(last).cloned().expect("r >= 1");
		let (commitment, signature) =
			committed::<T>(&key, id, &output_of(last, r), fuel, &salt(last));

		#[extrinsic_call]
		_(RawOrigin::Signed(worker.clone()), id, worker.clone(), commitment, signature);

		assert!(JobsById::<T>::get(id).expect("kept").revealing);
	}

	/// The reveal that completes a job of `r` replicas, paying the majority and striking the
	/// rest.
	#[benchmark]
	fn reveal_result(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (id, workers) = assigned::<T>(r, r);
		let fuel = T::MaxLimits::get().fuel;
		for (i, (worker, key)) in workers.iter().enumerate() {
			let (commitment, signature) = committed::<T>(key, id, &output_of(i, r), fuel, &salt(i));
			let (job, slot) =
				Pallet::<T>::check_commit(id, worker, &commitment, &signature).expect("valid");
			Pallet::<T>::do_commit(id, job, slot, commitment);
		}
		for (i, (worker, _)) in workers.iter().enumerate().take(r as usize - 1) {
			let (job, slot) =
				Pallet::<T>::check_reveal(id, worker, &output_of(i, r), fuel, &salt(i))
					.expect("valid");
			Pallet::<T>::do_reveal(id, job, slot, output_of(i, r), fuel);
		}
		let last = r as usize - 1;
		let (worker, _) = workers.get(last).cloned().expect("r >= 1");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(worker.clone()),
			id,
			worker.clone(),
			output_of(last, r),
			fuel,
			salt(last),
		);

		assert!(matches!(
			JobsById::<T>::get(id).expect("kept").status,
			JobStatus::Completed { .. }
		));
	}

	/// Checking a commitment in the pool.
	#[benchmark]
	fn authorize_commit() {
		let (id, workers) = assigned::<T>(1, 1);
		let (worker, key) = workers.first().cloned().expect("one replica");
		let (commitment, signature) =
			committed::<T>(&key, id, &output_of(0, 1), T::MaxLimits::get().fuel, &salt(0));
		let result;

		#[block]
		{
			result = Pallet::<T>::authorize_commit(
				TransactionSource::External,
				&id,
				&worker,
				&commitment,
				&signature,
			);
		}

		assert!(result.is_ok());
	}

	/// Checking a reveal in the pool.
	#[benchmark]
	fn authorize_reveal() {
		let (id, workers) = assigned::<T>(1, 1);
		let (worker, key) = workers.first().cloned().expect("one replica");
		let fuel = T::MaxLimits::get().fuel;
		let (commitment, signature) = committed::<T>(&key, id, &output_of(0, 1), fuel, &salt(0));
		let (job, slot) =
			Pallet::<T>::check_commit(id, &worker, &commitment, &signature).expect("valid");
		Pallet::<T>::do_commit(id, job, slot, commitment);
		let result;

		#[block]
		{
			result = Pallet::<T>::authorize_reveal(
				TransactionSource::External,
				&id,
				&worker,
				&output_of(0, 1),
				&fuel,
				&salt(0),
			);
		}

		assert!(result.is_ok());
	}

	/// A draw for a job of `MaxReplicas` replicas that examines `MaxAssignmentScan` members of
	/// a larger network and finds them all at their load limit, so the job goes back to the
	/// queue (without using a draw): every probe reads a member, its record, its load and its
	/// reputation.
	#[benchmark]
	fn assign_job() {
		let owner = user::<T>();
		let replicas = T::MaxReplicas::get();
		let (network, members) = network::<T>(T::MaxAssignmentScan::get().saturating_mul(2));
		for (worker, _) in members.iter() {
			Load::<T>::insert(worker, T::MaxWorkerLoad::get());
		}
		let id = submitted::<T>(&owner, spec::<T>(network, replicas));
		let now = frame_system::Pallet::<T>::block_number().saturating_add(ASSIGNMENT_DELAY.into());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::do_assign_queued(now, Weight::MAX);
		}

		let job = JobsById::<T>::get(id).expect("kept");
		assert_eq!((job.status, job.attempts), (JobStatus::Pending, 0));
		for (worker, _) in members.iter() {
			Load::<T>::remove(worker);
		}
	}

	/// A timer on which every replica of the largest job expired and as many as the job allows
	/// are replaced, each replacement drawing from a network larger than a scan.
	#[benchmark]
	fn on_timer() {
		let replicas = T::MaxReplicas::get();
		let (id, _) = assigned::<T>(replicas, T::MaxAssignmentScan::get().saturating_mul(2));
		let expires_at =
			JobsById::<T>::get(id).expect("kept").replicas.first().expect("assigned").expires_at;
		let now: BlockNumberFor<T> = expires_at.saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_timer(id, now);
		}

		let job = JobsById::<T>::get(id).expect("kept");
		let replaced = replicas.min(T::MaxReassignments::get());
		assert_eq!(job.tried.len() as u32, replicas + replaced, "replicas replaced");
	}

	/// A settled job removed after its retention, its deposit returned.
	#[benchmark]
	fn remove_job() {
		let (id, workers) = assigned::<T>(1, 1);
		let fuel = T::MaxLimits::get().fuel;
		let (worker, key) = workers.first().cloned().expect("one replica");
		let (commitment, signature) = committed::<T>(&key, id, &output_of(0, 1), fuel, &salt(0));
		let (job, slot) =
			Pallet::<T>::check_commit(id, &worker, &commitment, &signature).expect("valid");
		Pallet::<T>::do_commit(id, job, slot, commitment);
		let (job, slot) = Pallet::<T>::check_reveal(id, &worker, &output_of(0, 1), fuel, &salt(0))
			.expect("valid");
		Pallet::<T>::do_reveal(id, job, slot, output_of(0, 1), fuel);
		let now = frame_system::Pallet::<T>::block_number().saturating_add(T::Retention::get());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_timer(id, now);
		}

		assert!(JobsById::<T>::get(id).is_none());
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().workers(0).build_bench(),
		crate::mock::Test
	);
}
