//! The encodings the validators sign and the reward tree's leaves, byte for byte as in
//! `contracts/src/libraries/RewardHashes.sol` (see the contracts' README, "Encodings").
//!
//! The relayer itself only carries signatures; these exist so that tests and tools can make and
//! check them, and are asserted against the shared vectors in `contracts/test/vectors`.

use alloy::{
	primitives::{b256, keccak256, Address, Bytes, B256, U256},
	signers::{local::PrivateKeySigner, SignerSync},
	sol_types::SolValue,
};

/// `keccak256("Smartnodes.RewardRoot.v1")`.
pub const ROOT_TAG: B256 =
	b256!("a7c7dc66822ba13f2d25f93e2236641baa02f2fcb415667503807a1093612785");
/// `keccak256("Smartnodes.ValidatorSet.v1")`.
pub const SET_TAG: B256 = b256!("04fcb0b68bbfac705aca90da14c1611111dbced16d3a43fa7227e596c1d5f6de");

/// What the validators sign to publish a reward root.
pub fn root_digest(
	chain_id: u64,
	distributor: Address,
	period: u64,
	root: B256,
	total: U256,
	validator_set_id: u64,
) -> B256 {
	let words =
		(ROOT_TAG, U256::from(chain_id), distributor, period, root, total, validator_set_id);
	keccak256(words.abi_encode_params())
}

/// What the current validators sign to hand over to `validators` as set `new_set_id`.
pub fn validator_set_digest(
	chain_id: u64,
	distributor: Address,
	new_set_id: u64,
	validators: &[Address],
) -> B256 {
	let params = (SET_TAG, U256::from(chain_id), distributor, new_set_id, validators.to_vec());
	keccak256(params.abi_encode_params())
}

/// A reward-tree leaf: `keccak256(keccak256(abi.encode(account, cumulativeAmount)))`.
pub fn leaf(account: Address, cumulative_amount: U256) -> B256 {
	keccak256(keccak256((account, cumulative_amount).abi_encode_params()))
}

/// A 65-byte `r || s || v` signature (v = 27 or 28) over the digest itself, with no message
/// prefix: what the distributor recovers.
pub fn sign_digest(key: &PrivateKeySigner, digest: B256) -> Result<Bytes, alloy::signers::Error> {
	let signature = key.sign_hash_sync(&digest)?;
	Ok(Bytes::copy_from_slice(&signature.as_bytes()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::Value;
	use std::str::FromStr;

	fn vectors() -> Value {
		let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts/test/vectors/merkle.json");
		serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
	}

	fn b256_of(v: &Value) -> B256 {
		B256::from_str(v.as_str().unwrap()).unwrap()
	}

	fn address_of(v: &Value) -> Address {
		Address::from_str(v.as_str().unwrap()).unwrap()
	}

	fn u256_of(v: &Value) -> U256 {
		U256::from_str_radix(v.as_str().unwrap(), 10).unwrap()
	}

	#[test]
	fn tags_are_the_hashes_of_their_names() {
		assert_eq!(ROOT_TAG, keccak256("Smartnodes.RewardRoot.v1"));
		assert_eq!(SET_TAG, keccak256("Smartnodes.ValidatorSet.v1"));
	}

	#[test]
	fn root_digest_and_signature_match_the_vectors() {
		let v = &vectors()["commitment"];
		let digest = root_digest(
			v["chainId"].as_u64().unwrap(),
			address_of(&v["distributor"]),
			v["period"].as_u64().unwrap(),
			b256_of(&v["root"]),
			u256_of(&v["total"]),
			v["validatorSetId"].as_u64().unwrap(),
		);
		assert_eq!(digest, b256_of(&v["digest"]));
		let key = PrivateKeySigner::from_str(v["signerPrivateKey"].as_str().unwrap()).unwrap();
		assert_eq!(key.address(), address_of(&v["signer"]));
		let signature = sign_digest(&key, digest).unwrap();
		assert_eq!(signature, Bytes::from_str(v["signature"].as_str().unwrap()).unwrap());
		assert!(matches!(signature[64], 27 | 28));
	}

	#[test]
	fn set_digest_and_signature_match_the_vectors() {
		let v = &vectors()["validatorSet"];
		let validators: Vec<Address> =
			v["validators"].as_array().unwrap().iter().map(address_of).collect();
		let digest = validator_set_digest(
			v["chainId"].as_u64().unwrap(),
			address_of(&v["distributor"]),
			v["newSetId"].as_u64().unwrap(),
			&validators,
		);
		assert_eq!(digest, b256_of(&v["digest"]));
		let key = PrivateKeySigner::from_str(v["signerPrivateKey"].as_str().unwrap()).unwrap();
		let signature = sign_digest(&key, digest).unwrap();
		assert_eq!(signature, Bytes::from_str(v["signature"].as_str().unwrap()).unwrap());
	}

	#[test]
	fn leaves_match_the_vectors() {
		let vectors = vectors();
		let trees = vectors["trees"].as_array().unwrap();
		assert!(!trees.is_empty());
		for tree in trees {
			let accounts = tree["accounts"].as_array().unwrap();
			for (i, account) in accounts.iter().enumerate() {
				let computed = leaf(address_of(account), u256_of(&tree["amounts"][i]));
				assert_eq!(computed, b256_of(&tree["leaves"][i]), "{} leaf {i}", tree["name"]);
			}
		}
		let one = &trees[0];
		assert_eq!(one["accounts"].as_array().unwrap().len(), 1);
		assert_eq!(b256_of(&one["root"]), b256_of(&one["leaves"][0]), "one leaf is its own root");
	}
}
