// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Test-side reward-tree builder, mirroring the documented construction (README "Reward
/// tree"): leaves in the given order, built level by level, pairs hashed sorted, an odd last node
/// carried up unchanged. `script/gen-vectors.mjs` is the independent reference.
library Merkle {
    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        require(leaves.length > 0, "Merkle: no leaves");
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            level = _up(level);
        }
        return level[0];
    }

    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory result) {
        require(index < leaves.length, "Merkle: index out of range");
        bytes32[] memory scratch = new bytes32[](256);
        uint256 depth;
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) scratch[depth++] = level[sibling];
            level = _up(level);
            index >>= 1;
        }
        result = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) {
            result[i] = scratch[i];
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 i; i < level.length; i += 2) {
            next[i / 2] = i + 1 < level.length ? hashPair(level[i], level[i + 1]) : level[i];
        }
    }
}
