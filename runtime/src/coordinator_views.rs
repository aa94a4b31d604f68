//! The coordinator's state as the runtime API presents it to the `smartnodes_*` RPC.

use crate::{AccountId, Runtime, Validators};
use pallet_coordinator::{CurrentRound, LastPassed, NextPeriodEnd, Passed, Proposals};
use pallet_coordinator_runtime_api::{PassedView, ProposalView, RoundView};
use smartnodes_primitives::{ledger::SigningSet, rewards::threshold};

pub fn current_round() -> Option<RoundView<AccountId>> {
	let round = CurrentRound::<Runtime>::get()?;
	let (set_id, members) = <Validators as SigningSet<AccountId>>::signing_set();
	let proposals = (0..round.proposals)
		.filter_map(|index| {
			Proposals::<Runtime>::get(round.period, index).map(|p| ProposalView {
				index,
				proposer: p.proposer,
				root: p.root,
				total: p.total,
				leaf_count: p.leaf_count,
				set_id: p.set_id,
				voters: p.votes.into_iter().map(|(v, _)| v).collect(),
			})
		})
		.collect();
	Some(RoundView {
		period: round.period,
		opened_at: round.opened_at.into(),
		open_to_all_at: round.open_to_all_at.into(),
		next_period_end: NextPeriodEnd::<Runtime>::get().into(),
		proposers: round.proposers.into_inner(),
		set_id,
		set_size: members.len() as u32,
		threshold: threshold(members.len() as u32),
		passed: Passed::<Runtime>::contains_key(round.period),
		proposals,
	})
}

pub fn latest_passed() -> Option<PassedView<AccountId>> {
	let update = Passed::<Runtime>::get(LastPassed::<Runtime>::get()?)?;
	Some(PassedView {
		commitment: update.commitment,
		leaf_count: update.leaf_count,
		proposer: update.proposer,
		signatures: update.signatures.into_inner(),
		signers: update.signers.into_inner(),
		passed_at: update.passed_at.into(),
	})
}
