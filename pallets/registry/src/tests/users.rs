//! Users' registration and deposits.

use super::*;

#[test]
fn register_user_holds_the_deposit() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(3);
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(1)));
		assert_eq!(
			Users::<Test>::get(1),
			Some(UserRecord { deposit: USER_DEPOSIT, registered_at: 3 })
		);
		assert_eq!(held_for_user(1), USER_DEPOSIT);
		assert_eq!(Balances::balance(&1), FUNDS - USER_DEPOSIT);
		System::assert_last_event(Event::UserRegistered { who: 1 }.into());
	});
}

#[test]
fn register_user_twice_fails() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(1)));
		assert_noop!(
			Registry::register_user(RuntimeOrigin::signed(1)),
			Error::<Test>::UserAlreadyRegistered
		);
	});
}

#[test]
fn register_user_without_the_deposit_fails() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Registry::register_user(RuntimeOrigin::signed(POOR)),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn a_worker_may_also_be_a_user() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(1)));
		assert_eq!((held_for_worker(1), held_for_user(1)), (WORKER_DEPOSIT, USER_DEPOSIT));
		assert_ok!(Registry::deregister_user(RuntimeOrigin::signed(1)));
		assert_eq!((held_for_worker(1), held_for_user(1)), (WORKER_DEPOSIT, 0));
	});
}

#[test]
fn deregister_user_releases_the_deposit() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(1)));
		assert_ok!(Registry::deregister_user(RuntimeOrigin::signed(1)));
		assert!(Users::<Test>::get(1).is_none());
		assert_eq!(held_for_user(1), 0);
		assert_eq!(Balances::balance(&1), FUNDS);
		System::assert_last_event(Event::UserDeregistered { who: 1 }.into());
	});
}

#[test]
fn deregister_user_of_an_unregistered_account_fails() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Registry::deregister_user(RuntimeOrigin::signed(1)),
			Error::<Test>::UserNotRegistered
		);
	});
}

#[test]
fn deregister_user_with_open_jobs_fails() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Registry::register_user(RuntimeOrigin::signed(1)));
		set_user_jobs(1, 2);
		assert_noop!(
			Registry::deregister_user(RuntimeOrigin::signed(1)),
			Error::<Test>::UserHasOpenJobs
		);
	});
}
