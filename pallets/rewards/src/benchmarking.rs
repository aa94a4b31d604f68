//! Benchmarks of the rewards pallet (FRAME benchmarking v2).

use super::*;
use crate::pallet::{Call, Config, Pallet};
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use smartnodes_primitives::bridge_key::EthAddress;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_treasury_address() {
		let address = EthAddress::repeat_byte(7);

		#[extrinsic_call]
		_(RawOrigin::Root, address);

		assert_eq!(TreasuryAddress::<T>::get(), address);
	}

	#[benchmark]
	fn set_protocol_fee() {
		#[extrinsic_call]
		_(RawOrigin::Root, 250);

		assert_eq!(ProtocolFeeBps::<T>::get(), 250);
	}

	/// The worst case: the worker's last units are in a closed period and must be priced.
	#[benchmark]
	fn note_contribution() {
		let worker = EthAddress::repeat_byte(1);
		Pallet::<T>::note_contribution(&worker, 10);
		Pallet::<T>::close_period();

		#[block]
		{
			Pallet::<T>::note_contribution(&worker, 10);
		}

		assert_eq!(Accounts::<T>::get(worker).map(|a| a.open_units), Some(10));
	}

	/// The worst case: both the worker's and the treasury's accounts are folded.
	#[benchmark]
	fn note_job_payment() {
		let worker = EthAddress::repeat_byte(1);
		ProtocolFeeBps::<T>::put(500);
		Pallet::<T>::note_contribution(&worker, 10);
		Pallet::<T>::close_period();

		#[block]
		{
			Pallet::<T>::note_job_payment(&worker, 1_000_000);
		}

		assert_eq!(CurrentAccrual::<T>::get().fees, 50_000);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
