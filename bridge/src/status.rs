//! What the chain says the bridge should carry: the answer of `smartnodes_bridgeStatus` at a
//! finalized block. Fields are camelCase; fields this relayer does not know are ignored, so the
//! node may add some.

use alloy::primitives::{Address, Bytes, B256, U256};
use serde::{Deserialize, Deserializer};

/// The bridge's state on the chain at one finalized block.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeStatus {
	/// The finalized block the status was read at.
	pub at: BlockRef,
	/// EVM chain id of the Base network the chain signs for.
	pub chain_id: u64,
	/// The `RewardDistributor` the chain signs for.
	pub distributor: Address,
	/// The chain's current validator set.
	pub validator_set: ValidatorSet,
	/// Retained set updates, ascending by set id, each signed by the set before it.
	#[serde(default)]
	pub set_updates: Vec<SetUpdate>,
	/// The newest reward root the validators passed, with its signatures.
	#[serde(default)]
	pub latest_passed: Option<PassedRoot>,
}

/// A chain block.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BlockRef {
	pub number: u64,
	pub hash: B256,
}

/// A validator set: its id and its members' bridge-key addresses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorSet {
	pub set_id: u64,
	pub validators: Vec<Address>,
}

/// A validator-set update for `RewardDistributor.updateValidatorSet`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetUpdate {
	/// Id of the new set.
	pub set_id: u64,
	/// The new set's addresses, in the order they were signed.
	pub validators: Vec<Address>,
	/// Id of the signing set (`set_id - 1`).
	pub signer_set_id: u64,
	/// The signing set's addresses.
	pub signer_set: Vec<Address>,
	/// Signatures Base requires from the signing set.
	pub threshold: u32,
	/// 65-byte signatures over the set digest, collected so far.
	pub signatures: Vec<Bytes>,
	/// Who made each signature.
	#[serde(default)]
	pub signers: Vec<Address>,
	/// Whether there are at least `threshold` signatures.
	pub complete: bool,
}

/// A reward root the chain's validators passed, for `RewardDistributor.submitRoot`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassedRoot {
	pub period: u64,
	pub root: B256,
	/// Sum of the tree's cumulative amounts, in wei (a decimal string on the wire).
	#[serde(deserialize_with = "decimal_u256")]
	pub total: U256,
	/// Id of the set that signed it.
	pub validator_set_id: u64,
	/// 65-byte signatures over the root digest.
	pub signatures: Vec<Bytes>,
	/// Who made each signature.
	#[serde(default)]
	pub signers: Vec<Address>,
	/// Chain block in which the root passed.
	pub passed_at: u64,
}

/// A uint256 as a decimal string (`"123000000000000000000"`); a `0x` hex string or a JSON
/// number are accepted too.
fn decimal_u256<'de, D: Deserializer<'de>>(deserializer: D) -> Result<U256, D::Error> {
	#[derive(Deserialize)]
	#[serde(untagged)]
	enum Repr {
		Text(String),
		Number(u64),
	}
	match Repr::deserialize(deserializer)? {
		Repr::Number(n) => Ok(U256::from(n)),
		Repr::Text(text) => {
			let parsed = match text.strip_prefix("0x") {
				Some(hex) => U256::from_str_radix(hex, 16),
				None => U256::from_str_radix(&text, 10),
			};
			parsed.map_err(|e| serde::de::Error::custom(format!("total {text:?}: {e}")))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloy::primitives::{address, b256};

	const FULL: &str = r#"{
		"at": { "number": 812, "hash": "0x1111111111111111111111111111111111111111111111111111111111111111" },
		"chainId": 84532,
		"distributor": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
		"validatorSet": { "setId": 1, "validators": ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"] },
		"setUpdates": [
			{ "setId": 1, "validators": ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "signerSetId": 0,
			  "signerSet": ["0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"], "threshold": 1,
			  "signatures": ["0x0102"], "signers": ["0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"],
			  "complete": true, "queuedAt": 400 }
		],
		"latestPassed": { "period": 5, "root": "0x2222222222222222222222222222222222222222222222222222222222222222",
			"total": "123000000000000000000", "validatorSetId": 1, "signatures": ["0xabcd"],
			"signers": ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "passedAt": 700, "tree": "0x99" },
		"dao": "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
		"confirmations": 3,
		"startBlock": 0,
		"queuedSetId": 2,
		"deposits": { "nextNonce": 1, "lastBaseBlock": 0, "attesting": [[1, 2]], "ready": [] },
		"supply": { "issuance": "1", "expectedIssuance": "1" }
	}"#;

	#[test]
	fn decodes_the_documented_shape_and_ignores_unknown_fields() {
		let status: BridgeStatus = serde_json::from_str(FULL).unwrap();
		assert_eq!(status.at.number, 812);
		assert_eq!(status.chain_id, 84532);
		assert_eq!(status.distributor, address!("e7f1725E7734CE288F8367e1Bb143E90bb3F0512"));
		assert_eq!(status.validator_set.set_id, 1);
		let update = &status.set_updates[0];
		assert_eq!((update.set_id, update.signer_set_id, update.threshold), (1, 0, 1));
		assert!(update.complete);
		assert_eq!(update.signatures[0].as_ref(), [1, 2]);
		let root = status.latest_passed.unwrap();
		assert_eq!(root.period, 5);
		assert_eq!(
			root.root,
			b256!("2222222222222222222222222222222222222222222222222222222222222222")
		);
		assert_eq!(root.total, U256::from(123_000_000_000_000_000_000u128));
		assert_eq!((root.validator_set_id, root.passed_at), (1, 700));
	}

	#[test]
	fn no_root_and_no_updates() {
		let json = r#"{ "at": { "number": 1, "hash": "0x0000000000000000000000000000000000000000000000000000000000000000" },
			"chainId": 8453, "distributor": "0x0000000000000000000000000000000000000001",
			"validatorSet": { "setId": 0, "validators": [] }, "setUpdates": [], "latestPassed": null }"#;
		let status: BridgeStatus = serde_json::from_str(json).unwrap();
		assert!(status.latest_passed.is_none());
		assert!(status.set_updates.is_empty());
	}

	#[test]
	fn total_is_exact_beyond_u128_and_must_be_a_number() {
		let total = |text: &str| -> Result<U256, serde_json::Error> {
			#[derive(Deserialize)]
			struct T {
				#[serde(deserialize_with = "decimal_u256")]
				total: U256,
			}
			serde_json::from_str::<T>(&format!(r#"{{"total": {text}}}"#)).map(|t| t.total)
		};
		let big = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
		assert_eq!(total(&format!("\"{big}\"")).unwrap(), U256::MAX);
		assert_eq!(total("\"0xff\"").unwrap(), U256::from(255u64));
		assert_eq!(total("42").unwrap(), U256::from(42u64));
		assert!(total("\"12abc\"").is_err());
		assert!(total("\"-1\"").is_err());
	}

	#[test]
	fn a_missing_required_field_is_an_error() {
		let json = FULL.replace(r#""chainId": 84532,"#, "");
		assert!(serde_json::from_str::<BridgeStatus>(&json).is_err());
	}
}
