//! Runtime integration: a reward round on the `local` preset, proposed and voted through the real
//! transaction pipeline (authorized calls), with the emission in the table it passes.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use common::ext;
use frame_support::traits::Hooks;
use frame_system::offchain::CreateAuthorizedTransaction;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	ledger::RewardsLedger,
	rewards::{eth_signature, recover_signer, RewardTree},
};
use smartnodes_runtime::{
	genesis_config_presets::{
		account, authority_keys, BASE_CHAIN_ID, LOCAL_DISTRIBUTOR, LOCAL_TREASURY,
	},
	AccountId, Balances, Coordinator, Executive, Rewards, Runtime, RuntimeCall, System,
	UncheckedExtrinsic, SNO,
};
use sp_core::{crypto::Pair as _, ecdsa, H256};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

const NAMES: [&str; 4] = ["Alice", "Bob", "Charlie", "Dave"];

fn bridge_pair(name: &str) -> ecdsa::Pair {
	ecdsa::Pair::from_string(&format!("//{name}"), None).unwrap()
}

fn name_of(who: &AccountId) -> &'static str {
	NAMES.into_iter().find(|n| account(n) == *who).expect("a local validator")
}

fn sign(name: &str, digest: H256) -> [u8; 65] {
	eth_signature(bridge_pair(name).sign_prehashed(&digest.0).0)
}

/// The transaction the validators' off-chain worker submits for `call`.
fn authorized(call: pallet_coordinator::Call<Runtime>) -> UncheckedExtrinsic {
	<Runtime as CreateAuthorizedTransaction<pallet_coordinator::Call<Runtime>>>::create_authorized_transaction(
		RuntimeCall::Coordinator(call),
	)
}

fn error_code(error: pallet_coordinator::Error<Runtime>) -> u8 {
	codec::Encode::encode(&error)[0]
}

#[test]
fn a_reward_round_passes_through_authorized_transactions() {
	ext("local_testnet").execute_with(|| {
		let interval = pallet_coordinator::StateUpdateInterval::<Runtime>::get();
		assert_eq!(interval, 20, "two minutes on the local chain");
		common::set_block(interval);
		Coordinator::on_initialize(interval);
		let round = pallet_coordinator::CurrentRound::<Runtime>::get().unwrap();
		assert_eq!((round.period, round.proposers.len()), (1, 2));

		// Twenty blocks at 9.375 SNO; the validators' 10% waits for the vote; nobody worked, so
		// the treasury has the rest.
		let mut table = Rewards::reward_table(1).unwrap();
		let treasury = EthAddress::from(LOCAL_TREASURY);
		assert_eq!(table, vec![(treasury, 16_875 * SNO / 100)]);
		let tree = RewardTree::from_entries(&mut table);
		let (root, total) = (tree.root(), 16_875 * SNO / 100);
		let commitment = Coordinator::commitment(1, root, total, 0);
		assert_eq!(commitment.chain_id, BASE_CHAIN_ID);
		assert_eq!(commitment.distributor, EthAddress::from(LOCAL_DISTRIBUTOR));

		let proposer = name_of(&round.proposers[0]);
		let alice_before = Balances::free_balance(account("Alice"));
		let propose = authorized(pallet_coordinator::Call::propose {
			period: 1,
			root,
			total,
			leaf_count: 1,
			signature: sign(proposer, commitment.digest()),
		});
		// The pool takes it on the strength of the bridge-key signature alone.
		let block_hash = System::block_hash(0);
		let valid = Executive::validate_transaction(
			TransactionSource::External,
			propose.clone(),
			block_hash,
		)
		.expect("a proposal from a drawn proposer is valid");
		assert_eq!(valid.priority, u64::MAX / 2);
		assert_eq!(Executive::apply_extrinsic(propose.clone()).unwrap(), Ok(()));
		// Replaying it is refused before dispatch.
		assert_eq!(
			Executive::apply_extrinsic(propose),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(error_code(
				pallet_coordinator::Error::AlreadyProposed
			))))
		);

		// A key outside the set cannot vote.
		let eve_vote = authorized(pallet_coordinator::Call::vote {
			period: 1,
			index: 0,
			signature: sign("Eve", commitment.digest()),
		});
		assert_eq!(
			Executive::apply_extrinsic(eve_vote),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(error_code(
				pallet_coordinator::Error::NotInSet
			))))
		);

		for name in NAMES.into_iter().filter(|n| *n != proposer).take(2) {
			let vote = authorized(pallet_coordinator::Call::vote {
				period: 1,
				index: 0,
				signature: sign(name, commitment.digest()),
			});
			assert_eq!(Executive::apply_extrinsic(vote).unwrap(), Ok(()), "{name} votes");
		}
		let passed = pallet_coordinator::Passed::<Runtime>::get(1).expect("3 of 4 pass");
		assert_eq!(passed.commitment, commitment);
		for (signature, signer) in passed.signatures.iter().zip(passed.signers.iter()) {
			assert_eq!(recover_signer(&commitment.digest(), signature), Some(*signer));
			let name = NAMES
				.into_iter()
				.find(|n| authority_keys(n).1.bridge.eth_address() == Some(*signer))
				.expect("a local validator signed");
			assert_ne!(name, "Eve");
		}
		// Votes cost the validators nothing.
		assert_eq!(Balances::free_balance(account("Alice")), alice_before);
		pallet_coordinator::Pallet::<Runtime>::do_try_state().unwrap();
		pallet_rewards::Pallet::<Runtime>::do_try_state().unwrap();

		// The three voters share the 18.75 SNO pool in the next table.
		common::set_block(2 * interval);
		Coordinator::on_initialize(2 * interval);
		let table = Rewards::reward_table(2).unwrap();
		let voters: Vec<_> = table.iter().filter(|(a, _)| *a != treasury).collect();
		assert_eq!(voters.len(), 3);
		assert!(voters.iter().all(|(_, v)| *v == 625 * SNO / 100));
		pallet_rewards::Pallet::<Runtime>::do_try_state().unwrap();
	});
}
