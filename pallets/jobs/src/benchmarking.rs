//! Benchmarks of the jobs pallet (FRAME benchmarking v2). Worker identity keys are generated in
//! the benchmark's keystore, so result signatures are real and checked as on chain.

use super::*;
use crate::pallet::{Call, Config, JobsById, Load, Pallet, Queue};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{result_payload, JobId, NetworkId, Registry},
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

/// `n` members of a new network, with identity keys in the keystore.
fn network<T: Config>(n: u32) -> (NetworkId, Vec<(T::AccountId, ed25519::Public)>) {
	let id = T::Registry::bench_network();
	let members = (0..n)
		.map(|i| {
			let who: T::AccountId = account("worker", i, SEED);
			let key = sp_io::crypto::ed25519_generate(WORKER_KEY, None);
			T::Registry::bench_worker(&who, key.0, EthAddress::from_low_u64_be(i.into()), id);
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
	let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
	frame_system::Pallet::<T>::set_block_number(now);
	Pallet::<T>::do_assign_queued(now);
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

fn sign<T: Config>(key: &ed25519::Public, id: JobId, output: &H256, fuel: u64) -> Ed25519Signature {
	let payload = result_payload(&Pallet::<T>::genesis_hash(), id, output, fuel);
	sp_io::crypto::ed25519_sign(WORKER_KEY, key, &payload).expect("the key is in the keystore").0
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
		for _ in 0..T::MaxPendingJobs::get().min(T::MaxJobsPerUser::get()) {
			last = submitted::<T>(&owner, spec.clone());
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), last);

		assert!(!Queue::<T>::get().contains(&last));
	}

	/// The report that completes a job of `r` replicas, paying every one of them.
	#[benchmark]
	fn report_result(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (id, workers) = assigned::<T>(r, r);
		let output = H256::repeat_byte(7);
		let fuel = T::MaxLimits::get().fuel;
		// All but the last report first; with replication r the majority forms at the last
		// report only when it is the (r/2 + 1)th, so the others agree but are split across it.
		let need = (r / 2 + 1) as usize;
		for (worker, key) in workers.iter().take(need - 1) {
			let signature = sign::<T>(key, id, &output, fuel);
			let (job, slot) =
				Pallet::<T>::check_report(id, worker, &output, fuel, &signature).expect("valid");
			Pallet::<T>::do_report(id, job, slot, output, fuel);
		}
		let (worker, key) = workers.get(need - 1).cloned().expect("r >= 1");
		let signature = sign::<T>(&key, id, &output, fuel);

		#[extrinsic_call]
		_(RawOrigin::Signed(worker.clone()), id, worker.clone(), output, fuel, signature);

		assert!(matches!(
			JobsById::<T>::get(id).expect("kept").status,
			JobStatus::Completed { .. }
		));
	}

	/// Checking a report in the pool.
	#[benchmark]
	fn authorize_report() {
		let (id, workers) = assigned::<T>(1, 1);
		let output = H256::repeat_byte(7);
		let fuel = T::MaxLimits::get().fuel;
		let (worker, key) = workers.first().cloned().expect("one replica");
		let signature = sign::<T>(&key, id, &output, fuel);
		let result;

		#[block]
		{
			result = Pallet::<T>::authorize_report(
				TransactionSource::External,
				&id,
				&worker,
				&output,
				&fuel,
				&signature,
			);
		}

		assert!(result.is_ok());
	}

	/// Assigning a job of `MaxReplicas` replicas in a network where the scan must look at
	/// `MaxAssignmentScan` members, all but the replicas at their load limit.
	#[benchmark]
	fn assign_job() {
		let owner = user::<T>();
		let scan = T::MaxAssignmentScan::get();
		let replicas = T::MaxReplicas::get();
		let (network, members) = network::<T>(scan);
		for (worker, _) in members.iter().skip(replicas as usize) {
			Load::<T>::insert(worker, T::MaxWorkerLoad::get());
		}
		let id = submitted::<T>(&owner, spec::<T>(network, replicas));
		let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::do_assign_queued(now);
		}

		assert_eq!(JobsById::<T>::get(id).expect("kept").status, JobStatus::Running);
		for (worker, _) in members.iter().skip(replicas as usize) {
			Load::<T>::remove(worker);
		}
	}

	/// A timer on which every replica of the largest job expired and as many as the job allows
	/// are replaced, each replacement scanning the network.
	#[benchmark]
	fn on_timer() {
		let replicas = T::MaxReplicas::get();
		let (id, _) = assigned::<T>(replicas, T::MaxAssignmentScan::get());
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

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().workers(0).build_bench(),
		crate::mock::Test
	);
}
