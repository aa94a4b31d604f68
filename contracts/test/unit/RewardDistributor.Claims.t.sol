// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
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

    function test_Claim_PaysTheAccount() public {
        bytes32[] memory proof = _proof(0);
        vm.expectEmit();
        emit IRewardDistributor.Claimed(alice, 10e18, 10e18);
        uint256 paid = distributor.claim(alice, 10e18, proof);
        assertEq(paid, 10e18, "returned");
        assertEq(token.balanceOf(alice), 10e18, "balance");
        assertEq(distributor.claimed(alice), 10e18, "claimed");
        assertEq(token.balanceOf(address(distributor)), 50e18, "left in the distributor");
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
        assertEq(token.balanceOf(address(distributor)), 50e18, "61 minted, 11 paid");
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

    function test_RevertWhen_ClaimExceedsMintedTotal() public {
        // A faulty tree whose leaves add up to more than its signed total: the distributor only
        // holds the signed total, so the last claim cannot be paid.
        _deploy(4, ROOT_DELAY);
        _submitAndActivate(1, root, 60e18 - 1);
        distributor.claim(alice, 10e18, _proof(0));
        distributor.claim(bob, 20e18, _proof(1));
        bytes32[] memory proof = _proof(2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector, address(distributor), 30e18 - 1, 30e18
            )
        );
        distributor.claim(carol, 30e18, proof);
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
        assertEq(token.balanceOf(address(distributor)), 0, "all paid");
    }

    function test_ClaimBatch_SkipsAccountsWithNothingNew() public {
        distributor.claim(bob, 20e18, _proof(1));
        uint256 total = distributor.claimBatch(_claims());
        assertEq(total, 40e18, "bob skipped");
        assertEq(token.balanceOf(bob), 20e18, "bob paid once");
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
