//! A worker's life: registration, oversize arguments, updates, pausing, deregistration.

use super::*;

#[test]
fn register_worker_holds_the_deposit_and_joins_every_network() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		System::set_block_number(5);
		register(1, &[a, b]);

		assert_eq!(
			worker(1),
			Worker {
				identity: key(1),
				endpoint: endpoint(),
				capacity: capacity(),
				payout: payout(1),
				networks: nets(&[a, b]),
				validator: VALIDATOR,
				paused: false,
				deposit: WORKER_DEPOSIT,
				registered_at: 5,
			}
		);
		assert_eq!(Identities::<Test>::get(key(1)), Some(1));
		assert_eq!(held_for_worker(1), WORKER_DEPOSIT);
		assert_eq!(Balances::balance(&1), FUNDS - WORKER_DEPOSIT);
		assert_eq!(members(a), vec![1]);
		assert_eq!(members(b), vec![1]);
		assert_eq!(MemberIndex::<Test>::get(a, 1), Some(0));
		System::assert_last_event(
			Event::WorkerRegistered { who: 1, identity: key(1), networks: nets(&[a, b]) }.into(),
		);
	});
}

#[test]
fn register_worker_twice_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_noop!(
			register_with(1, key(9), capacity(), &[id]),
			Error::<Test>::WorkerAlreadyRegistered
		);
	});
}

#[test]
fn register_worker_with_a_taken_identity_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_noop!(register_with(2, key(1), capacity(), &[id]), Error::<Test>::IdentityInUse);
	});
}

#[test]
fn register_worker_with_an_empty_endpoint_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_noop!(
			Registry::register_worker(
				RuntimeOrigin::signed(1),
				key(1),
				BoundedVec::new(),
				capacity(),
				payout(1),
				nets(&[id]),
				VALIDATOR
			),
			Error::<Test>::EmptyEndpoint
		);
	});
}

#[test]
fn register_worker_with_the_zero_payout_address_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_noop!(
			Registry::register_worker(
				RuntimeOrigin::signed(1),
				key(1),
				endpoint(),
				capacity(),
				EthAddress::zero(),
				nets(&[id]),
				VALIDATOR
			),
			Error::<Test>::ZeroPayoutAddress
		);
	});
}

#[test]
fn register_worker_without_cores_or_memory_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("open");
		assert_ok!(Registry::update_network(RuntimeOrigin::root(), id, 0, Capacity::default(), 0));
		for empty in
			[Capacity { cpu_cores: 0, ..capacity() }, Capacity { memory_mib: 0, ..capacity() }]
		{
			assert_noop!(register_with(1, key(1), empty, &[id]), Error::<Test>::ZeroCapacity);
		}
	});
}

#[test]
fn register_worker_without_networks_fails() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(register_with(1, key(1), capacity(), &[]), Error::<Test>::NoNetworks);
	});
}

#[test]
fn register_worker_listing_a_network_twice_fails() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		assert_noop!(
			register_with(1, key(1), capacity(), &[a, b, a]),
			Error::<Test>::DuplicateNetwork
		);
	});
}

#[test]
fn register_worker_in_an_unknown_network_fails() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		assert_noop!(register_with(1, key(1), capacity(), &[a, 5]), Error::<Test>::NetworkNotFound);
	});
}

#[test]
fn register_worker_in_a_retired_network_fails() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), b));
		assert_noop!(register_with(1, key(1), capacity(), &[a, b]), Error::<Test>::NetworkRetired);
	});
}

#[test]
fn register_worker_below_a_networks_capacity_fails() {
	ExtBuilder.build_and_execute(|| {
		let cpu = create("cpu");
		let gpu = create("gpu");
		let need_gpu = Capacity { gpu: Some(Gpu { count: 1, memory_mib: 8_192 }), ..minimum() };
		assert_ok!(Registry::update_network(RuntimeOrigin::root(), gpu, 1_000, need_gpu, 50));

		let small = Capacity { cpu_cores: 1, ..capacity() };
		assert_noop!(register_with(1, key(1), small, &[cpu]), Error::<Test>::CapacityBelowMinimum);
		assert_noop!(
			register_with(1, key(1), capacity(), &[cpu, gpu]),
			Error::<Test>::CapacityBelowMinimum
		);
		let with_gpu = Capacity { gpu: Some(Gpu { count: 2, memory_mib: 24_576 }), ..capacity() };
		assert_ok!(register_with(1, key(1), with_gpu, &[cpu, gpu]));
	});
}

#[test]
fn register_worker_below_a_networks_reputation_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		set_score(1, 999);
		assert_noop!(
			register_with(1, key(1), capacity(), &[id]),
			Error::<Test>::ReputationBelowMinimum
		);
		set_score(1, 1_000);
		assert_ok!(register_with(1, key(1), capacity(), &[id]));
	});
}

#[test]
fn register_worker_with_an_unbonded_validator_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_noop!(
			Registry::register_worker(
				RuntimeOrigin::signed(1),
				key(1),
				endpoint(),
				capacity(),
				payout(1),
				nets(&[id]),
				VALIDATOR + 1
			),
			Error::<Test>::UnknownValidator
		);
	});
}

#[test]
fn register_worker_while_blacklisted_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		set_blacklisted(1);
		assert_noop!(register_with(1, key(1), capacity(), &[id]), Error::<Test>::Blacklisted);
	});
}

#[test]
fn register_worker_without_the_deposit_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_noop!(
			register_with(POOR, key(POOR), capacity(), &[id]),
			Error::<Test>::InsufficientBalance
		);
		// The deposit must leave the existential deposit free.
		<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&2, WORKER_DEPOSIT);
		assert_noop!(
			register_with(2, key(2), capacity(), &[id]),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn register_worker_needs_a_signed_origin() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_noop!(
			Registry::register_worker(
				RuntimeOrigin::root(),
				key(1),
				endpoint(),
				capacity(),
				payout(1),
				nets(&[id]),
				VALIDATOR
			),
			DispatchError::BadOrigin
		);
	});
}

// --- oversize arguments ---

/// Registry is the third pallet of the mock runtime.
const PALLET: u8 = 2;

fn decodes(bytes: Vec<u8>) -> bool {
	RuntimeCall::decode(&mut &bytes[..]).is_ok()
}

fn create_network_bytes(name_len: usize) -> Vec<u8> {
	(PALLET, 0u8, vec![b'n'; name_len], JobKind::Wasm, 0u32, minimum(), Compact(0u128)).encode()
}

fn register_worker_bytes(endpoint_len: usize, networks: u32) -> Vec<u8> {
	(
		PALLET,
		3u8,
		key(1),
		vec![b'e'; endpoint_len],
		capacity(),
		payout(1),
		(0..networks).collect::<Vec<NetworkId>>(),
		VALIDATOR,
	)
		.encode()
}

fn update_worker_bytes(endpoint_len: usize, networks: u32) -> Vec<u8> {
	(
		PALLET,
		4u8,
		vec![b'e'; endpoint_len],
		capacity(),
		payout(1),
		(0..networks).collect::<Vec<NetworkId>>(),
		VALIDATOR,
	)
		.encode()
}

#[test]
fn oversize_names_endpoints_and_network_lists_do_not_decode() {
	ExtBuilder.build_and_execute(|| {
		assert!(decodes(create_network_bytes(32)));
		assert!(!decodes(create_network_bytes(33)));

		assert!(decodes(register_worker_bytes(128, 8)));
		assert!(!decodes(register_worker_bytes(129, 8)));
		assert!(!decodes(register_worker_bytes(128, 9)));

		assert!(decodes(update_worker_bytes(128, 8)));
		assert!(!decodes(update_worker_bytes(129, 8)));
		assert!(!decodes(update_worker_bytes(128, 9)));
	});
}

// --- update_worker ---

#[test]
fn update_worker_replaces_credentials_and_moves_between_lists() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		let c = create("c");
		register(1, &[a, b]);
		register(2, &[a, b]);
		add_validator(VALIDATOR + 1);

		let new_endpoint: BoundedVec<u8, MaxEndpointLen> =
			b"https://w1".to_vec().try_into().unwrap();
		let new_capacity = Capacity { cpu_cores: 16, ..capacity() };
		assert_ok!(Registry::update_worker(
			RuntimeOrigin::signed(1),
			new_endpoint.clone(),
			new_capacity,
			payout(7),
			nets(&[b, c]),
			VALIDATOR + 1
		));

		let w = worker(1);
		assert_eq!(w.endpoint, new_endpoint);
		assert_eq!(w.capacity, new_capacity);
		assert_eq!(w.payout, payout(7));
		assert_eq!(w.networks, nets(&[b, c]));
		assert_eq!(w.validator, VALIDATOR + 1);
		assert_eq!((w.identity, w.deposit, w.registered_at), (key(1), WORKER_DEPOSIT, 1));
		assert_eq!(held_for_worker(1), WORKER_DEPOSIT);
		// Left a (2 moved into its place), kept its place in b, joined c.
		assert_eq!(members(a), vec![2]);
		assert_eq!(members(b), vec![1, 2]);
		assert_eq!(members(c), vec![1]);
		// It moved to its new validator's attached workers.
		assert!(!Attached::<Test>::contains_key(VALIDATOR, 1));
		assert!(Attached::<Test>::contains_key(VALIDATOR + 1, 1));
		assert_eq!(Registry::attached_workers(&VALIDATOR), vec![2]);
		assert_eq!(Registry::attached_workers(&(VALIDATOR + 1)), vec![1]);
		System::assert_last_event(Event::WorkerUpdated { who: 1 }.into());
	});
}

#[test]
fn update_worker_while_paused_joins_no_list() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		register(1, &[a]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		assert_ok!(update(1, &[b]));
		assert!(members(a).is_empty());
		assert!(members(b).is_empty());
		assert_ok!(Registry::resume_worker(RuntimeOrigin::signed(1)));
		assert_eq!(members(b), vec![1]);
	});
}

#[test]
fn update_worker_of_an_unregistered_account_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_noop!(update(1, &[id]), Error::<Test>::WorkerNotRegistered);
	});
}

#[test]
fn update_worker_while_blacklisted_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		blacklist(1);
		assert_noop!(update(1, &[id]), Error::<Test>::Blacklisted);
	});
}

#[test]
fn update_worker_rechecks_every_listed_network() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		register(1, &[a, b]);
		// b now asks for more than the worker has; the worker must leave it to update.
		let bigger = Capacity { cpu_cores: 12, ..minimum() };
		assert_ok!(Registry::update_network(RuntimeOrigin::root(), b, 1_000, bigger, 50));
		assert_noop!(update(1, &[a, b]), Error::<Test>::CapacityBelowMinimum);
		assert_ok!(update(1, &[a]));
		assert!(members(b).is_empty());

		set_score(1, 500);
		assert_noop!(update(1, &[a]), Error::<Test>::ReputationBelowMinimum);
	});
}

#[test]
fn update_worker_checks_its_own_credentials() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		let call = |endpoint: BoundedVec<u8, MaxEndpointLen>, capacity, payout, networks| {
			Registry::update_worker(
				RuntimeOrigin::signed(1),
				endpoint,
				capacity,
				payout,
				networks,
				VALIDATOR,
			)
		};
		assert_noop!(
			call(BoundedVec::new(), capacity(), payout(1), nets(&[id])),
			Error::<Test>::EmptyEndpoint
		);
		assert_noop!(
			call(endpoint(), capacity(), EthAddress::zero(), nets(&[id])),
			Error::<Test>::ZeroPayoutAddress
		);
		assert_noop!(
			call(endpoint(), Capacity { memory_mib: 0, ..capacity() }, payout(1), nets(&[id])),
			Error::<Test>::ZeroCapacity
		);
		assert_noop!(call(endpoint(), capacity(), payout(1), nets(&[])), Error::<Test>::NoNetworks);
		assert_noop!(
			call(endpoint(), capacity(), payout(1), nets(&[id, id])),
			Error::<Test>::DuplicateNetwork
		);
		assert_noop!(
			call(endpoint(), capacity(), payout(1), nets(&[id, 3])),
			Error::<Test>::NetworkNotFound
		);
	});
}

#[test]
fn update_worker_after_its_validator_unbonded_must_pick_another() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		remove_validator(VALIDATOR);
		assert_noop!(update(1, &[id]), Error::<Test>::UnknownValidator);
	});
}

#[test]
fn update_worker_may_keep_but_not_add_a_retired_network() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		let c = create("c");
		register(1, &[a, b]);
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), b));
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), c));
		assert_noop!(update(1, &[a, b, c]), Error::<Test>::NetworkRetired);
		assert_ok!(update(1, &[a, b]));
		assert_ok!(update(1, &[a]));
		assert!(members(b).is_empty());
		assert_noop!(update(1, &[a, b]), Error::<Test>::NetworkRetired);
	});
}

// --- pause, resume, deregister ---

#[test]
fn pause_worker_leaves_every_list() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		register(1, &[a, b]);
		register(2, &[a]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		assert!(worker(1).paused);
		assert_eq!(members(a), vec![2]);
		assert!(members(b).is_empty());
		assert_eq!(MemberCount::<Test>::get(b), 0);
		assert_eq!(held_for_worker(1), WORKER_DEPOSIT);
		System::assert_last_event(Event::WorkerPaused { who: 1 }.into());
	});
}

#[test]
fn pause_worker_twice_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		assert_noop!(
			Registry::pause_worker(RuntimeOrigin::signed(1)),
			Error::<Test>::AlreadyPaused
		);
	});
}

#[test]
fn pause_resume_or_deregister_of_an_unregistered_account_fails() {
	ExtBuilder.build_and_execute(|| {
		let origin = || RuntimeOrigin::signed(1);
		assert_noop!(Registry::pause_worker(origin()), Error::<Test>::WorkerNotRegistered);
		assert_noop!(Registry::resume_worker(origin()), Error::<Test>::WorkerNotRegistered);
		assert_noop!(Registry::deregister_worker(origin()), Error::<Test>::WorkerNotRegistered);
	});
}

#[test]
fn resume_worker_rejoins_every_list() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		register(1, &[a, b]);
		register(2, &[a]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		assert_ok!(Registry::resume_worker(RuntimeOrigin::signed(1)));
		assert!(!worker(1).paused);
		assert_eq!(members(a), vec![2, 1]);
		assert_eq!(members(b), vec![1]);
		System::assert_last_event(Event::WorkerResumed { who: 1 }.into());
	});
}

#[test]
fn resume_worker_rejoins_a_retired_network_it_still_lists() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), id));
		// Membership follows the worker's own list; the jobs pallet sends no jobs to a retired
		// network, so being in its list costs nothing.
		assert_ok!(Registry::resume_worker(RuntimeOrigin::signed(1)));
		assert_eq!(members(id), vec![1]);
	});
}

#[test]
fn resume_worker_that_is_not_paused_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_noop!(Registry::resume_worker(RuntimeOrigin::signed(1)), Error::<Test>::NotPaused);
	});
}

#[test]
fn resume_worker_while_blacklisted_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		blacklist(1);
		assert_noop!(Registry::resume_worker(RuntimeOrigin::signed(1)), Error::<Test>::Blacklisted);
	});
}

#[test]
fn deregister_worker_releases_the_deposit_and_frees_the_identity() {
	ExtBuilder.build_and_execute(|| {
		let a = create("a");
		let b = create("b");
		register(1, &[a, b]);
		register(2, &[a]);
		assert_ok!(Registry::deregister_worker(RuntimeOrigin::signed(1)));

		assert!(Workers::<Test>::get(1).is_none());
		assert!(Identities::<Test>::get(key(1)).is_none());
		assert!(!Attached::<Test>::contains_key(VALIDATOR, 1));
		assert_eq!(held_for_worker(1), 0);
		assert_eq!(Balances::balance(&1), FUNDS);
		assert_eq!(members(a), vec![2]);
		assert!(members(b).is_empty());
		System::assert_last_event(Event::WorkerDeregistered { who: 1 }.into());

		// The key is free for another account.
		assert_ok!(register_with(3, key(1), capacity(), &[a]));
	});
}

#[test]
fn deregister_worker_with_open_jobs_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		set_worker_load(1, 1);
		assert_noop!(
			Registry::deregister_worker(RuntimeOrigin::signed(1)),
			Error::<Test>::WorkerHasOpenJobs
		);
		set_worker_load(1, 0);
		assert_ok!(Registry::deregister_worker(RuntimeOrigin::signed(1)));
	});
}

#[test]
fn paused_or_blacklisted_workers_may_deregister() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		register(2, &[id]);
		assert_ok!(Registry::pause_worker(RuntimeOrigin::signed(1)));
		blacklist(2);
		assert_ok!(Registry::deregister_worker(RuntimeOrigin::signed(1)));
		assert_ok!(Registry::deregister_worker(RuntimeOrigin::signed(2)));
		assert_eq!(Balances::balance(&2), FUNDS);
	});
}
