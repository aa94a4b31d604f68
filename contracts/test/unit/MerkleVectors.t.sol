// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {Merkle} from "../utils/Merkle.sol";
import {Test} from "../utils/Test.sol";

/// @notice Asserts `test/vectors/merkle.json` (written by `script/gen-vectors.mjs`, also asserted by
/// the Rust side) against the contracts and the test-side tree builder.
contract MerkleVectorsTest is Test {
    string internal json;

    function setUp() public {
        json = vm.readFile(string.concat(vm.projectRoot(), "/test/vectors/merkle.json"));
    }

    function _tree(uint256 i) internal pure returns (string memory) {
        return string.concat(".trees[", vm.toString(i), "]");
    }

    function test_Vectors_TreeCount() public view {
        uint256 count;
        while (vm.keyExistsJson(json, _tree(count))) ++count;
        assertEq(count, 6, "trees");
        assertEq(vm.parseJsonString(json, ".scheme"), "smartnodes-rewards-v1", "scheme");
    }

    function test_Vectors_LeavesRootsAndProofs() public view {
        for (uint256 t; vm.keyExistsJson(json, _tree(t)); ++t) {
            string memory path = _tree(t);
            address[] memory accounts = vm.parseJsonAddressArray(json, string.concat(path, ".accounts"));
            uint256[] memory amounts = vm.parseJsonUintArray(json, string.concat(path, ".amounts"));
            bytes32[] memory leaves = vm.parseJsonBytes32Array(json, string.concat(path, ".leaves"));
            bytes32 root = vm.parseJsonBytes32(json, string.concat(path, ".root"));
            assertEq(accounts.length, leaves.length, "accounts vs leaves");
            assertEq(amounts.length, leaves.length, "amounts vs leaves");
            assertEq(vm.parseJsonUint(json, string.concat(path, ".total")), _sum(amounts), "total");
            assertEq(Merkle.root(leaves), root, "root from the test builder");
            for (uint256 i; i < leaves.length; ++i) {
                assertEq(RewardHashes.leaf(accounts[i], amounts[i]), leaves[i], "leaf");
                if (i > 0) assertTrue(accounts[i - 1] < accounts[i], "leaves ordered by account");
                bytes32[] memory proof = _proof(path, i);
                assertEq(keccak256(abi.encode(proof)), keccak256(abi.encode(Merkle.proof(leaves, i))), "proof");
                assertTrue(MerkleProof.verify(proof, root, leaves[i]), "OpenZeppelin verifies");
            }
        }
    }

    function test_Vectors_ClaimEveryLeafOnADistributor() public {
        (uint256[] memory keys, address[] memory validators) = (new uint256[](1), new address[](1));
        keys[0] = keyFrom("vector validator");
        validators[0] = vm.addr(keys[0]);
        for (uint256 t; vm.keyExistsJson(json, _tree(t)); ++t) {
            string memory path = _tree(t);
            RewardDistributor d =
                new RewardDistributor(address(1), address(0), 1, validators, 0, new address[](0), new uint256[](0));
            IRewardDistributor.RootCommitment memory c = IRewardDistributor.RootCommitment({
                chainId: block.chainid,
                distributor: address(d),
                period: 1,
                root: vm.parseJsonBytes32(json, string.concat(path, ".root")),
                total: vm.parseJsonUint(json, string.concat(path, ".total")),
                validatorSetId: 1
            });
            bytes[] memory sigs = new bytes[](1);
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[0], d.rootCommitmentDigest(c));
            sigs[0] = abi.encodePacked(r, s, v);
            d.submitRoot(c, sigs);

            address[] memory accounts = vm.parseJsonAddressArray(json, string.concat(path, ".accounts"));
            uint256[] memory amounts = vm.parseJsonUintArray(json, string.concat(path, ".amounts"));
            for (uint256 i; i < accounts.length; ++i) {
                d.claim(accounts[i], amounts[i], _proof(path, i));
                assertEq(d.token().balanceOf(accounts[i]), amounts[i], "paid");
            }
            assertEq(d.token().balanceOf(address(d)), 0, "tree total paid out exactly");
        }
    }

    function test_Vectors_RootCommitmentDigestAndSignature() public view {
        string memory p = ".commitment";
        bytes32 tag = vm.parseJsonBytes32(json, string.concat(p, ".domainTag"));
        assertEq(tag, keccak256(bytes(vm.parseJsonString(json, string.concat(p, ".domainTagPreimage")))), "tag");
        assertEq(tag, RewardHashes.ROOT_TAG, "ROOT_TAG");

        IRewardDistributor.RootCommitment memory c = IRewardDistributor.RootCommitment({
            chainId: vm.parseJsonUint(json, string.concat(p, ".chainId")),
            distributor: vm.parseJsonAddress(json, string.concat(p, ".distributor")),
            period: uint64(vm.parseJsonUint(json, string.concat(p, ".period"))),
            root: vm.parseJsonBytes32(json, string.concat(p, ".root")),
            total: vm.parseJsonUint(json, string.concat(p, ".total")),
            validatorSetId: uint64(vm.parseJsonUint(json, string.concat(p, ".validatorSetId")))
        });
        bytes memory encoded = vm.parseJsonBytes(json, string.concat(p, ".encoded"));
        bytes32 digest = vm.parseJsonBytes32(json, string.concat(p, ".digest"));
        assertEq(
            abi.encode(tag, c.chainId, c.distributor, c.period, c.root, c.total, c.validatorSetId), encoded, "encoding"
        );
        assertEq(encoded.length, 224, "seven words");
        assertEq(keccak256(encoded), digest, "digest of the encoding");
        assertEq(
            RewardHashes.rootDigest(c.chainId, c.distributor, c.period, c.root, c.total, c.validatorSetId),
            digest,
            "library"
        );
        _checkSignature(p, digest);
    }

    function test_Vectors_ValidatorSetDigestAndSignature() public view {
        string memory p = ".validatorSet";
        bytes32 tag = vm.parseJsonBytes32(json, string.concat(p, ".domainTag"));
        assertEq(tag, keccak256(bytes(vm.parseJsonString(json, string.concat(p, ".domainTagPreimage")))), "tag");
        assertEq(tag, RewardHashes.SET_TAG, "SET_TAG");
        uint256 chainId = vm.parseJsonUint(json, string.concat(p, ".chainId"));
        address distributor = vm.parseJsonAddress(json, string.concat(p, ".distributor"));
        uint64 newSetId = uint64(vm.parseJsonUint(json, string.concat(p, ".newSetId")));
        address[] memory validators = vm.parseJsonAddressArray(json, string.concat(p, ".validators"));
        bytes memory encoded = vm.parseJsonBytes(json, string.concat(p, ".encoded"));
        bytes32 digest = vm.parseJsonBytes32(json, string.concat(p, ".digest"));
        assertEq(abi.encode(tag, chainId, distributor, newSetId, validators), encoded, "encoding");
        assertEq(keccak256(encoded), digest, "digest of the encoding");
        assertEq(RewardHashes.validatorSetDigest(chainId, distributor, newSetId, validators), digest, "library");
        _checkSignature(p, digest);
    }

    function _checkSignature(string memory p, bytes32 digest) internal view {
        uint256 key = vm.parseJsonUint(json, string.concat(p, ".signerPrivateKey"));
        address signer = vm.parseJsonAddress(json, string.concat(p, ".signer"));
        bytes memory signature = vm.parseJsonBytes(json, string.concat(p, ".signature"));
        assertEq(signature.length, 65, "r || s || v");
        assertEq(vm.addr(key), signer, "signer of the key");
        assertEq(ECDSA.recover(digest, signature), signer, "recovers the signer over the raw digest");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        assertEq(abi.encodePacked(r, s, v), signature, "RFC 6979 signature reproduced");
    }

    function _proof(string memory path, uint256 i) internal view returns (bytes32[] memory) {
        return vm.parseJsonBytes32Array(json, string.concat(path, ".proofs[", vm.toString(i), "]"));
    }

    function _sum(uint256[] memory amounts) internal pure returns (uint256 total) {
        for (uint256 i; i < amounts.length; ++i) {
            total += amounts[i];
        }
    }
}
