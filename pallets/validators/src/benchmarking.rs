//! Benchmarks of the validators pallet (FRAME benchmarking v2).

use super::*;
use crate::pallet::{Call, Candidates, CollateralAmount, Config, Ledger, Pallet, RewardAddresses};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::{Perbill, Saturating};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Ten bonds' worth: enough for any benchmark, small enough that a hundred such accounts
	// never overflow the total issuance.
	let rich = CollateralAmount::<T>::get().saturating_mul(10u32.into()).max(1_000_000u32.into());
	T::Currency::set_balance(&who, rich);
	who
}

/// Fills the candidates up to `count` with bonded accounts.
fn fill_candidates<T: Config>(count: u32) {
	let collateral = CollateralAmount::<T>::get();
	for i in 0..count {
		let who = funded::<T>("candidate", i);
		Pallet::<T>::do_bond(&who, collateral).expect("funded above");
		Candidates::<T>::mutate(|c| c.try_push(who).expect("below MaxValidators"));
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn bond() {
		let who = funded::<T>("caller", 0);
		let amount = CollateralAmount::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), amount);

		assert_eq!(Ledger::<T>::get(&who).map(|b| b.amount), Some(amount));
	}

	#[benchmark]
	fn join(c: Linear<0, { T::MaxValidators::get() - 1 }>) {
		let existing = Candidates::<T>::get().len() as u32;
		fill_candidates::<T>(c.saturating_sub(existing));
		let who = funded::<T>("caller", 0);
		Pallet::<T>::do_bond(&who, CollateralAmount::<T>::get()).expect("funded");
		T::BenchmarkHelper::register_session_keys(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Candidates::<T>::get().contains(&who));
	}

	#[benchmark]
	fn leave(c: Linear<{ T::MinValidators::get() + 1 }, { T::MaxValidators::get() }>) {
		let existing = Candidates::<T>::get().len() as u32;
		fill_candidates::<T>(c.saturating_sub(existing).saturating_sub(1));
		let who = funded::<T>("caller", 0);
		Pallet::<T>::do_bond(&who, CollateralAmount::<T>::get()).expect("funded");
		Candidates::<T>::mutate(|c| c.try_push(who.clone()).expect("below MaxValidators"));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Candidates::<T>::get().contains(&who));
	}

	#[benchmark]
	fn unbond(c: Linear<0, { T::MaxValidators::get() - 1 }>) {
		let existing = Candidates::<T>::get().len() as u32;
		fill_candidates::<T>(c.saturating_sub(existing));
		let who = funded::<T>("caller", 0);
		Pallet::<T>::do_bond(&who, CollateralAmount::<T>::get()).expect("funded");
		Ledger::<T>::mutate(&who, |b| {
			if let Some(b) = b {
				b.unbonding_at = Some(frame_system::Pallet::<T>::block_number());
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Ledger::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn set_collateral_amount() {
		let amount = CollateralAmount::<T>::get().saturating_add(1u32.into());

		#[extrinsic_call]
		_(RawOrigin::Root, amount);

		assert_eq!(CollateralAmount::<T>::get(), amount);
	}

	#[benchmark]
	fn set_unbonding_period() {
		#[extrinsic_call]
		_(RawOrigin::Root, 100u32.into());

		assert_eq!(UnbondingPeriod::<T>::get(), 100u32.into());
	}

	#[benchmark]
	fn set_slash_fraction() {
		#[extrinsic_call]
		_(RawOrigin::Root, Perbill::from_percent(7));

		assert_eq!(SlashFraction::<T>::get(), Perbill::from_percent(7));
	}

	#[benchmark]
	fn set_reward_address() {
		let who = funded::<T>("caller", 0);
		Pallet::<T>::do_bond(&who, CollateralAmount::<T>::get()).expect("funded");
		let address = smartnodes_primitives::bridge_key::EthAddress::repeat_byte(7);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), address);

		assert_eq!(RewardAddresses::<T>::get(&who), Some(address));
	}

	/// One offender of an offence report: the per-offender cost of `on_offence`.
	#[benchmark]
	fn slash_offender() {
		let existing = Candidates::<T>::get().len() as u32;
		fill_candidates::<T>(T::MaxValidators::get().saturating_sub(existing).saturating_sub(1));
		let who = funded::<T>("caller", 0);
		Pallet::<T>::do_bond(&who, CollateralAmount::<T>::get()).expect("funded");
		Candidates::<T>::mutate(|c| c.try_push(who.clone()).expect("below MaxValidators"));

		#[block]
		{
			Pallet::<T>::do_slash(&who, 0);
		}

		assert!(!Candidates::<T>::get().contains(&who));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
