// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";
import {Merkle} from "../utils/Merkle.sol";

contract RewardDistributorClaimsTest is DistributorFixture {
    address[] internal accounts;
    uint256[] internal amounts;
    bytes32[] internal leaves;
    bytes32 internal root;

    function setUp() public override {
        super.setUp();
        (accounts, amounts, leaves, root) = _tree3(10e18, 20e18, 30e18);
        _submitAndActivate(1, root, 60e18);
    }

    function _proof(uint256 index) internal view returns (bytes32[] memory) {
        return Merkle.proof(leaves, index);
    }

    // ---------------------------------------------------------------- claim

    function test_Claim_MintsToTheAccount() public {
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "an active root mints nothing");
        bytes32[] memory proof = _proof(0);
        vm.expectEmit(address(distributor));
        emit IRewardDistributor.Claimed(alice, 10e18, 10e18);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(0), alice, 10e18);
        uint256 paid = distributor.claim(alice, 10e18, proof);
        assertEq(paid, 10e18, "returned");
        assertEq(token.balanceOf(alice), 10e18, "balance");
        assertEq(distributor.claimed(alice), 10e18, "claimed");
        assertEq(distributor.totalClaimed(), 10e18, "totalClaimed");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + 10e18, "minted only the claim");
        assertEq(token.balanceOf(address(distributor)), 0, "the distributor holds nothing");
    }

    function test_Claim_OnBehalfOfAnotherAccountPaysThatAccount() public {
        bytes32[] memory proof = _proof(1);
        vm.prank(relayer);
        distributor.claim(bob, 20e18, proof);
        assertEq(token.balanceOf(bob), 20e18, "bob paid");
        assertEq(token.balanceOf(relayer), 0, "relayer got nothing");
    }

    function test_Claim_CumulativePaysOnlyTheIncrease() public {
        distributor.claim(alice, 10e18, _proof(0));
        (address[] memory a, uint256[] memory m, bytes32[] memory l, bytes32 r) = _tree3(25e18, 20e18, 30e18);
        _submitAndActivate(2, r, _sum(m));
        vm.expectEmit();
        emit IRewardDistributor.Claimed(alice, 15e18, 25e18);
        uint256 paid = distributor.claim(a[0], 25e18, Merkle.proof(l, 0));
        assertEq(paid, 15e18, "only the increase");
        assertEq(token.balanceOf(alice), 25e18, "balance");
        assertEq(distributor.claimed(alice), 25e18, "claimed");
        assertEq(distributor.totalClaimed(), 25e18, "totalClaimed");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + 25e18, "supply");
    }

    function test_Claim_AfterMissedPeriodsCollectsEverything() public {
        (, uint256[] memory m, bytes32[] memory l, bytes32 r) = _tree3(40e18, 20e18, 30e18);
        _submitAndActivate(2, r, _sum(m));
        distributor.claim(alice, 40e18, Merkle.proof(l, 0));
        assertEq(token.balanceOf(alice), 40e18, "all of it at once");
    }

    function test_Claim_UsesActiveRootWhileNewRootIsPending() public {
        (, uint256[] memory m, bytes32[] memory l, bytes32 r) = _tree3(99e18, 20e18, 30e18);
        _submit(2, r, _sum(m));
        distributor.claim(alice, 10e18, _proof(0));
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, alice, 99e18));
        distributor.claim(alice, 99e18, Merkle.proof(l, 0));
        vm.warp(block.timestamp + ROOT_DELAY);
        distributor.claim(alice, 99e18, Merkle.proof(l, 0));
        assertEq(token.balanceOf(alice), 99e18, "claimed against the new root once due");
    }

    function test_Claim_ActivatesDueRootLazily() public {
        (, uint256[] memory m, bytes32[] memory l, bytes32 r) = _tree3(11e18, 20e18, 30e18);
        _submit(2, r, _sum(m));
        vm.warp(block.timestamp + ROOT_DELAY);
        vm.expectEmit();
        emit IRewardDistributor.RootActivated(2, r, 61e18);
        distributor.claim(alice, 11e18, Merkle.proof(l, 0));
        assertEq(token.balanceOf(alice), 11e18, "paid against the new root");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + 11e18, "activation minted nothing");
    }

    function test_RevertWhen_ClaimBeforeAnyRoot() public {
        _deploy(4, ROOT_DELAY);
        vm.expectRevert(IRewardDistributor.NoActiveRoot.selector);
        distributor.claim(alice, 10e18, _proof(0));
    }

    function test_RevertWhen_ClaimWithWrongAmount() public {
        bytes32[] memory proof = _proof(0);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, alice, 11e18));
        distributor.claim(alice, 11e18, proof);
    }

    function test_RevertWhen_ClaimWithEmptyProof() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, alice, 10e18));
        distributor.claim(alice, 10e18, new bytes32[](0));
    }

    function test_RevertWhen_ClaimTwice() public {
        distributor.claim(alice, 10e18, _proof(0));
        bytes32[] memory proof = _proof(0);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.NothingToClaim.selector, alice, 10e18, 10e18));
        distributor.claim(alice, 10e18, proof);
    }

    function test_RevertWhen_ClaimZero() public {
        bytes32[] memory proof = _proof(0);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.NothingToClaim.selector, alice, 0, 0));
        distributor.claim(alice, 0, proof);
    }

    function test_RevertWhen_ClaimWhilePaused() public {
        vm.prank(guardian);
        distributor.pause();
        bytes32[] memory proof = _proof(0);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.claim(alice, 10e18, proof);
    }

    function test_RevertWhen_ClaimExceedsActiveTotal() public {
        // A faulty or malicious tree whose leaves add up to more than its signed total: claims
        // mint until the signed total is reached, and not one wei more.
        _deploy(4, ROOT_DELAY);
        _submitAndActivate(1, root, 60e18 - 1);
        distributor.claim(alice, 10e18, _proof(0));
        distributor.claim(bob, 20e18, _proof(1));
        bytes32[] memory proof = _proof(2);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.ClaimExceedsActiveTotal.selector, carol, 30e18, 30e18, 60e18 - 1)
        );
        distributor.claim(carol, 30e18, proof);
        assertEq(distributor.totalClaimed(), 30e18, "totalClaimed");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + 30e18, "supply");
    }

    function test_RevertWhen_ClaimOfOneLeafExceedsActiveTotal() public {
        // A single leaf above the whole signed total, e.g. an amount near 2^256 that would wrap
        // an unchecked `totalClaimed + amount`.
        _deploy(4, ROOT_DELAY);
        (,, bytes32[] memory l, bytes32 r) = _tree3(type(uint256).max, 1, 1);
        _submitAndActivate(1, r, 100e18);
        bytes32[] memory proof = Merkle.proof(l, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardDistributor.ClaimExceedsActiveTotal.selector, alice, type(uint256).max, 0, 100e18
            )
        );
        distributor.claim(alice, type(uint256).max, proof);
    }

    function test_Claim_FaultyRootIsCappedUntilAHigherTotalArrives() public {
        _deploy(4, ROOT_DELAY);
        _submitAndActivate(1, root, 50e18); // leaves add up to 60
        distributor.claim(carol, 30e18, _proof(2));
        distributor.claim(bob, 20e18, _proof(1));
        bytes32[] memory proof = _proof(0);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.ClaimExceedsActiveTotal.selector, alice, 10e18, 50e18, 50e18)
        );
        distributor.claim(alice, 10e18, proof);
        _submitAndActivate(2, root, 60e18); // the same tree, honestly totalled
        distributor.claim(alice, 10e18, proof);
        assertEq(distributor.totalClaimed(), 60e18, "totalClaimed");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + 60e18, "supply");
    }

    function test_TotalClaimed_StartsAtZero() public view {
        assertEq(distributor.totalClaimed(), 0, "nothing claimed");
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "genesis only");
    }

    // ---------------------------------------------------------------- claimBatch

    function _claims() internal view returns (IRewardDistributor.Claim[] memory claims) {
        claims = new IRewardDistributor.Claim[](3);
        for (uint256 i; i < 3; ++i) {
            claims[i] = IRewardDistributor.Claim(accounts[i], amounts[i], _proof(i));
        }
    }

    function test_ClaimBatch_PaysEveryAccount() public {
        IRewardDistributor.Claim[] memory claims = _claims();
        vm.expectEmit();
        emit IRewardDistributor.Claimed(alice, 10e18, 10e18);
        vm.expectEmit();
        emit IRewardDistributor.Claimed(bob, 20e18, 20e18);
        vm.expectEmit();
        emit IRewardDistributor.Claimed(carol, 30e18, 30e18);
        vm.prank(relayer);
        uint256 total = distributor.claimBatch(claims);
        assertEq(total, 60e18, "total");
        assertEq(token.balanceOf(alice), 10e18, "alice");
        assertEq(token.balanceOf(bob), 20e18, "bob");
        assertEq(token.balanceOf(carol), 30e18, "carol");
        assertEq(distributor.totalClaimed(), 60e18, "totalClaimed");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + 60e18, "minted exactly the total");
    }

    function test_ClaimBatch_SkipsAccountsWithNothingNew() public {
        distributor.claim(bob, 20e18, _proof(1));
        uint256 total = distributor.claimBatch(_claims());
        assertEq(total, 40e18, "bob skipped");
        assertEq(token.balanceOf(bob), 20e18, "bob paid once");
        assertEq(distributor.totalClaimed(), 60e18, "totalClaimed");
    }

    function test_ClaimBatch_SameAccountTwicePaysOnce() public {
        IRewardDistributor.Claim[] memory claims = new IRewardDistributor.Claim[](2);
        claims[0] = IRewardDistributor.Claim(alice, 10e18, _proof(0));
        claims[1] = claims[0];
        assertEq(distributor.claimBatch(claims), 10e18, "second entry skipped");
        assertEq(token.balanceOf(alice), 10e18, "alice");
    }

    function test_RevertWhen_ClaimBatchExceedsActiveTotal() public {
        IRewardDistributor.Claim[] memory claims = _claims();
        _deploy(4, ROOT_DELAY);
        _submitAndActivate(1, root, 45e18);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.ClaimExceedsActiveTotal.selector, carol, 30e18, 30e18, 45e18)
        );
        distributor.claimBatch(claims);
    }

    function test_ClaimBatch_Empty() public {
        assertEq(distributor.claimBatch(new IRewardDistributor.Claim[](0)), 0, "nothing");
    }

    function test_RevertWhen_ClaimBatchHasBadProof() public {
        IRewardDistributor.Claim[] memory claims = _claims();
        claims[2].cumulativeAmount = 31e18;
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, carol, 31e18));
        distributor.claimBatch(claims);
    }

    function test_RevertWhen_ClaimBatchBeforeAnyRoot() public {
        IRewardDistributor.Claim[] memory claims = _claims();
        _deploy(4, ROOT_DELAY);
        vm.expectRevert(IRewardDistributor.NoActiveRoot.selector);
        distributor.claimBatch(claims);
    }

    function test_RevertWhen_ClaimBatchWhilePaused() public {
        IRewardDistributor.Claim[] memory claims = _claims();
        vm.prank(dao);
        distributor.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.claimBatch(claims);
    }

    // ---------------------------------------------------------------- depositToChain

    function test_DepositToChain_BurnsAndEmits() public {
        distributor.claim(alice, 10e18, _proof(0));
        bytes32 chainAccount = keccak256("alice on the chain");
        uint256 supply = token.totalSupply();
        vm.expectEmit();
        emit IRewardDistributor.DepositedToChain(1, alice, chainAccount, 4e18);
        vm.prank(alice);
        uint64 nonce = distributor.depositToChain(chainAccount, 4e18);
        assertEq(nonce, 1, "first nonce");
        assertEq(distributor.depositNonce(), 1, "depositNonce");
        assertEq(token.balanceOf(alice), 6e18, "burned from alice");
        assertEq(token.totalSupply(), supply - 4e18, "supply");

        vm.expectEmit();
        emit IRewardDistributor.DepositedToChain(2, alice, chainAccount, 6e18);
        vm.prank(alice);
        assertEq(distributor.depositToChain(chainAccount, 6e18), 2, "second nonce");
    }

    function test_RevertWhen_DepositToChainExceedsBalance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1));
        vm.prank(alice);
        distributor.depositToChain(keccak256("acct"), 1);
    }

    function test_RevertWhen_DepositToChainZeroAmount() public {
        vm.expectRevert(IRewardDistributor.ZeroAmount.selector);
        vm.prank(treasury);
        distributor.depositToChain(keccak256("acct"), 0);
    }

    function test_RevertWhen_DepositToChainZeroAccount() public {
        vm.expectRevert(IRewardDistributor.ZeroChainAccount.selector);
        vm.prank(treasury);
        distributor.depositToChain(bytes32(0), 1);
    }

    function test_RevertWhen_DepositToChainWhilePaused() public {
        vm.prank(guardian);
        distributor.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(treasury);
        distributor.depositToChain(keccak256("acct"), 1);
    }
}
