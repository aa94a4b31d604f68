// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";

contract RewardDistributorRootsTest is DistributorFixture {
    bytes32 internal constant ROOT_A = keccak256("root A");
    bytes32 internal constant ROOT_B = keccak256("root B");

    // ---------------------------------------------------------------- construction and views

    function test_Constructor_SetsStateAndDeploysToken() public view {
        assertEq(distributor.dao(), dao, "dao");
        assertEq(distributor.guardian(), guardian, "guardian");
        assertEq(distributor.rootDelay(), ROOT_DELAY, "rootDelay");
        assertEq(distributor.validatorSetId(), INITIAL_SET_ID, "set id");
        assertEq(distributor.validators(), validatorAddrs, "validators");
        assertEq(distributor.threshold(), 3, "threshold of 4");
        assertEq(token.distributor(), address(distributor), "token minter");
        assertEq(token.balanceOf(treasury), GENESIS_AMOUNT, "genesis");
        assertEq(distributor.MAX_VALIDATORS(), 256, "max validators");
        assertEq(distributor.MAX_ROOT_DELAY(), 30 days, "max delay");
        assertEq(distributor.lastPeriod(), 0, "lastPeriod");
        assertEq(distributor.depositNonce(), 0, "depositNonce");
        assertFalse(distributor.paused(), "paused");
        for (uint256 i; i < validatorAddrs.length; ++i) {
            assertTrue(distributor.isValidator(validatorAddrs[i]), "member");
        }
        assertFalse(distributor.isValidator(alice), "alice is no validator");
        assertFalse(distributor.isValidator(address(0)), "zero is no validator");
        (bytes32 root, uint256 total, uint64 period) = distributor.activeRoot();
        assertEq(root, bytes32(0), "no active root");
        assertEq(total + period, 0, "no active total");
    }

    function test_Constructor_EmitsSetupEvents() public {
        vm.expectEmit();
        emit IRewardDistributor.GuardianSet(guardian);
        vm.expectEmit();
        emit IRewardDistributor.RootDelaySet(ROOT_DELAY);
        vm.expectEmit();
        emit IRewardDistributor.ValidatorSetUpdated(INITIAL_SET_ID, validatorAddrs, 3);
        new RewardDistributor(
            dao, guardian, INITIAL_SET_ID, validatorAddrs, ROOT_DELAY, new address[](0), new uint256[](0)
        );
    }

    function test_Threshold_IsCeilTwoThirds() public {
        uint256[8] memory sizes = [uint256(1), 2, 3, 4, 5, 21, 100, 256];
        uint256[8] memory expected = [uint256(1), 2, 2, 3, 4, 14, 67, 171];
        for (uint256 i; i < sizes.length; ++i) {
            (, address[] memory addrs) = _validatorKeys(sizes[i], "threshold");
            RewardDistributor d = new RewardDistributor(dao, guardian, 1, addrs, 0, new address[](0), new uint256[](0));
            assertEq(d.threshold(), expected[i], "threshold");
        }
    }

    function test_RevertWhen_ConstructorDaoIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.ZeroDao.selector));
        new RewardDistributor(address(0), guardian, 1, validatorAddrs, 0, new address[](0), new uint256[](0));
    }

    function test_RevertWhen_ConstructorRootDelayTooLong() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.RootDelayTooLong.selector, 31 days, 30 days));
        new RewardDistributor(dao, guardian, 1, validatorAddrs, 31 days, new address[](0), new uint256[](0));
    }

    function test_RevertWhen_ConstructorValidatorSetEmpty() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidValidatorSetSize.selector, 0, 256));
        new RewardDistributor(dao, guardian, 1, new address[](0), 0, new address[](0), new uint256[](0));
    }

    function test_RootCommitmentDigest_MatchesLibrary() public view {
        IRewardDistributor.RootCommitment memory c = _commitment(5, ROOT_A, 123);
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("Smartnodes.RewardRoot.v1"),
                block.chainid,
                address(distributor),
                uint64(5),
                ROOT_A,
                uint256(123),
                INITIAL_SET_ID
            )
        );
        assertEq(distributor.rootCommitmentDigest(c), expected, "digest");
        assertEq(
            RewardHashes.rootDigest(block.chainid, address(distributor), 5, ROOT_A, 123, INITIAL_SET_ID),
            expected,
            "library"
        );
    }

    // ---------------------------------------------------------------- submitRoot

    function test_SubmitRoot_MakesRootPending() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 100e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectEmit();
        emit IRewardDistributor.RootSubmitted(1, ROOT_A, 100e18, uint64(START + ROOT_DELAY));
        vm.prank(relayer);
        distributor.submitRoot(c, sigs);

        (bytes32 root, uint256 total, uint64 period, uint64 activatesAt) = distributor.pendingRoot();
        assertEq(root, ROOT_A, "pending root");
        assertEq(total, 100e18, "pending total");
        assertEq(period, 1, "pending period");
        assertEq(activatesAt, START + ROOT_DELAY, "activatesAt");
        assertEq(distributor.lastPeriod(), 1, "lastPeriod");
        (root,,) = distributor.activeRoot();
        assertEq(root, bytes32(0), "not active yet");
        assertEq(token.balanceOf(address(distributor)), 0, "nothing minted yet");
    }

    function test_SubmitRoot_AcceptsAllSignaturesAndAnyOrder() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes32 digest = distributor.rootCommitmentDigest(c);
        bytes[] memory sigs = new bytes[](4);
        for (uint256 i; i < 4; ++i) {
            sigs[i] = _sig(validatorKeys[3 - i], digest);
        }
        distributor.submitRoot(c, sigs);
        assertEq(distributor.lastPeriod(), 1, "accepted");
    }

    function test_SubmitRoot_ActivatesAfterDelay() public {
        _submit(1, ROOT_A, 100e18);
        vm.warp(START + ROOT_DELAY - 1);
        assertFalse(distributor.activatePendingRoot(), "too early");
        vm.warp(START + ROOT_DELAY);
        (bytes32 root, uint256 total, uint64 period) = distributor.activeRoot();
        assertEq(root, ROOT_A, "view shows the due root as active");
        (bytes32 pending,,,) = distributor.pendingRoot();
        assertEq(pending, bytes32(0), "and no pending root");

        vm.expectEmit();
        emit IRewardDistributor.RootActivated(1, ROOT_A, 100e18);
        assertTrue(distributor.activatePendingRoot(), "activated");
        (root, total, period) = distributor.activeRoot();
        assertEq(root, ROOT_A, "active root");
        assertEq(total, 100e18, "active total");
        assertEq(period, 1, "active period");
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "activation mints nothing; claims do");
        assertFalse(distributor.activatePendingRoot(), "nothing left");
    }

    function test_SubmitRoot_NextRootRaisesTheTotalWithoutMinting() public {
        _submitAndActivate(1, ROOT_A, 100e18);
        _submitAndActivate(2, ROOT_B, 130e18);
        (, uint256 total,) = distributor.activeRoot();
        assertEq(total, 130e18, "active total");
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "supply unchanged");
        assertEq(token.balanceOf(address(distributor)), 0, "the distributor holds nothing");
    }

    function test_SubmitRoot_SameTotalIsAccepted() public {
        _submitAndActivate(1, ROOT_A, 100e18);
        _submitAndActivate(2, ROOT_B, 100e18);
        (bytes32 root, uint256 total,) = distributor.activeRoot();
        assertEq(root, ROOT_B, "active root");
        assertEq(total, 100e18, "active total");
    }

    function test_SubmitRoot_ActivatesDuePendingRootFirst() public {
        _submit(1, ROOT_A, 100e18);
        vm.warp(START + ROOT_DELAY);
        vm.expectEmit();
        emit IRewardDistributor.RootActivated(1, ROOT_A, 100e18);
        vm.expectEmit();
        emit IRewardDistributor.RootSubmitted(2, ROOT_B, 150e18, uint64(START + 2 * ROOT_DELAY));
        _submit(2, ROOT_B, 150e18);
        (bytes32 root,,) = distributor.activeRoot();
        assertEq(root, ROOT_A, "previous root active");
        (root,,,) = distributor.pendingRoot();
        assertEq(root, ROOT_B, "new root pending");
    }

    function test_SubmitRoot_SkippingPeriodsIsFine() public {
        _submitAndActivate(1, ROOT_A, 100e18);
        _submitAndActivate(9, ROOT_B, 900e18);
        assertEq(distributor.lastPeriod(), 9, "lastPeriod");
    }

    function test_SubmitRoot_ZeroDelayActivatesAtOnce() public {
        vm.prank(dao);
        distributor.setRootDelay(0);
        vm.expectEmit();
        emit IRewardDistributor.RootSubmitted(1, ROOT_A, 5e18, uint64(START));
        vm.expectEmit();
        emit IRewardDistributor.RootActivated(1, ROOT_A, 5e18);
        _submit(1, ROOT_A, 5e18);
        (bytes32 root,,) = distributor.activeRoot();
        assertEq(root, ROOT_A, "active at once");
        _submit(2, ROOT_B, 6e18);
        (root,,) = distributor.activeRoot();
        assertEq(root, ROOT_B, "and the next one too");
    }

    function test_RevertWhen_SubmitRootWhilePendingRootWaits() public {
        _submit(1, ROOT_A, 100e18);
        vm.warp(START + ROOT_DELAY - 1);
        IRewardDistributor.RootCommitment memory c = _commitment(2, ROOT_B, 200e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.PendingRootExists.selector, 1, uint64(START + ROOT_DELAY))
        );
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithZeroRoot() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, bytes32(0), 100e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.ZeroRoot.selector, 1));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithPeriodZero() public {
        IRewardDistributor.RootCommitment memory c = _commitment(0, ROOT_A, 100e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.PeriodNotIncreasing.selector, 0, 0));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootReusesPeriod() public {
        _submitAndActivate(3, ROOT_A, 100e18);
        IRewardDistributor.RootCommitment memory c = _commitment(3, ROOT_B, 200e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.PeriodNotIncreasing.selector, 3, 3));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithOlderPeriod() public {
        _submitAndActivate(3, ROOT_A, 100e18);
        IRewardDistributor.RootCommitment memory c = _commitment(2, ROOT_B, 200e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.PeriodNotIncreasing.selector, 2, 3));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootLowersTotal() public {
        _submitAndActivate(1, ROOT_A, 100e18);
        IRewardDistributor.RootCommitment memory c = _commitment(2, ROOT_B, 100e18 - 1);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.TotalDecreased.selector, 100e18 - 1, 100e18));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootLowersTotalOfDuePendingRoot() public {
        _submit(1, ROOT_A, 100e18);
        vm.warp(START + ROOT_DELAY);
        IRewardDistributor.RootCommitment memory c = _commitment(2, ROOT_B, 99e18);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.TotalDecreased.selector, 99e18, 100e18));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootTotalExceedsUint128() public {
        uint256 total = uint256(type(uint128).max) + 1;
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, total);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 128, total));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootForAnotherChain() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        c.chainId = 8453;
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidChainId.selector, 8453, block.chainid));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootForAnotherDistributor() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        c.distributor = alice;
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.InvalidDistributor.selector, alice, address(distributor))
        );
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithStaleSetId() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        c.validatorSetId = INITIAL_SET_ID - 1;
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardDistributor.InvalidValidatorSetId.selector, INITIAL_SET_ID - 1, INITIAL_SET_ID
            )
        );
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithFutureSetId() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        c.validatorSetId = INITIAL_SET_ID + 1;
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardDistributor.InvalidValidatorSetId.selector, INITIAL_SET_ID + 1, INITIAL_SET_ID
            )
        );
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithTooFewSignatures() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _sign(distributor.rootCommitmentDigest(c), validatorKeys, 2);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InsufficientSignatures.selector, 2, 3));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithNoSignatures() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InsufficientSignatures.selector, 0, 3));
        distributor.submitRoot(c, new bytes[](0));
    }

    function test_RevertWhen_SubmitRootWithShortSignature() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _signCommitment(c);
        (, bytes32 r, bytes32 s) = vm.sign(validatorKeys[1], distributor.rootCommitmentDigest(c));
        sigs[1] = abi.encodePacked(r, s); // a 64-byte (ERC-2098 style) signature
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidSignatureLength.selector, 1, 64));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithHighSSignature() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _signCommitment(c);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[2], distributor.rootCommitmentDigest(c));
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        sigs[2] = abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.MalleableSignature.selector, 2, highS));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithSignatureRecoveringToZero() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _signCommitment(c);
        (, bytes32 r, bytes32 s) = vm.sign(validatorKeys[0], distributor.rootCommitmentDigest(c));
        sigs[0] = abi.encodePacked(r, s, uint8(29)); // ecrecover answers address(0) for v = 29
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidSignature.selector, 0));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootSignedByOutsider() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _signCommitment(c);
        uint256 outsiderKey = keyFrom("outsider");
        sigs[1] = _sig(outsiderKey, distributor.rootCommitmentDigest(c));
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 1, vm.addr(outsiderKey)));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWithDuplicateSigner() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _signCommitment(c);
        sigs[2] = sigs[0];
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.DuplicateSigner.selector, 2, validatorAddrs[0]));
        distributor.submitRoot(c, sigs);
    }

    function test_RevertWhen_SubmitRootWhilePaused() public {
        vm.prank(guardian);
        distributor.pause();
        IRewardDistributor.RootCommitment memory c = _commitment(1, ROOT_A, 1);
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.submitRoot(c, sigs);
    }

    // ---------------------------------------------------------------- activatePendingRoot

    function test_ActivatePendingRoot_WithoutPendingRootReturnsFalse() public {
        assertFalse(distributor.activatePendingRoot(), "nothing to activate");
    }

    function test_RevertWhen_ActivatePendingRootWhilePaused() public {
        _submit(1, ROOT_A, 1);
        vm.warp(START + ROOT_DELAY);
        vm.prank(dao);
        distributor.pause();
        (bytes32 root,,) = distributor.activeRoot();
        assertEq(root, bytes32(0), "a paused distributor activates nothing");
        (root,,,) = distributor.pendingRoot();
        assertEq(root, ROOT_A, "still pending");
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.activatePendingRoot();
    }
}
