// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";

contract RewardDistributorAdminTest is DistributorFixture {
    bytes32 internal constant ROOT_A = keccak256("root A");
    bytes32 internal constant ROOT_B = keccak256("root B");

    // ---------------------------------------------------------------- pause / unpause

    function test_Pause_ByDao() public {
        vm.expectEmit();
        emit Pausable.Paused(dao);
        vm.prank(dao);
        distributor.pause();
        assertTrue(distributor.paused(), "paused");
    }

    function test_Pause_ByGuardian() public {
        vm.prank(guardian);
        distributor.pause();
        assertTrue(distributor.paused(), "paused");
    }

    function test_RevertWhen_PauseByStranger() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, alice));
        vm.prank(alice);
        distributor.pause();
    }

    function test_RevertWhen_PauseTwice() public {
        vm.prank(dao);
        distributor.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(guardian);
        distributor.pause();
    }

    function test_Unpause_ByDao() public {
        vm.prank(guardian);
        distributor.pause();
        vm.expectEmit();
        emit Pausable.Unpaused(dao);
        vm.prank(dao);
        distributor.unpause();
        assertFalse(distributor.paused(), "unpaused");
    }

    function test_RevertWhen_UnpauseByGuardian() public {
        vm.prank(guardian);
        distributor.pause();
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, guardian));
        vm.prank(guardian);
        distributor.unpause();
    }

    function test_RevertWhen_UnpauseWhenNotPaused() public {
        vm.expectRevert(Pausable.ExpectedPause.selector);
        vm.prank(dao);
        distributor.unpause();
    }

    // ---------------------------------------------------------------- vetoPendingRoot

    function test_VetoPendingRoot_ByDao() public {
        _submit(1, ROOT_A, 10e18);
        vm.expectEmit();
        emit IRewardDistributor.RootVetoed(1, ROOT_A, dao);
        vm.prank(dao);
        distributor.vetoPendingRoot();
        (bytes32 root,,,) = distributor.pendingRoot();
        assertEq(root, bytes32(0), "no pending root");
        vm.warp(block.timestamp + ROOT_DELAY);
        assertFalse(distributor.activatePendingRoot(), "nothing activates");
        (root,,) = distributor.activeRoot();
        assertEq(root, bytes32(0), "never active");
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "nothing minted");
    }

    function test_VetoPendingRoot_ByGuardianLastSecond() public {
        _submit(1, ROOT_A, 10e18);
        vm.warp(block.timestamp + ROOT_DELAY - 1);
        vm.prank(guardian);
        distributor.vetoPendingRoot();
        (bytes32 root,,,) = distributor.pendingRoot();
        assertEq(root, bytes32(0), "vetoed");
    }

    function test_VetoPendingRoot_KeepsActiveRootAndBurnsPeriod() public {
        _submitAndActivate(1, ROOT_A, 10e18);
        _submit(2, ROOT_B, 1_000_000e18);
        vm.prank(dao);
        distributor.vetoPendingRoot();
        (bytes32 root, uint256 total,) = distributor.activeRoot();
        assertEq(root, ROOT_A, "claims keep the old root");
        assertEq(total, 10e18, "old total");
        assertEq(distributor.lastPeriod(), 2, "vetoed period stays used");

        // The vetoed root's signatures cannot be replayed, and its inflated total does not raise
        // the bar for the next honest root.
        IRewardDistributor.RootCommitment memory replay = _commitment(2, ROOT_B, 1_000_000e18);
        bytes[] memory sigs = _signCommitment(replay);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.PeriodNotIncreasing.selector, 2, 2));
        distributor.submitRoot(replay, sigs);
        _submitAndActivate(3, keccak256("honest"), 12e18);
        (root,,) = distributor.activeRoot();
        assertEq(root, keccak256("honest"), "next root accepted");
    }

    function test_VetoPendingRoot_WhilePausedEvenAfterDelay() public {
        _submit(1, ROOT_A, 10e18);
        vm.prank(guardian);
        distributor.pause();
        vm.warp(block.timestamp + 10 * ROOT_DELAY);
        vm.prank(dao);
        distributor.vetoPendingRoot();
        vm.prank(dao);
        distributor.unpause();
        assertFalse(distributor.activatePendingRoot(), "the vetoed root never activates");
    }

    function test_RevertWhen_VetoPendingRootByStranger() public {
        _submit(1, ROOT_A, 10e18);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, relayer));
        vm.prank(relayer);
        distributor.vetoPendingRoot();
    }

    function test_RevertWhen_VetoPendingRootWithoutPendingRoot() public {
        vm.expectRevert(IRewardDistributor.NoPendingRoot.selector);
        vm.prank(dao);
        distributor.vetoPendingRoot();
    }

    function test_RevertWhen_VetoPendingRootAfterDelay() public {
        _submit(1, ROOT_A, 10e18);
        vm.warp(block.timestamp + ROOT_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.VetoWindowClosed.selector, 1, uint64(START + ROOT_DELAY))
        );
        vm.prank(dao);
        distributor.vetoPendingRoot();
    }

    // ---------------------------------------------------------------- setRootDelay

    function test_SetRootDelay_AppliesToLaterRoots() public {
        _submit(1, ROOT_A, 10e18);
        vm.expectEmit();
        emit IRewardDistributor.RootDelaySet(3 days);
        vm.prank(dao);
        distributor.setRootDelay(3 days);
        assertEq(distributor.rootDelay(), 3 days, "rootDelay");
        (,,, uint64 activatesAt) = distributor.pendingRoot();
        assertEq(activatesAt, START + ROOT_DELAY, "the pending root keeps its time");
        vm.warp(START + ROOT_DELAY);
        _submit(2, ROOT_B, 10e18);
        (,,, activatesAt) = distributor.pendingRoot();
        assertEq(activatesAt, START + ROOT_DELAY + 3 days, "the next root waits 3 days");
    }

    function test_SetRootDelay_AcceptsMaximum() public {
        vm.prank(dao);
        distributor.setRootDelay(30 days);
        assertEq(distributor.rootDelay(), 30 days, "max");
    }

    function test_RevertWhen_SetRootDelayTooLong() public {
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.RootDelayTooLong.selector, uint64(30 days + 1), uint64(30 days))
        );
        vm.prank(dao);
        distributor.setRootDelay(30 days + 1);
    }

    function test_RevertWhen_SetRootDelayByGuardian() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, guardian));
        vm.prank(guardian);
        distributor.setRootDelay(0);
    }

    // ---------------------------------------------------------------- setGuardian

    function test_SetGuardian_ReplacesAndRemoves() public {
        vm.expectEmit();
        emit IRewardDistributor.GuardianSet(bob);
        vm.prank(dao);
        distributor.setGuardian(bob);
        assertEq(distributor.guardian(), bob, "bob");
        vm.prank(bob);
        distributor.pause();

        vm.prank(dao);
        distributor.setGuardian(address(0));
        assertEq(distributor.guardian(), address(0), "none");
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, guardian));
        vm.prank(guardian);
        distributor.vetoPendingRoot();
    }

    function test_RevertWhen_SetGuardianByGuardian() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, guardian));
        vm.prank(guardian);
        distributor.setGuardian(alice);
    }
}
