//! Weights for `pallet_reputation`: PLACEHOLDERS in the shape of the benchmark CLI's output, not
//! measured yet. Regenerate with `scripts/benchmark pallet_reputation` before the runtime uses
//! them; after that, never edit by hand.
//!
//! DATE: not generated, STEPS: `50`, REPEAT: `20`
//! HOSTNAME: `-`, CPU: `-`
//! WASM-EXECUTION: `Compiled`, DB CACHE: 1024

// Command that generates this file:
// /root/.cache/smartnodes/target/benchmark/smartnodes-node
// benchmark
// pallet
// --runtime
// /root/.cache/smartnodes/target/benchmark/smartnodes_runtime_benchmarks.wasm
// --genesis-builder
// runtime
// --genesis-builder-preset
// development
// --pallet
// pallet_reputation
// --extrinsic
// *
// --steps
// 50
// --repeat
// 20
// --wasm-execution
// compiled
// --heap-pages
// 4096
// --template
// .maintain/frame-weight-template.hbs
// --output
// pallets/reputation/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(clippy::unnecessary_cast)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_reputation`.
pub trait WeightInfo {
	fn pardon() -> Weight;
	fn blacklist() -> Weight;
	fn note_success() -> Weight;
	fn note_fault() -> Weight;
}

/// Weights for `pallet_reputation` measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Reputation::Records` (r:1 w:1)
	/// Proof: `Reputation::Records` (`max_values`: None, `max_size`: Some(82), added: 2557, mode: `MaxEncodedLen`)
	fn pardon() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `205`
		//  Estimated: `3547`
		// Minimum execution time: 27_000_000 picoseconds.
		Weight::from_parts(28_000_000, 3547)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Reputation::Records` (r:1 w:1)
	/// Proof: `Reputation::Records` (`max_values`: None, `max_size`: Some(82), added: 2557, mode: `MaxEncodedLen`)
	fn blacklist() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `205`
		//  Estimated: `3547`
		// Minimum execution time: 27_000_000 picoseconds.
		Weight::from_parts(28_000_000, 3547)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Reputation::Records` (r:1 w:1)
	/// Proof: `Reputation::Records` (`max_values`: None, `max_size`: Some(82), added: 2557, mode: `MaxEncodedLen`)
	fn note_success() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `205`
		//  Estimated: `3547`
		// Minimum execution time: 14_000_000 picoseconds.
		Weight::from_parts(15_000_000, 3547)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Reputation::Records` (r:1 w:1)
	/// Proof: `Reputation::Records` (`max_values`: None, `max_size`: Some(82), added: 2557, mode: `MaxEncodedLen`)
	fn note_fault() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `205`
		//  Estimated: `3547`
		// Minimum execution time: 29_000_000 picoseconds.
		Weight::from_parts(30_000_000, 3547)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests and mocks: the same weights with RocksDB's database costs.
impl WeightInfo for () {
	fn pardon() -> Weight {
		Weight::from_parts(28_000_000, 3547)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn blacklist() -> Weight {
		Weight::from_parts(28_000_000, 3547)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn note_success() -> Weight {
		Weight::from_parts(15_000_000, 3547)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn note_fault() -> Weight {
		Weight::from_parts(30_000_000, 3547)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
