//! Runtime integration tests: genesis presets and the offence path (a BABE equivocation reported
//! by anyone slashes the offender and removes it from the next set).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use codec::Encode;
use common::ext;
use frame_support::{
	assert_ok,
	traits::{fungible::InspectHold, KeyOwnerProofSystem},
};
use smartnodes_runtime::{
	genesis_config_presets::{account, authority_keys, DEFAULT_COLLATERAL},
	AccountId, Babe, Balances, Header, Historical, Runtime, RuntimeEvent, RuntimeHoldReason,
	RuntimeOrigin, Session, System, Validators,
};
use sp_consensus_babe::{
	digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest},
	AuthorityId as BabeId, EquivocationProof, Slot,
};
use sp_core::{crypto::Pair as _, sr25519};
use sp_runtime::{traits::Header as _, Digest, DigestItem, Perbill};

fn collateral_of(who: &AccountId) -> u128 {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Validators(pallet_validators::HoldReason::Collateral),
		who,
	)
}

#[test]
fn presets_bond_their_validators() {
	for (preset, names) in [
		("development", vec!["Alice"]),
		("local_testnet", vec!["Alice", "Bob", "Charlie", "Dave"]),
		("genesis", vec!["SmartnodesGenesis1", "SmartnodesGenesis2", "SmartnodesGenesis3"]),
	] {
		ext(preset).execute_with(|| {
			let expected: Vec<AccountId> = names.iter().map(|n| account(n)).collect();
			assert_eq!(pallet_validators::ActiveSet::<Runtime>::get().into_inner(), expected);
			assert_eq!(Session::validators(), expected, "{preset}");
			for who in &expected {
				assert_eq!(collateral_of(who), DEFAULT_COLLATERAL, "{preset}");
			}
			assert_eq!(DEFAULT_COLLATERAL, 1_000_000 * smartnodes_runtime::SNO);
			// The bridge set Base is deployed with: one Ethereum address per validator.
			let bridge = Validators::bridge_authorities();
			assert_eq!(bridge.set_id, 0);
			assert_eq!(bridge.addresses.len(), expected.len());
			assert_eq!(Babe::authorities().len(), expected.len());
			Validators::do_try_state().unwrap();
		});
	}
}

#[test]
fn only_dev_and_local_have_sudo() {
	ext("development")
		.execute_with(|| assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account("Alice"))));
	ext("local_testnet")
		.execute_with(|| assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account("Alice"))));
	ext("genesis").execute_with(|| assert_eq!(pallet_sudo::Key::<Runtime>::get(), None));
}

#[test]
fn bridge_addresses_match_the_validators_keys() {
	ext("local_testnet").execute_with(|| {
		let mut expected: Vec<_> = ["Alice", "Bob", "Charlie", "Dave"]
			.into_iter()
			.map(|n| authority_keys(n).1.bridge.eth_address().unwrap())
			.collect();
		expected.sort();
		assert_eq!(Validators::bridge_authorities().addresses.into_inner(), expected);
		// `//Alice`'s secp256k1 key is a well-known dev key with a well-known address.
		let alice = authority_keys("Alice").1.bridge.eth_address().unwrap();
		assert_eq!(hex::encode(alice.as_bytes()), "e04cc55ebee1cbce552f250e85c57b70b2e2625b");
	});
}

/// Two different headers for the same slot, both sealed by `pair`.
fn equivocation(
	pair: &sr25519::Pair,
	authority_index: u32,
	slot: Slot,
) -> EquivocationProof<Header> {
	let header = |parent: u8| {
		let pre = PreDigest::SecondaryPlain(SecondaryPlainPreDigest { authority_index, slot });
		let mut header = Header::new(
			1,
			Default::default(),
			Default::default(),
			[parent; 32].into(),
			Digest { logs: vec![DigestItem::babe_pre_digest(pre)] },
		);
		let seal = pair.sign(header.hash().as_ref());
		header.digest_mut().push(DigestItem::babe_seal(seal.into()));
		header
	};
	EquivocationProof {
		offender: BabeId::from(pair.public()),
		slot,
		first_header: header(1),
		second_header: header(2),
	}
}

#[test]
fn babe_equivocation_slashes_and_removes_the_offender() {
	ext("local_testnet").execute_with(|| {
		common::set_block(1);
		let dave = account("Dave");
		let pair = sr25519::Pair::from_string("//Dave", None).unwrap();
		let index = Session::validators().iter().position(|v| v == &dave).unwrap() as u32;
		let proof = equivocation(&pair, index, Slot::from(1));
		let key_owner_proof =
			Historical::prove((sp_consensus_babe::KEY_TYPE, pair.public().encode()))
				.expect("dave is in the current session");

		assert_ok!(Babe::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof.clone()),
			key_owner_proof.clone()
		));

		let slashed = Perbill::from_percent(10) * DEFAULT_COLLATERAL;
		assert_eq!(collateral_of(&dave), DEFAULT_COLLATERAL - slashed);
		assert!(!pallet_validators::Candidates::<Runtime>::get().contains(&dave));
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Validators(pallet_validators::Event::Slashed { who, amount, session: 0 })
				if who == &dave && *amount == slashed
		)));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Offences(pallet_offences::Event::Offence { .. })
		)));
		// Disabled for the rest of the session.
		assert!(Session::disabled_validators().contains(&index));

		// The same report again is a duplicate, and slashes nothing more.
		assert!(Babe::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof),
			key_owner_proof
		)
		.is_err());
		assert_eq!(collateral_of(&dave), DEFAULT_COLLATERAL - slashed);

		// The next planned set leaves Dave out.
		let next = <Validators as pallet_session::SessionManager<AccountId>>::new_session(2)
			.expect("the set changes");
		assert_eq!(next.len(), 3);
		assert!(!next.contains(&dave));
		Validators::do_try_state().unwrap();
	});
}

#[test]
fn a_forged_equivocation_is_rejected() {
	ext("local_testnet").execute_with(|| {
		common::set_block(1);
		let dave = sr25519::Pair::from_string("//Dave", None).unwrap();
		let eve = sr25519::Pair::from_string("//Eve", None).unwrap();
		let index = 3;
		// Headers sealed by Eve, blamed on Dave.
		let mut proof = equivocation(&eve, index, Slot::from(1));
		proof.offender = BabeId::from(dave.public());
		let key_owner_proof =
			Historical::prove((sp_consensus_babe::KEY_TYPE, dave.public().encode())).unwrap();
		assert!(Babe::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof),
			key_owner_proof
		)
		.is_err());
		assert_eq!(collateral_of(&account("Dave")), DEFAULT_COLLATERAL);
	});
}
