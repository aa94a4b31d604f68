// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";

contract SignaturesFuzzTest is DistributorFixture {
    uint256 internal constant MAX_SET = 40;

    /// @dev A set of `n` validators whose private keys come from the fuzzer's seed.
    function _fuzzedSet(uint256 seed, uint256 n) internal returns (uint256[] memory keys) {
        keys = new uint256[](n);
        address[] memory addrs = new address[](n);
        for (uint256 i; i < n; ++i) {
            keys[i] = bound(uint256(keccak256(abi.encode(seed, i))), 1, SECP256K1_N - 1);
            addrs[i] = vm.addr(keys[i]);
        }
        distributor = new RewardDistributor(dao, guardian, 1, addrs, 0, new address[](0), new uint256[](0));
    }

    /// @dev Signatures from `k` distinct validators, starting at a seed-chosen member and wrapping.
    function _signSome(bytes32 digest, uint256[] memory keys, uint256 k, uint256 start)
        internal
        pure
        returns (bytes[] memory sigs)
    {
        sigs = new bytes[](k);
        start %= keys.length;
        for (uint256 i; i < k; ++i) {
            sigs[i] = _sig(keys[(start + i) % keys.length], digest);
        }
    }

    function testFuzz_SubmitRootAroundThreshold(uint256 seed, uint256 n, uint256 k, uint256 start) public {
        n = bound(n, 1, MAX_SET);
        uint256 required = _threshold(n);
        k = bound(k, required > 2 ? required - 2 : 0, required + 1 > n ? n : required + 1);
        uint256[] memory keys = _fuzzedSet(seed, n);
        assertEq(distributor.threshold(), required, "threshold");

        IRewardDistributor.RootCommitment memory c = _commitment(1, keccak256(abi.encode(seed)), 1e18);
        bytes[] memory sigs = _signSome(distributor.rootCommitmentDigest(c), keys, k, start);
        if (k < required) {
            vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InsufficientSignatures.selector, k, required));
            distributor.submitRoot(c, sigs);
        } else {
            distributor.submitRoot(c, sigs);
            (bytes32 root,,) = distributor.activeRoot();
            assertEq(root, c.root, "accepted with k >= ceil(2n/3)");
        }
    }

    function testFuzz_RevertWhen_OneSignatureIsBad(uint256 seed, uint256 n, uint256 bad, uint8 kind) public {
        n = bound(n, 2, MAX_SET);
        uint256[] memory keys = _fuzzedSet(seed, n);
        uint256 required = _threshold(n);
        bad = bound(bad, 0, required - 1);
        IRewardDistributor.RootCommitment memory c = _commitment(1, keccak256(abi.encode(seed)), 1e18);
        bytes32 digest = distributor.rootCommitmentDigest(c);
        bytes[] memory sigs = _signSome(digest, keys, required, 0);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[bad], digest);

        kind = kind % 4;
        if (kind == 0) {
            uint256 outsider = bound(uint256(keccak256(abi.encode(seed, "outsider"))), 1, SECP256K1_N - 1);
            sigs[bad] = _sig(outsider, digest);
            vm.assume(!distributor.isValidator(vm.addr(outsider)));
            vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, bad, vm.addr(outsider)));
        } else if (kind == 1) {
            vm.assume(required >= 2);
            uint256 twin = bad == 0 ? 1 : bad - 1;
            sigs[bad] = sigs[twin];
            uint256 second = bad > twin ? bad : twin;
            vm.expectRevert(
                abi.encodeWithSelector(IRewardDistributor.DuplicateSigner.selector, second, vm.addr(keys[twin]))
            );
        } else if (kind == 2) {
            bytes32 highS = bytes32(SECP256K1_N - uint256(s));
            sigs[bad] = abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27));
            vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.MalleableSignature.selector, bad, highS));
        } else {
            sigs[bad] = abi.encodePacked(r, s, uint8(bound(v, 29, 255)));
            vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidSignature.selector, bad));
        }
        distributor.submitRoot(c, sigs);
    }

    function testFuzz_ValidatorSetUpdateAroundThreshold(uint256 seed, uint256 n, uint256 m, uint256 k) public {
        n = bound(n, 1, MAX_SET);
        m = bound(m, 1, MAX_SET);
        uint256 required = _threshold(n);
        k = bound(k, required > 1 ? required - 1 : 0, n);
        uint256[] memory keys = _fuzzedSet(seed, n);
        (, address[] memory next) = _validatorKeys(m, string(abi.encode(seed)));
        bytes32 digest = distributor.validatorSetDigest(2, next);
        bytes[] memory sigs = _signSome(digest, keys, k, seed);
        if (k < required) {
            vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InsufficientSignatures.selector, k, required));
            distributor.updateValidatorSet(2, next, sigs);
        } else {
            distributor.updateValidatorSet(2, next, sigs);
            assertEq(distributor.validators(), next, "new set");
            assertEq(distributor.threshold(), _threshold(m), "new threshold");
        }
    }
}
