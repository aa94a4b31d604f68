//! The bridge pallet's logic: set-update signatures, attestations and their application,
//! withdrawals, supply counting.

use crate::{
	pallet::*, BridgeTotals, Candidate, DecisionHandler, RefundReason, SetUpdate, WeightInfo,
	LOG_TARGET,
};
use alloc::vec::Vec;
use codec::Decode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{self, Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Imbalance, OnUnbalanced,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use smartnodes_primitives::{
	bridge_key::{EthAddress, EthSignature},
	inbound::{BaseEvent, Decision, Deposit, Source},
	ledger::{BaseTransfers, OnBridgeSetQueued, SigningSet},
	rewards::{recover_signer, threshold, validator_set_digest},
	Balance,
};
use sp_core::H256;
use sp_runtime::{
	traits::Zero,
	transaction_validity::{TransactionSource, TransactionValidityWithRefund, ValidTransaction},
};

/// Blocks a signature or attestation stays valid in the pool.
const LONGEVITY: u64 = 64;

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, which attestations are bound to.
	pub fn genesis_hash() -> H256 {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The digest the signing set signs for update `set_id`.
	pub fn set_update_digest(set_id: u64, update: &SetUpdateOf<T>) -> H256 {
		let (chain_id, distributor) = T::Target::get();
		validator_set_digest(chain_id, &distributor, set_id, &update.validators)
	}

	pub(crate) fn check_sign_set_update(
		set_id: u64,
		signature: &EthSignature,
	) -> Result<(SetUpdateOf<T>, EthAddress), Error<T>> {
		let update = SetUpdates::<T>::get(set_id).ok_or(Error::<T>::UnknownSetUpdate)?;
		ensure!(!update.is_complete(), Error::<T>::SetUpdateComplete);
		let digest = Self::set_update_digest(set_id, &update);
		let signer = recover_signer(&digest, signature).ok_or(Error::<T>::BadSignature)?;
		ensure!(update.signer_set.contains(&signer), Error::<T>::NotSigner);
		ensure!(!update.signatures.iter().any(|(s, _)| *s == signer), Error::<T>::AlreadySigned);
		Ok((update, signer))
	}

	pub(crate) fn do_sign_set_update(
		set_id: u64,
		mut update: SetUpdateOf<T>,
		signer: EthAddress,
		signature: EthSignature,
	) {
		// Below the threshold, which is at most the signing set's size.
		let _ = update.signatures.try_push((signer, signature));
		let signatures = update.signatures.len() as u32;
		let complete = update.is_complete();
		SetUpdates::<T>::insert(set_id, update);
		Self::deposit_event(Event::SetUpdateSigned { set_id, signer, signatures });
		if complete {
			Self::deposit_event(Event::SetUpdateReady { set_id });
		}
	}

	/// Records `next` as queued, to be signed by `signers`, and drops the update that falls out
	/// of `SetUpdatesKept`.
	pub(crate) fn queue_set_update(signers: (u64, &[EthAddress]), next: (u64, &[EthAddress])) {
		let (set_id, validators) = next;
		let (signer_set_id, signer_set) = signers;
		if set_id != signer_set_id.saturating_add(1) {
			log::error!(
				target: LOG_TARGET,
				"set {set_id} queued with set {signer_set_id} in office; not signing it",
			);
			return;
		}
		let update = SetUpdate {
			validators: BoundedVec::truncate_from(validators.to_vec()),
			signer_set: BoundedVec::truncate_from(signer_set.to_vec()),
			signatures: BoundedVec::new(),
		};
		SetUpdates::<T>::insert(set_id, update);
		LatestSetUpdate::<T>::mutate(|latest| *latest = (*latest).max(set_id));
		if let Some(old) = set_id.checked_sub(T::SetUpdatesKept::get().into()) {
			SetUpdates::<T>::remove(old);
		}
		Self::deposit_event(Event::SetUpdateQueued {
			set_id,
			signer_set_id,
			validators: validators.len() as u32,
		});
	}

	/// The signer of an attestation, if the event can still be attested by it.
	pub(crate) fn check_attest(
		event: &BaseEvent,
		signature: &EthSignature,
	) -> Result<T::AccountId, Error<T>> {
		let source = event.source();
		let nonce = event.nonce();
		let next = NextNonce::<T>::get(source);
		ensure!(nonce >= next, Error::<T>::AlreadyApplied);
		ensure!(
			nonce < next.saturating_add(T::MaxPendingEvents::get().into()),
			Error::<T>::TooFarAhead
		);
		ensure!(!Ready::<T>::contains_key(source, nonce), Error::<T>::AlreadyAgreed);
		let digest = event.digest(&Self::genesis_hash());
		let signer = recover_signer(&digest, signature).ok_or(Error::<T>::BadSignature)?;
		let (_, members) = T::Validators::signing_set();
		let who = members
			.iter()
			.find(|(_, address)| *address == signer)
			.map(|(who, _)| who.clone())
			.ok_or(Error::<T>::NotValidator)?;
		// A validator may change its attestation (its Base node saw a reorg), not repeat it;
		// unless the votes already cast suffice (the set shrank), when repeating it applies it.
		let candidates = Attestations::<T>::get(source, nonce);
		if let Some(same) = candidates.iter().find(|c| c.event == *event && c.voters.contains(&who))
		{
			let votes = same.member_votes(&members);
			ensure!(votes as u32 >= threshold(members.len() as u32), Error::<T>::AlreadyAttested);
		}
		Ok(who)
	}

	/// Counts `who`'s attestation; on agreement applies the event and the agreed ones after it.
	/// Returns the weight used.
	pub(crate) fn do_attest(who: T::AccountId, event: BaseEvent) -> Weight {
		let source = event.source();
		let nonce = event.nonce();
		let (_, members) = T::Validators::signing_set();
		let set_size = members.len() as u32;
		let weight = T::WeightInfo::attest(set_size);
		let mut candidates = Attestations::<T>::get(source, nonce);
		// Only members' votes count and are kept, and `who`'s earlier vote (for another version)
		// moves here: so there are never more versions or voters than members.
		for candidate in candidates.iter_mut() {
			candidate.voters.retain(|v| *v != who && members.iter().any(|(m, _)| m == v));
		}
		candidates.retain(|c| !c.voters.is_empty() || c.event == event);
		let index = match candidates.iter().position(|c| c.event == event) {
			Some(index) => index,
			None => {
				if candidates.try_push(Candidate { event, voters: BoundedVec::new() }).is_err() {
					log::error!(target: LOG_TARGET, "{source:?} {nonce}: more versions than members");
					return weight;
				}
				candidates.len().saturating_sub(1)
			},
		};
		let Some(candidate) = candidates.get_mut(index) else { return weight };
		if candidate.voters.try_push(who.clone()).is_err() {
			log::error!(target: LOG_TARGET, "{source:?} {nonce}: more voters than members");
			return weight;
		}
		let votes = candidate.voters.len() as u32;
		let agreed = candidate.event;
		Self::deposit_event(Event::Attested { source, nonce, validator: who, votes });
		if votes < threshold(set_size) {
			Attestations::<T>::insert(source, nonce, candidates);
			return weight;
		}
		Attestations::<T>::remove(source, nonce);
		Ready::<T>::insert(source, nonce, agreed);
		Self::deposit_event(Event::Agreed { source, nonce });
		let applied = Self::drain(source);
		weight.saturating_add(Self::apply_weight().saturating_mul(applied.into()))
	}

	/// The most one event's application weighs: a deposit's (the drain's bookkeeping and a mint)
	/// plus the heaviest decision, an upper bound of either kind.
	pub(crate) fn apply_weight() -> Weight {
		T::WeightInfo::apply_deposit().saturating_add(T::Decisions::max_weight())
	}

	/// The most an attestation weighs: its own work and a full window of events applied.
	pub fn attest_weight() -> Weight {
		T::WeightInfo::attest(T::MaxValidators::get())
			.saturating_add(Self::apply_weight().saturating_mul(T::MaxPendingEvents::get().into()))
	}

	/// Applies the agreed events of `source` from its next nonce on, in order. Returns how many.
	pub(crate) fn drain(source: Source) -> u32 {
		let mut applied = 0u32;
		while applied < T::MaxPendingEvents::get() {
			let next = NextNonce::<T>::get(source);
			let Some(event) = Ready::<T>::take(source, next) else { break };
			// Attestations of a version that lost, if any were left.
			Attestations::<T>::remove(source, next);
			match event {
				BaseEvent::Deposit(deposit) => Self::apply_deposit(deposit),
				BaseEvent::Decision(decision) => Self::apply_decision(decision),
			}
			NextNonce::<T>::insert(source, next.saturating_add(1));
			LastBaseBlock::<T>::insert(source, event.base_block());
			applied = applied.saturating_add(1);
		}
		applied
	}

	fn apply_deposit(deposit: Deposit) {
		let Deposit { nonce, from, to, amount, .. } = deposit;
		let refund = |reason| {
			Self::deposit_event(Event::DepositRefunded { nonce, from, amount, reason });
		};
		let Ok(value) = Balance::try_from(amount) else {
			// More than the whole supply: it cannot have been burnt, and cannot be owed back.
			log::error!(target: LOG_TARGET, "deposit {nonce} of {amount} does not fit a balance");
			return refund(RefundReason::TooLarge);
		};
		let minted = T::AccountId::decode(&mut &to[..])
			.ok()
			.and_then(|who| T::Currency::mint_into(&who, value).ok().map(|_| who));
		match minted {
			Some(who) => {
				Totals::<T>::mutate(|t| t.deposited = t.deposited.saturating_add(value));
				Self::deposit_event(Event::Deposited { nonce, from, to: who, amount: value });
			},
			None => {
				T::Transfers::note_transfer(&from, value);
				Totals::<T>::mutate(|t| t.refunded = t.refunded.saturating_add(value));
				refund(RefundReason::NotMintable);
			},
		}
	}

	fn apply_decision(decision: Decision) {
		let Decision { nonce, kind, payload, .. } = decision;
		match T::Decisions::apply(kind, &payload) {
			Ok(()) => Self::deposit_event(Event::DecisionApplied { nonce, kind }),
			Err(error) => {
				log::warn!(target: LOG_TARGET, "decision {nonce} (kind {kind}) rejected: {error:?}");
				Self::deposit_event(Event::DecisionRejected { nonce, kind, error });
			},
		}
	}

	pub(crate) fn do_withdraw(
		who: T::AccountId,
		to: EthAddress,
		amount: Balance,
	) -> DispatchResult {
		ensure!(!to.is_zero(), Error::<T>::ZeroAddress);
		ensure!(amount >= T::MinWithdrawal::get(), Error::<T>::BelowMinimum);
		T::Currency::burn_from(
			&who,
			amount,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::InsufficientBalance)?;
		T::Transfers::note_transfer(&to, amount);
		Totals::<T>::mutate(|t| t.withdrawn = t.withdrawn.saturating_add(amount));
		Self::deposit_event(Event::Withdrawn { who, to, amount });
		Ok(())
	}

	fn validity(tag: &[u8], key: impl codec::Encode) -> TransactionValidityWithRefund {
		let valid = ValidTransaction::with_tag_prefix("SmartnodesBridge")
			.priority(T::UnsignedPriority::get())
			.and_provides((tag, key))
			.longevity(LONGEVITY)
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	fn invalid(error: Error<T>) -> TransactionValidityWithRefund {
		Err(smartnodes_primitives::compute::pool_refusal(&error))
	}

	pub fn authorize_sign_set_update(
		_source: TransactionSource,
		set_id: &u64,
		signature: &EthSignature,
	) -> TransactionValidityWithRefund {
		match Self::check_sign_set_update(*set_id, signature) {
			Ok((_, signer)) => Self::validity(b"set", (set_id, signer)),
			Err(e) => Self::invalid(e),
		}
	}

	pub fn authorize_attest(
		_source: TransactionSource,
		event: &BaseEvent,
		signature: &EthSignature,
	) -> TransactionValidityWithRefund {
		match Self::check_attest(event, signature) {
			Ok(who) => Self::validity(b"attest", (event.source(), event.nonce(), who)),
			Err(e) => Self::invalid(e),
		}
	}

	/// Invariants:
	/// - every kept set update is signed by at most its threshold of distinct members of its
	///   signing set, each signature recovering to the signer beside it;
	/// - no update is newer than `LatestSetUpdate`, and none older than `SetUpdatesKept` is kept;
	/// - nonces start at 1; nothing agreed waits at the next nonce (it would have applied);
	///   attestations and agreed events lie in the window past the next nonce;
	/// - a validator attests a nonce at most once.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let latest = LatestSetUpdate::<T>::get();
		for (set_id, update) in SetUpdates::<T>::iter() {
			ensure!(set_id <= latest, "a set update is newer than the latest");
			ensure!(
				latest.saturating_sub(set_id) < T::SetUpdatesKept::get().into(),
				"a set update outlived SetUpdatesKept"
			);
			ensure!(
				update.signatures.len() as u32 <= update.threshold(),
				"a set update holds more signatures than needed"
			);
			let digest = Self::set_update_digest(set_id, &update);
			let mut signers = Vec::new();
			for (signer, signature) in &update.signatures {
				ensure!(
					update.signer_set.contains(signer),
					"a set update signer is not in the set"
				);
				ensure!(
					recover_signer(&digest, signature) == Some(*signer),
					"a set update signature does not recover to its signer"
				);
				signers.push(*signer);
			}
			signers.sort();
			signers.dedup();
			ensure!(signers.len() == update.signatures.len(), "a set update signer signed twice");
		}
		let window: u64 = T::MaxPendingEvents::get().into();
		for source in Source::ALL {
			let next = NextNonce::<T>::get(source);
			ensure!(next >= 1, "nonces start at 1");
			ensure!(!Ready::<T>::contains_key(source, next), "an agreed event did not apply");
			for nonce in Ready::<T>::iter_key_prefix(source) {
				ensure!(
					nonce > next && nonce < next.saturating_add(window),
					"agreed out of window"
				);
			}
			for (nonce, candidates) in Attestations::<T>::iter_prefix(source) {
				ensure!(
					nonce >= next && nonce < next.saturating_add(window),
					"attestation out of window"
				);
				let mut voters: Vec<_> = candidates.iter().flat_map(|c| c.voters.iter()).collect();
				let count = voters.len();
				voters.sort_by_key(|v| v.encode());
				voters.dedup();
				ensure!(voters.len() == count, "a validator attested a nonce twice");
			}
		}
		Ok(())
	}

	/// The chain's supply check: issuance now against genesis and what moved since, given the
	/// job payments burnt into the reward tree (`jobs_burned`, from the rewards pallet).
	pub fn expected_issuance(jobs_burned: Balance) -> Balance {
		let totals: BridgeTotals = Totals::<T>::get();
		GenesisIssuance::<T>::get()
			.saturating_add(totals.deposited)
			.saturating_sub(totals.withdrawn)
			.saturating_sub(totals.burned)
			.saturating_sub(jobs_burned)
	}

	/// Total issuance on the chain.
	pub fn issuance() -> Balance {
		<T::Currency as Inspect<T::AccountId>>::total_issuance()
	}
}

impl<T: Config> OnBridgeSetQueued for Pallet<T> {
	fn bridge_set_queued(signers: (u64, &[EthAddress]), next: (u64, &[EthAddress])) {
		Self::queue_set_update(signers, next);
	}
}

/// Burns what it is given (fees, slashes) in currency `F` and counts it in
/// [`BridgeTotals::burned`].
pub struct BurnAndCount<T, F>(core::marker::PhantomData<(T, F)>);

impl<T, F> OnUnbalanced<fungible::Credit<T::AccountId, F>> for BurnAndCount<T, F>
where
	T: Config,
	F: fungible::Balanced<T::AccountId, Balance = Balance>,
{
	fn on_nonzero_unbalanced(amount: fungible::Credit<T::AccountId, F>) {
		let value = amount.peek();
		Totals::<T>::mutate(|t| t.burned = t.burned.saturating_add(value));
		drop(amount);
	}
}
