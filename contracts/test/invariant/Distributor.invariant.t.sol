// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {SmartnodesToken} from "../../src/SmartnodesToken.sol";
import {Console} from "../utils/Console.sol";
import {Test} from "../utils/Test.sol";
import {DistributorHandler} from "./DistributorHandler.sol";

contract DistributorInvariantTest is Test {
    uint256 internal constant GENESIS = 1_000_000e18;

    RewardDistributor internal distributor;
    SmartnodesToken internal token;
    DistributorHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        uint256[] memory keys = new uint256[](4);
        address[] memory validators = new address[](4);
        for (uint256 i; i < 4; ++i) {
            keys[i] = keyFrom(keccak256(abi.encode("invariant validator", i)));
            validators[i] = vm.addr(keys[i]);
        }
        address[] memory recipients = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        (recipients[0], amounts[0]) = (makeAddr("treasury"), GENESIS);
        address dao = makeAddr("dao");
        distributor = new RewardDistributor(dao, address(0), 1, validators, 1 hours, recipients, amounts);
        token = SmartnodesToken(address(distributor.token()));
        handler = new DistributorHandler(distributor, dao, keys);
    }

    /// @notice Forge fuzzes only the handler (forge-std's `StdInvariant` convention).
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice Forge runs this after each run's sequence: a summary showing the handler did work.
    function afterInvariant() public view {
        Console.log("roots accepted", handler.ghostAcceptedRoots());
        Console.log("bad roots rejected", handler.ghostRejectedSubmissions());
        Console.log("vetoes", handler.ghostVetoes());
        Console.log("roots signed below their leaves' sum", handler.ghostShortRoots());
        Console.log("claims paid", handler.ghostPaidClaims());
        Console.log("claims refused at the signed total", handler.ghostCappedClaims());
        Console.log("claimed (wei)", handler.ghostClaimed());
        Console.log("deposited (wei)", handler.ghostDeposited());
    }

    function invariant_TotalClaimedNeverExceedsAcceptedTotal() public view {
        (, uint256 total,) = distributor.activeRoot();
        uint256 claimed = distributor.totalClaimed();
        assertEq(claimed, handler.ghostClaimed(), "totalClaimed() is what the claims returned");
        assertEq(handler.sumClaimed(), claimed, "claimed() of every account adds up to totalClaimed()");
        assertLe(claimed, total, "claimed <= cumulative total of the active root");
        // The same bound read off the token: everything in the supply beyond genesis, plus what
        // deposits burned, was minted by claims.
        uint256 mintedByClaims = token.totalSupply() - GENESIS + handler.ghostDeposited();
        assertLe(mintedByClaims, total, "minted after genesis <= cumulative total of the active root");
    }

    function invariant_ClaimedAmountNeverDecreases() public view {
        assertFalse(handler.claimedDecreased(), "an account's claimed amount went down");
    }

    function invariant_RootIsNeverZero() public view {
        assertFalse(handler.zeroRootSeen(), "a zero root was stored");
        (bytes32 root,, uint64 period) = distributor.activeRoot();
        if (period != 0) assertTrue(root != bytes32(0), "active root");
        (bytes32 pending,,, uint64 activatesAt) = distributor.pendingRoot();
        if (activatesAt != 0) assertTrue(pending != bytes32(0), "pending root");
    }

    function invariant_PeriodOnlyIncreases() public view {
        assertFalse(handler.periodDecreased(), "lastPeriod went down");
        (,, uint64 activePeriod) = distributor.activeRoot();
        assertLe(activePeriod, distributor.lastPeriod(), "active period <= last period");
    }

    function invariant_SupplyIsGenesisPlusClaimedMinusDeposited() public view {
        assertEq(token.totalSupply(), GENESIS + distributor.totalClaimed() - handler.ghostDeposited(), "supply");
        assertEq(token.balanceOf(address(distributor)), 0, "the distributor never holds SNO");
    }
}
