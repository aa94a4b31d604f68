//! The rules of proposals and votes, and the period clock.

use crate::{
	pallet::*, EthSignature, OnRoundOutcome, Period, Proposal, RewardsLedger, Round, RoundOutcome,
	SigningSet, LOG_TARGET, PASSED_RETENTION,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{Get, Randomness},
};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	rewards::{recover_signer, threshold, RewardCommitment},
};
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedDiv, Saturating},
	transaction_validity::{TransactionSource, TransactionValidityWithRefund, ValidTransaction},
	SaturatedConversion,
};

/// A call that passed every check, with what its dispatch needs.
pub struct Checked<AccountId> {
	pub signer: AccountId,
	pub set_id: u64,
	pub members: Vec<(AccountId, EthAddress)>,
}

/// Proposers per round for a set of `size` validators (design: 1 below 2, 2 below 5, 3 below 10,
/// else 5), never more than the set.
pub fn proposers_for(size: u32) -> u32 {
	let wanted = match size {
		0..=1 => 1,
		2..=4 => 2,
		5..=9 => 3,
		_ => 5,
	};
	wanted.min(size)
}

impl<T: Config> Pallet<T> {
	/// The commitment of `period`'s table under the current Base target.
	pub fn commitment(period: Period, root: H256, total: u128, set_id: u64) -> RewardCommitment {
		let (chain_id, distributor) = BaseTarget::<T>::get();
		RewardCommitment { chain_id, distributor, period, root, total, validator_set_id: set_id }
	}

	fn open_round(period: Period) -> Result<RoundOf<T>, Error<T>> {
		let round = CurrentRound::<T>::get().ok_or(Error::<T>::NoOpenRound)?;
		ensure!(round.period == period, Error::<T>::WrongPeriod);
		ensure!(!Passed::<T>::contains_key(period), Error::<T>::AlreadyPassed);
		Ok(round)
	}

	fn signer_of(
		commitment: &RewardCommitment,
		signature: &EthSignature,
		members: &[(T::AccountId, EthAddress)],
	) -> Result<T::AccountId, Error<T>> {
		let address =
			recover_signer(&commitment.digest(), signature).ok_or(Error::<T>::BadSignature)?;
		members
			.iter()
			.find(|(_, a)| *a == address)
			.map(|(who, _)| who.clone())
			.ok_or(Error::<T>::NotInSet)
	}

	fn has_voted(period: Period, who: &T::AccountId, set_id: u64) -> bool {
		Voted::<T>::get(period, who).is_some_and(|(set, _)| set == set_id)
	}

	/// Every rule of `propose`, without writing anything.
	pub fn check_propose(
		period: Period,
		root: H256,
		total: u128,
		leaf_count: u32,
		signature: &EthSignature,
	) -> Result<Checked<T::AccountId>, Error<T>> {
		let round = Self::open_round(period)?;
		ensure!(!root.is_zero() && leaf_count > 0, Error::<T>::EmptyTable);
		let (lo, hi) = T::Rewards::total_bounds(period).ok_or(Error::<T>::NoOpenRound)?;
		ensure!(lo <= total && total <= hi, Error::<T>::TotalOutOfBounds);
		let (set_id, members) = T::Validators::signing_set();
		let commitment = Self::commitment(period, root, total, set_id);
		let signer = Self::signer_of(&commitment, signature, &members)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			round.proposers.contains(&signer) || now >= round.open_to_all_at,
			Error::<T>::NotProposer
		);
		ensure!(Proposed::<T>::get(period, &signer) != Some(set_id), Error::<T>::AlreadyProposed);
		ensure!(!Self::has_voted(period, &signer, set_id), Error::<T>::AlreadyVoted);
		ensure!(round.proposals < T::MaxValidators::get(), Error::<T>::TooManyProposals);
		let duplicate =
			(0..round.proposals).filter_map(|i| Proposals::<T>::get(period, i)).any(|p| {
				p.set_id == set_id
					&& p.root == root
					&& p.total == total
					&& p.leaf_count == leaf_count
			});
		ensure!(!duplicate, Error::<T>::DuplicateProposal);
		Ok(Checked { signer, set_id, members })
	}

	/// Every rule of `vote`, without writing anything.
	pub fn check_vote(
		period: Period,
		index: u32,
		signature: &EthSignature,
	) -> Result<Checked<T::AccountId>, Error<T>> {
		Self::open_round(period)?;
		let proposal = Proposals::<T>::get(period, index).ok_or(Error::<T>::UnknownProposal)?;
		let (set_id, members) = T::Validators::signing_set();
		ensure!(proposal.set_id == set_id, Error::<T>::StaleProposal);
		let commitment = Self::commitment(period, proposal.root, proposal.total, set_id);
		let signer = Self::signer_of(&commitment, signature, &members)?;
		ensure!(!Self::has_voted(period, &signer, set_id), Error::<T>::AlreadyVoted);
		Ok(Checked { signer, set_id, members })
	}

	/// Records a checked proposal with its proposer's vote; returns the set size.
	pub fn do_propose(
		checked: Checked<T::AccountId>,
		period: Period,
		root: H256,
		total: u128,
		leaf_count: u32,
		signature: EthSignature,
	) -> u32 {
		let Checked { signer, set_id, members } = checked;
		let Some(mut round) = CurrentRound::<T>::get() else { return 0 };
		let index = round.proposals;
		round.proposals = index.saturating_add(1);
		CurrentRound::<T>::put(round);
		let proposal: ProposalOf<T> = Proposal {
			proposer: signer.clone(),
			root,
			total,
			leaf_count,
			set_id,
			votes: BoundedVec::truncate_from(alloc::vec![(signer.clone(), signature)]),
		};
		Proposals::<T>::insert(period, index, &proposal);
		Proposed::<T>::insert(period, &signer, set_id);
		Voted::<T>::insert(period, &signer, (set_id, index));
		Self::deposit_event(Event::Proposed { period, index, proposer: signer, root, total });
		Self::pass_if_carried(period, proposal, &members);
		members.len() as u32
	}

	/// Records a checked vote; returns the set size.
	pub fn do_vote(
		checked: Checked<T::AccountId>,
		period: Period,
		index: u32,
		signature: EthSignature,
	) -> u32 {
		let Checked { signer, set_id, members } = checked;
		let Some(mut proposal) = Proposals::<T>::get(period, index) else { return 0 };
		// Bounded by the set: every voter is a distinct member.
		if proposal.votes.try_push((signer.clone(), signature)).is_err() {
			log::error!(target: LOG_TARGET, "more votes than members in period {period}");
			return members.len() as u32;
		}
		Proposals::<T>::insert(period, index, &proposal);
		Voted::<T>::insert(period, &signer, (set_id, index));
		Self::deposit_event(Event::Voted {
			period,
			index,
			voter: signer,
			votes: proposal.votes.len() as u32,
		});
		Self::pass_if_carried(period, proposal, &members);
		members.len() as u32
	}

	fn pass_if_carried(
		period: Period,
		proposal: ProposalOf<T>,
		members: &[(T::AccountId, EthAddress)],
	) {
		if (proposal.votes.len() as u32) < threshold(members.len() as u32) {
			return;
		}
		let address_of = |who: &T::AccountId| {
			members.iter().find(|(m, _)| m == who).map(|(_, a)| *a).unwrap_or_default()
		};
		let signers: Vec<EthAddress> = proposal.votes.iter().map(|(v, _)| address_of(v)).collect();
		// Rewards go where each validator asked, or to its bridge key's address.
		let payout_of = |who: &T::AccountId| {
			T::Validators::reward_address(who).unwrap_or_else(|| address_of(who))
		};
		let payouts: Vec<EthAddress> = proposal.votes.iter().map(|(v, _)| payout_of(v)).collect();
		let commitment = Self::commitment(period, proposal.root, proposal.total, proposal.set_id);
		let now = frame_system::Pallet::<T>::block_number();
		let update: PassedUpdateOf<T> = crate::PassedUpdate {
			commitment,
			leaf_count: proposal.leaf_count,
			proposer: proposal.proposer.clone(),
			signatures: BoundedVec::truncate_from(
				proposal.votes.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
			),
			signers: BoundedVec::truncate_from(signers.clone()),
			passed_at: now,
		};
		Passed::<T>::insert(period, &update);
		LastPassed::<T>::put(period);
		if let Some(old) = period.checked_sub(PASSED_RETENTION) {
			Passed::<T>::remove(old);
		}
		T::Rewards::on_passed(period, proposal.total, &payouts, &payout_of(&proposal.proposer));
		for (member, _) in members {
			let voted = proposal.votes.iter().any(|(v, _)| v == member);
			let outcome = if *member == proposal.proposer {
				RoundOutcome::Proposed
			} else if voted {
				RoundOutcome::Voted
			} else {
				RoundOutcome::Missed
			};
			Participations::<T>::mutate(member, |p| match outcome {
				RoundOutcome::Missed => p.missed = p.missed.saturating_add(1),
				_ => {
					if outcome == RoundOutcome::Proposed {
						p.proposed = p.proposed.saturating_add(1);
					}
					p.voted = p.voted.saturating_add(1);
					p.last_active = period;
				},
			});
			T::OnRoundOutcome::note(member, outcome);
		}
		Self::deposit_event(Event::RewardRootFinalized {
			period,
			root: proposal.root,
			total: proposal.total,
			validator_set_id: proposal.set_id,
			signatures: proposal.votes.len() as u32,
		});
	}

	/// Closes the accruing period and opens its round; returns the set size.
	pub fn do_close_period(now: BlockNumberFor<T>) -> u32 {
		if let Some(round) = CurrentRound::<T>::get() {
			if !Passed::<T>::contains_key(round.period) {
				T::Rewards::on_superseded(round.period);
				Self::deposit_event(Event::RoundSuperseded { period: round.period });
			}
			// The round before the one just ended can no longer be voted on or read by the
			// off-chain workers: its proposals and marks go (at most one each per member).
			if let Some(old) = round.period.checked_sub(1) {
				let limit = T::MaxValidators::get();
				let _ = Proposals::<T>::clear_prefix(old, limit, None);
				let _ = Proposed::<T>::clear_prefix(old, limit, None);
				let _ = Voted::<T>::clear_prefix(old, limit, None);
			}
		}
		let period = T::Rewards::close_period();
		let interval = StateUpdateInterval::<T>::get();
		let (_, members) = T::Validators::signing_set();
		let proposers = Self::draw_proposers(period, &members);
		// The period started `interval` before `now`; 1.25 x the interval from its start is a
		// quarter interval from now.
		let quarter = interval.checked_div(&4u32.into()).unwrap_or_default();
		CurrentRound::<T>::put(Round {
			period,
			opened_at: now,
			open_to_all_at: now.saturating_add(quarter),
			proposers: BoundedVec::truncate_from(proposers.clone()),
			proposals: 0,
		});
		NextPeriodEnd::<T>::put(now.saturating_add(interval));
		Self::deposit_event(Event::RoundOpened { period, proposers });
		members.len() as u32
	}

	/// Draws the round's proposers: validators that voted a table through in the last 3 rounds
	/// first, each group in an order fixed by the randomness.
	pub fn draw_proposers(
		period: Period,
		members: &[(T::AccountId, EthAddress)],
	) -> Vec<T::AccountId> {
		let (seed, _) = T::Randomness::random(&(b"smartnodes/proposers", period).encode());
		let mut ranked: Vec<(bool, [u8; 32], T::AccountId)> = members
			.iter()
			.map(|(who, _)| {
				let last = Participations::<T>::get(who).last_active;
				let recent = last > 0 && last.saturating_add(3) >= period;
				let key = sp_io::hashing::blake2_256(&(seed, who).encode());
				(!recent, key, who.clone())
			})
			.collect();
		ranked.sort();
		let count = proposers_for(members.len() as u32) as usize;
		ranked.into_iter().take(count).map(|(_, _, who)| who).collect()
	}

	fn validity(
		tag: &[u8],
		period: Period,
		signer: &T::AccountId,
	) -> TransactionValidityWithRefund {
		let longevity: u64 = StateUpdateInterval::<T>::get().saturated_into::<u64>().max(1);
		let valid = ValidTransaction::with_tag_prefix("SmartnodesCoordinator")
			.priority(T::UnsignedPriority::get())
			.and_provides((tag, period, signer))
			.longevity(longevity)
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	fn invalid(error: Error<T>) -> TransactionValidityWithRefund {
		Err(smartnodes_primitives::compute::pool_refusal(&error))
	}

	pub fn authorize_propose(
		_source: TransactionSource,
		period: &Period,
		root: &H256,
		total: &u128,
		leaf_count: &u32,
		signature: &EthSignature,
	) -> TransactionValidityWithRefund {
		match Self::check_propose(*period, *root, *total, *leaf_count, signature) {
			Ok(checked) => Self::validity(b"propose", *period, &checked.signer),
			Err(e) => Self::invalid(e),
		}
	}

	pub fn authorize_vote(
		_source: TransactionSource,
		period: &Period,
		index: &u32,
		signature: &EthSignature,
	) -> TransactionValidityWithRefund {
		match Self::check_vote(*period, *index, signature) {
			Ok(checked) => Self::validity(b"vote", *period, &checked.signer),
			Err(e) => Self::invalid(e),
		}
	}

	/// Invariants:
	/// - a period passes at most once, and `LastPassed` is the latest passed period;
	/// - passed totals never decrease, and every passed update carries at least 2/3 of its set's
	///   signatures, each recovering to the signer recorded beside it;
	/// - the open round has at most `MaxValidators` proposals, each voted at most once per member.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut passed: Vec<(Period, PassedUpdateOf<T>)> = Passed::<T>::iter().collect();
		passed.sort_by_key(|(p, _)| *p);
		ensure!(
			passed.last().map(|(p, _)| *p) == LastPassed::<T>::get(),
			"LastPassed is not the latest passed period"
		);
		let mut previous_total = 0u128;
		for (period, update) in &passed {
			ensure!(update.commitment.period == *period, "a passed update names another period");
			ensure!(update.commitment.total >= previous_total, "a passed total decreased");
			previous_total = update.commitment.total;
			ensure!(update.signatures.len() == update.signers.len(), "signers do not match");
			let digest = update.commitment.digest();
			for (signature, signer) in update.signatures.iter().zip(update.signers.iter()) {
				ensure!(
					recover_signer(&digest, signature) == Some(*signer),
					"a stored signature does not recover to its signer"
				);
			}
			let mut distinct = update.signers.to_vec();
			distinct.sort();
			distinct.dedup();
			ensure!(distinct.len() == update.signers.len(), "a signer signed twice");
		}
		if let Some(round) = CurrentRound::<T>::get() {
			ensure!(round.proposals <= T::MaxValidators::get(), "too many proposals");
			for i in 0..round.proposals {
				let proposal =
					Proposals::<T>::get(round.period, i).ok_or("a proposal is missing")?;
				let mut voters: Vec<_> = proposal.votes.iter().map(|(v, _)| v.clone()).collect();
				voters.sort();
				voters.dedup();
				ensure!(voters.len() == proposal.votes.len(), "a validator voted twice");
			}
		}
		Ok(())
	}
}
