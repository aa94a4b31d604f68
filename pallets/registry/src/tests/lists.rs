//! The assignment lists, the blacklist hooks, the read helpers and the invariants.

use super::*;

#[test]
fn leaving_moves_the_last_member_into_the_gap() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		for who in 1..=5 {
			register(who, &[id]);
		}
		assert_eq!(members(id), vec![1, 2, 3, 4, 5]);

		let pause = |who| {
			assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(who)));
		};
		pause(2);
		assert_eq!(members(id), vec![1, 5, 3, 4]);
		assert_eq!(MemberIndex::<Test>::get(id, 5), Some(1));
		assert!(MemberIndex::<Test>::get(id, 2).is_none());
		pause(4); // the last member: nothing moves
		assert_eq!(members(id), vec![1, 5, 3]);
		pause(1);
		assert_eq!(members(id), vec![3, 5]);
		assert_eq!(Members::<Test>::iter_prefix(id).count(), 2);

		assert_ok!(Registry::resume_worker(RuntimeOrigin::signed(2)));
		assert_eq!(members(id), vec![3, 5, 2]);
		for who in [3, 5, 2] {
			assert_ok!(Registry::deregister_worker(RuntimeOrigin::signed(who)));
		}
		assert!(members(id).is_empty());
		assert!(!MemberCount::<Test>::contains_key(id));
		assert_eq!(Members::<Test>::iter_prefix(id).count(), 0);
		assert_eq!(MemberIndex::<Test>::iter_prefix(id).count(), 0);
	});
}

#[test]
fn blacklisting_removes_a_worker_from_every_list_and_pardon_restores_it() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		register(1, &[a, b]);
		register(2, &[a, b]);
		blacklist(1);
		assert_eq!(members(a), vec![2]);
		assert_eq!(members(b), vec![2]);
		assert!(!worker(1).paused);
		// Repeating the hook changes nothing.
		<Registry as OnBlacklist<AccountId>>::blacklisted(Role::Worker, &1);
		assert_eq!(members(a), vec![2]);

		pardon(1);
		assert_eq!(members(a), vec![2, 1]);
		assert_eq!(members(b), vec![2, 1]);
		<Registry as OnBlacklist<AccountId>>::pardoned(Role::Worker, &1);
		assert_eq!(members(a), vec![2, 1]);
	});
}

#[test]
fn pardon_leaves_a_paused_worker_out() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		blacklist(1);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		pardon(1);
		assert!(members(id).is_empty());
		assert_ok!(Registry::resume_worker(RuntimeOrigin::signed(1)));
		assert_eq!(members(id), vec![1]);
	});
}

#[test]
fn blacklist_hooks_ignore_validators_and_strangers() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		<Registry as OnBlacklist<AccountId>>::blacklisted(Role::Validator, &1);
		assert_eq!(members(id), vec![1]);
		<Registry as OnBlacklist<AccountId>>::blacklisted(Role::Worker, &7);
		<Registry as OnBlacklist<AccountId>>::pardoned(Role::Worker, &7);
		assert_eq!(members(id), vec![1]);
		assert!(Workers::<Test>::get(7).is_none());
	});
}

// --- reads ---

#[test]
fn registry_trait_reads_networks_workers_users_and_lists() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		register(2, &[id]);
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(3)));

		assert_eq!(
			Registry::network(id),
			Some(NetworkTerms {
				kind: JobKind::Wasm,
				min_reputation: 1_000,
				price_floor: 50,
				retired: false
			})
		);
		assert_eq!(Registry::network(9), None);
		assert!(Registry::is_user(&3));
		assert!(!Registry::is_user(&1));
		assert_eq!(
			Registry::worker(&1),
			Some(WorkerTerms {
				identity: key(1),
				payout: payout(1),
				capacity: capacity(),
				validator: VALIDATOR,
				endpoint: endpoint().into_inner(),
			})
		);
		assert_eq!(Registry::worker(&3), None);
		assert_eq!(Registry::member_count(id), 2);
		assert_eq!(Registry::member_at(id, 1), Some(2));
		assert_eq!(Registry::member_at(id, 2), None);
		assert_eq!(Registry::member_count(9), 0);
	});
}

#[test]
fn standings_report_records_with_score_and_blacklisting() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		set_score(1, 7_500);
		assert_eq!(
			Registry::worker_standing(&1),
			Some(WorkerStanding { worker: worker(1), score: 7_500, blacklisted: false })
		);
		blacklist(1);
		assert!(Registry::worker_standing(&1).unwrap().blacklisted);
		assert_eq!(Registry::worker_standing(&2), None);

		assert_eq!(Registry::user_standing(&2), None);
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(2)));
		assert_eq!(
			Registry::user_standing(&2),
			Some(UserRecord { deposit: USER_DEPOSIT, registered_at: 1 })
		);
	});
}

// --- invariants ---

#[test]
fn try_state_catches_a_broken_list() {
	ExtBuilder.build().execute_with(|| {
		let id = create("wasm");
		register(1, &[id]);
		register(2, &[id]);
		assert_ok!(Registry::do_try_state());
		MemberCount::<Test>::insert(id, 3);
		assert!(Registry::do_try_state().is_err());
		MemberCount::<Test>::insert(id, 2);
		MemberIndex::<Test>::insert(id, 2, 0);
		assert!(Registry::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_a_worker_missing_from_a_list() {
	ExtBuilder.build().execute_with(|| {
		let id = create("wasm");
		register(1, &[id]);
		// Blacklisted behind the registry's back: still listed although it may not be.
		set_blacklisted(1);
		assert!(Registry::do_try_state().is_err());
		Registry::leave(id, &1);
		assert_ok!(Registry::do_try_state());
	});
}

#[test]
fn try_state_catches_a_deposit_without_a_hold_and_a_stray_identity() {
	ExtBuilder.build().execute_with(|| {
		let id = create("wasm");
		register(1, &[id]);
		Workers::<Test>::mutate(1, |w| w.as_mut().unwrap().deposit = 1);
		assert!(Registry::do_try_state().is_err());
		Workers::<Test>::mutate(1, |w| w.as_mut().unwrap().deposit = WORKER_DEPOSIT);
		Identities::<Test>::insert([0xAA; 32], 1);
		assert!(Registry::do_try_state().is_err());
	});
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn bench_helpers_keep_the_invariants() {
	ExtBuilder.build_and_execute(|| {
		let a = Registry::bench_network();
		let b = Registry::bench_network();
		assert_eq!((a, b), (0, 1));
		Registry::bench_worker(&1, key(1), payout(1), a);
		Registry::bench_worker(&1, key(1), payout(1), b);
		Registry::bench_worker(&2, key(2), payout(2), a);
		assert_eq!(members(a), vec![1, 2]);
		assert_eq!(members(b), vec![1]);
		assert_eq!(worker(1).networks, nets(&[a, b]));
		assert_ok!(Registry::do_try_state());

		// A paused worker made active again rejoins everything; a new key replaces the old.
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		Registry::bench_worker(&1, key(9), payout(9), b);
		assert_eq!(members(b), vec![1]);
		assert_eq!(Identities::<Test>::get(key(9)), Some(1));
		assert!(Identities::<Test>::get(key(1)).is_none());
		assert_ok!(Registry::do_try_state());

		Registry::bench_user(&3);
		Registry::bench_user(&3);
		assert!(Registry::is_user(&3));
		// A bench worker can use the real calls.
		assert_ok!(Registry::deregister_worker(RuntimeOrigin::signed(2)));
	});
}
