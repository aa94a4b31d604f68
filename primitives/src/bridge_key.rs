//! The validators' bridge key: a secp256k1 session key (as BEEFY has) whose signatures Base
//! verifies with `ecrecover`. Its Ethereum address is what the reward distributor on Base stores
//! as the validator set.

use sp_application_crypto::{app_crypto, ecdsa, KeyTypeId};

/// Keystore and session-key type of the bridge key.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"snbr");

app_crypto!(ecdsa, KEY_TYPE);

/// The session key a validator registers for bridge signing.
pub type BridgeId = Public;
/// A signature by a bridge key.
pub type BridgeSignature = Signature;

/// A 65-byte `r ++ s ++ v` signature by a bridge key, in the form `ecrecover` takes.
pub type EthSignature = [u8; 65];

/// An Ethereum address: the last 20 bytes of keccak256 of the uncompressed public key.
pub type EthAddress = sp_core::H160;

/// The Ethereum address of a compressed secp256k1 public key, or `None` if the 33 bytes are not a
/// point on the curve (session keys are not validated when they are set).
pub fn eth_address(compressed: &[u8; 33]) -> Option<EthAddress> {
	let key = k256::ecdsa::VerifyingKey::from_sec1_bytes(compressed).ok()?;
	let uncompressed = key.to_encoded_point(false);
	// SEC1 uncompressed encoding: 0x04 || x || y; Ethereum hashes x || y.
	let xy = uncompressed.as_bytes().get(1..)?;
	let hash = sp_io::hashing::keccak_256(xy);
	Some(EthAddress::from_slice(hash.get(12..)?))
}

impl BridgeId {
	/// The Ethereum address Base knows this validator by.
	pub fn eth_address(&self) -> Option<EthAddress> {
		let raw: &ecdsa::Public = self.as_ref();
		eth_address(&raw.0)
	}
}

/// The members of `set` whose bridge key is in this node's keystore, with that key: the
/// validators an off-chain worker acts for. Off-chain only (it reads the keystore).
pub fn local_signers<AccountId: Clone>(
	set: &[(AccountId, EthAddress)],
) -> alloc::vec::Vec<(ecdsa::Public, AccountId)> {
	sp_io::crypto::ecdsa_public_keys(KEY_TYPE)
		.into_iter()
		.filter_map(|key| {
			let address = eth_address(&key.0)?;
			let who = set.iter().find(|(_, a)| *a == address)?.0.clone();
			Some((key, who))
		})
		.collect()
}

/// Signs `digest` with the local bridge key `key`, in the form `ecrecover` takes (v = 27 or
/// 28). Off-chain only.
pub fn sign_prehashed(key: &ecdsa::Public, digest: &sp_core::H256) -> Option<EthSignature> {
	sp_io::crypto::ecdsa_sign_prehashed(KEY_TYPE, key, &digest.0)
		.map(|signature| crate::rewards::eth_signature(signature.0))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn eth_address_matches_known_vector() {
		// Anvil's first account: private key 0xac09...ff80 controls 0xf39F...2266.
		let secret =
			hex::decode("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
				.unwrap();
		let pair = <ecdsa::Pair as sp_core::Pair>::from_seed_slice(&secret).unwrap();
		let public = sp_core::Pair::public(&pair);
		let address = eth_address(&public.0).unwrap();
		assert_eq!(hex::encode(address.as_bytes()), "f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
	}

	#[test]
	fn invalid_point_has_no_address() {
		assert_eq!(eth_address(&[0xff; 33]), None);
	}
}
