//! Submission, results, settlement and the timers behind them.

use crate::{
	pallet::*, Ed25519Signature, FailReason, JobStatus, ReplicaState, WeightInfo, LOG_TARGET,
};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::{
	compute::{result_payload, Fault, JobId, Registry, Reputation, Role},
	ledger::ContributionRecorder,
	Balance,
};
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use sp_core::{ed25519, H256};
use sp_runtime::{
	traits::{One, Saturating, Zero},
	transaction_validity::{
		InvalidTransaction, TransactionPriority, TransactionSource, TransactionValidityWithRefund,
		ValidTransaction,
	},
	SaturatedConversion,
};

/// Result reports are relayed for free; they rank below operational transactions but above
/// ordinary ones, since a late report costs a worker its pay and a strike.
const REPORT_PRIORITY: TransactionPriority = TransactionPriority::MAX / 2;

impl<T: Config> Pallet<T> {
	/// Job `id`, if not removed yet.
	pub fn job(id: JobId) -> Option<JobOf<T>> {
		JobsById::<T>::get(id)
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Blocks a replica of a job with `time_ms` has to answer.
	pub fn result_window(time_ms: u32) -> BlockNumberFor<T> {
		let per_block = T::MillisecsPerBlock::get().max(1);
		let run_blocks = u64::from(time_ms).div_ceil(per_block);
		T::ResultWindow::get().saturating_add(run_blocks.saturated_into())
	}

	/// The id the job will get, once every rule of a submission holds.
	pub(crate) fn check_submit(
		who: &T::AccountId,
		spec: &JobSpecOf<T>,
	) -> Result<JobId, DispatchError> {
		ensure!(T::Registry::is_user(who), Error::<T>::NotAUser);
		let network = T::Registry::network(spec.network).ok_or(Error::<T>::UnknownNetwork)?;
		ensure!(!network.retired, Error::<T>::NetworkRetired);
		ensure!(network.kind == spec.kind, Error::<T>::WrongKind);
		let replication = u32::from(spec.replication);
		ensure!(
			replication >= 1 && replication <= T::MaxReplicas::get(),
			Error::<T>::BadReplication
		);
		ensure!(
			T::Registry::member_count(spec.network) >= replication,
			Error::<T>::NotEnoughWorkers
		);
		let max = T::MaxLimits::get();
		let limits = spec.limits;
		ensure!(
			limits.fuel > 0
				&& limits.memory_mib > 0
				&& limits.time_ms > 0
				&& limits.fuel <= max.fuel
				&& limits.memory_mib <= max.memory_mib
				&& limits.time_ms <= max.time_ms,
			Error::<T>::BadLimits
		);
		let now = Self::now();
		// Assignment happens at the next block at the earliest.
		let earliest =
			now.saturating_add(One::one()).saturating_add(Self::result_window(limits.time_ms));
		ensure!(
			spec.deadline >= earliest && spec.deadline <= now.saturating_add(T::MaxDeadline::get()),
			Error::<T>::BadDeadline
		);
		let per_replica =
			spec.max_payment.checked_div(Balance::from(spec.replication)).unwrap_or(0);
		ensure!(per_replica >= network.price_floor, Error::<T>::PaymentBelowFloor);
		ensure!(JobCount::<T>::get(who) < T::MaxJobsPerUser::get(), Error::<T>::TooManyJobs);
		ensure!(
			(Queue::<T>::decode_len().unwrap_or(0) as u32) < T::MaxPendingJobs::get(),
			Error::<T>::QueueFull
		);
		let needed = spec.max_payment.saturating_add(T::JobDeposit::get());
		ensure!(
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite)
				>= needed,
			Error::<T>::InsufficientBalance
		);
		let id = NextJobId::<T>::get();
		id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		Ok(id)
	}

	pub(crate) fn do_submit(id: JobId, who: T::AccountId, spec: JobSpecOf<T>) -> DispatchResult {
		let deposit = T::JobDeposit::get();
		T::Currency::hold(&HoldReason::Escrow.into(), &who, spec.max_payment)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		T::Currency::hold(&HoldReason::JobStorage.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Queue::<T>::try_mutate(|queue| queue.try_push(id)).map_err(|_| Error::<T>::QueueFull)?;
		NextJobId::<T>::put(id.saturating_add(1));
		// A job nobody could be assigned to fails the block after its deadline.
		Agenda::<T>::insert(spec.deadline.saturating_add(One::one()), id, ());
		JobsOf::<T>::insert(&who, id, ());
		JobCount::<T>::mutate(&who, |count| *count = count.saturating_add(1));
		Self::deposit_event(Event::JobSubmitted {
			id,
			owner: who.clone(),
			network: spec.network,
			max_payment: spec.max_payment,
		});
		let escrow = spec.max_payment;
		JobsById::<T>::insert(
			id,
			JobOf::<T> {
				owner: who,
				spec,
				status: JobStatus::Pending,
				submitted_at: Self::now(),
				replicas: Default::default(),
				tried: Default::default(),
				escrow,
				deposit,
				settled_at: None,
			},
		);
		Ok(())
	}

	pub(crate) fn do_cancel(id: JobId, mut job: JobOf<T>) {
		Queue::<T>::mutate(|queue| queue.retain(|queued| *queued != id));
		job.status = JobStatus::Cancelled;
		Self::deposit_event(Event::JobCancelled { id });
		Self::settle_if_done(id, &mut job);
		JobsById::<T>::insert(id, job);
	}

	/// The job and the slot of `worker`'s running replica, if the report is acceptable.
	pub(crate) fn check_report(
		id: JobId,
		worker: &T::AccountId,
		output_hash: &H256,
		fuel_used: u64,
		signature: &Ed25519Signature,
	) -> Result<(JobOf<T>, usize), Error<T>> {
		let job = JobsById::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.status.accepts_results(), Error::<T>::NotAcceptingResults);
		let now = Self::now();
		let slot = job
			.replicas
			.iter()
			.position(|replica| {
				replica.worker == *worker
					&& replica.state == ReplicaState::Waiting
					&& now <= replica.expires_at
			})
			.ok_or(Error::<T>::NotAssigned)?;
		ensure!(fuel_used <= job.spec.limits.fuel, Error::<T>::FuelAboveLimit);
		let terms = T::Registry::worker(worker).ok_or(Error::<T>::UnknownWorker)?;
		let payload = result_payload(&Self::genesis_hash(), id, output_hash, fuel_used);
		ensure!(
			sp_io::crypto::ed25519_verify(
				&ed25519::Signature::from_raw(*signature),
				&payload,
				&ed25519::Public::from_raw(terms.identity),
			),
			Error::<T>::BadSignature
		);
		Ok((job, slot))
	}

	/// The hash results are bound to, so a report cannot be replayed on another chain.
	pub fn genesis_hash() -> H256 {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	pub fn authorize_report(
		_source: TransactionSource,
		id: &JobId,
		worker: &T::AccountId,
		output_hash: &H256,
		fuel_used: &u64,
		signature: &Ed25519Signature,
	) -> TransactionValidityWithRefund {
		match Self::check_report(*id, worker, output_hash, *fuel_used, signature) {
			Ok((job, slot)) => {
				let expires_at = job.replicas.get(slot).map(|r| r.expires_at).unwrap_or_default();
				let longevity: u64 =
					expires_at.saturating_sub(Self::now()).saturated_into::<u64>().max(1);
				let valid = ValidTransaction::with_tag_prefix("SmartnodesJobs")
					.priority(REPORT_PRIORITY)
					.and_provides((b"result", *id, worker))
					.longevity(longevity)
					.propagate(true)
					.build()?;
				Ok((valid, Weight::zero()))
			},
			Err(error) => {
				// The error's index in the pallet's `Error`, so a client can name it.
				let code = error.encode().first().copied().unwrap_or(u8::MAX);
				Err(InvalidTransaction::Custom(code).into())
			},
		}
	}

	/// Records a checked report and returns the job's replica count (for the weight).
	pub(crate) fn do_report(
		id: JobId,
		mut job: JobOf<T>,
		slot: usize,
		output_hash: H256,
		fuel_used: u64,
	) -> u32 {
		let Some(replica) = job.replicas.get_mut(slot) else { return 0 };
		let worker = replica.worker.clone();
		replica.state = ReplicaState::Reported { output_hash, fuel_used };
		Self::unload(&worker);
		Self::deposit_event(Event::ResultReported { id, worker, output_hash, fuel_used });
		Self::evaluate(id, &mut job);
		let replicas = job.replicas.len() as u32;
		JobsById::<T>::insert(id, job);
		replicas
	}

	pub(crate) fn unload(worker: &T::AccountId) {
		Load::<T>::mutate_exists(worker, |load| {
			let left = load.unwrap_or(0).saturating_sub(1);
			*load = (left > 0).then_some(left);
		});
	}

	/// Resolves what the replicas' state allows: completion, verdicts on late replicas,
	/// failure, and settlement once nothing is running.
	pub(crate) fn evaluate(id: JobId, job: &mut JobOf<T>) {
		if job.status == JobStatus::Running {
			let need = u32::from(job.spec.replication / 2).saturating_add(1);
			let mut groups: Vec<((H256, u64), u32)> = Vec::new();
			let mut waiting = 0u32;
			let mut answered = 0u32;
			for replica in job.replicas.iter() {
				match replica.state {
					ReplicaState::Reported { output_hash, fuel_used } => {
						answered.saturating_inc();
						match groups.iter_mut().find(|(key, _)| *key == (output_hash, fuel_used)) {
							Some((_, count)) => count.saturating_inc(),
							None => groups.push(((output_hash, fuel_used), 1)),
						}
					},
					ReplicaState::Waiting => waiting.saturating_inc(),
					_ => {},
				}
			}
			let best = groups.iter().max_by_key(|(_, count)| *count).copied();
			match best {
				Some(((output_hash, fuel_used), count)) if count >= need => {
					job.status = JobStatus::Completed { output_hash, fuel_used };
					Self::deposit_event(Event::JobCompleted { id, output_hash, fuel_used });
				},
				_ => {
					let best_count = best.map(|(_, count)| count).unwrap_or(0);
					if best_count.saturating_add(waiting) < need {
						let reason = if answered.saturating_add(waiting) < need {
							FailReason::TimedOut
						} else {
							FailReason::NoMajority
						};
						Self::fail(id, job, reason);
					}
				},
			}
		}
		if let JobStatus::Completed { output_hash, fuel_used } = job.status {
			for slot in 0..job.replicas.len() {
				let Some(replica) = job.replicas.get(slot) else { continue };
				if let ReplicaState::Reported { output_hash: reported, fuel_used: used } =
					replica.state
				{
					if (reported, used) == (output_hash, fuel_used) {
						Self::pay(id, job, slot, output_hash, fuel_used);
					} else {
						let worker = replica.worker.clone();
						if let Some(replica) = job.replicas.get_mut(slot) {
							replica.state = ReplicaState::Wrong { output_hash: reported };
						}
						T::Reputation::note_fault(Role::Worker, &worker, Fault::WrongResult);
						Self::deposit_event(Event::WrongResult {
							id,
							worker,
							output_hash: reported,
						});
					}
				}
			}
		}
		Self::settle_if_done(id, job);
	}

	/// Pays the replica in `slot` its metered share of the escrow.
	fn pay(id: JobId, job: &mut JobOf<T>, slot: usize, output_hash: H256, fuel_used: u64) {
		let per_replica =
			job.spec.max_payment.checked_div(Balance::from(job.spec.replication)).unwrap_or(0);
		let metered = multiply_by_rational_with_rounding(
			per_replica,
			u128::from(fuel_used),
			u128::from(job.spec.limits.fuel.max(1)),
			Rounding::Down,
		)
		.unwrap_or(0)
		.min(job.escrow);
		// The payment leaves the chain: it is minted to the worker on Base with its rewards.
		let amount = T::Currency::burn_held(
			&HoldReason::Escrow.into(),
			&job.owner,
			metered,
			Precision::BestEffort,
			Fortitude::Force,
		)
		.unwrap_or_else(|error| {
			log::error!(target: LOG_TARGET, "job {id}: escrow burn failed: {error:?}");
			0
		});
		job.escrow = job.escrow.saturating_sub(amount);
		let Some(replica) = job.replicas.get_mut(slot) else { return };
		replica.state = ReplicaState::Paid { output_hash, amount };
		let worker = replica.worker.clone();
		let fee = T::Contributions::note_job_payment(&replica.payout, amount);
		T::Contributions::note_contribution(&replica.payout, u128::from(fuel_used));
		T::Reputation::note_success(Role::Worker, &worker);
		Self::deposit_event(Event::WorkerPaid { id, worker, amount, fee });
	}

	/// Ends a job without a result; running replicas are released.
	pub(crate) fn fail(id: JobId, job: &mut JobOf<T>, reason: FailReason) {
		for replica in job.replicas.iter_mut() {
			match replica.state {
				ReplicaState::Waiting => {
					Self::unload(&replica.worker);
					replica.state = ReplicaState::Released;
				},
				ReplicaState::Reported { .. } => replica.state = ReplicaState::Released,
				_ => {},
			}
		}
		job.status = JobStatus::Failed { reason };
		Self::deposit_event(Event::JobFailed { id, reason });
	}

	/// Once no replica is running, refunds the unpaid escrow and schedules the removal.
	pub(crate) fn settle_if_done(id: JobId, job: &mut JobOf<T>) {
		if job.settled_at.is_some()
			|| job.status == JobStatus::Pending
			|| job.status == JobStatus::Running
			|| job.replicas.iter().any(|replica| replica.state == ReplicaState::Waiting)
		{
			return;
		}
		if job.escrow > 0 {
			let amount = T::Currency::release(
				&HoldReason::Escrow.into(),
				&job.owner,
				job.escrow,
				Precision::BestEffort,
			)
			.unwrap_or_else(|error| {
				log::error!(target: LOG_TARGET, "job {id}: escrow release failed: {error:?}");
				0
			});
			job.escrow = job.escrow.saturating_sub(amount);
			Self::deposit_event(Event::Refunded { id, owner: job.owner.clone(), amount });
		}
		let now = Self::now();
		job.settled_at = Some(now);
		Agenda::<T>::insert(
			now.saturating_add(T::Retention::get()).max(now.saturating_add(One::one())),
			id,
			(),
		);
	}

	/// Handles timers due by `now`, at most `MaxTimersPerBlock` (an empty block visited counts
	/// as one).
	pub(crate) fn do_run_agenda(now: BlockNumberFor<T>) -> Weight {
		let mut cursor = AgendaCursor::<T>::get();
		// Timers are only ever set in the future, so a chain that never ran one has none due.
		if cursor.is_zero() {
			cursor = now;
		}
		let mut budget = T::MaxTimersPerBlock::get();
		let mut visits = 0u32;
		let mut handled = 0u32;
		while cursor <= now && budget > 0 {
			visits.saturating_inc();
			let due: Vec<JobId> =
				Agenda::<T>::iter_key_prefix(cursor).take(budget as usize).collect();
			if due.is_empty() {
				cursor = cursor.saturating_add(One::one());
				budget.saturating_dec();
				continue;
			}
			for id in due {
				Agenda::<T>::remove(cursor, id);
				Self::on_timer(id, now);
				handled.saturating_inc();
				budget.saturating_dec();
			}
		}
		AgendaCursor::<T>::put(cursor);
		T::DbWeight::get()
			.reads_writes(u64::from(visits).saturating_add(1), 1)
			.saturating_add(T::WeightInfo::on_timer().saturating_mul(u64::from(handled)))
	}

	/// Looks at job `id` when one of its timers is due.
	pub(crate) fn on_timer(id: JobId, now: BlockNumberFor<T>) {
		let Some(mut job) = JobsById::<T>::get(id) else { return };
		if let Some(settled_at) = job.settled_at {
			if now >= settled_at.saturating_add(T::Retention::get()) {
				Self::remove(id, job);
			}
			return;
		}
		if job.status == JobStatus::Pending {
			if now > job.spec.deadline {
				Queue::<T>::mutate(|queue| queue.retain(|queued| *queued != id));
				Self::fail(id, &mut job, FailReason::NotAssigned);
				Self::settle_if_done(id, &mut job);
				JobsById::<T>::insert(id, job);
			}
			return;
		}
		let running = job.status == JobStatus::Running;
		for slot in 0..job.replicas.len() {
			let Some(replica) = job.replicas.get_mut(slot) else { continue };
			if replica.state != ReplicaState::Waiting || replica.expires_at >= now {
				continue;
			}
			replica.state = ReplicaState::Missed;
			let worker = replica.worker.clone();
			Self::unload(&worker);
			T::Reputation::note_fault(Role::Worker, &worker, Fault::MissedDeadline);
			Self::deposit_event(Event::ReplicaMissed { id, worker: worker.clone() });
			if running {
				Self::reassign(id, &mut job, slot, worker, now);
			}
		}
		Self::evaluate(id, &mut job);
		JobsById::<T>::insert(id, job);
	}

	fn remove(id: JobId, job: JobOf<T>) {
		if let Err(error) = T::Currency::release(
			&HoldReason::JobStorage.into(),
			&job.owner,
			job.deposit,
			Precision::BestEffort,
		) {
			log::error!(target: LOG_TARGET, "job {id}: deposit release failed: {error:?}");
		}
		JobsOf::<T>::remove(&job.owner, id);
		JobCount::<T>::mutate_exists(&job.owner, |count| {
			let left = count.unwrap_or(0).saturating_sub(1);
			*count = (left > 0).then_some(left);
		});
		JobsById::<T>::remove(id);
		Self::deposit_event(Event::JobRemoved { id });
	}

	/// Invariants:
	/// - each user's escrow hold equals the escrow of its jobs, and its storage hold their
	///   deposits; a job's escrow never exceeds its payment;
	/// - a settled job has no running replica, a finished one (failed or cancelled) no
	///   running replica either; only running or completed jobs have replicas waiting;
	/// - the replicas of a job are distinct workers;
	/// - `Load` counts each worker's waiting replicas, `JobCount` each user's jobs;
	/// - the queue holds exactly the pending jobs.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{BTreeMap, BTreeSet};
		let mut escrow: BTreeMap<T::AccountId, (Balance, Balance, u32)> = BTreeMap::new();
		let mut load: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut pending = BTreeSet::new();
		for (id, job) in JobsById::<T>::iter() {
			let entry = escrow.entry(job.owner.clone()).or_default();
			entry.0 = entry.0.saturating_add(job.escrow);
			entry.1 = entry.1.saturating_add(job.deposit);
			entry.2.saturating_inc();
			ensure!(job.escrow <= job.spec.max_payment, "escrow above the payment");
			ensure!(JobsOf::<T>::contains_key(&job.owner, id), "job missing from its owner's");
			let waiting = job.replicas.iter().filter(|r| r.state == ReplicaState::Waiting).count();
			if job.settled_at.is_some() {
				ensure!(waiting == 0, "a settled job has a running replica");
			}
			if !job.status.accepts_results() {
				ensure!(waiting == 0, "a finished job has a running replica");
			}
			let workers: BTreeSet<_> = job.replicas.iter().map(|r| r.worker.clone()).collect();
			ensure!(workers.len() == job.replicas.len(), "two replicas on one worker");
			for replica in job.replicas.iter().filter(|r| r.state == ReplicaState::Waiting) {
				let count = load.entry(replica.worker.clone()).or_default();
				count.saturating_inc();
			}
			if job.status == JobStatus::Pending {
				pending.insert(id);
			}
		}
		for (owner, (held, deposits, jobs)) in &escrow {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), owner) == *held,
				"escrow hold differs from the open jobs' escrow"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::JobStorage.into(), owner) == *deposits,
				"storage hold differs from the jobs' deposits"
			);
			ensure!(JobCount::<T>::get(owner) == *jobs, "JobCount differs");
		}
		ensure!(
			JobCount::<T>::iter().all(|(owner, _)| escrow.contains_key(&owner)),
			"JobCount for a user without jobs"
		);
		ensure!(
			Load::<T>::iter().count() == load.len()
				&& load.iter().all(|(worker, count)| Load::<T>::get(worker) == *count),
			"Load differs from the waiting replicas"
		);
		let queued: BTreeSet<JobId> = Queue::<T>::get().into_iter().collect();
		ensure!(queued == pending, "the queue is not the pending jobs");
		Ok(())
	}
}

impl<T: Config> smartnodes_primitives::compute::OpenWork<T::AccountId> for Pallet<T> {
	fn worker_load(worker: &T::AccountId) -> u32 {
		Load::<T>::get(worker)
	}
	fn user_jobs(user: &T::AccountId) -> u32 {
		JobCount::<T>::get(user)
	}
}
