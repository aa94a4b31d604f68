//! The one reward Merkle scheme, shared bit for bit with `contracts/` (OpenZeppelin
//! `MerkleProof`), and the commitments validators sign for Base.
//!
//! - leaf = `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`: hashing
//!   twice means no 64-byte inner node can be offered as a leaf;
//! - leaves are ordered by account, ascending; the tree is built level by level pairing nodes
//!   `0-1, 2-3, ...`, and a last node without a partner is carried up unchanged;
//! - a pair is hashed sorted (`a < b ? keccak(a ++ b) : keccak(b ++ a)`), so a proof is just the
//!   list of siblings from the leaf up and carries no left/right flags.
//!
//! polkadot-sdk's `binary-merkle-tree` is not this scheme and must not be used for rewards: a
//! proof for one leaf can verify at another index there, and pairs are not sorted.

use crate::bridge_key::EthAddress;
use alloc::vec::Vec;
use sp_core::H256;
use sp_io::hashing::keccak_256;

/// Domain tag of a reward-root commitment: `keccak256("Smartnodes.RewardRoot.v1")`.
pub const ROOT_TAG: [u8; 32] =
	hex_literal(b"a7c7dc66822ba13f2d25f93e2236641baa02f2fcb415667503807a1093612785");
/// Domain tag of a validator-set update: `keccak256("Smartnodes.ValidatorSet.v1")`.
pub const SET_TAG: [u8; 32] =
	hex_literal(b"04fcb0b68bbfac705aca90da14c1611111dbced16d3a43fa7227e596c1d5f6de");

/// A `const` hex decoder for the tags above (64 lowercase hex digits). It only runs at compile
/// time, where an out-of-range index or a bad digit fails the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub(crate) const fn hex_literal(hex: &[u8; 64]) -> [u8; 32] {
	const fn nibble(c: u8) -> u8 {
		match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			_ => panic!("not a lowercase hex digit"),
		}
	}
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
		i += 1;
	}
	out
}

/// One ABI word holding an unsigned integer (big-endian, left-padded).
pub(crate) fn word_u128(value: u128) -> [u8; 32] {
	let mut word = [0u8; 32];
	word[16..].copy_from_slice(&value.to_be_bytes());
	word
}

/// One ABI word holding an address (left-padded).
pub(crate) fn word_address(address: &EthAddress) -> [u8; 32] {
	let mut word = [0u8; 32];
	word[12..].copy_from_slice(address.as_bytes());
	word
}

/// The leaf of `account` having earned `cumulative` in total.
pub fn reward_leaf(account: &EthAddress, cumulative: u128) -> H256 {
	let mut encoded = [0u8; 64];
	encoded[..32].copy_from_slice(&word_address(account));
	encoded[32..].copy_from_slice(&word_u128(cumulative));
	H256(keccak_256(&keccak_256(&encoded)))
}

/// Hashes two nodes in sorted order.
pub fn hash_pair(a: &H256, b: &H256) -> H256 {
	let (first, second) = if a <= b { (a, b) } else { (b, a) };
	let mut concat = [0u8; 64];
	concat[..32].copy_from_slice(first.as_bytes());
	concat[32..].copy_from_slice(second.as_bytes());
	H256(keccak_256(&concat))
}

/// Checks a proof the way `MerkleProof.verify` does.
pub fn verify_proof(proof: &[H256], root: &H256, leaf: &H256) -> bool {
	&proof.iter().fold(*leaf, |node, sibling| hash_pair(&node, sibling)) == root
}

/// A whole reward tree, kept level by level so any proof can be read off it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardTree {
	/// `levels[0]` are the leaves; the last level holds the root alone.
	levels: Vec<Vec<H256>>,
}

impl RewardTree {
	/// Builds the tree of `leaves` in the given order (callers sort by account first).
	pub fn from_leaves(leaves: Vec<H256>) -> Self {
		let mut levels = Vec::new();
		let mut level = leaves;
		while level.len() > 1 {
			let next = level
				.chunks(2)
				.map(|pair| match pair {
					[a, b] => hash_pair(a, b),
					// The last node of an odd level is carried up as it is.
					_ => pair.first().copied().unwrap_or_default(),
				})
				.collect();
			levels.push(core::mem::replace(&mut level, next));
		}
		levels.push(level);
		Self { levels }
	}

	/// Builds the tree of `(account, cumulative)` entries, sorting them by account.
	pub fn from_entries(entries: &mut [(EthAddress, u128)]) -> Self {
		entries.sort_unstable_by_key(|entry| entry.0);
		Self::from_leaves(entries.iter().map(|(a, v)| reward_leaf(a, *v)).collect())
	}

	/// The root; zero for an empty tree (which Base refuses).
	pub fn root(&self) -> H256 {
		self.levels.last().and_then(|l| l.first()).copied().unwrap_or_default()
	}

	/// Number of leaves.
	pub fn len(&self) -> usize {
		self.levels.first().map_or(0, Vec::len)
	}

	/// Whether the tree has no leaves.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// The siblings from leaf `index` up to the root, or `None` past the last leaf.
	pub fn proof(&self, index: usize) -> Option<Vec<H256>> {
		if index >= self.len() {
			return None;
		}
		let mut proof = Vec::new();
		let mut i = index;
		for level in self.levels.iter().take(self.levels.len().saturating_sub(1)) {
			// A node without a partner is carried up: it contributes no sibling.
			if let Some(sibling) = level.get(i ^ 1) {
				proof.push(*sibling);
			}
			i /= 2;
		}
		Some(proof)
	}
}

/// The root of the tree over `leaves` (in order), computed in place: the same root as
/// [`RewardTree::from_leaves`] without keeping the levels, so a million leaves need 32 MB and no
/// more.
pub fn root_of(mut leaves: Vec<H256>) -> H256 {
	let mut len = leaves.len();
	while len > 1 {
		let mut write = 0;
		let mut read = 0;
		while read < len {
			let node = match (leaves.get(read), leaves.get(read.saturating_add(1))) {
				(Some(a), Some(b)) if read.saturating_add(1) < len => hash_pair(a, b),
				(Some(a), _) => *a,
				_ => break,
			};
			if let Some(slot) = leaves.get_mut(write) {
				*slot = node;
			}
			write = write.saturating_add(1);
			read = read.saturating_add(2);
		}
		len = write;
	}
	if len == 0 {
		return H256::zero();
	}
	leaves.first().copied().unwrap_or_default()
}

/// Signatures needed out of `set_size` signers: ceil(2/3 of the set), as `RewardDistributor`
/// computes it (`(2n + 2) / 3`).
pub fn threshold(set_size: u32) -> u32 {
	set_size.saturating_mul(2).saturating_add(2) / 3
}

/// What validators sign for `RewardDistributor.submitRoot`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct RewardCommitment {
	/// EVM chain id of Base (8453; 84532 on Base Sepolia and the local Anvil).
	pub chain_id: u64,
	/// Address of the reward distributor.
	pub distributor: EthAddress,
	/// State-update period (starts at 1).
	pub period: u64,
	/// Root of the cumulative reward tree.
	pub root: H256,
	/// Sum of every leaf's cumulative amount.
	pub total: u128,
	/// Id of the validator set whose members sign.
	pub validator_set_id: u64,
}

impl RewardCommitment {
	/// `keccak256(abi.encode(ROOT_TAG, chainId, distributor, period, root, total, setId))`,
	/// signed raw (no `eth_sign` prefix).
	pub fn digest(&self) -> H256 {
		let mut encoded = [0u8; 7 * 32];
		let words: [[u8; 32]; 7] = [
			ROOT_TAG,
			word_u128(self.chain_id.into()),
			word_address(&self.distributor),
			word_u128(self.period.into()),
			self.root.0,
			word_u128(self.total),
			word_u128(self.validator_set_id.into()),
		];
		for (chunk, word) in encoded.chunks_exact_mut(32).zip(words.iter()) {
			chunk.copy_from_slice(word);
		}
		H256(keccak_256(&encoded))
	}
}

/// What the current set signs for `RewardDistributor.updateValidatorSet`:
/// `keccak256(abi.encode(SET_TAG, chainId, distributor, newSetId, validators))`.
pub fn validator_set_digest(
	chain_id: u64,
	distributor: &EthAddress,
	new_set_id: u64,
	validators: &[EthAddress],
) -> H256 {
	let mut encoded = Vec::with_capacity(validators.len().saturating_add(6).saturating_mul(32));
	encoded.extend_from_slice(&SET_TAG);
	encoded.extend_from_slice(&word_u128(chain_id.into()));
	encoded.extend_from_slice(&word_address(distributor));
	encoded.extend_from_slice(&word_u128(new_set_id.into()));
	// The array is dynamic: its head is the offset of its data (after the five head words).
	encoded.extend_from_slice(&word_u128(5 * 32));
	encoded.extend_from_slice(&word_u128(validators.len() as u128));
	for v in validators {
		encoded.extend_from_slice(&word_address(v));
	}
	H256(keccak_256(&encoded))
}

/// A 65-byte `r ++ s ++ v` signature with the recovery id `v` as 0/1 (what Substrate's ecdsa
/// signs) turned into the 27/28 form `ecrecover` and OpenZeppelin's `ECDSA` take.
pub fn eth_signature(mut signature: [u8; 65]) -> [u8; 65] {
	if let Some(v) = signature.get_mut(64) {
		if *v < 27 {
			*v = v.saturating_add(27);
		}
	}
	signature
}

/// Recovers the Ethereum address that signed `digest` with a 65-byte `r ++ s ++ v` signature
/// (v = 27/28 as Solidity expects, or 0/1), refusing high-s signatures as OpenZeppelin does.
pub fn recover_signer(digest: &H256, signature: &[u8; 65]) -> Option<EthAddress> {
	const HALF_ORDER: [u8; 32] =
		hex_literal(b"7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
	let s = signature.get(32..64)?;
	if s > &HALF_ORDER[..] {
		return None;
	}
	let mut sig = *signature;
	sig[64] = match sig[64] {
		0 | 27 => 0,
		1 | 28 => 1,
		_ => return None,
	};
	let public = sp_io::crypto::secp256k1_ecdsa_recover(&sig, &digest.0).ok()?;
	Some(EthAddress::from_slice(keccak_256(&public).get(12..)?))
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::Value;

	/// The vectors `contracts/` asserts too (generated by `contracts/script/gen-vectors.mjs`).
	const VECTORS: &str = include_str!("../../contracts/test/vectors/merkle.json");

	fn h256(v: &Value) -> H256 {
		H256::from_slice(&hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap())
	}

	fn address(v: &Value) -> EthAddress {
		EthAddress::from_slice(&hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap())
	}

	fn amount(v: &Value) -> u128 {
		v.as_str().unwrap().parse().unwrap()
	}

	#[test]
	fn tags_are_the_keccak_of_their_names() {
		assert_eq!(ROOT_TAG, keccak_256(b"Smartnodes.RewardRoot.v1"));
		assert_eq!(SET_TAG, keccak_256(b"Smartnodes.ValidatorSet.v1"));
	}

	#[test]
	fn shared_tree_vectors() {
		let vectors: Value = serde_json::from_str(VECTORS).unwrap();
		assert_eq!(vectors["scheme"], "smartnodes-rewards-v1");
		let trees = vectors["trees"].as_array().unwrap();
		assert!(trees.len() >= 5);
		for tree in trees {
			let name = tree["name"].as_str().unwrap();
			let accounts: Vec<_> =
				tree["accounts"].as_array().unwrap().iter().map(address).collect();
			let amounts: Vec<_> = tree["amounts"].as_array().unwrap().iter().map(amount).collect();
			let leaves: Vec<_> = tree["leaves"].as_array().unwrap().iter().map(h256).collect();
			for ((a, v), leaf) in accounts.iter().zip(&amounts).zip(&leaves) {
				assert_eq!(reward_leaf(a, *v), *leaf, "{name}: leaf of {a:?}");
			}
			let mut entries: Vec<_> =
				accounts.iter().copied().zip(amounts.iter().copied()).collect();
			let built = RewardTree::from_entries(&mut entries);
			let root = h256(&tree["root"]);
			assert_eq!(built.root(), root, "{name}: root");
			assert_eq!(amounts.iter().sum::<u128>(), amount(&tree["total"]), "{name}: total");
			for (i, expected) in tree["proofs"].as_array().unwrap().iter().enumerate() {
				let expected: Vec<_> = expected.as_array().unwrap().iter().map(h256).collect();
				assert_eq!(built.proof(i).unwrap(), expected, "{name}: proof {i}");
				assert!(verify_proof(&expected, &root, &leaves[i]), "{name}: verify {i}");
			}
		}
	}

	#[test]
	fn shared_commitment_vector() {
		let vectors: Value = serde_json::from_str(VECTORS).unwrap();
		let c = &vectors["commitment"];
		let commitment = RewardCommitment {
			chain_id: c["chainId"].as_u64().unwrap(),
			distributor: address(&c["distributor"]),
			period: c["period"].as_u64().unwrap(),
			root: h256(&c["root"]),
			total: amount(&c["total"]),
			validator_set_id: c["validatorSetId"].as_u64().unwrap(),
		};
		assert_eq!(commitment.digest(), h256(&c["digest"]));
		let signature: [u8; 65] =
			hex::decode(c["signature"].as_str().unwrap().trim_start_matches("0x"))
				.unwrap()
				.try_into()
				.unwrap();
		assert_eq!(recover_signer(&commitment.digest(), &signature), Some(address(&c["signer"])));
		// Our own bridge key signs the same bytes the same way.
		let secret =
			hex::decode(c["signerPrivateKey"].as_str().unwrap().trim_start_matches("0x")).unwrap();
		let pair = <sp_core::ecdsa::Pair as sp_core::Pair>::from_seed_slice(&secret).unwrap();
		let ours = pair.sign_prehashed(&commitment.digest().0);
		assert_eq!(eth_signature(ours.0), signature);
	}

	#[test]
	fn shared_validator_set_vector() {
		let vectors: Value = serde_json::from_str(VECTORS).unwrap();
		let v = &vectors["validatorSet"];
		let validators: Vec<_> = v["validators"].as_array().unwrap().iter().map(address).collect();
		let digest = validator_set_digest(
			v["chainId"].as_u64().unwrap(),
			&address(&v["distributor"]),
			v["newSetId"].as_u64().unwrap(),
			&validators,
		);
		assert_eq!(digest, h256(&v["digest"]));
	}

	#[test]
	fn malleable_and_malformed_signatures_are_refused() {
		let digest = H256::repeat_byte(7);
		let pair = <sp_core::ecdsa::Pair as sp_core::Pair>::from_seed(&[1; 32]);
		let mut sig = <[u8; 65]>::try_from(pair.sign_prehashed(&digest.0).as_ref()).unwrap();
		let signer = crate::bridge_key::eth_address(&sp_core::Pair::public(&pair).0);
		assert_eq!(recover_signer(&digest, &sig), signer);
		// The same signature with s' = n - s recovers too on plain ecrecover: it must be refused.
		let n = primitive_types_order();
		let s = sp_core::U256::from_big_endian(&sig[32..64]);
		let high = n - s;
		sig[32..64].copy_from_slice(&high.to_big_endian());
		sig[64] ^= 1;
		assert_eq!(recover_signer(&digest, &sig), None);
		sig[64] = 30;
		assert_eq!(recover_signer(&digest, &sig), None);
	}

	fn primitive_types_order() -> sp_core::U256 {
		sp_core::U256::from_big_endian(
			&hex::decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
				.unwrap(),
		)
	}

	#[test]
	fn tree_shapes_and_bad_proofs() {
		assert_eq!(RewardTree::from_leaves(vec![]).root(), H256::zero());
		let leaves: Vec<_> =
			(0..7u64).map(|i| reward_leaf(&EthAddress::from_low_u64_be(i + 1), i.into())).collect();
		let tree = RewardTree::from_leaves(leaves.clone());
		for (i, leaf) in leaves.iter().enumerate() {
			let proof = tree.proof(i).unwrap();
			assert!(verify_proof(&proof, &tree.root(), leaf));
			// A proof for one leaf never verifies another.
			let other = &leaves[(i + 1) % leaves.len()];
			assert!(!verify_proof(&proof, &tree.root(), other));
		}
		assert_eq!(tree.proof(7), None);
		// An inner node offered as a leaf does not verify: leaves are hashed twice.
		let inner = hash_pair(&leaves[0], &leaves[1]);
		let proof_of_pair = tree.proof(0).unwrap()[1..].to_vec();
		assert!(verify_proof(&proof_of_pair, &tree.root(), &inner));
		let as_leaf = H256(keccak_256(&keccak_256(inner.as_bytes())));
		assert!(!verify_proof(&proof_of_pair, &tree.root(), &as_leaf));
	}

	#[test]
	fn in_place_root_matches_the_tree() {
		for n in [0usize, 1, 2, 3, 4, 5, 7, 8, 9, 33, 100] {
			let mut entries: Vec<(EthAddress, u128)> =
				(0..n).map(|i| (EthAddress::repeat_byte(i as u8), i as u128 + 1)).collect();
			let tree = RewardTree::from_entries(&mut entries);
			let leaves = entries.iter().map(|(a, v)| reward_leaf(a, *v)).collect();
			assert_eq!(root_of(leaves), tree.root(), "{n} leaves");
		}
	}

	#[test]
	fn threshold_is_two_thirds_rounded_up() {
		for n in 1u32..=100 {
			let t = threshold(n);
			assert!(3 * t >= 2 * n, "{n}: {t} is below two thirds");
			assert!(3 * (t - 1) < 2 * n, "{n}: {t} is more than needed");
		}
		assert_eq!([threshold(1), threshold(3), threshold(4), threshold(100)], [1, 2, 3, 67]);
	}
}
