//! The same computation as a WebAssembly job and as native Rust: the sandbox's overhead
//! (the goal is at most 1.5x). Run with `cargo bench -p smartnodes-worker --bench overhead`
//! (scripts/bench does); both sides are optimized builds.

#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use smartnodes_worker::{
	examples,
	executor::{Executor, Limits},
	wasm::WasmExecutor,
};
use std::time::{Duration, Instant};

const LIMITS: Limits = Limits { fuel: u64::MAX / 4, memory_mib: 1_024, time_ms: 600_000 };

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
	let mut times: Vec<Duration> = (0..runs)
		.map(|_| {
			let start = Instant::now();
			f();
			start.elapsed()
		})
		.collect();
	times.sort();
	times[runs / 2]
}

fn main() {
	let executor = WasmExecutor::new(1 << 20).expect("wasmtime starts");
	type Native = fn(&[u8]) -> Vec<u8>;
	let cases: [(&str, &[u8], Native, Vec<u8>); 3] = [
		("hash chain, 2M rounds", examples::HASH_CHAIN, smartnodes_example_jobs::hash_chain, {
			let mut input = 2_000_000u32.to_le_bytes().to_vec();
			input.extend_from_slice(b"seed");
			input
		}),
		(
			"matmul 200x200",
			examples::MATMUL,
			smartnodes_example_jobs::matmul,
			200u32.to_le_bytes().to_vec(),
		),
		(
			"sieve to 10M",
			examples::SIEVE,
			smartnodes_example_jobs::sieve,
			10_000_000u32.to_le_bytes().to_vec(),
		),
	];
	println!(
		"{:<24} {:>12} {:>12} {:>14} {:>8} {:>12}",
		"job", "native ms", "wasm ms", "fuel", "ratio", "compile ms"
	);
	for (name, code, native, input) in cases {
		let expected = native(&input);
		// The first run compiles the module; later runs take it from the executor's cache.
		let start = Instant::now();
		let run = executor.execute(code, &input, &LIMITS).expect("the job runs");
		let first = start.elapsed();
		assert_eq!(run.output, expected, "{name}: the wasm job computes what native code does");
		let native_time = median(7, || {
			std::hint::black_box(native(std::hint::black_box(&input)));
		});
		let wasm_time = median(7, || {
			std::hint::black_box(executor.execute(code, &input, &LIMITS).expect("runs"));
		});
		println!(
			"{name:<24} {:>12.2} {:>12.2} {:>14} {:>8.2} {:>12.2}",
			native_time.as_secs_f64() * 1e3,
			wasm_time.as_secs_f64() * 1e3,
			run.fuel_used,
			wasm_time.as_secs_f64() / native_time.as_secs_f64(),
			first.saturating_sub(wasm_time).as_secs_f64() * 1e3
		);
	}
}
