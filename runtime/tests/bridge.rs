//! Runtime integration of the bridge on the `local` preset, through the real transaction
//! pipeline: deposits and DAO decisions attested by 2/3 of the validators apply once; a queued
//! validator set is signed by the set in office; a withdrawal lands in the reward table; the
//! chain's supply adds up.

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
	inbound::{decision, BaseEvent, Decision, Deposit, Source},
	ledger::RewardsLedger,
	rewards::{eth_signature, recover_signer, validator_set_digest},
};
use smartnodes_runtime::{
	genesis_config_presets::{account, BASE_CHAIN_ID, LOCAL_DISTRIBUTOR},
	Balances, Bridge, Coordinator, Executive, Rewards, Runtime, RuntimeCall, RuntimeOrigin,
	Session, System, UncheckedExtrinsic, Validators, SNO,
};
use sp_core::{crypto::Pair as _, ecdsa, H256, U256};
use sp_runtime::transaction_validity::TransactionSource;

fn bridge_pair(name: &str) -> ecdsa::Pair {
	ecdsa::Pair::from_string(&format!("//{name}"), None).unwrap()
}

fn sign(name: &str, digest: H256) -> [u8; 65] {
	eth_signature(bridge_pair(name).sign_prehashed(&digest.0).0)
}

fn authorized(call: pallet_bridge::Call<Runtime>) -> UncheckedExtrinsic {
	<Runtime as CreateAuthorizedTransaction<pallet_bridge::Call<Runtime>>>::create_authorized_transaction(
		RuntimeCall::Bridge(call),
	)
}

fn attest(name: &str, event: BaseEvent) -> UncheckedExtrinsic {
	let signature = sign(name, event.digest(&System::block_hash(0)));
	authorized(pallet_bridge::Call::attest { event, signature })
}

fn deposit_to(who: &smartnodes_runtime::AccountId, nonce: u64, amount: u128) -> BaseEvent {
	BaseEvent::Deposit(Deposit {
		nonce,
		from: EthAddress::repeat_byte(0xf0),
		to: *<smartnodes_runtime::AccountId as AsRef<[u8; 32]>>::as_ref(who),
		amount: U256::from(amount),
		base_block: 7,
	})
}

fn supply_holds() {
	let status = pallet_bridge::Totals::<Runtime>::get();
	let job_payments = 0;
	assert_eq!(
		Bridge::expected_issuance(job_payments),
		Balances::total_issuance(),
		"issuance = genesis + deposited - withdrawn - burned ({status:?})"
	);
}

#[test]
fn a_deposit_attested_by_two_thirds_mints_once_and_a_replay_is_refused() {
	ext("local_testnet").execute_with(|| {
		common::set_block(1);
		let eve = account("Eve");
		let before = Balances::free_balance(&eve);
		let event = deposit_to(&eve, 1, 5 * SNO);
		for name in ["Alice", "Bob"] {
			assert_eq!(Executive::apply_extrinsic(attest(name, event)).unwrap(), Ok(()));
		}
		assert_eq!(Balances::free_balance(&eve), before);
		assert_eq!(Executive::apply_extrinsic(attest("Charlie", event)).unwrap(), Ok(()));
		assert_eq!(Balances::free_balance(&eve), before + 5 * SNO);
		assert_eq!(pallet_bridge::NextNonce::<Runtime>::get(Source::Deposits), 2);
		// Dave's attestation comes too late: the pool refuses it, nothing is minted again.
		let late = attest("Dave", event);
		assert!(Executive::validate_transaction(
			TransactionSource::External,
			late.clone(),
			System::block_hash(0)
		)
		.is_err());
		assert!(Executive::apply_extrinsic(late).is_err());
		assert_eq!(Balances::free_balance(&eve), before + 5 * SNO);
		// Eve's own signature is no attestation.
		let forged = attest("Eve", deposit_to(&eve, 2, SNO));
		assert!(Executive::apply_extrinsic(forged).is_err());
		supply_holds();
		pallet_bridge::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

#[test]
fn dao_decisions_change_the_interval_and_authorize_an_upgrade() {
	ext("local_testnet").execute_with(|| {
		common::set_block(1);
		let mut payload = [0u8; 32];
		payload[31] = 30;
		let interval = BaseEvent::Decision(Decision {
			nonce: 1,
			kind: decision::STATE_UPDATE_INTERVAL,
			payload,
			base_block: 9,
		});
		for name in ["Alice", "Bob", "Charlie"] {
			assert_eq!(Executive::apply_extrinsic(attest(name, interval)).unwrap(), Ok(()));
		}
		assert_eq!(pallet_coordinator::StateUpdateInterval::<Runtime>::get(), 30);

		let code_hash = H256::repeat_byte(0xc0);
		let upgrade = BaseEvent::Decision(Decision {
			nonce: 2,
			kind: decision::AUTHORIZE_UPGRADE,
			payload: code_hash.0,
			base_block: 9,
		});
		for name in ["Bob", "Charlie", "Dave"] {
			assert_eq!(Executive::apply_extrinsic(attest(name, upgrade)).unwrap(), Ok(()));
		}
		assert_eq!(System::authorized_upgrade().map(|u| *u.code_hash()), Some(code_hash));

		// A malformed decision is rejected but uses its nonce.
		let bad = BaseEvent::Decision(Decision {
			nonce: 3,
			kind: decision::MALFORMED,
			payload: [0; 32],
			base_block: 9,
		});
		for name in ["Alice", "Bob", "Charlie"] {
			assert_eq!(Executive::apply_extrinsic(attest(name, bad)).unwrap(), Ok(()));
		}
		assert_eq!(pallet_bridge::NextNonce::<Runtime>::get(Source::Decisions), 4);
		assert_eq!(pallet_coordinator::StateUpdateInterval::<Runtime>::get(), 30);
	});
}

/// Starts block `n` as a BABE author would (the session pallet's rotation needs BABE set up).
fn start_block(n: u32) {
	use sp_consensus_babe::{
		digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest},
		Slot,
	};
	use sp_runtime::{traits::Header as _, Digest, DigestItem};
	let pre = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
		authority_index: 0,
		slot: Slot::from(u64::from(n)),
	});
	let digest = Digest { logs: vec![DigestItem::babe_pre_digest(pre)] };
	let header = smartnodes_runtime::Header::new(
		n,
		Default::default(),
		Default::default(),
		System::parent_hash(),
		digest,
	);
	Executive::initialize_block(&header);
}

#[test]
fn a_queued_set_is_signed_by_the_set_in_office() {
	ext("local_testnet").execute_with(|| {
		start_block(1);
		assert!(Validators::leave(RuntimeOrigin::signed(account("Dave"))).is_ok());
		Session::rotate_session();
		let update = pallet_bridge::SetUpdates::<Runtime>::get(1).expect("set 1 queued");
		assert_eq!(update.validators.len(), 3);
		assert_eq!(update.signer_set.len(), 4);
		let digest = validator_set_digest(
			BASE_CHAIN_ID,
			&EthAddress::from(LOCAL_DISTRIBUTOR),
			1,
			&update.validators,
		);
		for name in ["Dave", "Alice", "Bob"] {
			let signature = sign(name, digest);
			let xt = authorized(pallet_bridge::Call::sign_set_update { set_id: 1, signature });
			assert_eq!(Executive::apply_extrinsic(xt).unwrap(), Ok(()), "{name} signs");
		}
		let update = pallet_bridge::SetUpdates::<Runtime>::get(1).unwrap();
		assert!(update.is_complete());
		for (signer, signature) in &update.signatures {
			assert_eq!(recover_signer(&digest, signature), Some(*signer));
		}
		// Charlie is one too many.
		let xt = authorized(pallet_bridge::Call::sign_set_update {
			set_id: 1,
			signature: sign("Charlie", digest),
		});
		assert!(Executive::apply_extrinsic(xt).is_err());
		pallet_bridge::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

#[test]
fn a_withdrawal_burns_on_the_chain_and_lands_in_the_reward_table() {
	ext("local_testnet").execute_with(|| {
		common::set_block(1);
		let to = EthAddress::repeat_byte(0x77);
		let issuance = Balances::total_issuance();
		assert!(Bridge::withdraw(RuntimeOrigin::signed(account("Eve")), to, 10 * SNO).is_ok());
		assert_eq!(Balances::total_issuance(), issuance - 10 * SNO);
		let interval = pallet_coordinator::StateUpdateInterval::<Runtime>::get();
		common::set_block(interval);
		Coordinator::on_initialize(interval);
		let table = Rewards::reward_table(1).unwrap();
		assert!(table.contains(&(to, 10 * SNO)), "{table:?}");
		supply_holds();
	});
}
