//! Governance's networks: creation, rule changes, retirement.

use super::*;

#[test]
fn create_network_stores_it_under_the_next_id() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Registry::create_network(
			RuntimeOrigin::root(),
			name("wasm"),
			JobKind::Wasm,
			1_000,
			minimum(),
			50
		));
		assert_eq!(
			Networks::<Test>::get(0),
			Some(crate::Network {
				name: name("wasm"),
				kind: JobKind::Wasm,
				min_reputation: 1_000,
				min_capacity: minimum(),
				price_floor: 50,
				retired: false,
			})
		);
		assert_eq!(NextNetworkId::<Test>::get(), 1);
		System::assert_last_event(
			Event::NetworkCreated { id: 0, name: name("wasm"), kind: JobKind::Wasm }.into(),
		);
		assert_eq!(create("second"), 1);
		assert_eq!(NextNetworkId::<Test>::get(), 2);
	});
}

#[test]
fn network_calls_need_root() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		let origin = || RuntimeOrigin::signed(1);
		assert_noop!(
			Registry::create_network(origin(), name("x"), JobKind::Wasm, 0, minimum(), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::update_network(origin(), id, 0, minimum(), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(Registry::retire_network(origin(), id), DispatchError::BadOrigin);
	});
}

#[test]
fn create_network_rejects_an_empty_name() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Registry::create_network(
				RuntimeOrigin::root(),
				BoundedVec::new(),
				JobKind::Wasm,
				0,
				minimum(),
				0
			),
			Error::<Test>::EmptyName
		);
	});
}

#[test]
fn create_network_fails_once_every_id_is_used() {
	ExtBuilder.build_and_execute(|| {
		NextNetworkId::<Test>::put(NetworkId::MAX);
		assert_noop!(
			Registry::create_network(
				RuntimeOrigin::root(),
				name("last"),
				JobKind::Wasm,
				0,
				minimum(),
				0
			),
			Error::<Test>::TooManyNetworks
		);
	});
}

#[test]
fn update_network_changes_the_rules_but_keeps_the_members() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		let bigger = Capacity { cpu_cores: 32, ..minimum() };
		assert_ok!(Registry::update_network(RuntimeOrigin::root(), id, 9_000, bigger, 70));

		let network = Networks::<Test>::get(id).unwrap();
		assert_eq!(
			(network.min_reputation, network.min_capacity, network.price_floor),
			(9_000, bigger, 70)
		);
		System::assert_last_event(
			Event::NetworkUpdated {
				id,
				min_reputation: 9_000,
				min_capacity: bigger,
				price_floor: 70,
			}
			.into(),
		);
		// Not re-checked: the member stays until it next updates.
		assert_eq!(members(id), vec![1]);
		assert_noop!(
			register_with(2, key(2), capacity(), &[id]),
			Error::<Test>::CapacityBelowMinimum
		);
	});
}

#[test]
fn update_network_of_an_unknown_network_fails() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Registry::update_network(RuntimeOrigin::root(), 7, 0, minimum(), 0),
			Error::<Test>::NetworkNotFound
		);
	});
}

#[test]
fn update_network_of_a_retired_network_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), id));
		assert_noop!(
			Registry::update_network(RuntimeOrigin::root(), id, 0, minimum(), 0),
			Error::<Test>::NetworkRetired
		);
	});
}

#[test]
fn retire_network_closes_admission_and_leaves_the_list() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		register(1, &[id]);
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), id));
		assert!(Networks::<Test>::get(id).unwrap().retired);
		System::assert_last_event(Event::NetworkRetired { id }.into());
		assert_eq!(members(id), vec![1]);
		assert_noop!(register_with(2, key(2), capacity(), &[id]), Error::<Test>::NetworkRetired);
	});
}

#[test]
fn retire_network_twice_or_unknown_fails() {
	ExtBuilder.build_and_execute(|| {
		let id = create("wasm");
		assert_ok!(Registry::retire_network(RuntimeOrigin::root(), id));
		assert_noop!(
			Registry::retire_network(RuntimeOrigin::root(), id),
			Error::<Test>::NetworkRetired
		);
		assert_noop!(
			Registry::retire_network(RuntimeOrigin::root(), 9),
			Error::<Test>::NetworkNotFound
		);
	});
}
