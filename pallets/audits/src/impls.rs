//! The pallet's logic: drawing audits, checking and applying reports, expiring audits.

use crate::{
	audit_digest, challenges_digest, pallet::*, Audit, AuditOutcome, EthSignature, Round, Source,
	WeightInfo, LOG_TARGET, SAMPLE_DELAY,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{
		pool_refusal, CompletedJobs, Fault, JobId, OnJobCompleted, Registry, Reputation, Role,
	},
	ledger::{ContributionRecorder, SigningSet},
	rewards::recover_signer,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	transaction_validity::{TransactionSource, TransactionValidityWithRefund, ValidTransaction},
	SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn genesis_hash() -> H256 {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// A number from `seed`'s bytes at `offset` (4 bytes, little-endian).
	fn word(seed: &H256, offset: usize) -> u32 {
		let mut bytes = [0u8; 4];
		if let Some(slice) = seed.as_bytes().get(offset..offset.saturating_add(4)) {
			bytes.copy_from_slice(slice);
		}
		u32::from_le_bytes(bytes)
	}

	/// Draws, among the jobs that completed `SAMPLE_DELAY` blocks ago, those to audit.
	pub(crate) fn do_sample(now: BlockNumberFor<T>) -> Weight {
		let jobs = Sampling::<T>::take(now);
		if jobs.is_empty() {
			return T::DbWeight::get().reads_writes(1, 0);
		}
		let rate = AuditRate::<T>::get();
		let (_, set) = T::Validators::signing_set();
		for id in &jobs {
			let (seed, _) = T::Randomness::random(&(b"smartnodes:audit", id).encode());
			if Self::word(&seed, 0).checked_rem(1_000_000).unwrap_or(0) >= rate.deconstruct() {
				continue;
			}
			if let Some(audit) = Self::draw_auditor(*id, &seed, &set, now) {
				Self::open(*id, audit);
			}
		}
		T::WeightInfo::sample(jobs.len() as u32)
	}

	/// The audit of job `id` by a validator of `set` drawn with `seed`, skipping those a paid
	/// worker is attached to; `None` if the job is gone, the queue is full or nobody is left.
	fn draw_auditor(
		id: JobId,
		seed: &H256,
		set: &[(T::AccountId, EthAddress)],
		now: BlockNumberFor<T>,
	) -> Option<crate::AuditOf<T>> {
		if AuditQueue::<T>::decode_len().unwrap_or(0) >= T::MaxOpenAudits::get() as usize {
			log::warn!(target: LOG_TARGET, "job {id}: not audited, MaxOpenAudits reached");
			return None;
		}
		let job = T::Jobs::completed_job(id)?;
		let attached: Vec<T::AccountId> =
			job.workers.iter().filter_map(T::Registry::worker).map(|t| t.validator).collect();
		let candidates: Vec<&(T::AccountId, EthAddress)> =
			set.iter().filter(|(v, _)| !attached.contains(v)).collect();
		let len = u32::try_from(candidates.len()).ok().filter(|l| *l > 0)?;
		let (auditor, auditor_key) =
			(*candidates.get(Self::word(seed, 4).checked_rem(len)? as usize)?).clone();
		Some(Audit {
			auditor,
			auditor_key,
			due: now.saturating_add(T::AuditWindow::get()),
			kind: job.kind,
			code: Source { hash: job.code_hash, uri: BoundedVec::truncate_from(job.code_uri) },
			input: Source { hash: job.input_hash, uri: BoundedVec::truncate_from(job.input_uri) },
			limits: job.limits,
			output_hash: job.output_hash,
			fuel_used: job.fuel_used,
			workers: BoundedVec::truncate_from(job.workers),
		})
	}

	pub(crate) fn open(id: JobId, audit: crate::AuditOf<T>) {
		let pushed = AuditQueue::<T>::mutate(|queue| queue.try_push((audit.due, id)).is_ok());
		if !pushed {
			return;
		}
		AuditsOf::<T>::insert(&audit.auditor, id, ());
		Self::deposit_event(Event::AuditOpened {
			job: id,
			auditor: audit.auditor.clone(),
			due: audit.due,
		});
		OpenAudits::<T>::insert(id, audit);
	}

	/// Expires the audits whose window has passed, oldest first, at most
	/// `MaxExpiriesPerBlock`.
	pub(crate) fn do_expire(now: BlockNumberFor<T>) -> Weight {
		let mut queue = AuditQueue::<T>::get();
		let due = queue
			.iter()
			.take(T::MaxExpiriesPerBlock::get() as usize)
			.take_while(|(due, _)| *due < now)
			.count();
		if due == 0 {
			return T::DbWeight::get().reads(1);
		}
		for (_, id) in queue.drain(..due) {
			if let Some(audit) = OpenAudits::<T>::take(id) {
				AuditsOf::<T>::remove(&audit.auditor, id);
				Self::deposit_event(Event::AuditExpired { job: id, auditor: audit.auditor });
			}
		}
		AuditQueue::<T>::put(queue);
		T::WeightInfo::expire(due as u32)
	}

	/// Every rule of `report_audit`, without writing anything.
	pub(crate) fn check_audit(
		job: JobId,
		outcome: &AuditOutcome,
		signature: &EthSignature,
	) -> Result<crate::AuditOf<T>, Error<T>> {
		let audit = OpenAudits::<T>::get(job).ok_or(Error::<T>::UnknownAudit)?;
		let digest = audit_digest(&Self::genesis_hash(), job, outcome);
		ensure!(
			recover_signer(&digest, signature) == Some(audit.auditor_key),
			Error::<T>::BadSignature
		);
		Ok(audit)
	}

	pub(crate) fn do_report_audit(job: JobId, audit: crate::AuditOf<T>, outcome: AuditOutcome) {
		OpenAudits::<T>::remove(job);
		AuditsOf::<T>::remove(&audit.auditor, job);
		let auditor = audit.auditor;
		let agreed = (audit.output_hash, audit.fuel_used);
		let event = match outcome {
			AuditOutcome::Reproduced { output_hash, fuel_used }
				if (output_hash, fuel_used) == agreed =>
			{
				Event::AuditPassed { job, auditor }
			},
			AuditOutcome::Reproduced { output_hash, fuel_used } => {
				for worker in &audit.workers {
					T::Reputation::note_fault(Role::Worker, worker, Fault::WrongResult);
				}
				Event::AuditFailed {
					job,
					auditor,
					agreed,
					reproduced: (output_hash, fuel_used),
					struck: audit.workers.into_inner(),
				}
			},
			AuditOutcome::Unavailable => Event::AuditInconclusive { job, auditor },
		};
		Self::deposit_event(event);
	}

	/// Every rule of `report_challenges`, without writing anything; returns the payout address
	/// of each reported worker.
	pub(crate) fn check_challenges(
		validator: &T::AccountId,
		round: Round,
		outcomes: &[(T::AccountId, bool)],
		signature: &EthSignature,
	) -> Result<Vec<EthAddress>, Error<T>> {
		let current = Self::current_round().ok_or(Error::<T>::ChallengesOff)?;
		ensure!(round == current || round.saturating_add(1) == current, Error::<T>::WrongRound);
		ensure!(!outcomes.is_empty(), Error::<T>::EmptyReport);
		let (_, set) = T::Validators::signing_set();
		let (_, key) = set.iter().find(|(v, _)| v == validator).ok_or(Error::<T>::NotInSet)?;
		let digest = challenges_digest(&Self::genesis_hash(), validator, round, outcomes);
		ensure!(recover_signer(&digest, signature) == Some(*key), Error::<T>::BadSignature);
		let mut payouts = Vec::with_capacity(outcomes.len());
		for (i, (worker, _)) in outcomes.iter().enumerate() {
			let terms = T::Registry::worker(worker).ok_or(Error::<T>::NotAttached)?;
			ensure!(terms.validator == *validator, Error::<T>::NotAttached);
			ensure!(
				LastChallenged::<T>::get(worker).is_none_or(|last| last < round)
					&& !outcomes.iter().take(i).any(|(w, _)| w == worker),
				Error::<T>::AlreadyChallenged
			);
			payouts.push(terms.payout);
		}
		Ok(payouts)
	}

	pub(crate) fn do_report_challenges(
		validator: T::AccountId,
		round: Round,
		outcomes: crate::ChallengeOutcomesOf<T>,
		payouts: Vec<EthAddress>,
	) {
		let (mut passed, mut failed) = (0u32, 0u32);
		for ((worker, ok), payout) in outcomes.into_iter().zip(payouts) {
			LastChallenged::<T>::insert(&worker, round);
			if ok {
				passed.saturating_inc();
				T::Contributions::note_contribution(&payout, T::ChallengeCredit::get());
			} else {
				failed.saturating_inc();
				T::Reputation::note_fault(Role::Worker, &worker, Fault::FailedChallenge);
				Self::deposit_event(Event::ChallengeFailed {
					worker,
					validator: validator.clone(),
					round,
				});
			}
		}
		Self::deposit_event(Event::ChallengesReported { validator, round, passed, failed });
	}

	/// Notes job `id` for the draw at block `at`.
	pub(crate) fn note_completed_at(at: BlockNumberFor<T>, id: JobId) {
		if Sampling::<T>::mutate(at, |jobs| jobs.try_push(id)).is_err() {
			log::warn!(target: LOG_TARGET, "job {id}: not considered for audit, block full");
		}
	}

	/// The challenge round at this block, or `None` while challenges are off.
	pub fn current_round() -> Option<Round> {
		let period: u32 = ChallengePeriod::<T>::get().saturated_into();
		let now: u32 = frame_system::Pallet::<T>::block_number().saturated_into();
		now.checked_div(period)
	}

	fn validity(tag: (&[u8], Vec<u8>), longevity: u64) -> TransactionValidityWithRefund {
		let valid = ValidTransaction::with_tag_prefix("SmartnodesAudits")
			.priority(T::UnsignedPriority::get())
			.and_provides(tag)
			.longevity(longevity.max(1))
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	pub fn authorize_audit(
		_source: TransactionSource,
		job: &JobId,
		outcome: &AuditOutcome,
		signature: &EthSignature,
	) -> TransactionValidityWithRefund {
		match Self::check_audit(*job, outcome, signature) {
			Ok(audit) => {
				let now = frame_system::Pallet::<T>::block_number();
				let left: u64 = audit.due.saturating_sub(now).saturated_into();
				Self::validity((b"audit", job.encode()), left.saturating_add(1))
			},
			Err(error) => Err(pool_refusal(&error)),
		}
	}

	pub fn authorize_challenges(
		_source: TransactionSource,
		validator: &T::AccountId,
		round: &Round,
		outcomes: &crate::ChallengeOutcomesOf<T>,
		signature: &EthSignature,
	) -> TransactionValidityWithRefund {
		match Self::check_challenges(validator, *round, outcomes, signature) {
			Ok(_) => {
				let first = outcomes.first().map(|(w, _)| w);
				let period: u64 = ChallengePeriod::<T>::get().saturated_into();
				Self::validity((b"challenges", (validator, round, first).encode()), period)
			},
			Err(error) => Err(pool_refusal(&error)),
		}
	}

	/// Invariants:
	/// - `AuditsOf` lists exactly the open audits, under their auditors;
	/// - every open audit is in the queue, which is ordered by due block;
	/// - no sampling is pending for a past block.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let queue = AuditQueue::<T>::get();
		ensure!(
			queue.windows(2).all(|w| w.first().map(|a| a.0) <= w.get(1).map(|b| b.0)),
			"the audit queue is not ordered by due block"
		);
		let mut open = 0usize;
		for (id, audit) in OpenAudits::<T>::iter() {
			open = open.saturating_add(1);
			ensure!(
				AuditsOf::<T>::contains_key(&audit.auditor, id),
				"an audit missing from AuditsOf"
			);
			ensure!(queue.iter().any(|(_, j)| *j == id), "an open audit missing from the queue");
		}
		ensure!(AuditsOf::<T>::iter_keys().count() == open, "AuditsOf lists a closed audit");
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(Sampling::<T>::iter_keys().all(|at| at > now), "a sampling left behind");
		Ok(())
	}
}

impl<T: Config> OnJobCompleted for Pallet<T> {
	fn on_completed(id: JobId) {
		if AuditRate::<T>::get().is_zero() {
			return;
		}
		let at = frame_system::Pallet::<T>::block_number().saturating_add(SAMPLE_DELAY.into());
		Self::note_completed_at(at, id);
	}

	/// Reading the rate, noting the job, and its share of the draw two blocks later.
	fn weight() -> Weight {
		T::DbWeight::get()
			.reads(1)
			.saturating_add(T::WeightInfo::note_completed())
			.saturating_add(T::WeightInfo::sample(1))
	}
}
