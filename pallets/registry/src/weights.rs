//! Weights for `pallet_registry`.
//!
//! PLACEHOLDER: written by hand in the shape `scripts/benchmark` generates, with the storage
//! accesses of each call's worst case (`MaxNetworksPerWorker` = 8 networks) counted from the
//! code and execution times of the same magnitude as the validators pallet's measured calls.
//! Items of other pallets (`Reputation`, `Validators`, `Jobs`) are named as the runtime is
//! expected to wire them. Regenerate with `scripts/benchmark` before relying on these numbers;
//! never edit the generated file by hand.
//!
//! DATE: -, STEPS: `50`, REPEAT: `20`
//! HOSTNAME: `-`, CPU: `-`
//! WASM-EXECUTION: `Compiled`, DB CACHE: 1024

// Executed Command:
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
// pallet_registry
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
// pallets/registry/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(clippy::unnecessary_cast)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_registry`.
pub trait WeightInfo {
	fn create_network() -> Weight;
	fn update_network() -> Weight;
	fn retire_network() -> Weight;
	fn register_worker() -> Weight;
	fn update_worker() -> Weight;
	fn pause_worker() -> Weight;
	fn resume_worker() -> Weight;
	fn deregister_worker() -> Weight;
	fn register_user() -> Weight;
	fn deregister_user() -> Weight;
	fn blacklisted() -> Weight;
	fn pardoned() -> Weight;
}

/// Weights for `pallet_registry` measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Registry::NextNetworkId` (r:1 w:1)
	/// Proof: `Registry::NextNetworkId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Networks` (r:0 w:1)
	/// Proof: `Registry::Networks` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	fn create_network() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `6`
		//  Estimated: `1489`
		// Minimum execution time: 52_310_000 picoseconds.
		Weight::from_parts(54_120_000, 1489)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Registry::Networks` (r:1 w:1)
	/// Proof: `Registry::Networks` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	fn update_network() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `178`
		//  Estimated: `3549`
		// Minimum execution time: 61_482_000 picoseconds.
		Weight::from_parts(63_907_000, 3549)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Registry::Networks` (r:1 w:1)
	/// Proof: `Registry::Networks` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	fn retire_network() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `178`
		//  Estimated: `3549`
		// Minimum execution time: 58_744_000 picoseconds.
		Weight::from_parts(60_215_000, 3549)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:1)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Identities` (r:1 w:1)
	/// Proof: `Registry::Identities` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	/// Storage: `Reputation::Blacklisted` (r:1 w:0)
	/// Proof: `Reputation::Blacklisted` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Reputation::Scores` (r:1 w:0)
	/// Proof: `Reputation::Scores` (`max_values`: None, `max_size`: Some(57), added: 2532, mode: `MaxEncodedLen`)
	/// Storage: `Validators::Candidates` (r:1 w:0)
	/// Proof: `Validators::Candidates` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Networks` (r:8 w:0)
	/// Proof: `Registry::Networks` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:8 w:8)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:8 w:8)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:0 w:8)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn register_worker() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1742`
		//  Estimated: `21512`
		// Minimum execution time: 612_903_000 picoseconds.
		Weight::from_parts(641_558_000, 21512)
			.saturating_add(T::DbWeight::get().reads(31_u64))
			.saturating_add(T::DbWeight::get().writes(28_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:1)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Reputation::Blacklisted` (r:1 w:0)
	/// Proof: `Reputation::Blacklisted` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Reputation::Scores` (r:1 w:0)
	/// Proof: `Reputation::Scores` (`max_values`: None, `max_size`: Some(57), added: 2532, mode: `MaxEncodedLen`)
	/// Storage: `Validators::Candidates` (r:1 w:0)
	/// Proof: `Validators::Candidates` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Networks` (r:8 w:0)
	/// Proof: `Registry::Networks` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:16 w:24)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:16 w:16)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:8 w:24)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn update_worker() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `3918`
		//  Estimated: `42118`
		// Minimum execution time: 1_104_627_000 picoseconds.
		Weight::from_parts(1_152_390_000, 42118)
			.saturating_add(T::DbWeight::get().reads(52_u64))
			.saturating_add(T::DbWeight::get().writes(65_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:1)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:8 w:16)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:8 w:8)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:8 w:16)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn pause_worker() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2287`
		//  Estimated: `23016`
		// Minimum execution time: 487_215_000 picoseconds.
		Weight::from_parts(509_804_000, 23016)
			.saturating_add(T::DbWeight::get().reads(25_u64))
			.saturating_add(T::DbWeight::get().writes(41_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:1)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Reputation::Blacklisted` (r:1 w:0)
	/// Proof: `Reputation::Blacklisted` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:8 w:8)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:8 w:8)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:0 w:8)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn resume_worker() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1024`
		//  Estimated: `21401`
		// Minimum execution time: 356_172_000 picoseconds.
		Weight::from_parts(371_630_000, 21401)
			.saturating_add(T::DbWeight::get().reads(18_u64))
			.saturating_add(T::DbWeight::get().writes(25_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:1)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Jobs::WorkerLoad` (r:1 w:0)
	/// Proof: `Jobs::WorkerLoad` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:8 w:16)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:8 w:8)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:8 w:16)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Identities` (r:0 w:1)
	/// Proof: `Registry::Identities` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	fn deregister_worker() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2605`
		//  Estimated: `23016`
		// Minimum execution time: 702_338_000 picoseconds.
		Weight::from_parts(731_945_000, 23016)
			.saturating_add(T::DbWeight::get().reads(28_u64))
			.saturating_add(T::DbWeight::get().writes(44_u64))
	}
	/// Storage: `Registry::Users` (r:1 w:1)
	/// Proof: `Registry::Users` (`max_values`: None, `max_size`: Some(68), added: 2543, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn register_user() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `410`
		//  Estimated: `3593`
		// Minimum execution time: 268_419_000 picoseconds.
		Weight::from_parts(276_882_000, 3593)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Registry::Users` (r:1 w:1)
	/// Proof: `Registry::Users` (`max_values`: None, `max_size`: Some(68), added: 2543, mode: `MaxEncodedLen`)
	/// Storage: `Jobs::UserJobs` (r:1 w:0)
	/// Proof: `Jobs::UserJobs` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn deregister_user() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `598`
		//  Estimated: `3593`
		// Minimum execution time: 291_760_000 picoseconds.
		Weight::from_parts(302_114_000, 3593)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:0)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:8 w:16)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:8 w:8)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:8 w:16)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn blacklisted() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2287`
		//  Estimated: `23016`
		// Minimum execution time: 441_906_000 picoseconds.
		Weight::from_parts(462_551_000, 23016)
			.saturating_add(T::DbWeight::get().reads(25_u64))
			.saturating_add(T::DbWeight::get().writes(40_u64))
	}
	/// Storage: `Registry::Workers` (r:1 w:0)
	/// Proof: `Registry::Workers` (`max_values`: None, `max_size`: Some(328), added: 2803, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberIndex` (r:8 w:8)
	/// Proof: `Registry::MemberIndex` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Registry::MemberCount` (r:8 w:8)
	/// Proof: `Registry::MemberCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Registry::Members` (r:0 w:8)
	/// Proof: `Registry::Members` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn pardoned() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1024`
		//  Estimated: `21401`
		// Minimum execution time: 318_027_000 picoseconds.
		Weight::from_parts(331_466_000, 21401)
			.saturating_add(T::DbWeight::get().reads(17_u64))
			.saturating_add(T::DbWeight::get().writes(24_u64))
	}
}

// For tests and mocks: the same weights with RocksDB's database costs.
impl WeightInfo for () {
	fn create_network() -> Weight {
		Weight::from_parts(54_120_000, 1489)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn update_network() -> Weight {
		Weight::from_parts(63_907_000, 3549)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn retire_network() -> Weight {
		Weight::from_parts(60_215_000, 3549)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn register_worker() -> Weight {
		Weight::from_parts(641_558_000, 21512)
			.saturating_add(RocksDbWeight::get().reads(31_u64))
			.saturating_add(RocksDbWeight::get().writes(28_u64))
	}
	fn update_worker() -> Weight {
		Weight::from_parts(1_152_390_000, 42118)
			.saturating_add(RocksDbWeight::get().reads(52_u64))
			.saturating_add(RocksDbWeight::get().writes(65_u64))
	}
	fn pause_worker() -> Weight {
		Weight::from_parts(509_804_000, 23016)
			.saturating_add(RocksDbWeight::get().reads(25_u64))
			.saturating_add(RocksDbWeight::get().writes(41_u64))
	}
	fn resume_worker() -> Weight {
		Weight::from_parts(371_630_000, 21401)
			.saturating_add(RocksDbWeight::get().reads(18_u64))
			.saturating_add(RocksDbWeight::get().writes(25_u64))
	}
	fn deregister_worker() -> Weight {
		Weight::from_parts(731_945_000, 23016)
			.saturating_add(RocksDbWeight::get().reads(28_u64))
			.saturating_add(RocksDbWeight::get().writes(44_u64))
	}
	fn register_user() -> Weight {
		Weight::from_parts(276_882_000, 3593)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn deregister_user() -> Weight {
		Weight::from_parts(302_114_000, 3593)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn blacklisted() -> Weight {
		Weight::from_parts(462_551_000, 23016)
			.saturating_add(RocksDbWeight::get().reads(25_u64))
			.saturating_add(RocksDbWeight::get().writes(40_u64))
	}
	fn pardoned() -> Weight {
		Weight::from_parts(331_466_000, 21401)
			.saturating_add(RocksDbWeight::get().reads(17_u64))
			.saturating_add(RocksDbWeight::get().writes(24_u64))
	}
}
