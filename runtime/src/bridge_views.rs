//! The bridge's state as the runtime API presents it to `smartnodes_bridgeStatus`.

use crate::{Balance, Runtime, Validators};
use alloc::vec::Vec;
use pallet_bridge::{
	Attestations, GenesisIssuance, LastBaseBlock, LatestSetUpdate, NextNonce, Ready, SetUpdates,
	Settings, Totals,
};
use pallet_bridge_runtime_api::{BridgeView, SetUpdateView, StreamView, SupplyView};
use smartnodes_primitives::{inbound::Source, ledger::SigningSet};
use sp_core::Get;

fn stream(source: Source) -> StreamView {
	let mut attesting: Vec<(u64, u32)> = Attestations::<Runtime>::iter_prefix(source)
		.map(|(nonce, candidates)| {
			let votes = candidates.iter().map(|c| c.voters.len() as u32).max().unwrap_or(0);
			(nonce, votes)
		})
		.collect();
	attesting.sort();
	let mut ready: Vec<u64> = Ready::<Runtime>::iter_key_prefix(source).collect();
	ready.sort();
	StreamView {
		next_nonce: NextNonce::<Runtime>::get(source),
		last_base_block: LastBaseBlock::<Runtime>::get(source),
		attesting,
		ready,
	}
}

/// Job payments burnt on the chain into the reward tree: every closed period's and the
/// accruing one's (workers' shares and fees).
fn job_payments() -> Balance {
	let closed = pallet_rewards::Periods::<Runtime>::iter_values()
		.map(|record| record.accrual.payments.saturating_add(record.accrual.fees))
		.fold(0, Balance::saturating_add);
	let accrual = pallet_rewards::CurrentAccrual::<Runtime>::get();
	closed.saturating_add(accrual.payments).saturating_add(accrual.fees)
}

pub fn status() -> BridgeView {
	let (chain_id, distributor) = pallet_coordinator::BaseTarget::<Runtime>::get();
	let settings = Settings::<Runtime>::get();
	let (set_id, members) = <Validators as SigningSet<_>>::signing_set();
	let (queued_set_id, _) = <Validators as SigningSet<_>>::queued_set();
	let latest = LatestSetUpdate::<Runtime>::get();
	let kept: u32 = <Runtime as pallet_bridge::Config>::SetUpdatesKept::get();
	let kept = u64::from(kept);
	let set_updates = (latest.saturating_sub(kept).saturating_add(1).max(1)..=latest)
		.filter_map(|id| {
			let update = SetUpdates::<Runtime>::get(id)?;
			Some(SetUpdateView {
				set_id: id,
				threshold: update.threshold(),
				validators: update.validators.into_inner(),
				signer_set_id: id.saturating_sub(1),
				signer_set: update.signer_set.into_inner(),
				signers: update.signatures.iter().map(|(s, _)| *s).collect(),
				signatures: update.signatures.iter().map(|(_, sig)| *sig).collect(),
			})
		})
		.collect();
	let totals = Totals::<Runtime>::get();
	let job_payments = job_payments();
	BridgeView {
		chain_id,
		distributor,
		dao: settings.dao,
		confirmations: settings.confirmations,
		start_block: settings.start_block,
		set_id,
		validators: members.into_iter().map(|(_, a)| a).collect(),
		queued_set_id,
		set_updates,
		deposits: stream(Source::Deposits),
		decisions: stream(Source::Decisions),
		supply: SupplyView {
			genesis_issuance: GenesisIssuance::<Runtime>::get(),
			issuance: pallet_bridge::Pallet::<Runtime>::issuance(),
			deposited: totals.deposited,
			refunded: totals.refunded,
			withdrawn: totals.withdrawn,
			burned: totals.burned,
			job_payments,
			emitted: pallet_rewards::TotalEmitted::<Runtime>::get(),
			expected_issuance: pallet_bridge::Pallet::<Runtime>::expected_issuance(job_payments),
		},
	}
}
