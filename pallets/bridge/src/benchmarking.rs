//! Benchmarks of the bridge pallet (FRAME benchmarking v2). Bridge keys are generated in the
//! benchmark's keystore, so the signatures are real and checked as on chain.

use super::*;
use crate::pallet::{Call, Config, Pallet, Ready, SetUpdates, Settings};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::RawOrigin;
use smartnodes_primitives::{
	bridge_key::{eth_address, EthAddress, EthSignature, KEY_TYPE},
	inbound::{BaseEvent, Deposit, Source},
	ledger::{OnBridgeSetQueued, SigningSet},
	rewards::{eth_signature, threshold},
};
use sp_core::{ecdsa, H256, U256};

/// `n` keys in the keystore with their addresses, by address.
fn keys(n: u32) -> Vec<(ecdsa::Public, EthAddress)> {
	let mut keys: Vec<_> = (0..n)
		.map(|_| {
			let key = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
			(key, eth_address(&key.0).expect("generated keys are curve points"))
		})
		.collect();
	keys.sort_by_key(|(_, a)| *a);
	keys
}

fn sign(key: &ecdsa::Public, digest: &H256) -> EthSignature {
	eth_signature(
		sp_io::crypto::ecdsa_sign_prehashed(KEY_TYPE, key, &digest.0)
			.expect("the key is in the keystore")
			.0,
	)
}

/// `n` active validators with keys in the keystore.
fn validators<T: Config>(n: u32) -> Vec<(T::AccountId, ecdsa::Public)> {
	let keys = keys(n);
	let members: Vec<(T::AccountId, EthAddress)> = keys
		.iter()
		.enumerate()
		.map(|(i, (_, a))| (account("validator", i as u32, 0), *a))
		.collect();
	T::Validators::set_signing_set(0, members.clone());
	members.into_iter().zip(keys).map(|((who, _), (key, _))| (who, key)).collect()
}

fn a_deposit<T: Config>(nonce: u64, to: &T::AccountId, amount: u128) -> BaseEvent {
	let mut account = [0u8; 32];
	for (slot, byte) in account.iter_mut().zip(codec::Encode::encode(to)) {
		*slot = byte;
	}
	BaseEvent::Deposit(Deposit {
		nonce,
		from: EthAddress::repeat_byte(1),
		to: account,
		amount: U256::from(amount),
		base_block: 1,
	})
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The signature that completes an update of a `v`-member signing set.
	#[benchmark]
	fn sign_set_update(v: Linear<1, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let signers = keys(v);
		let addresses: Vec<EthAddress> = signers.iter().map(|(_, a)| *a).collect();
		Pallet::<T>::bridge_set_queued((0, &addresses), (1, &addresses));
		let mut update = SetUpdates::<T>::get(1).expect("queued");
		let digest = Pallet::<T>::set_update_digest(1, &update);
		let needed = threshold(v) as usize;
		for (key, address) in signers.iter().take(needed.saturating_sub(1)) {
			update.signatures.try_push((*address, sign(key, &digest))).expect("below the bound");
		}
		SetUpdates::<T>::insert(1, update);
		let (key, _) = signers.get(needed.saturating_sub(1)).expect("needed <= v");
		let signature = sign(key, &digest);

		#[extrinsic_call]
		_(RawOrigin::Authorized, 1, signature);

		assert!(SetUpdates::<T>::get(1).expect("kept").is_complete());
		Ok(())
	}

	/// The attestation that brings an event to agreement in a `v`-member set (the event waits
	/// for an earlier nonce, so nothing applies: applying is `apply_deposit`).
	#[benchmark]
	fn attest(v: Linear<1, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let members = validators::<T>(v);
		let to: T::AccountId = account("to", 0, 0);
		let event = a_deposit::<T>(2, &to, 1_000_000_000_000_000_000);
		let digest = event.digest(&Pallet::<T>::genesis_hash());
		let needed = threshold(v) as usize;
		for (who, _) in members.iter().take(needed.saturating_sub(1)) {
			Pallet::<T>::do_attest(who.clone(), event);
		}
		let (_, key) = members.get(needed.saturating_sub(1)).expect("needed <= v");
		let signature = sign(key, &digest);

		#[extrinsic_call]
		_(RawOrigin::Authorized, event, signature);

		assert!(Ready::<T>::contains_key(Source::Deposits, 2));
		Ok(())
	}

	/// An agreed deposit minted to a new account.
	#[benchmark]
	fn apply_deposit() {
		let to: T::AccountId = account("to", 0, 0);
		let amount = T::Currency::minimum_balance().saturating_mul(1_000);
		Ready::<T>::insert(Source::Deposits, 1, a_deposit::<T>(1, &to, amount));

		#[block]
		{
			Pallet::<T>::drain(Source::Deposits);
		}

		assert_eq!(T::Currency::balance(&to), amount);
	}

	#[benchmark]
	fn withdraw() {
		let who: T::AccountId = whitelisted_caller();
		let amount = T::MinWithdrawal::get().max(T::Currency::minimum_balance());
		T::Currency::set_balance(&who, amount.saturating_mul(10));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), EthAddress::repeat_byte(2), amount);

		assert_eq!(T::Currency::balance(&who), amount.saturating_mul(9));
	}

	#[benchmark]
	fn set_settings() {
		let settings =
			BaseSettings { dao: EthAddress::repeat_byte(3), confirmations: 9, start_block: 1 };

		#[extrinsic_call]
		_(RawOrigin::Root, settings.clone());

		assert_eq!(Settings::<T>::get(), settings);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
