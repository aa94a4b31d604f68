use crate::{mock::*, pallet::*, Bond, BridgeSet, Error, Event, HoldReason};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, OneSessionHandler},
};
use pallet_session::SessionManager;
use smartnodes_primitives::bridge_key::{BridgeId, EthAddress};
use sp_core::{ecdsa, Pair};
use sp_runtime::{DispatchError, Perbill};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Collateral.into(), &who)
}

fn candidates() -> Vec<AccountId> {
	Candidates::<Test>::get().into_inner()
}

fn bonded_candidate(who: AccountId) {
	register_keys(who);
	assert_ok!(Validators::bond(RuntimeOrigin::signed(who), COLLATERAL));
	assert_ok!(Validators::join(RuntimeOrigin::signed(who)));
}

#[test]
fn genesis_bonds_and_activates_validators() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(candidates(), vec![1, 2, 3]);
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![1, 2, 3]);
		assert_eq!(held(1), COLLATERAL);
		assert_eq!(CollateralAmount::<Test>::get(), COLLATERAL);
	});
}

#[test]
fn bond_holds_collateral() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), 600));
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), 400));
		assert_eq!(held(4), COLLATERAL);
		assert_eq!(Ledger::<Test>::get(4), Some(Bond { amount: COLLATERAL, unbonding_at: None }));
		assert_eq!(last_event(), Event::Bonded { who: 4, amount: 400, total: COLLATERAL }.into());
	});
}

#[test]
fn bond_rejects_zero() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Validators::bond(RuntimeOrigin::signed(4), 0), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn bond_rejects_more_than_the_balance() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Validators::bond(RuntimeOrigin::signed(4), 10 * COLLATERAL + 1),
			Error::<Test>::InsufficientBalance
		);
		assert!(Ledger::<Test>::get(4).is_none());
	});
}

#[test]
fn join_adds_a_candidate_for_the_next_session() {
	ExtBuilder::default().build_and_execute(|| {
		register_keys(4);
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), COLLATERAL));
		assert_ok!(Validators::join(RuntimeOrigin::signed(4)));
		assert_eq!(last_event(), Event::Joined { who: 4 }.into());
		assert_eq!(candidates(), vec![1, 2, 3, 4]);
		// Planned at the next rotation, active one session later (pallet-session's queue).
		rotate_to(1);
		assert_eq!(QueuedSet::<Test>::get().into_inner(), vec![1, 2, 3, 4]);
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![1, 2, 3]);
		rotate_to(2);
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn join_requires_a_bond() {
	ExtBuilder::default().build_and_execute(|| {
		register_keys(4);
		assert_noop!(Validators::join(RuntimeOrigin::signed(4)), Error::<Test>::NotBonded);
	});
}

#[test]
fn join_requires_the_collateral_amount() {
	ExtBuilder::default().build_and_execute(|| {
		register_keys(4);
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), COLLATERAL - 1));
		assert_noop!(Validators::join(RuntimeOrigin::signed(4)), Error::<Test>::BondTooSmall);
	});
}

#[test]
fn join_twice_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Validators::join(RuntimeOrigin::signed(1)), Error::<Test>::AlreadyCandidate);
	});
}

#[test]
fn join_requires_session_keys() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), COLLATERAL));
		assert_noop!(Validators::join(RuntimeOrigin::signed(4)), Error::<Test>::NoSessionKeys);
	});
}

#[test]
fn join_a_full_set_fails() {
	ExtBuilder::default().build_and_execute(|| {
		bonded_candidate(4);
		bonded_candidate(5);
		register_keys(6);
		assert_ok!(Validators::bond(RuntimeOrigin::signed(6), COLLATERAL));
		assert_noop!(Validators::join(RuntimeOrigin::signed(6)), Error::<Test>::TooManyValidators);
		assert_eq!(candidates().len(), 5);
	});
}

#[test]
fn leave_starts_unbonding_and_drops_from_the_next_set() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		let unbonding_at = 1 + UNBONDING;
		assert_eq!(last_event(), Event::Left { who: 3, unbonding_at }.into());
		assert_eq!(Ledger::<Test>::get(3).unwrap().unbonding_at, Some(unbonding_at));
		assert_eq!(candidates(), vec![1, 2]);
		rotate_to(1);
		rotate_to(2);
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![1, 2]);
	});
}

#[test]
fn leave_when_not_a_candidate_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Validators::leave(RuntimeOrigin::signed(4)), Error::<Test>::NotCandidate);
	});
}

#[test]
fn leave_below_the_minimum_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		assert_noop!(Validators::leave(RuntimeOrigin::signed(2)), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn unbond_releases_the_collateral_after_the_period() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		rotate_to(1);
		rotate_to(2);
		System::set_block_number(1 + UNBONDING);
		assert_ok!(Validators::unbond(RuntimeOrigin::signed(3)));
		assert_eq!(last_event(), Event::Unbonded { who: 3, amount: COLLATERAL }.into());
		assert_eq!(held(3), 0);
		assert!(Ledger::<Test>::get(3).is_none());
	});
}

#[test]
fn unbond_a_bond_that_never_joined_is_immediate() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), 10));
		assert_ok!(Validators::unbond(RuntimeOrigin::signed(4)));
		assert_eq!(held(4), 0);
	});
}

#[test]
fn set_reward_address_works_and_unbond_clears_it() {
	ExtBuilder::default().build_and_execute(|| {
		let address = EthAddress::repeat_byte(7);
		assert_ok!(Validators::bond(RuntimeOrigin::signed(4), 10));
		assert_ok!(Validators::set_reward_address(RuntimeOrigin::signed(4), address));
		assert_eq!(RewardAddresses::<Test>::get(4), Some(address));
		System::assert_last_event(Event::RewardAddressSet { who: 4, address }.into());
		assert_eq!(
			<Validators as smartnodes_primitives::ledger::SigningSet<_>>::reward_address(&4),
			Some(address)
		);
		assert_ok!(Validators::unbond(RuntimeOrigin::signed(4)));
		assert_eq!(RewardAddresses::<Test>::get(4), None);
	});
}

#[test]
fn set_reward_address_requires_a_bond() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Validators::set_reward_address(RuntimeOrigin::signed(4), EthAddress::repeat_byte(7)),
			Error::<Test>::NotBonded
		);
	});
}

#[test]
fn set_reward_address_refuses_zero() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Validators::set_reward_address(RuntimeOrigin::signed(1), EthAddress::zero()),
			Error::<Test>::ZeroAddress
		);
	});
}

#[test]
fn unbond_without_a_bond_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Validators::unbond(RuntimeOrigin::signed(4)), Error::<Test>::NotBonded);
	});
}

#[test]
fn unbond_as_a_candidate_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Validators::unbond(RuntimeOrigin::signed(1)), Error::<Test>::StillCandidate);
	});
}

#[test]
fn unbond_before_the_period_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		System::set_block_number(UNBONDING);
		assert_noop!(Validators::unbond(RuntimeOrigin::signed(3)), Error::<Test>::StillUnbonding);
	});
}

#[test]
fn unbond_while_still_in_the_set_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		System::set_block_number(1 + UNBONDING);
		// No session rotated yet: 3 still validates.
		assert_noop!(Validators::unbond(RuntimeOrigin::signed(3)), Error::<Test>::StillActive);
	});
}

#[test]
fn rejoining_cancels_unbonding() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		assert_ok!(Validators::join(RuntimeOrigin::signed(3)));
		assert_eq!(Ledger::<Test>::get(3).unwrap().unbonding_at, None);
	});
}

#[test]
fn governance_sets_parameters() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::set_collateral_amount(RuntimeOrigin::root(), 2 * COLLATERAL));
		assert_eq!(last_event(), Event::CollateralAmountSet { amount: 2 * COLLATERAL }.into());
		assert_eq!(CollateralAmount::<Test>::get(), 2 * COLLATERAL);

		assert_ok!(Validators::set_unbonding_period(RuntimeOrigin::root(), 99));
		assert_eq!(last_event(), Event::UnbondingPeriodSet { blocks: 99 }.into());
		assert_eq!(UnbondingPeriod::<Test>::get(), 99);

		let fraction = Perbill::from_percent(50);
		assert_ok!(Validators::set_slash_fraction(RuntimeOrigin::root(), fraction));
		assert_eq!(last_event(), Event::SlashFractionSet { fraction }.into());
		assert_eq!(SlashFraction::<Test>::get(), fraction);
	});
}

#[test]
fn governance_calls_need_root() {
	ExtBuilder::default().build_and_execute(|| {
		let origin = || RuntimeOrigin::signed(1);
		assert_noop!(Validators::set_collateral_amount(origin(), 1), DispatchError::BadOrigin);
		assert_noop!(Validators::set_unbonding_period(origin(), 1), DispatchError::BadOrigin);
		assert_noop!(
			Validators::set_slash_fraction(origin(), Perbill::one()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn zero_collateral_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Validators::set_collateral_amount(RuntimeOrigin::root(), 0),
			Error::<Test>::ZeroCollateral
		);
	});
}

#[test]
fn raising_the_collateral_leaves_underbonded_candidates_out() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::set_collateral_amount(RuntimeOrigin::root(), 2 * COLLATERAL));
		assert_ok!(Validators::bond(RuntimeOrigin::signed(1), COLLATERAL));
		assert_ok!(Validators::bond(RuntimeOrigin::signed(2), COLLATERAL));
		rotate_to(1);
		assert_eq!(QueuedSet::<Test>::get().into_inner(), vec![1, 2]);
		assert_eq!(last_event(), Event::NewSetPlanned { session: 2, validators: 2 }.into());
	});
}

#[test]
fn an_empty_eligible_set_keeps_the_current_one() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::set_collateral_amount(RuntimeOrigin::root(), 5 * COLLATERAL));
		assert_eq!(Validators::new_session(2), None);
		rotate_to(1);
		rotate_to(2);
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![1, 2, 3]);
	});
}

#[test]
fn offence_slashes_once_per_session_and_removes_the_offender() {
	ExtBuilder::default().build_and_execute(|| {
		let offenders = [OffenceDetails { offender: (2, ()), reporters: vec![5] }];
		// The configured 10% applies whatever fraction the offence computed.
		Validators::on_offence(&offenders, &[Perbill::from_percent(1)], 0);
		assert_eq!(last_event(), Event::Slashed { who: 2, amount: 100, session: 0 }.into());
		assert_eq!(held(2), COLLATERAL - 100);
		assert_eq!(Ledger::<Test>::get(2).unwrap().amount, COLLATERAL - 100);
		assert_eq!(candidates(), vec![1, 3]);
		assert_eq!(disabled(), vec![2]);

		// A later report of the same session does not slash again.
		Validators::on_offence(&offenders, &[Perbill::from_percent(50)], 0);
		assert_eq!(held(2), COLLATERAL - 100);

		// The offender leaves the set at the next planned session and can unbond later.
		rotate_to(1);
		rotate_to(2);
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![1, 3]);
		System::set_block_number(1 + UNBONDING);
		assert_ok!(Validators::unbond(RuntimeOrigin::signed(2)));
		assert_eq!(held(2), 0);
	});
}

#[test]
fn the_governance_fraction_is_what_is_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Validators::set_slash_fraction(
			RuntimeOrigin::root(),
			Perbill::from_percent(30)
		));
		let offenders = [OffenceDetails { offender: (1, ()), reporters: vec![] }];
		Validators::on_offence(&offenders, &[Perbill::from_percent(90)], 0);
		assert_eq!(held(1), COLLATERAL - 300);
	});
}

#[test]
fn slash_records_are_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		let offenders = [OffenceDetails { offender: (1, ()), reporters: vec![] }];
		Validators::on_offence(&offenders, &[Perbill::zero()], 0);
		assert!(SlashedInSession::<Test>::contains_key(0, 1));
		for i in 1..=4 {
			rotate_to(i);
		}
		assert!(!SlashedInSession::<Test>::contains_key(0, 1));
	});
}

fn bridge_key(seed: u8) -> (BridgeId, sp_core::H160) {
	let pair = ecdsa::Pair::from_seed(&[seed; 32]);
	let public = pair.public();
	let address = smartnodes_primitives::bridge_key::eth_address(&public.0).unwrap();
	(BridgeId::from(public), address)
}

#[test]
fn bridge_sets_follow_session_keys() {
	ExtBuilder::default().build_and_execute(|| {
		let (k1, a1) = bridge_key(1);
		let (k2, a2) = bridge_key(2);
		let (k3, a3) = bridge_key(3);
		let mut genesis = vec![a1, a2];
		genesis.sort();

		Validators::on_genesis_session(vec![(&1, k1.clone()), (&2, k2.clone())].into_iter());
		assert_eq!(BridgeAuthorities::<Test>::get().set_id, 0);
		assert_eq!(BridgeAuthorities::<Test>::get().addresses.into_inner(), genesis);

		// Same sets: nothing changes.
		Validators::on_new_session(
			false,
			vec![(&1, k1.clone()), (&2, k2.clone())].into_iter(),
			vec![(&1, k1.clone()), (&2, k2.clone())].into_iter(),
		);
		assert_eq!(NextBridgeAuthorities::<Test>::get(), BridgeAuthorities::<Test>::get());

		// A third validator is queued: the next set gets id 1; the current one keeps id 0.
		Validators::on_new_session(
			true,
			vec![(&1, k1.clone()), (&2, k2.clone())].into_iter(),
			vec![(&1, k1.clone()), (&2, k2.clone()), (&3, k3.clone())].into_iter(),
		);
		let mut three = vec![a1, a2, a3];
		three.sort();
		assert_eq!(BridgeAuthorities::<Test>::get().set_id, 0);
		let next = NextBridgeAuthorities::<Test>::get();
		assert_eq!(next.set_id, 1);
		assert_eq!(next.addresses.clone().into_inner(), three.clone());
		assert_eq!(last_event(), Event::BridgeSetChanged { set_id: 1, addresses: three }.into());

		// It becomes current with the same id.
		Validators::on_new_session(
			true,
			vec![(&1, k1.clone()), (&2, k2.clone()), (&3, k3.clone())].into_iter(),
			vec![(&1, k1), (&2, k2), (&3, k3)].into_iter(),
		);
		assert_eq!(BridgeAuthorities::<Test>::get(), next);
		assert_eq!(Validators::bridge_authorities(), BridgeSet { ..next });
	});
}

#[test]
fn try_state_catches_a_bond_without_a_hold() {
	ExtBuilder::default().build().execute_with(|| {
		Ledger::<Test>::insert(9, Bond { amount: 5, unbonding_at: None });
		assert!(Validators::do_try_state().is_err());
	});
}

#[test]
fn genesis_with_other_validators() {
	ExtBuilder::default().validators(vec![4, 5]).build_and_execute(|| {
		assert_eq!(ActiveSet::<Test>::get().into_inner(), vec![4, 5]);
	});
}
