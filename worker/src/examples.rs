//! The example jobs of `worker/jobs/`, built to WebAssembly by the build script: for tests,
//! benchmarks and the demo. Their inputs are described in that crate.

/// Hashes a seed a given number of rounds.
pub const HASH_CHAIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/hash_chain.wasm"));
/// Multiplies two generated integer matrices.
pub const MATMUL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matmul.wasm"));
/// Counts the primes up to a bound.
pub const SIEVE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sieve.wasm"));
