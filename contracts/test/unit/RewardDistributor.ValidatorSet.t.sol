// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";

contract RewardDistributorValidatorSetTest is DistributorFixture {
    function _newSet(uint256 n, string memory salt)
        internal
        pure
        returns (uint256[] memory keys, address[] memory addrs)
    {
        return _validatorKeys(n, salt);
    }

    function test_ValidatorSetDigest_MatchesEncoding() public view {
        (, address[] memory addrs) = _newSet(3, "next");
        bytes32 expected = keccak256(
            abi.encode(keccak256("Smartnodes.ValidatorSet.v1"), block.chainid, address(distributor), uint64(8), addrs)
        );
        assertEq(distributor.validatorSetDigest(8, addrs), expected, "digest");
    }

    function test_UpdateValidatorSet_ReplacesSet() public {
        (, address[] memory addrs) = _newSet(7, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectEmit();
        emit IRewardDistributor.ValidatorSetUpdated(INITIAL_SET_ID + 1, addrs, 5);
        vm.prank(relayer);
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);

        assertEq(distributor.validatorSetId(), INITIAL_SET_ID + 1, "set id");
        assertEq(distributor.validators(), addrs, "validators");
        assertEq(distributor.threshold(), 5, "ceil(14/3)");
        for (uint256 i; i < validatorAddrs.length; ++i) {
            assertFalse(distributor.isValidator(validatorAddrs[i]), "old member gone");
        }
        for (uint256 i; i < addrs.length; ++i) {
            assertTrue(distributor.isValidator(addrs[i]), "new member");
        }
    }

    function test_UpdateValidatorSet_KeepsOverlappingMembers() public {
        address[] memory addrs = new address[](3);
        (addrs[0], addrs[1], addrs[2]) = (validatorAddrs[3], validatorAddrs[0], alice);
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, _sign(digest, validatorKeys, 3));
        assertTrue(distributor.isValidator(validatorAddrs[3]), "kept");
        assertTrue(distributor.isValidator(alice), "added");
        assertFalse(distributor.isValidator(validatorAddrs[1]), "dropped");
        assertEq(distributor.threshold(), 2, "ceil(6/3)");
    }

    function test_UpdateValidatorSet_NewSetSignsRoots() public {
        _rotate(5, "next");
        _submitAndActivate(1, keccak256("root"), 1e18);
        (bytes32 root,,) = distributor.activeRoot();
        assertEq(root, keccak256("root"), "root signed by the new set");
    }

    function test_UpdateValidatorSet_AcceptsMaximumSize() public {
        (, address[] memory addrs) = _newSet(256, "max");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, _sign(digest, validatorKeys, 3));
        assertEq(distributor.threshold(), 171, "threshold of 256");
    }

    function test_RevertWhen_UpdateValidatorSetSkipsId() public {
        (, address[] memory addrs) = _newSet(3, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 2, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardDistributor.InvalidValidatorSetId.selector, INITIAL_SET_ID + 2, INITIAL_SET_ID + 1
            )
        );
        distributor.updateValidatorSet(INITIAL_SET_ID + 2, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetReusesCurrentId() public {
        (, address[] memory addrs) = _newSet(3, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardDistributor.InvalidValidatorSetId.selector, INITIAL_SET_ID, INITIAL_SET_ID + 1
            )
        );
        distributor.updateValidatorSet(INITIAL_SET_ID, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetWithTooFewSignatures() public {
        (, address[] memory addrs) = _newSet(3, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 2);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InsufficientSignatures.selector, 2, 3));
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetSignedOverOtherMembers() public {
        (, address[] memory addrs) = _newSet(3, "next");
        (, address[] memory other) = _newSet(3, "other");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, other);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        // Checked against the submitted set's digest, the first signature recovers to a stranger.
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[0], digest);
        address stranger = ecrecover(distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, stranger));
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetIsEmpty() public {
        address[] memory addrs = new address[](0);
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidValidatorSetSize.selector, 0, 256));
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetIsTooLarge() public {
        (, address[] memory addrs) = _newSet(257, "huge");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidValidatorSetSize.selector, 257, 256));
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetHasZeroAddress() public {
        (, address[] memory addrs) = _newSet(3, "next");
        addrs[1] = address(0);
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.ZeroValidator.selector, 1));
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetHasDuplicate() public {
        (, address[] memory addrs) = _newSet(3, "next");
        addrs[2] = addrs[0];
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.DuplicateValidator.selector, 2, addrs[0]));
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_UpdateValidatorSetWhilePaused() public {
        vm.prank(guardian);
        distributor.pause();
        (, address[] memory addrs) = _newSet(3, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, addrs);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, addrs, sigs);
    }

    function test_RevertWhen_RootSignedByReplacedSet() public {
        uint256[] memory oldKeys = validatorKeys;
        _rotate(4, "next");
        IRewardDistributor.RootCommitment memory c = _commitment(1, keccak256("root"), 1);
        bytes[] memory sigs = _sign(distributor.rootCommitmentDigest(c), oldKeys, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, vm.addr(oldKeys[0])));
        distributor.submitRoot(c, sigs);
    }
}
