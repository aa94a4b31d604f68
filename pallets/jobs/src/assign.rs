//! Drawing workers for jobs: first assignment from the queue, and replacement of silent
//! replicas.

use crate::{pallet::*, JobStatus, Replica, ReplicaState, TriedBound, WeightInfo};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{JobId, Registry, Reputation, Role, Score},
};
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Tries to assign the oldest queued jobs, at most `MaxAssignmentsPerBlock`; a job no set
	/// of workers was found for goes to the back of the queue.
	pub(crate) fn do_assign_queued(now: BlockNumberFor<T>) -> Weight {
		let mut queue = Queue::<T>::get();
		if queue.is_empty() {
			return T::DbWeight::get().reads(1);
		}
		let take = (T::MaxAssignmentsPerBlock::get() as usize).min(queue.len());
		let batch: Vec<JobId> = queue.drain(..take).collect();
		for id in batch.iter().copied() {
			if !Self::try_assign(id, now) {
				// The drained room is free again, so the push cannot fail.
				let _ = queue.try_push(id);
			}
		}
		Queue::<T>::put(queue);
		T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(T::WeightInfo::assign_job().saturating_mul(batch.len() as u64))
	}

	/// Assigns job `id` if a full set of eligible workers is found. Returns whether the job
	/// left the queue (assigned, or gone).
	fn try_assign(id: JobId, now: BlockNumberFor<T>) -> bool {
		let Some(mut job) = JobsById::<T>::get(id) else { return true };
		if job.status != JobStatus::Pending {
			return true;
		}
		let Some(network) = T::Registry::network(job.spec.network) else { return false };
		let wanted = u32::from(job.spec.replication);
		let picked = Self::draw(id, &job, network.min_reputation, wanted);
		if (picked.len() as u32) < wanted {
			return false;
		}
		let expires_at =
			now.saturating_add(Self::result_window(job.spec.limits.time_ms)).min(job.spec.deadline);
		let mut workers = Vec::with_capacity(picked.len());
		for (worker, payout) in picked {
			// Bounded by `replication <= MaxReplicas <= MaxTried`, checked at submission.
			let _ = job.tried.try_push(worker.clone());
			let _ = job.replicas.try_push(Replica {
				worker: worker.clone(),
				payout,
				assigned_at: now,
				expires_at,
				state: ReplicaState::Waiting,
			});
			Load::<T>::mutate(&worker, |load| *load = load.saturating_add(1));
			workers.push(worker);
		}
		job.status = JobStatus::Running;
		Agenda::<T>::insert(expires_at.saturating_add(One::one()), id, ());
		JobsById::<T>::insert(id, job);
		Self::deposit_event(Event::JobAssigned { id, workers });
		true
	}

	/// Replaces the silent replica in `slot` if the job has replacements left and the deadline
	/// leaves a full window.
	pub(crate) fn reassign(
		id: JobId,
		job: &mut JobOf<T>,
		slot: usize,
		from: T::AccountId,
		now: BlockNumberFor<T>,
	) {
		let window = Self::result_window(job.spec.limits.time_ms);
		if now.saturating_add(window) > job.spec.deadline
			|| job.tried.len() >= TriedBound::<T::MaxReplicas, T::MaxReassignments>::get() as usize
		{
			return;
		}
		let Some(network) = T::Registry::network(job.spec.network) else { return };
		let Some((to, payout)) = Self::draw(id, job, network.min_reputation, 1).pop() else {
			return;
		};
		let expires_at = now.saturating_add(window);
		if job.tried.try_push(to.clone()).is_err() {
			return;
		}
		if let Some(replica) = job.replicas.get_mut(slot) {
			*replica = Replica {
				worker: to.clone(),
				payout,
				assigned_at: now,
				expires_at,
				state: ReplicaState::Waiting,
			};
		}
		Load::<T>::mutate(&to, |load| *load = load.saturating_add(1));
		Agenda::<T>::insert(expires_at.saturating_add(One::one()), id, ());
		Self::deposit_event(Event::ReplicaReassigned { id, from, to });
	}

	/// Up to `wanted` eligible workers for `job` that never had a part in it, with their payout
	/// addresses: consecutive members from a random start, at most `MaxAssignmentScan` looked
	/// at. Consecutive members are distinct, so replicas are too.
	pub(crate) fn draw(
		id: JobId,
		job: &JobOf<T>,
		min_reputation: Score,
		wanted: u32,
	) -> Vec<(T::AccountId, EthAddress)> {
		let members = T::Registry::member_count(job.spec.network);
		let mut picked: Vec<(T::AccountId, EthAddress)> = Vec::new();
		if members == 0 || wanted == 0 {
			return picked;
		}
		let subject = (b"smartnodes:assign", id, job.tried.len() as u32).encode();
		let (seed, _) = T::Randomness::random(&subject);
		let mut start = [0u8; 4];
		start.copy_from_slice(seed.as_bytes().get(..4).unwrap_or(&[0; 4]));
		let start = u32::from_le_bytes(start).checked_rem(members).unwrap_or(0);
		let scan = members.min(T::MaxAssignmentScan::get());
		for step in 0..scan {
			let index = u64::from(start)
				.saturating_add(u64::from(step))
				.checked_rem(u64::from(members))
				.unwrap_or(0) as u32;
			let Some(worker) = T::Registry::member_at(job.spec.network, index) else { continue };
			if job.tried.contains(&worker) || picked.iter().any(|(w, _)| *w == worker) {
				continue;
			}
			if let Some(payout) = Self::eligible(&worker, job, min_reputation) {
				picked.push((worker, payout));
				if picked.len() as u32 >= wanted {
					break;
				}
			}
		}
		picked
	}

	/// The worker's payout address if it may take `job`.
	fn eligible(
		worker: &T::AccountId,
		job: &JobOf<T>,
		min_reputation: Score,
	) -> Option<EthAddress> {
		let terms = T::Registry::worker(worker)?;
		let fits = terms.capacity.memory_mib >= job.spec.limits.memory_mib
			&& Load::<T>::get(worker) < T::MaxWorkerLoad::get()
			&& !T::Reputation::is_blacklisted(Role::Worker, worker)
			&& T::Reputation::score(Role::Worker, worker) >= min_reputation;
		fits.then_some(terms.payout)
	}
}
