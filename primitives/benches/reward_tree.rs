//! How long the cumulative reward tree takes to build, set beside the keccak256 calls it needs
//! (the physical limit on this machine): `scripts/bench` runs it in the release profile.
//!
//! A tree of `n` accounts hashes every leaf twice (`keccak256(abi.encode(account, amount))`,
//! 64 bytes, then that hash again, 32 bytes) and every inner node once (64 bytes, n - 1 of them).

// A benchmark program, not runtime code: plain arithmetic and indexing on known sizes.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use smartnodes_primitives::{
	bridge_key::EthAddress,
	rewards::{reward_leaf, root_of, RewardTree},
};
use sp_core::H256;
use std::{hint::black_box, time::Instant};

/// Deterministic pseudo-random accounts and amounts (no dependency on a RNG crate).
fn entries(n: usize) -> Vec<(EthAddress, u128)> {
	let mut state = 0x9e37_79b9_7f4a_7c15u64;
	let mut next = || {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		state
	};
	(0..n)
		.map(|_| {
			let mut a = [0u8; 20];
			for chunk in a.chunks_mut(8) {
				let bytes = next().to_le_bytes();
				chunk.copy_from_slice(&bytes[..chunk.len()]);
			}
			(EthAddress::from(a), u128::from(next() % 1_000_000) * 10u128.pow(15))
		})
		.collect()
}

fn seconds<T>(f: impl FnOnce() -> T) -> (T, f64) {
	let start = Instant::now();
	let out = f();
	(out, start.elapsed().as_secs_f64())
}

fn main() {
	// Cost of one keccak256 call on 32 and on 64 bytes, over a million calls.
	let calls = 1_000_000u32;
	let mut h = [7u8; 64];
	let (_, t64) = seconds(|| {
		for _ in 0..calls {
			let out = sp_io::hashing::keccak_256(black_box(&h));
			h[..32].copy_from_slice(&out);
		}
	});
	let mut s = [7u8; 32];
	let (_, t32) = seconds(|| {
		for _ in 0..calls {
			s = sp_io::hashing::keccak_256(black_box(&s));
		}
	});
	let (k64, k32) = (t64 / f64::from(calls), t32 / f64::from(calls));
	println!(
		"keccak256: {:.0} ns per 64-byte call, {:.0} ns per 32-byte call",
		k64 * 1e9,
		k32 * 1e9
	);
	println!();
	println!(
		"{:>9}  {:>10}  {:>10}  {:>8}  {:>11}  {:>10}  {:>11}",
		"accounts", "keccak (s)", "tree (s)", "x limit", "inner (s)", "proof (us)", "tree memory"
	);
	for n in [100_000usize, 1_000_000] {
		let limit = n as f64 * (k64 + k32) + (n - 1) as f64 * k64;
		let mut table = entries(n);
		let (tree, full) = seconds(|| RewardTree::from_entries(black_box(&mut table)));
		let leaves: Vec<H256> = table.iter().map(|(a, v)| reward_leaf(a, *v)).collect();
		let (root, in_place) = seconds(|| root_of(black_box(leaves)));
		assert_eq!(root, tree.root());
		let probes = 1_000;
		let (_, proofs) = seconds(|| {
			for i in 0..probes {
				black_box(tree.proof(i * (n / probes)));
			}
		});
		println!(
			"{n:>9}  {limit:>10.3}  {full:>10.3}  {:>8.2}  {in_place:>11.3}  {:>10.2}  {:>8} MiB",
			full / limit,
			proofs / probes as f64 * 1e6,
			(2 * n * 32) >> 20,
		);
	}
}
