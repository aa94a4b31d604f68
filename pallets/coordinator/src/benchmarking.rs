//! Benchmarks of the coordinator (FRAME benchmarking v2). Bridge keys are generated in the
//! benchmark's keystore, so the signatures are real and checked as on chain.

use super::*;
use crate::pallet::{Call, Config, CurrentRound, NextPeriodEnd, Pallet, Proposals};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use smartnodes_primitives::{
	bridge_key::{eth_address, EthAddress, KEY_TYPE},
	rewards::{eth_signature, threshold},
};
use sp_core::{ecdsa, H256};
use sp_runtime::traits::{One, Saturating};

/// `n` validators with bridge keys in the keystore, installed as the signing set.
fn signing_set<T: Config>(n: u32) -> Vec<(T::AccountId, ecdsa::Public)> {
	let mut members: Vec<(T::AccountId, ecdsa::Public, EthAddress)> = (0..n)
		.map(|i| {
			let key = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
			let address = eth_address(&key.0).expect("generated keys are curve points");
			(account("validator", i, 0), key, address)
		})
		.collect();
	members.sort_by_key(|(_, _, a)| *a);
	T::Validators::set_signing_set(0, members.iter().map(|(w, _, a)| (w.clone(), *a)).collect());
	members.into_iter().map(|(w, k, _)| (w, k)).collect()
}

fn sign(key: &ecdsa::Public, digest: &H256) -> EthSignature {
	eth_signature(
		sp_io::crypto::ecdsa_sign_prehashed(KEY_TYPE, key, &digest.0)
			.expect("the key is in the keystore")
			.0,
	)
}

/// Closes a period so a round is open, and moves past the proposers' head start.
fn open_round<T: Config>() -> Period {
	let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
	frame_system::Pallet::<T>::set_block_number(now);
	Pallet::<T>::do_close_period(now);
	let round = CurrentRound::<T>::get().expect("just opened");
	frame_system::Pallet::<T>::set_block_number(round.open_to_all_at);
	round.period
}

/// The total the chain's record owes for `period` (no worker contributed, so it is exact).
fn an_honest_total<T: Config>(period: Period) -> u128 {
	T::Rewards::total_bounds(period).map(|(_, hi)| hi).unwrap_or_default()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A period closes while the last round is still open (superseded) with its proposals.
	#[benchmark]
	fn close_period(n: Linear<1, { T::MaxValidators::get() }>) {
		signing_set::<T>(n);
		let period = open_round::<T>();
		let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);
		NextPeriodEnd::<T>::put(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(CurrentRound::<T>::get().map(|r| r.period), Some(period.saturating_add(1)));
	}

	/// A proposal in a round that already holds one from every other member. (With one member
	/// a proposal passes at once: that path is the `vote` benchmark's, and `propose` refunds to
	/// the larger of the two.)
	#[benchmark]
	fn propose(n: Linear<2, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let members = signing_set::<T>(n);
		let period = open_round::<T>();
		let total = an_honest_total::<T>(period);
		for (i, (_, key)) in members.iter().enumerate().skip(1) {
			let root = H256::repeat_byte(i as u8 % 250 + 1);
			let digest = Pallet::<T>::commitment(period, root, total, 0).digest();
			let checked = Pallet::<T>::check_propose(period, root, total, 1, &sign(key, &digest))
				.map_err(|_| BenchmarkError::Stop("setup proposal refused"))?;
			Pallet::<T>::do_propose(checked, period, root, total, 1, sign(key, &digest));
		}
		let (_, key) = members.first().ok_or(BenchmarkError::Stop("empty set"))?;
		let root = H256::repeat_byte(0xfe);
		let signature = sign(key, &Pallet::<T>::commitment(period, root, total, 0).digest());

		#[extrinsic_call]
		_(RawOrigin::Authorized, period, root, total, 1, signature);

		assert_eq!(CurrentRound::<T>::get().map(|r| r.proposals), Some(n));
		Ok(())
	}

	/// The vote that carries a proposal: every member's outcome is recorded and the voters paid.
	#[benchmark]
	fn vote(n: Linear<2, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let members = signing_set::<T>(n);
		let period = open_round::<T>();
		let total = an_honest_total::<T>(period);
		let root = H256::repeat_byte(1);
		let digest = Pallet::<T>::commitment(period, root, total, 0).digest();
		let needed = threshold(members.len() as u32) as usize;
		let mut signers = members.iter();
		let (_, first) = signers.next().ok_or(BenchmarkError::Stop("empty set"))?;
		let checked = Pallet::<T>::check_propose(period, root, total, 1, &sign(first, &digest))
			.map_err(|_| BenchmarkError::Stop("setup proposal refused"))?;
		Pallet::<T>::do_propose(checked, period, root, total, 1, sign(first, &digest));
		for (_, key) in signers.by_ref().take(needed.saturating_sub(2)) {
			let checked = Pallet::<T>::check_vote(period, 0, &sign(key, &digest))
				.map_err(|_| BenchmarkError::Stop("setup vote refused"))?;
			Pallet::<T>::do_vote(checked, period, 0, sign(key, &digest));
		}
		let (_, last) = signers.next().ok_or(BenchmarkError::Stop("set too small"))?;
		let signature = sign(last, &digest);

		#[extrinsic_call]
		_(RawOrigin::Authorized, period, 0, signature);

		assert!(Passed::<T>::contains_key(period));
		assert_eq!(Proposals::<T>::get(period, 0).map(|p| p.votes.len()), Some(needed));
		Ok(())
	}

	#[benchmark]
	fn set_state_update_interval() {
		let blocks: BlockNumberFor<T> = 100u32.into();

		#[extrinsic_call]
		_(RawOrigin::Root, blocks);

		assert_eq!(StateUpdateInterval::<T>::get(), blocks);
	}

	#[benchmark]
	fn set_base_target() {
		let distributor = EthAddress::repeat_byte(7);

		#[extrinsic_call]
		_(RawOrigin::Root, 8453, distributor);

		assert_eq!(BaseTarget::<T>::get(), (8453, distributor));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
