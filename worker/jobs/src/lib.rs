//! Example jobs: the same code runs natively (for tests and the overhead benchmark) and as a
//! WebAssembly job (built for `wasm32-unknown-unknown` with one of the features `hash-chain`,
//! `matmul` or `sieve`, by the worker's build script).
//!
//! Inputs are little-endian: `hash_chain` takes a `u32` round count then the seed bytes;
//! `matmul` an `u32` size `n` (the matrices are generated from it); `sieve` a `u32` bound.

// Job arithmetic is integer and wrapping on purpose: the results are checksums.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

/// Reads the leading little-endian `u32` of `input`, or 0.
fn leading_u32(input: &[u8]) -> u32 {
	input.get(..4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// FNV-1a over 64 bits: a tiny, dependency-free hash with the same cost everywhere.
fn fnv(bytes: &[u8], mut state: u64) -> u64 {
	for byte in bytes {
		state ^= u64::from(*byte);
		state = state.wrapping_mul(0x100_0000_01b3);
	}
	state
}

/// Hashes the seed `rounds` times, each round over the previous digest; outputs the last.
pub fn hash_chain(input: &[u8]) -> Vec<u8> {
	let rounds = leading_u32(input);
	let mut digest = fnv(input.get(4..).unwrap_or_default(), 0xcbf2_9ce4_8422_2325).to_le_bytes();
	for _ in 0..rounds {
		digest = fnv(&digest, 0xcbf2_9ce4_8422_2325).to_le_bytes();
	}
	digest.to_vec()
}

/// Multiplies two generated `n × n` integer matrices; outputs the checksum of the product.
pub fn matmul(input: &[u8]) -> Vec<u8> {
	let n = leading_u32(input).min(512) as usize;
	let a: Vec<u32> = (0..n * n).map(|i| (i as u32).wrapping_mul(2_654_435_761) >> 16).collect();
	let b: Vec<u32> = (0..n * n).map(|i| (i as u32).wrapping_mul(40_503) ^ 0x5bd1).collect();
	let mut checksum = 0u64;
	for i in 0..n {
		for j in 0..n {
			let mut sum = 0u32;
			for k in 0..n {
				sum = sum.wrapping_add(a[i * n + k].wrapping_mul(b[k * n + j]));
			}
			checksum = checksum.wrapping_mul(31).wrapping_add(u64::from(sum));
		}
	}
	checksum.to_le_bytes().to_vec()
}

/// Counts the primes up to the bound (at most 10^8); outputs the count.
pub fn sieve(input: &[u8]) -> Vec<u8> {
	let bound = leading_u32(input).min(100_000_000) as usize;
	let mut composite = vec![false; bound + 1];
	let mut count = 0u32;
	for i in 2..=bound {
		if !composite[i] {
			count += 1;
			// `i * i` overflows a 32-bit usize (wasm32) long before `i` does.
			if i > bound / i {
				continue;
			}
			let mut multiple = i * i;
			while multiple <= bound {
				composite[multiple] = true;
				multiple += i;
			}
		}
	}
	count.to_le_bytes().to_vec()
}

#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod abi {
	#[link(wasm_import_module = "smartnodes")]
	extern "C" {
		fn output(ptr: *const u8, len: i32);
	}

	/// Room for the input, which the worker writes before calling `run`.
	#[no_mangle]
	pub extern "C" fn alloc(len: i32) -> *mut u8 {
		let mut buffer = Vec::<u8>::with_capacity(len.max(0) as usize);
		let ptr = buffer.as_mut_ptr();
		core::mem::forget(buffer);
		ptr
	}

	#[no_mangle]
	pub extern "C" fn run(ptr: *const u8, len: i32) -> i32 {
		// SAFETY: the worker wrote `len` bytes at the place `alloc` gave it.
		let input = unsafe { core::slice::from_raw_parts(ptr, len.max(0) as usize) };
		#[cfg(feature = "hash-chain")]
		let result = super::hash_chain(input);
		#[cfg(feature = "matmul")]
		let result = super::matmul(input);
		#[cfg(feature = "sieve")]
		let result = super::sieve(input);
		#[cfg(not(any(feature = "hash-chain", feature = "matmul", feature = "sieve")))]
		let result: Vec<u8> = input.to_vec();
		// SAFETY: the pointer and length describe `result`, alive for the call.
		unsafe { output(result.as_ptr(), result.len() as i32) };
		0
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_jobs_compute_what_they_say() {
		assert_eq!(sieve(&100u32.to_le_bytes()), 25u32.to_le_bytes());
		assert_eq!(sieve(&1_000_000u32.to_le_bytes()), 78_498u32.to_le_bytes());
		assert_eq!(sieve(&10_000_000u32.to_le_bytes()), 664_579u32.to_le_bytes());
		assert_ne!(hash_chain(&[1, 0, 0, 0, 7]), hash_chain(&[2, 0, 0, 0, 7]));
		assert_eq!(matmul(&2u32.to_le_bytes()), matmul(&2u32.to_le_bytes()));
	}
}
