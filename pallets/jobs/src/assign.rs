//! Drawing workers for jobs: first assignment from the queue, and replacement of silent
//! replicas.

use crate::{
	impls::{decrement, ASSIGNMENT_DELAY},
	pallet::*,
	FailReason, JobStatus, Replica, ReplicaState, TriedBound, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::compute::{JobId, Registry, Reputation, Role, Score, WorkerTerms};
use sp_core::H256;
use sp_runtime::traits::{One, Saturating};

/// Where a job stands after a draw.
enum Draw {
	Assigned,
	/// No full set this time; the job keeps its place for the next block.
	Retry,
	/// The job left the queue (gone, not pending, or failed).
	Done,
}

impl<T: Config> Pallet<T> {
	/// Tries to assign the oldest queued jobs, at most `MaxAssignmentsPerBlock` and within
	/// `budget`; a job no set of workers was found for goes to the back of the queue.
	pub(crate) fn do_assign_queued(now: BlockNumberFor<T>, budget: Weight) -> Weight {
		let mut queue = Queue::<T>::get();
		let mut used = T::DbWeight::get().reads(1);
		if queue.is_empty() {
			return used;
		}
		used.saturating_accrue(T::DbWeight::get().writes(1));
		let per_job = T::WeightInfo::assign_job();
		let mut take = 0usize;
		while take < queue.len()
			&& (take as u32) < T::MaxAssignmentsPerBlock::get()
			&& !used.saturating_add(per_job).any_gt(budget)
		{
			used.saturating_accrue(per_job);
			take = take.saturating_add(1);
		}
		let batch: Vec<JobId> = queue.drain(..take).collect();
		for id in batch {
			if let Draw::Retry = Self::try_assign(id, now) {
				// The drained room is free again, so the push cannot fail.
				let _ = queue.try_push(id);
			}
		}
		Queue::<T>::put(queue);
		used
	}

	fn try_assign(id: JobId, now: BlockNumberFor<T>) -> Draw {
		let Some(mut job) = JobsById::<T>::get(id) else { return Draw::Done };
		if job.status != JobStatus::Pending {
			return Draw::Done;
		}
		if now < job.submitted_at.saturating_add(ASSIGNMENT_DELAY.into()) {
			return Draw::Retry;
		}
		let window = Self::full_window(job.spec.limits.time_ms);
		let network = T::Registry::network(job.spec.network);
		let assignable = network.as_ref().is_some_and(|n| !n.retired)
			&& now.saturating_add(window) <= job.spec.deadline;
		let (picked, busy) = match (&network, assignable) {
			(Some(network), true) => {
				Self::draw(id, &job, network.min_reputation, job.spec.replication.into())
			},
			_ => (Vec::new(), false),
		};
		if picked.len() < usize::from(job.spec.replication) {
			// Workers that are only busy free up as they commit: such a draw costs the job
			// nothing, and it waits while its deadline leaves a full window.
			if !busy {
				job.attempts = job.attempts.saturating_add(1);
			}
			if assignable && job.attempts < T::MaxAssignmentAttempts::get() {
				JobsById::<T>::insert(id, job);
				return Draw::Retry;
			}
			// Out of time, out of draws, or the network is gone: refund now rather than at
			// the deadline.
			Self::leave_queue_counts(id, &job);
			Self::fail(id, &mut job, FailReason::NotAssigned);
			Self::settle_if_done(id, &mut job);
			JobsById::<T>::insert(id, job);
			return Draw::Done;
		}
		let expires_at = now.saturating_add(Self::result_window(job.spec.limits.time_ms));
		let mut workers = Vec::with_capacity(picked.len());
		for (worker, terms) in picked {
			// Bounded by `replication <= MaxReplicas <= MaxTried`, checked at submission.
			let _ = job.tried.try_push(worker.clone());
			let _ = job.replicas.try_push(Replica {
				worker: worker.clone(),
				payout: terms.payout,
				identity: terms.identity,
				assigned_at: now,
				expires_at,
				state: ReplicaState::Waiting,
			});
			Load::<T>::mutate(&worker, |load| *load = load.saturating_add(1));
			Assignments::<T>::insert(&worker, id, ());
			workers.push(worker);
		}
		Self::leave_queue_counts(id, &job);
		job.status = JobStatus::Running;
		Agenda::<T>::insert(expires_at.saturating_add(One::one()), id, ());
		JobsById::<T>::insert(id, job);
		Self::deposit_event(Event::JobAssigned { id, workers });
		Draw::Assigned
	}

	/// A job leaves the queue: its owner's pending count and its deadline timer go (the queue
	/// itself is rewritten by the caller).
	pub(crate) fn leave_queue_counts(id: JobId, job: &JobOf<T>) {
		PendingCount::<T>::mutate_exists(&job.owner, decrement);
		Agenda::<T>::remove(job.spec.deadline.saturating_add(One::one()), id);
	}

	/// Replaces the silent replica in `slot` if the job has replacements left and the deadline
	/// leaves a full commit and reveal window.
	pub(crate) fn reassign(
		id: JobId,
		job: &mut JobOf<T>,
		slot: usize,
		from: T::AccountId,
		now: BlockNumberFor<T>,
	) {
		if now.saturating_add(Self::full_window(job.spec.limits.time_ms)) > job.spec.deadline
			|| job.tried.len() >= TriedBound::<T::MaxReplicas, T::MaxReassignments>::get() as usize
		{
			return;
		}
		let Some(network) = T::Registry::network(job.spec.network) else { return };
		let Some((to, terms)) = Self::draw(id, job, network.min_reputation, 1).0.pop() else {
			return;
		};
		let expires_at = now.saturating_add(Self::result_window(job.spec.limits.time_ms));
		if job.tried.try_push(to.clone()).is_err() {
			return;
		}
		if let Some(replica) = job.replicas.get_mut(slot) {
			*replica = Replica {
				worker: to.clone(),
				payout: terms.payout,
				identity: terms.identity,
				assigned_at: now,
				expires_at,
				state: ReplicaState::Waiting,
			};
		}
		Load::<T>::mutate(&to, |load| *load = load.saturating_add(1));
		Assignments::<T>::insert(&to, id, ());
		Agenda::<T>::insert(expires_at.saturating_add(One::one()), id, ());
		Self::deposit_event(Event::ReplicaReassigned { id, from, to });
	}

	/// Up to `wanted` eligible workers for `job` that never had a part in it. Each candidate is
	/// an independent draw (so no run of consecutive members can be won as a block); a network
	/// no larger than `MaxAssignmentScan` is examined whole, in a random order. Also says whether
	/// an eligible worker was passed over only for being at its load limit.
	pub(crate) fn draw(
		id: JobId,
		job: &JobOf<T>,
		min_reputation: Score,
		wanted: u32,
	) -> (Picked<T>, bool) {
		let members = T::Registry::member_count(job.spec.network);
		let mut picked: Picked<T> = Vec::new();
		let mut busy = false;
		if members == 0 || wanted == 0 {
			return (picked, busy);
		}
		let subject = (b"smartnodes:assign", id, job.tried.len() as u32).encode();
		let (seed, _) = T::Randomness::random(&subject);
		let scan = T::MaxAssignmentScan::get();
		let indices: Vec<u32> = if members <= scan {
			shuffled(members, &seed)
		} else {
			(0..scan).map(|probe| index(&seed, probe, members)).collect()
		};
		for index in indices {
			let Some(worker) = T::Registry::member_at(job.spec.network, index) else { continue };
			if job.tried.contains(&worker) || picked.iter().any(|(w, _)| *w == worker) {
				continue;
			}
			match Self::eligible(&worker, job, min_reputation) {
				Some((terms, true)) => {
					picked.push((worker, terms));
					if picked.len() as u32 >= wanted {
						break;
					}
				},
				Some((_, false)) => busy = true,
				None => {},
			}
		}
		(picked, busy)
	}

	/// The worker's terms if it could take `job`, and whether it is free to now (below its
	/// load limit).
	fn eligible(
		worker: &T::AccountId,
		job: &JobOf<T>,
		min_reputation: Score,
	) -> Option<(WorkerTerms<T::AccountId>, bool)> {
		let terms = T::Registry::worker(worker)?;
		let fits = terms.capacity.memory_mib >= job.spec.limits.memory_mib
			&& !T::Reputation::is_blacklisted(Role::Worker, worker)
			&& T::Reputation::score(Role::Worker, worker) >= min_reputation;
		let free = Load::<T>::get(worker) < T::MaxWorkerLoad::get();
		fits.then_some((terms, free))
	}
}

/// Workers drawn for a job, with their terms.
type Picked<T> = Vec<(
	<T as frame_system::Config>::AccountId,
	WorkerTerms<<T as frame_system::Config>::AccountId>,
)>;

/// The `probe`th draw from `seed`, below `members`.
fn index(seed: &H256, probe: u32, members: u32) -> u32 {
	let hash = sp_io::hashing::blake2_256(&(seed, probe).encode());
	let mut bytes = [0u8; 8];
	bytes.copy_from_slice(hash.get(..8).unwrap_or(&[0; 8]));
	u64::from_le_bytes(bytes).checked_rem(u64::from(members)).unwrap_or(0) as u32
}

/// `0..members` in a random order (Fisher–Yates driven by `seed`).
fn shuffled(members: u32, seed: &H256) -> Vec<u32> {
	let mut order: Vec<u32> = (0..members).collect();
	for i in (1..order.len()).rev() {
		let j = index(seed, i as u32, (i as u32).saturating_add(1)) as usize;
		order.swap(i, j);
	}
	order
}
