// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title RewardHashes
/// @notice The byte-exact encodings the Smartnodes chain signs and the reward tree commits to. The
/// Rust side (`smartnodes-primitives`, the bridge) reproduces each of these; `test/vectors/merkle.json`
/// pins them on both sides.
/// @dev Every digest is `keccak256(abi.encode(TAG, ...))`: each field is one 32-byte ABI word
/// (uints and addresses left-padded with zeros), and the validators' signatures are over the digest
/// itself, with no `"\x19Ethereum Signed Message:\n32"` prefix.
library RewardHashes {
    /// @notice Domain tag of a reward-root commitment: `keccak256("Smartnodes.RewardRoot.v1")`.
    bytes32 internal constant ROOT_TAG = keccak256("Smartnodes.RewardRoot.v1");

    /// @notice Domain tag of a validator-set update: `keccak256("Smartnodes.ValidatorSet.v1")`.
    bytes32 internal constant SET_TAG = keccak256("Smartnodes.ValidatorSet.v1");

    /// @notice Digest the validators sign to publish a reward root:
    /// `keccak256(abi.encode(ROOT_TAG, chainId, distributor, period, root, total, validatorSetId))`,
    /// seven 32-byte words (224 bytes) hashed once.
    /// @param chainId EVM chain id of the Base network the root is meant for.
    /// @param distributor Address of the `RewardDistributor` the root is meant for.
    /// @param period State-update period the root closes.
    /// @param root Merkle root of the cumulative reward tree.
    /// @param total Sum of all cumulative amounts in the tree.
    /// @param validatorSetId Id of the validator set whose members sign.
    function rootDigest(
        uint256 chainId,
        address distributor,
        uint64 period,
        bytes32 root,
        uint256 total,
        uint64 validatorSetId
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(ROOT_TAG, chainId, distributor, period, root, total, validatorSetId));
    }

    /// @notice Digest the current validators sign to hand over to a new set:
    /// `keccak256(abi.encode(SET_TAG, chainId, distributor, newSetId, validators))`. The array is ABI
    /// encoded as a dynamic parameter: after the four static words come its offset (`0xa0`), its
    /// length, then one word per address.
    /// @param chainId EVM chain id of the Base network.
    /// @param distributor Address of the `RewardDistributor`.
    /// @param newSetId Id of the new set (the current id plus one).
    /// @param validators Bridge-key addresses of the new set, in the chain's order.
    function validatorSetDigest(uint256 chainId, address distributor, uint64 newSetId, address[] memory validators)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(SET_TAG, chainId, distributor, newSetId, validators));
    }

    /// @notice Leaf of the cumulative reward tree:
    /// `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`. Hashing twice
    /// keeps a leaf from ever equalling an inner node, whose preimage is also 64 bytes.
    /// @param account Base account that earned the rewards.
    /// @param cumulativeAmount Everything the account has earned since genesis, in wei of SNO.
    function leaf(address account, uint256 cumulativeAmount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
    }
}
