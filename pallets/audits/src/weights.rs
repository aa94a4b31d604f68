//! Weights for `pallet_audits`. Placeholder until `scripts/benchmark` generates this file from
//! the pallet's benchmarks; never edit by hand.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(clippy::unnecessary_cast)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_audits`.
pub trait WeightInfo {
	fn report_audit(w: u32) -> Weight;
	fn authorize_audit() -> Weight;
	fn report_challenges(n: u32) -> Weight;
	fn authorize_challenges(n: u32) -> Weight;
	fn set_audit_rate() -> Weight;
	fn set_challenge_period() -> Weight;
	fn note_completed() -> Weight;
	fn sample(n: u32) -> Weight;
	fn expire(n: u32) -> Weight;
}

/// Weights for `pallet_audits` measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn report_audit(_w: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn authorize_audit() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn report_challenges(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn authorize_challenges(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn set_audit_rate() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn set_challenge_period() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn note_completed() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn sample(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn expire(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
}

// For tests and mocks: the same weights with RocksDB's database costs.
impl WeightInfo for () {
	fn report_audit(_w: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn authorize_audit() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn report_challenges(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn authorize_challenges(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn set_audit_rate() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn set_challenge_period() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn note_completed() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn sample(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
	fn expire(_n: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
	}
}
