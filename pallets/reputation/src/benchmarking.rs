//! Benchmarks of the reputation pallet (FRAME benchmarking v2): its calls, and the
//! [`Reputation`] functions other pallets call, so that they can charge for them.

use super::*;
use crate::pallet::{Call, Config, Pallet, Records};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use smartnodes_primitives::compute::Reputation;

/// The role the registry's blacklist hook has work for.
const ROLE: Role = Role::Worker;

/// A party the runtime has prepared so that the blacklist hook does its most work for it.
fn party<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("party", 0, 0);
	T::BenchmarkHelper::prepare_party(ROLE, &who);
	who
}

/// Lets one `DecayPeriod` pass, so that the measured code has decay to apply to every record
/// written before.
fn let_a_period_pass<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + T::DecayPeriod::get());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn pardon() {
		let who = party::<T>();
		Pallet::<T>::do_blacklist(ROLE, &who, Pallet::<T>::standing(ROLE, &who));
		let_a_period_pass::<T>();

		#[extrinsic_call]
		_(RawOrigin::Root, ROLE, who.clone());

		assert!(!Pallet::<T>::is_blacklisted(ROLE, &who));
	}

	#[benchmark]
	fn blacklist() {
		let who = party::<T>();
		Pallet::<T>::do_note_success(ROLE, &who);
		let_a_period_pass::<T>();

		#[extrinsic_call]
		_(RawOrigin::Root, ROLE, who.clone());

		assert!(Pallet::<T>::is_blacklisted(ROLE, &who));
	}

	#[benchmark]
	fn note_success() {
		let who = party::<T>();
		Pallet::<T>::do_note_success(ROLE, &who);
		let_a_period_pass::<T>();

		#[block]
		{
			<Pallet<T> as Reputation<T::AccountId>>::note_success(ROLE, &who);
		}

		assert_eq!(Records::<T>::get(ROLE, &who).map(|r| r.successes), Some(2));
	}

	/// The worst case: a fault that blacklists a party whose record has decay to apply.
	#[benchmark]
	fn note_fault() {
		let who = party::<T>();
		// Low enough that one period's decay leaves it within one penalty of 0, so the fault
		// blacklists (given `FaultPenalty > DecayStep`, as in the runtime).
		let score = T::FaultPenalty::get().saturating_sub(T::DecayStep::get()).clamp(1, MAX_SCORE);
		let now = frame_system::Pallet::<T>::block_number();
		Records::<T>::insert(ROLE, &who, Record { score, ..Record::new(score, now) });
		let_a_period_pass::<T>();
		let blacklisted;

		#[block]
		{
			blacklisted =
				<Pallet<T> as Reputation<T::AccountId>>::note_fault(ROLE, &who, Fault::WrongResult);
		}

		assert!(blacklisted, "the measured fault blacklisted the party");
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
