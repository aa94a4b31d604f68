//! Unit tests: every call's success and every error, events, and the invariants after each.

use crate::{mock::*, pallet::*, BaseSettings, BridgeTotals, RefundReason};
use frame_support::{assert_noop, assert_ok, pallet_prelude::Authorize, traits::OnUnbalanced};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	inbound::{BaseEvent, Deposit, Source},
	ledger::OnBridgeSetQueued,
};
use sp_core::U256;
use sp_runtime::{transaction_validity::TransactionSource, DispatchError};

mod offchain;

fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

fn attest(v: AccountId, event: BaseEvent) -> Result<(), DispatchError> {
	Bridge::attest(authorized(), event, attestation(v, &event)).map(|_| ()).map_err(|e| e.error)
}

/// Set 1 (validators 5..=8) queued with set 0 (1..=4) in office.
fn queue_set_one() {
	let signers: Vec<EthAddress> = sorted_addresses(&[1, 2, 3, 4]);
	let next: Vec<EthAddress> = sorted_addresses(&[5, 6, 7, 8]);
	Bridge::bridge_set_queued((0, &signers), (1, &next));
}

fn sorted_addresses(vs: &[AccountId]) -> Vec<EthAddress> {
	let mut a: Vec<_> = vs.iter().map(|v| address(*v)).collect();
	a.sort();
	a
}

fn sign_update(v: AccountId, set_id: u64) -> Result<(), DispatchError> {
	let update = SetUpdates::<Test>::get(set_id).unwrap();
	let signature = sign(v, &Bridge::set_update_digest(set_id, &update));
	Bridge::sign_set_update(authorized(), set_id, signature)
}

// ---- set updates ----

#[test]
fn a_queued_set_is_recorded_for_its_signers() {
	new_test_ext().execute_with(|| {
		checked(queue_set_one);
		let update = SetUpdates::<Test>::get(1).unwrap();
		assert_eq!(update.validators.to_vec(), sorted_addresses(&[5, 6, 7, 8]));
		assert_eq!(update.signer_set.to_vec(), sorted_addresses(&[1, 2, 3, 4]));
		assert_eq!(update.threshold(), 3);
		assert_eq!(LatestSetUpdate::<Test>::get(), 1);
		assert_eq!(
			events(),
			vec![Event::SetUpdateQueued { set_id: 1, signer_set_id: 0, validators: 4 }]
		);
	});
}

#[test]
fn a_set_queued_out_of_sequence_is_not_recorded() {
	new_test_ext().execute_with(|| {
		let s = sorted_addresses(&[1]);
		checked(|| Bridge::bridge_set_queued((0, &s), (2, &s)));
		assert_eq!(SetUpdates::<Test>::get(2), None);
		assert_eq!(LatestSetUpdate::<Test>::get(), 0);
	});
}

#[test]
fn set_updates_past_the_kept_number_are_dropped() {
	new_test_ext().execute_with(|| {
		let s = sorted_addresses(&[1, 2]);
		for id in 1..=KEPT as u64 + 1 {
			checked(|| Bridge::bridge_set_queued((id - 1, &s), (id, &s)));
		}
		assert_eq!(SetUpdates::<Test>::get(1), None);
		assert!(SetUpdates::<Test>::get(2).is_some());
		assert_eq!(LatestSetUpdate::<Test>::get(), KEPT as u64 + 1);
	});
}

#[test]
fn sign_set_update_collects_signatures_up_to_the_threshold() {
	new_test_ext().execute_with(|| {
		queue_set_one();
		checked(|| {
			assert_ok!(sign_update(1, 1));
		});
		checked(|| {
			assert_ok!(sign_update(3, 1));
		});
		assert!(!SetUpdates::<Test>::get(1).unwrap().is_complete());
		checked(|| {
			assert_ok!(sign_update(4, 1));
		});
		let update = SetUpdates::<Test>::get(1).unwrap();
		assert!(update.is_complete());
		assert_eq!(update.signatures.len(), 3);
		let tail: Vec<_> = events().into_iter().rev().take(2).collect();
		assert_eq!(tail[0], Event::SetUpdateReady { set_id: 1 });
		assert_eq!(
			tail[1],
			Event::SetUpdateSigned { set_id: 1, signer: address(4), signatures: 3 }
		);
	});
}

#[test]
fn sign_set_update_fails_for_an_unknown_update() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::sign_set_update(authorized(), 9, [0; 65]),
			Error::<Test>::UnknownSetUpdate
		);
	});
}

#[test]
fn sign_set_update_fails_once_complete() {
	new_test_ext().execute_with(|| {
		queue_set_one();
		for v in [1, 2, 3] {
			assert_ok!(sign_update(v, 1));
		}
		assert_noop!(sign_update(4, 1), Error::<Test>::SetUpdateComplete);
	});
}

#[test]
fn sign_set_update_fails_with_a_bad_signature() {
	new_test_ext().execute_with(|| {
		queue_set_one();
		assert_noop!(
			Bridge::sign_set_update(authorized(), 1, [0; 65]),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn sign_set_update_fails_for_a_member_of_the_new_set() {
	new_test_ext().execute_with(|| {
		queue_set_one();
		assert_noop!(sign_update(5, 1), Error::<Test>::NotSigner);
	});
}

#[test]
fn sign_set_update_fails_when_signed_twice() {
	new_test_ext().execute_with(|| {
		queue_set_one();
		assert_ok!(sign_update(2, 1));
		assert_noop!(sign_update(2, 1), Error::<Test>::AlreadySigned);
	});
}

#[test]
fn set_update_signatures_are_checked_in_the_pool() {
	new_test_ext().execute_with(|| {
		queue_set_one();
		let update = SetUpdates::<Test>::get(1).unwrap();
		let digest = Bridge::set_update_digest(1, &update);
		let good = Call::<Test>::sign_set_update { set_id: 1, signature: sign(1, &digest) };
		assert!(matches!(good.authorize(TransactionSource::External), Some(Ok(_))));
		let forged = Call::<Test>::sign_set_update { set_id: 1, signature: sign(9, &digest) };
		assert!(matches!(forged.authorize(TransactionSource::External), Some(Err(_))));
		assert_noop!(
			Bridge::sign_set_update(RuntimeOrigin::none(), 1, sign(1, &digest)),
			DispatchError::BadOrigin
		);
	});
}

// ---- attestations ----

#[test]
fn a_deposit_attested_by_two_thirds_is_minted_once() {
	new_test_ext().execute_with(|| {
		let event = deposit(1, 7, 500);
		checked(|| {
			assert_ok!(attest(1, event));
		});
		checked(|| {
			assert_ok!(attest(2, event));
		});
		assert_eq!(Balances::free_balance(7), 0);
		checked(|| {
			assert_ok!(attest(3, event));
		});
		assert_eq!(Balances::free_balance(7), 500);
		assert_eq!(NextNonce::<Test>::get(Source::Deposits), 2);
		assert_eq!(LastBaseBlock::<Test>::get(Source::Deposits), 11);
		assert_eq!(Totals::<Test>::get().deposited, 500);
		let tail: Vec<_> = events().into_iter().rev().take(3).collect();
		assert_eq!(
			tail[0],
			Event::Deposited { nonce: 1, from: EthAddress::repeat_byte(0xf0), to: 7, amount: 500 }
		);
		assert_eq!(tail[1], Event::Agreed { source: Source::Deposits, nonce: 1 });
		assert_eq!(
			tail[2],
			Event::Attested { source: Source::Deposits, nonce: 1, validator: 3, votes: 3 }
		);
		// The fourth validator is too late: a replay.
		assert_noop!(attest(4, event), Error::<Test>::AlreadyApplied);
		assert_eq!(Balances::free_balance(7), 500);
	});
}

#[test]
fn events_agreed_out_of_order_apply_in_nonce_order() {
	new_test_ext().execute_with(|| {
		let (first, second) = (deposit(1, 7, 100), deposit(2, 8, 200));
		for v in [1, 2, 3] {
			checked(|| {
				assert_ok!(attest(v, second));
			});
		}
		assert_eq!(Balances::free_balance(8), 0);
		assert!(Ready::<Test>::contains_key(Source::Deposits, 2));
		for v in [2, 3, 4] {
			checked(|| {
				assert_ok!(attest(v, first));
			});
		}
		assert_eq!((Balances::free_balance(7), Balances::free_balance(8)), (100, 200));
		assert_eq!(NextNonce::<Test>::get(Source::Deposits), 3);
	});
}

#[test]
fn conflicting_versions_of_an_event_need_two_thirds_on_one() {
	new_test_ext().execute_with(|| {
		let honest = deposit(1, 7, 100);
		let forged = deposit(1, 7, 100_000);
		checked(|| {
			assert_ok!(attest(1, forged));
		});
		checked(|| {
			assert_ok!(attest(2, honest));
		});
		checked(|| {
			assert_ok!(attest(3, honest));
		});
		assert_eq!(Attestations::<Test>::get(Source::Deposits, 1).len(), 2);
		checked(|| {
			assert_ok!(attest(4, honest));
		});
		assert_eq!(Balances::free_balance(7), 100);
		assert!(Attestations::<Test>::get(Source::Deposits, 1).is_empty());
	});
}

#[test]
fn a_deposit_the_chain_cannot_mint_is_refunded_on_base() {
	new_test_ext().execute_with(|| {
		// Below the existential deposit for a new account.
		let event = deposit(1, 7, ED - 1);
		for v in [1, 2, 3] {
			checked(|| {
				assert_ok!(attest(v, event));
			});
		}
		assert_eq!(Balances::free_balance(7), 0);
		assert_eq!(world(|w| w.transfers.clone()), vec![(EthAddress::repeat_byte(0xf0), ED - 1)]);
		assert_eq!(Totals::<Test>::get().refunded, ED - 1);
		assert_eq!(
			events().last(),
			Some(&Event::DepositRefunded {
				nonce: 1,
				from: EthAddress::repeat_byte(0xf0),
				amount: U256::from(ED - 1),
				reason: RefundReason::NotMintable,
			})
		);
	});
}

#[test]
fn a_deposit_larger_than_any_balance_is_dropped_with_an_event() {
	new_test_ext().execute_with(|| {
		let BaseEvent::Deposit(d) = deposit(1, 7, 0) else { unreachable!() };
		let event = BaseEvent::Deposit(Deposit { amount: U256::MAX, ..d });
		for v in [1, 2, 3] {
			checked(|| {
				assert_ok!(attest(v, event));
			});
		}
		assert!(matches!(
			events().last(),
			Some(Event::DepositRefunded { reason: RefundReason::TooLarge, .. })
		));
		assert_eq!(NextNonce::<Test>::get(Source::Deposits), 2);
	});
}

#[test]
fn a_decision_applies_and_a_refused_one_uses_its_nonce() {
	new_test_ext().execute_with(|| {
		for v in [1, 2, 3] {
			checked(|| {
				assert_ok!(attest(v, decision(1, 0, 30)));
			});
		}
		assert_eq!(events().last(), Some(&Event::DecisionApplied { nonce: 1, kind: 0 }));
		assert_eq!(world(|w| w.decisions.len()), 1);
		for v in [1, 2, 3] {
			checked(|| {
				assert_ok!(attest(v, decision(2, 9, 1)));
			});
		}
		assert!(matches!(
			events().last(),
			Some(Event::DecisionRejected { nonce: 2, kind: 9, error: DispatchError::Other(_) })
		));
		assert_eq!(NextNonce::<Test>::get(Source::Decisions), 3);
		// The streams have their own nonces.
		assert_eq!(NextNonce::<Test>::get(Source::Deposits), 1);
	});
}

#[test]
fn attest_fails_for_an_applied_nonce() {
	new_test_ext().execute_with(|| {
		for v in [1, 2, 3] {
			assert_ok!(attest(v, deposit(1, 7, 100)));
		}
		assert_noop!(attest(1, deposit(1, 7, 100)), Error::<Test>::AlreadyApplied);
	});
}

#[test]
fn attest_fails_too_far_ahead() {
	new_test_ext().execute_with(|| {
		assert_ok!(attest(1, deposit(PENDING as u64, 7, 100)));
		assert_noop!(attest(1, deposit(PENDING as u64 + 1, 7, 100)), Error::<Test>::TooFarAhead);
	});
}

#[test]
fn attest_fails_once_agreed() {
	new_test_ext().execute_with(|| {
		for v in [1, 2, 3] {
			assert_ok!(attest(v, deposit(2, 7, 100)));
		}
		assert_noop!(attest(4, deposit(2, 7, 100)), Error::<Test>::AlreadyAgreed);
	});
}

#[test]
fn attest_fails_with_a_bad_signature() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::attest(authorized(), deposit(1, 7, 100), [0; 65]).map_err(|e| e.error),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn attest_fails_for_a_non_validator_or_a_signature_over_another_event() {
	new_test_ext().execute_with(|| {
		assert_noop!(attest(9, deposit(1, 7, 100)), Error::<Test>::NotValidator);
		let signature = attestation(1, &deposit(1, 7, 100));
		assert_noop!(
			Bridge::attest(authorized(), deposit(1, 7, 999), signature).map_err(|e| e.error),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn attest_fails_when_attested_twice() {
	new_test_ext().execute_with(|| {
		assert_ok!(attest(1, deposit(1, 7, 100)));
		assert_noop!(attest(1, deposit(1, 7, 100)), Error::<Test>::AlreadyAttested);
	});
}

#[test]
fn a_validator_may_change_its_attestation_after_a_reorg() {
	new_test_ext().execute_with(|| {
		let (before, after) = (deposit(1, 7, 100), deposit(1, 7, 100));
		let BaseEvent::Deposit(d) = after else { unreachable!() };
		let after = BaseEvent::Deposit(Deposit { base_block: d.base_block + 5, ..d });
		// Two saw the event before a reorg, two after: neither version has three votes.
		checked(|| {
			assert_ok!(attest(1, before));
		});
		checked(|| {
			assert_ok!(attest(2, before));
		});
		checked(|| {
			assert_ok!(attest(3, after));
		});
		checked(|| {
			assert_ok!(attest(4, after));
		});
		assert_eq!(Balances::free_balance(7), 0);
		// Validator 1's node sees the reorged chain and attests again: its vote moves.
		checked(|| {
			assert_ok!(attest(1, after));
		});
		assert_eq!(Balances::free_balance(7), 100);
		assert_eq!(LastBaseBlock::<Test>::get(Source::Deposits), d.base_block + 5);
	});
}

#[test]
fn when_the_set_shrinks_repeating_an_attestation_applies_it() {
	new_test_ext().execute_with(|| {
		let event = deposit(1, 7, 100);
		assert_ok!(attest(1, event));
		assert_ok!(attest(2, event));
		// Validators 3 and 4 leave: two of two now suffice, but nobody attests anew.
		set_validators(&[1, 2]);
		assert_eq!(Balances::free_balance(7), 0);
		checked(|| {
			assert_ok!(attest(1, event));
		});
		assert_eq!(Balances::free_balance(7), 100);
	});
}

#[test]
fn votes_of_departed_validators_make_room_and_never_count() {
	new_test_ext().execute_with(|| {
		assert_ok!(attest(1, deposit(1, 7, 999)));
		set_validators(&[2, 3, 4, 5]);
		checked(|| {
			assert_ok!(attest(2, deposit(1, 7, 100)));
		});
		// The departed validator's version is gone with its vote.
		assert_eq!(Attestations::<Test>::get(Source::Deposits, 1).len(), 1);
	});
}

#[test]
fn attestations_are_checked_in_the_pool() {
	new_test_ext().execute_with(|| {
		let event = deposit(1, 7, 100);
		let good = Call::<Test>::attest { event, signature: attestation(1, &event) };
		assert!(matches!(good.authorize(TransactionSource::External), Some(Ok(_))));
		let forged = Call::<Test>::attest { event, signature: attestation(9, &event) };
		assert!(matches!(forged.authorize(TransactionSource::External), Some(Err(_))));
		assert_noop!(
			Bridge::attest(RuntimeOrigin::none(), event, attestation(1, &event))
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn votes_of_validators_that_left_the_set_do_not_count() {
	new_test_ext().execute_with(|| {
		let event = deposit(1, 7, 100);
		assert_ok!(attest(1, event));
		assert_ok!(attest(2, event));
		set_validators(&[2, 3, 4, 5]);
		checked(|| {
			assert_ok!(attest(3, event));
		});
		assert_eq!(Balances::free_balance(7), 0);
		checked(|| {
			assert_ok!(attest(4, event));
		});
		assert_eq!(Balances::free_balance(7), 100);
	});
}

// ---- withdrawals ----

#[test]
fn withdraw_burns_and_owes_on_base() {
	new_test_ext().execute_with(|| {
		let to = EthAddress::repeat_byte(0xbe);
		checked(|| {
			assert_ok!(Bridge::withdraw(RuntimeOrigin::signed(100), to, 400));
		});
		assert_eq!(Balances::free_balance(100), 600);
		assert_eq!(Balances::total_issuance(), 1_600);
		assert_eq!(world(|w| w.transfers.clone()), vec![(to, 400)]);
		assert_eq!(Totals::<Test>::get().withdrawn, 400);
		assert_eq!(events().last(), Some(&Event::Withdrawn { who: 100, to, amount: 400 }));
	});
}

#[test]
fn withdraw_fails_to_the_zero_address() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::withdraw(RuntimeOrigin::signed(100), EthAddress::zero(), 100),
			Error::<Test>::ZeroAddress
		);
	});
}

#[test]
fn withdraw_fails_below_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::withdraw(
				RuntimeOrigin::signed(100),
				EthAddress::repeat_byte(1),
				MIN_WITHDRAWAL - 1
			),
			Error::<Test>::BelowMinimum
		);
	});
}

#[test]
fn withdraw_fails_when_the_account_would_die() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::withdraw(RuntimeOrigin::signed(100), EthAddress::repeat_byte(1), 1_000),
			Error::<Test>::InsufficientBalance
		);
	});
}

// ---- settings and supply ----

#[test]
fn set_settings_is_for_governance() {
	new_test_ext().execute_with(|| {
		let settings = BaseSettings { dao: dao(), confirmations: 5, start_block: 9 };
		assert_noop!(
			Bridge::set_settings(RuntimeOrigin::signed(1), settings.clone()),
			DispatchError::BadOrigin
		);
		checked(|| {
			assert_ok!(Bridge::set_settings(RuntimeOrigin::root(), settings.clone()));
		});
		assert_eq!(Settings::<Test>::get(), settings.clone());
		assert_eq!(events().last(), Some(&Event::SettingsSet { settings }));
	});
}

#[test]
fn set_settings_fails_without_confirmations() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::set_settings(
				RuntimeOrigin::root(),
				BaseSettings { dao: dao(), confirmations: 0, start_block: 0 }
			),
			Error::<Test>::ZeroConfirmations
		);
	});
}

#[test]
fn supply_adds_up_after_deposits_withdrawals_and_burns() {
	new_test_ext().execute_with(|| {
		assert_eq!(GenesisIssuance::<Test>::get(), 2_000);
		for v in [1, 2, 3] {
			assert_ok!(attest(v, deposit(1, 7, 300)));
		}
		assert_ok!(Bridge::withdraw(RuntimeOrigin::signed(101), EthAddress::repeat_byte(1), 50));
		// A fee, burnt and counted.
		let fee = <Balances as frame_support::traits::fungible::Balanced<AccountId>>::withdraw(
			&100,
			20,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Preservation::Preserve,
			frame_support::traits::tokens::Fortitude::Polite,
		)
		.unwrap();
		crate::BurnAndCount::<Test, Balances>::on_unbalanced(fee);
		assert_eq!(
			Totals::<Test>::get(),
			BridgeTotals { deposited: 300, refunded: 0, withdrawn: 50, burned: 20 }
		);
		assert_eq!(Bridge::issuance(), 2_000 + 300 - 50 - 20);
		assert_eq!(Bridge::expected_issuance(0), Bridge::issuance());
	});
}
