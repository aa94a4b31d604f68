//! The pallet's logic: the calls in `lib.rs` check their origin and arguments and then call
//! these functions, and so do other pallets through [`Reputation`].

use crate::{pallet::*, Fault, Record, RecordOf, Role, Score, MAX_SCORE};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::compute::{OnBlacklist, Reputation};
use sp_runtime::traits::{CheckedDiv, Saturating, UniqueSaturatedInto, Zero};

impl<T: Config> Pallet<T> {
	/// The standing of `who` in `role` now, decay applied; a party never seen stands at
	/// `InitialScore`. This is also the record every write starts from.
	pub fn standing(role: Role, who: &T::AccountId) -> RecordOf<T> {
		let now = frame_system::Pallet::<T>::block_number();
		match Records::<T>::get(role, who) {
			Some(record) => Self::decayed(record, now),
			None => Record::new(T::InitialScore::get(), now),
		}
	}

	/// Whether `who` is blacklisted in `role` (a blacklist does not decay).
	pub(crate) fn blacklisted(role: Role, who: &T::AccountId) -> bool {
		Records::<T>::get(role, who).is_some_and(|record| record.is_blacklisted())
	}

	/// `record` as of `now`: for each whole `DecayPeriod` elapsed since its `updated_at`, the
	/// score moves `DecayStep` toward `InitialScore` without passing it, and one strike is
	/// forgiven unless the party is blacklisted. `updated_at` advances by whole periods only,
	/// so the part of a period already elapsed still counts toward the next.
	pub(crate) fn decayed(mut record: RecordOf<T>, now: BlockNumberFor<T>) -> RecordOf<T> {
		let period = T::DecayPeriod::get();
		let elapsed = now.saturating_sub(record.updated_at);
		let periods = elapsed.checked_div(&period).unwrap_or_else(Zero::zero);
		if periods.is_zero() {
			return record;
		}
		// More periods than fit in a u32 move any score all the way and forgive any strikes.
		let whole: u32 = periods.unique_saturated_into();
		let step = whole.saturating_mul(T::DecayStep::get());
		let initial = T::InitialScore::get();
		record.score = if record.score > initial {
			record.score.saturating_sub(step).max(initial)
		} else {
			record.score.saturating_add(step).min(initial)
		};
		if !record.is_blacklisted() {
			record.strikes = record.strikes.saturating_sub(whole);
		}
		record.updated_at = record.updated_at.saturating_add(periods.saturating_mul(period));
		record
	}

	/// Credits `who` with a verified piece of work. No event: this happens for every job.
	pub(crate) fn do_note_success(role: Role, who: &T::AccountId) {
		let mut record = Self::standing(role, who);
		record.score = record.score.saturating_add(T::SuccessReward::get()).min(MAX_SCORE);
		record.successes = record.successes.saturating_add(1);
		Records::<T>::insert(role, who, record);
	}

	/// Strikes `who` for `fault`, and blacklists it if that brings its strikes to
	/// `StrikeLimit` or its score to 0. Returns whether this strike blacklisted it.
	pub(crate) fn do_note_fault(role: Role, who: &T::AccountId, fault: Fault) -> bool {
		let mut record = Self::standing(role, who);
		record.score = record.score.saturating_sub(T::FaultPenalty::get());
		record.strikes = record.strikes.saturating_add(1);
		record.faults = record.faults.saturating_add(1);
		Self::deposit_event(Event::Struck {
			role,
			who: who.clone(),
			fault,
			score: record.score,
			strikes: record.strikes,
		});
		let due = !record.is_blacklisted()
			&& (record.strikes >= T::StrikeLimit::get() || record.score.is_zero());
		if due {
			Self::do_blacklist(role, who, record);
		} else {
			Records::<T>::insert(role, who, record);
		}
		due
	}

	/// Blacklists `who` in `role` with its current `record` (decay applied, not yet
	/// blacklisted). The record is stored before `OnBlacklist` is told, so the hook sees the
	/// party blacklisted.
	pub(crate) fn do_blacklist(role: Role, who: &T::AccountId, mut record: RecordOf<T>) {
		record.blacklisted_at = Some(frame_system::Pallet::<T>::block_number());
		Records::<T>::insert(role, who, record);
		Self::deposit_event(Event::Blacklisted {
			role,
			who: who.clone(),
			strikes: record.strikes,
			score: record.score,
		});
		T::OnBlacklist::blacklisted(role, who);
	}

	/// Lifts the blacklist of `who` in `role`: it starts again at `InitialScore` with no
	/// strikes, keeping its history of successes and faults.
	pub(crate) fn do_pardon(role: Role, who: &T::AccountId) {
		let mut record = Self::standing(role, who);
		record.blacklisted_at = None;
		record.strikes = 0;
		record.score = T::InitialScore::get();
		Records::<T>::insert(role, who, record);
		Self::deposit_event(Event::Pardoned { role, who: who.clone() });
		T::OnBlacklist::pardoned(role, who);
	}

	/// Invariants of every stored record:
	/// - its score is at most `MAX_SCORE`;
	/// - unless blacklisted, it has fewer than `StrikeLimit` strikes and a positive score (the
	///   fault that reached either limit would have blacklisted it);
	/// - it was neither updated nor blacklisted in the future.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		for (_, _, record) in Records::<T>::iter() {
			ensure!(record.score <= MAX_SCORE, "score above MAX_SCORE");
			if !record.is_blacklisted() {
				ensure!(
					record.strikes < T::StrikeLimit::get(),
					"strikes at the limit without a blacklist"
				);
				ensure!(record.score > 0, "score of 0 without a blacklist");
			}
			ensure!(record.blacklisted_at.is_none_or(|at| at <= now), "blacklisted in the future");
			ensure!(record.updated_at <= now, "updated in the future");
		}
		Ok(())
	}
}

impl<T: Config> Reputation<T::AccountId> for Pallet<T> {
	fn score(role: Role, who: &T::AccountId) -> Score {
		Self::standing(role, who).score
	}

	fn is_blacklisted(role: Role, who: &T::AccountId) -> bool {
		Self::blacklisted(role, who)
	}

	fn note_success(role: Role, who: &T::AccountId) {
		Self::do_note_success(role, who)
	}

	fn note_fault(role: Role, who: &T::AccountId, fault: Fault) -> bool {
		Self::do_note_fault(role, who, fault)
	}
}
