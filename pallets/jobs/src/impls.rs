//! Submission, results, settlement and the timers behind them.

use crate::{
	pallet::*, Ed25519Signature, FailReason, JobStatus, ReplicaState, WeightInfo, LOG_TARGET,
};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::{
	compute::{
		commit_payload, result_commitment, CompletedJob, CompletedJobs, Fault, JobId,
		OnJobCompleted as _, Registry, Reputation, Role,
	},
	ledger::ContributionRecorder,
	Balance,
};
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use sp_core::{ed25519, H256};
use sp_runtime::{
	traits::{One, Saturating, Zero},
	transaction_validity::{
		TransactionPriority, TransactionSource, TransactionValidityWithRefund, ValidTransaction,
	},
	SaturatedConversion,
};

/// Commitments and reveals are relayed for free; they rank below operational transactions but above
/// ordinary ones, since a late report costs a worker its pay and a strike.
const REPORT_PRIORITY: TransactionPriority = TransactionPriority::MAX / 2;

/// Blocks between a job's inclusion and its assignment: the randomness of the block after the
/// one that included it was unknown to both the submitter and that block's author.
pub(crate) const ASSIGNMENT_DELAY: u32 = 2;

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

	/// Blocks from an assignment to the last reveal: the commit window and the reveal window.
	pub fn full_window(time_ms: u32) -> BlockNumberFor<T> {
		Self::result_window(time_ms).saturating_add(T::RevealWindow::get())
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
		// Assignment happens two blocks on at the earliest.
		let earliest = now
			.saturating_add(ASSIGNMENT_DELAY.into())
			.saturating_add(Self::full_window(limits.time_ms));
		ensure!(
			spec.deadline >= earliest && spec.deadline <= now.saturating_add(T::MaxDeadline::get()),
			Error::<T>::BadDeadline
		);
		let per_replica =
			spec.max_payment.checked_div(Balance::from(spec.replication)).unwrap_or(0);
		ensure!(per_replica >= network.price_floor, Error::<T>::PaymentBelowFloor);
		ensure!(JobCount::<T>::get(who) < T::MaxJobsPerUser::get(), Error::<T>::TooManyJobs);
		ensure!(
			PendingCount::<T>::get(who) < T::MaxPendingPerUser::get(),
			Error::<T>::TooManyPending
		);
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
		PendingCount::<T>::mutate(&who, |count| *count = count.saturating_add(1));
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
				revealing: false,
				attempts: 0,
				escrow,
				deposit,
				settled_at: None,
			},
		);
		Ok(())
	}

	pub(crate) fn do_cancel(id: JobId, mut job: JobOf<T>) {
		Self::leave_queue(id, &job);
		job.status = JobStatus::Cancelled;
		Self::deposit_event(Event::JobCancelled { id });
		Self::settle_if_done(id, &mut job);
		JobsById::<T>::insert(id, job);
	}

	/// Takes a pending job out of the queue and its deadline timer off the agenda.
	pub(crate) fn leave_queue(id: JobId, job: &JobOf<T>) {
		Queue::<T>::mutate(|queue| queue.retain(|queued| *queued != id));
		Self::leave_queue_counts(id, job);
	}

	/// The job and the slot of `worker`'s replica awaiting a commitment, if it is acceptable.
	pub(crate) fn check_commit(
		id: JobId,
		worker: &T::AccountId,
		commitment: &H256,
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
		let identity = job.replicas.get(slot).map(|r| r.identity).unwrap_or_default();
		let payload = commit_payload(&Self::genesis_hash(), id, commitment);
		ensure!(
			sp_io::crypto::ed25519_verify(
				&ed25519::Signature::from_raw(*signature),
				&payload,
				&ed25519::Public::from_raw(identity),
			),
			Error::<T>::BadSignature
		);
		Ok((job, slot))
	}

	/// The job and the slot of `worker`'s committed replica, if the reveal matches it.
	pub(crate) fn check_reveal(
		id: JobId,
		worker: &T::AccountId,
		output_hash: &H256,
		fuel_used: u64,
		salt: &[u8; 32],
	) -> Result<(JobOf<T>, usize), Error<T>> {
		let job = JobsById::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.status.accepts_results(), Error::<T>::NotAcceptingResults);
		ensure!(job.revealing, Error::<T>::NotRevealing);
		let now = Self::now();
		let slot = job
			.replicas
			.iter()
			.position(|replica| {
				replica.worker == *worker
					&& matches!(replica.state, ReplicaState::Committed { .. })
					&& now <= replica.expires_at
			})
			.ok_or(Error::<T>::NotCommitted)?;
		ensure!(fuel_used <= job.spec.limits.fuel, Error::<T>::FuelAboveLimit);
		let replica = job.replicas.get(slot).ok_or(Error::<T>::NotCommitted)?;
		let expected = result_commitment(id, &replica.identity, output_hash, fuel_used, salt);
		ensure!(
			replica.state == ReplicaState::Committed { commitment: expected },
			Error::<T>::CommitmentMismatch
		);
		Ok((job, slot))
	}

	/// The hash results are bound to, so a report cannot be replayed on another chain.
	pub fn genesis_hash() -> H256 {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	fn validity(
		tag: &[u8],
		id: JobId,
		worker: &T::AccountId,
		expires_at: BlockNumberFor<T>,
	) -> TransactionValidityWithRefund {
		let longevity: u64 = expires_at.saturating_sub(Self::now()).saturated_into::<u64>().max(1);
		let valid = ValidTransaction::with_tag_prefix("SmartnodesJobs")
			.priority(REPORT_PRIORITY)
			.and_provides((tag, id, worker))
			.longevity(longevity)
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	fn invalid(error: Error<T>) -> TransactionValidityWithRefund {
		Err(smartnodes_primitives::compute::pool_refusal(&error))
	}

	pub fn authorize_commit(
		_source: TransactionSource,
		id: &JobId,
		worker: &T::AccountId,
		commitment: &H256,
		signature: &Ed25519Signature,
	) -> TransactionValidityWithRefund {
		match Self::check_commit(*id, worker, commitment, signature) {
			Ok((job, slot)) => {
				let expires_at = job.replicas.get(slot).map(|r| r.expires_at).unwrap_or_default();
				Self::validity(b"commit", *id, worker, expires_at)
			},
			Err(error) => Self::invalid(error),
		}
	}

	pub fn authorize_reveal(
		_source: TransactionSource,
		id: &JobId,
		worker: &T::AccountId,
		output_hash: &H256,
		fuel_used: &u64,
		salt: &[u8; 32],
	) -> TransactionValidityWithRefund {
		match Self::check_reveal(*id, worker, output_hash, *fuel_used, salt) {
			Ok((job, slot)) => {
				let expires_at = job.replicas.get(slot).map(|r| r.expires_at).unwrap_or_default();
				Self::validity(b"reveal", *id, worker, expires_at)
			},
			Err(error) => Self::invalid(error),
		}
	}

	/// Records a checked commitment and returns the job's replica count (for the weight).
	pub(crate) fn do_commit(id: JobId, mut job: JobOf<T>, slot: usize, commitment: H256) -> u32 {
		let Some(replica) = job.replicas.get_mut(slot) else { return 0 };
		let worker = replica.worker.clone();
		replica.state = ReplicaState::Committed { commitment };
		Self::unload(&worker);
		Self::deposit_event(Event::ResultCommitted { id, worker });
		Self::open_reveal_if_ready(id, &mut job);
		let replicas = job.replicas.len() as u32;
		JobsById::<T>::insert(id, job);
		replicas
	}

	/// Opens the reveals once no replica still owes a commitment.
	pub(crate) fn open_reveal_if_ready(id: JobId, job: &mut JobOf<T>) {
		let committed =
			job.replicas.iter().any(|r| matches!(r.state, ReplicaState::Committed { .. }));
		if job.revealing
			|| !committed
			|| job.replicas.iter().any(|r| r.state == ReplicaState::Waiting)
		{
			return;
		}
		let until = Self::now().saturating_add(T::RevealWindow::get());
		for replica in job.replicas.iter_mut() {
			if matches!(replica.state, ReplicaState::Committed { .. }) {
				replica.expires_at = until;
			}
		}
		job.revealing = true;
		Agenda::<T>::insert(until.saturating_add(One::one()), id, ());
		Self::deposit_event(Event::RevealOpened { id, until });
	}

	/// Records a checked reveal and returns the job's replica count (for the weight) and
	/// whether it completed the job.
	pub(crate) fn do_reveal(
		id: JobId,
		mut job: JobOf<T>,
		slot: usize,
		output_hash: H256,
		fuel_used: u64,
	) -> (u32, bool) {
		let Some(replica) = job.replicas.get_mut(slot) else { return (0, false) };
		let worker = replica.worker.clone();
		replica.state = ReplicaState::Reported { output_hash, fuel_used };
		Assignments::<T>::remove(&worker, id);
		Self::deposit_event(Event::ResultReported { id, worker, output_hash, fuel_used });
		let completed = Self::evaluate(id, &mut job);
		let replicas = job.replicas.len() as u32;
		JobsById::<T>::insert(id, job);
		(replicas, completed)
	}

	pub(crate) fn unload(worker: &T::AccountId) {
		Load::<T>::mutate_exists(worker, decrement);
	}

	/// Resolves what the replicas' state allows: completion, verdicts on late replicas,
	/// failure, and settlement once nothing is running. Returns whether the job completed now.
	pub(crate) fn evaluate(id: JobId, job: &mut JobOf<T>) -> bool {
		let mut completed_now = false;
		if job.status == JobStatus::Running {
			let need = u32::from(job.spec.replication / 2).saturating_add(1);
			let mut groups: Vec<((H256, u64), u32)> = Vec::new();
			let mut running = 0u32;
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
					ReplicaState::Waiting | ReplicaState::Committed { .. } => {
						running.saturating_inc()
					},
					_ => {},
				}
			}
			let best = groups.iter().max_by_key(|(_, count)| *count).copied();
			match best {
				Some(((output_hash, fuel_used), count)) if count >= need => {
					job.status = JobStatus::Completed { output_hash, fuel_used };
					completed_now = true;
					Self::deposit_event(Event::JobCompleted { id, output_hash, fuel_used });
				},
				_ => {
					let best_count = best.map(|(_, count)| count).unwrap_or(0);
					if best_count.saturating_add(running) < need {
						let reason = if answered.saturating_add(running) < need {
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
			if completed_now {
				T::OnCompleted::on_completed(id);
			}
		}
		Self::settle_if_done(id, job);
		completed_now
	}
}

impl<T: Config> CompletedJobs<T::AccountId> for Pallet<T> {
	fn completed_job(id: JobId) -> Option<CompletedJob<T::AccountId>> {
		let job = JobsById::<T>::get(id)?;
		let JobStatus::Completed { output_hash, fuel_used } = job.status else { return None };
		Some(CompletedJob {
			id,
			network: job.spec.network,
			kind: job.spec.kind,
			code_hash: job.spec.code.hash,
			code_uri: job.spec.code.uri.to_vec(),
			input_hash: job.spec.input.hash,
			input_uri: job.spec.input.uri.to_vec(),
			limits: job.spec.limits,
			output_hash,
			fuel_used,
			workers: job
				.replicas
				.iter()
				.filter(|r| matches!(r.state, ReplicaState::Paid { .. }))
				.map(|r| r.worker.clone())
				.collect(),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_completed(id: JobId, owner: T::AccountId, workers: Vec<T::AccountId>) {
		use crate::{JobSpec, Replica, Resource};
		let uri = || BoundedVec::truncate_from(alloc::vec![b'u'; T::MaxUriLen::get() as usize]);
		let output_hash = H256::repeat_byte(3);
		let now = Self::now();
		let replicas = workers
			.into_iter()
			.map(|worker| Replica {
				worker,
				payout: Default::default(),
				identity: [0; 32],
				assigned_at: now,
				expires_at: now,
				state: ReplicaState::Paid { output_hash, amount: 1 },
			})
			.collect::<Vec<_>>();
		JobsById::<T>::insert(
			id,
			crate::Job {
				owner,
				spec: JobSpec {
					network: 0,
					kind: smartnodes_primitives::compute::JobKind::Wasm,
					code: Resource { hash: H256::repeat_byte(1), uri: uri() },
					input: Resource { hash: H256::repeat_byte(2), uri: uri() },
					replication: replicas.len() as u8,
					limits: T::MaxLimits::get(),
					deadline: now,
					max_payment: 0,
				},
				status: JobStatus::Completed { output_hash, fuel_used: 1 },
				submitted_at: now,
				replicas: BoundedVec::truncate_from(replicas),
				tried: BoundedVec::new(),
				revealing: true,
				attempts: 0,
				escrow: 0,
				deposit: 0,
				settled_at: Some(now),
			},
		);
	}
}

impl<T: Config> Pallet<T> {
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
		// Agreement between independently drawn workers is what verifies work: a single
		// replica is paid, but earns neither emission nor reputation, or a user could pay
		// itself to farm both.
		if job.spec.replication >= 2 && amount > 0 {
			T::Contributions::note_contribution(&replica.payout, amount);
			T::Reputation::note_success(Role::Worker, &worker);
		}
		Self::deposit_event(Event::WorkerPaid { id, worker, amount, fee });
	}

	/// Ends a job without a result; running replicas are released.
	pub(crate) fn fail(id: JobId, job: &mut JobOf<T>, reason: FailReason) {
		for replica in job.replicas.iter_mut() {
			match replica.state {
				ReplicaState::Waiting => {
					Self::unload(&replica.worker);
					Assignments::<T>::remove(&replica.worker, id);
					replica.state = ReplicaState::Released;
				},
				ReplicaState::Committed { .. } => {
					Assignments::<T>::remove(&replica.worker, id);
					replica.state = ReplicaState::Released
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
			|| job.replicas.iter().any(|replica| replica.state.is_running())
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
	/// as one) and no more than `budget` allows.
	pub(crate) fn do_run_agenda(now: BlockNumberFor<T>, budget: Weight) -> Weight {
		let db = T::DbWeight::get();
		let per_timer = T::WeightInfo::on_timer();
		let mut used = db.reads_writes(1, 1);
		let mut cursor = AgendaCursor::<T>::get();
		// Timers are only ever set in the future, so a chain that never ran one has none due.
		if cursor.is_zero() {
			cursor = now;
		}
		let mut count = T::MaxTimersPerBlock::get();
		while cursor <= now && count > 0 {
			// Room for one more timer and the read that finds it.
			if used.saturating_add(per_timer).saturating_add(db.reads(1)).any_gt(budget) {
				break;
			}
			used.saturating_accrue(db.reads(1));
			let Some(id) = Agenda::<T>::iter_key_prefix(cursor).next() else {
				cursor = cursor.saturating_add(One::one());
				count.saturating_dec();
				continue;
			};
			Agenda::<T>::remove(cursor, id);
			// The budget was checked against the heaviest timer; most are far lighter.
			used.saturating_accrue(Self::on_timer(id, now));
			count.saturating_dec();
		}
		AgendaCursor::<T>::put(cursor);
		used
	}

	/// Looks at job `id` when one of its timers is due; returns the weight it used.
	pub(crate) fn on_timer(id: JobId, now: BlockNumberFor<T>) -> Weight {
		let look = T::DbWeight::get().reads(1);
		let Some(mut job) = JobsById::<T>::get(id) else { return look };
		if let Some(settled_at) = job.settled_at {
			if now >= settled_at.saturating_add(T::Retention::get()) {
				Self::remove(id, job);
				return T::WeightInfo::remove_job();
			}
			return look;
		}
		if job.status == JobStatus::Pending {
			if now > job.spec.deadline {
				Self::leave_queue(id, &job);
				Self::fail(id, &mut job, FailReason::NotAssigned);
				Self::settle_if_done(id, &mut job);
				JobsById::<T>::insert(id, job);
				return T::WeightInfo::on_timer();
			}
			return look;
		}
		// Most timers find every replica on time (they committed or revealed early).
		if !job.replicas.iter().any(|r| r.is_late(job.revealing, &now)) {
			return look;
		}
		let replaceable = job.status == JobStatus::Running && !job.revealing;
		for slot in 0..job.replicas.len() {
			let Some(replica) = job.replicas.get_mut(slot) else { continue };
			if !replica.is_late(job.revealing, &now) {
				continue;
			}
			if replica.state == ReplicaState::Waiting {
				Self::unload(&replica.worker);
			}
			Assignments::<T>::remove(&replica.worker, id);
			replica.state = ReplicaState::Missed;
			let worker = replica.worker.clone();
			T::Reputation::note_fault(Role::Worker, &worker, Fault::MissedDeadline);
			Self::deposit_event(Event::ReplicaMissed { id, worker: worker.clone() });
			if replaceable {
				Self::reassign(id, &mut job, slot, worker, now);
			}
		}
		Self::open_reveal_if_ready(id, &mut job);
		Self::evaluate(id, &mut job);
		JobsById::<T>::insert(id, job);
		T::WeightInfo::on_timer()
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
		JobCount::<T>::mutate_exists(&job.owner, decrement);
		JobsById::<T>::remove(id);
		Self::deposit_event(Event::JobRemoved { id });
	}

	/// Invariants:
	/// - each user's escrow hold equals the escrow of its jobs, and its storage hold their
	///   deposits; a job's escrow never exceeds its payment;
	/// - a settled job has no running replica, a finished one (failed or cancelled) no
	///   running replica either; only running or completed jobs have replicas waiting;
	/// - the replicas of a job are distinct workers;
	/// - `Load` counts each worker's replicas that owe a commitment, `JobCount` each user's
	///   jobs, `PendingCount` each user's pending jobs; `Assignments` lists exactly the running
	///   replicas;
	/// - the queue holds exactly the pending jobs;
	/// - once reveals open, no replica owes a commitment.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{BTreeMap, BTreeSet};
		use frame_support::traits::fungible::InspectHold;
		let mut escrow: BTreeMap<T::AccountId, (Balance, Balance, u32)> = BTreeMap::new();
		let mut load: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut pending = BTreeSet::new();
		let mut pending_of: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut running = BTreeSet::new();
		for (id, job) in JobsById::<T>::iter() {
			let entry = escrow.entry(job.owner.clone()).or_default();
			entry.0 = entry.0.saturating_add(job.escrow);
			entry.1 = entry.1.saturating_add(job.deposit);
			entry.2.saturating_inc();
			ensure!(job.escrow <= job.spec.max_payment, "escrow above the payment");
			ensure!(JobsOf::<T>::contains_key(&job.owner, id), "job missing from its owner's");
			let waiting = job.replicas.iter().filter(|r| r.state.is_running()).count();
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
			for replica in job.replicas.iter().filter(|r| r.state.is_running()) {
				running.insert((replica.worker.clone(), id));
			}
			if job.status == JobStatus::Pending {
				pending.insert(id);
				let count = pending_of.entry(job.owner.clone()).or_default();
				count.saturating_inc();
			}
			ensure!(
				!job.revealing || !job.replicas.iter().any(|r| r.state == ReplicaState::Waiting),
				"a replica owes a commitment after the reveals opened"
			);
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
		let indexed: BTreeSet<(T::AccountId, JobId)> = Assignments::<T>::iter_keys().collect();
		ensure!(indexed == running, "Assignments is not the running replicas");
		let queued: BTreeSet<JobId> = Queue::<T>::get().into_iter().collect();
		ensure!(queued == pending, "the queue is not the pending jobs");
		ensure!(
			PendingCount::<T>::iter().count() == pending_of.len()
				&& pending_of.iter().all(|(who, count)| PendingCount::<T>::get(who) == *count),
			"PendingCount differs from the pending jobs"
		);
		Ok(())
	}
}

/// Takes one from a counter kept only while above zero.
pub(crate) fn decrement(count: &mut Option<u32>) {
	let left = count.unwrap_or(0).saturating_sub(1);
	*count = (left > 0).then_some(left);
}

impl<T: Config> smartnodes_primitives::compute::OpenWork<T::AccountId> for Pallet<T> {
	fn worker_load(worker: &T::AccountId) -> u32 {
		Load::<T>::get(worker)
	}
	fn user_jobs(user: &T::AccountId) -> u32 {
		JobCount::<T>::get(user)
	}
}
