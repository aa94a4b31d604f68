//! Weights for `pallet_jobs`. Placeholder shape until `scripts/benchmark pallet_jobs`
//! regenerates this file; never edit by hand.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(clippy::unnecessary_cast)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_jobs`.
pub trait WeightInfo {
	fn submit_job() -> Weight;
	fn cancel_job() -> Weight;
	fn commit_result(r: u32, ) -> Weight;
	fn reveal_result(r: u32, ) -> Weight;
	fn authorize_commit() -> Weight;
	fn authorize_reveal() -> Weight;
	fn assign_job() -> Weight;
	fn on_timer() -> Weight;
}

/// Weights for `pallet_jobs` measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit_job() -> Weight {
		Weight::from_parts(700_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn cancel_job() -> Weight {
		Weight::from_parts(450_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn commit_result(r: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 20_000)
			.saturating_add(Weight::from_parts(120_000_000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn reveal_result(r: u32, ) -> Weight {
		Weight::from_parts(500_000_000, 20_000)
			.saturating_add(Weight::from_parts(120_000_000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	fn authorize_commit() -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn authorize_reveal() -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn assign_job() -> Weight {
		Weight::from_parts(1_600_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(100_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn on_timer() -> Weight {
		Weight::from_parts(1_200_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(100_u64))
			.saturating_add(T::DbWeight::get().writes(18_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn submit_job() -> Weight {
		Weight::from_parts(700_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn cancel_job() -> Weight {
		Weight::from_parts(450_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn commit_result(r: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 20_000)
			.saturating_add(Weight::from_parts(120_000_000, 0).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn reveal_result(r: u32, ) -> Weight {
		Weight::from_parts(500_000_000, 20_000)
			.saturating_add(Weight::from_parts(120_000_000, 0).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(12_u64))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
	}
	fn authorize_commit() -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(0_u64))
	}
	fn authorize_reveal() -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(0_u64))
	}
	fn assign_job() -> Weight {
		Weight::from_parts(1_600_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(100_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn on_timer() -> Weight {
		Weight::from_parts(1_200_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(100_u64))
			.saturating_add(RocksDbWeight::get().writes(18_u64))
	}
}
