//! The example jobs, built from source to WebAssembly, compute in the sandbox what they compute
//! natively, with the same fuel every run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use smartnodes_worker::{
	examples,
	executor::{Executor, Limits},
	wasm::WasmExecutor,
};

const LIMITS: Limits = Limits { fuel: 10_000_000_000, memory_mib: 64, time_ms: 60_000 };

#[test]
fn example_jobs_match_native_code_deterministically() {
	let executor = WasmExecutor::new(1 << 20).unwrap();
	let mut hash_input = 1_000u32.to_le_bytes().to_vec();
	hash_input.extend_from_slice(b"seed");
	type Native = fn(&[u8]) -> Vec<u8>;
	let cases: [(&[u8], Native, Vec<u8>); 3] = [
		(examples::HASH_CHAIN, smartnodes_example_jobs::hash_chain, hash_input),
		(examples::MATMUL, smartnodes_example_jobs::matmul, 20u32.to_le_bytes().to_vec()),
		(examples::SIEVE, smartnodes_example_jobs::sieve, 100_000u32.to_le_bytes().to_vec()),
	];
	for (code, native, input) in cases {
		let run = executor.execute(code, &input, &LIMITS).unwrap();
		assert_eq!(run.output, native(&input));
		assert!(run.fuel_used > 0);
		assert_eq!(executor.execute(code, &input, &LIMITS).unwrap(), run);
	}
	// A sieve too large for its memory limit is refused, not swapped.
	let limits = Limits { memory_mib: 2, ..LIMITS };
	assert!(executor.execute(examples::SIEVE, &10_000_000u32.to_le_bytes(), &limits).is_err());
}
