// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";
import {Merkle} from "../utils/Merkle.sol";

contract ClaimsFuzzTest is DistributorFixture {
    uint256 internal constant MAX_LEAVES = 64;

    function _randomTree(uint256 seed, uint256 size)
        internal
        pure
        returns (address[] memory accounts, uint256[] memory amounts)
    {
        accounts = new address[](size);
        amounts = new uint256[](size);
        for (uint256 i; i < size; ++i) {
            // Offset keeps clear of the zero address and the precompiles.
            accounts[i] = address(uint160(uint256(keccak256(abi.encode(seed, "account", i)))) | 0x10000);
            amounts[i] = bound(uint256(keccak256(abi.encode(seed, "amount", i))), 1, 1e30);
        }
    }

    function testFuzz_ClaimFromRandomTree(uint256 seed, uint256 size, uint256 index) public {
        size = bound(size, 1, MAX_LEAVES);
        index = bound(index, 0, size - 1);
        (address[] memory accounts, uint256[] memory amounts) = _randomTree(seed, size);
        bytes32[] memory leaves = _leaves(accounts, amounts);
        _submitAndActivate(1, Merkle.root(leaves), _sum(amounts));

        uint256 paid = distributor.claim(accounts[index], amounts[index], Merkle.proof(leaves, index));
        assertEq(paid, amounts[index], "paid");
        assertEq(token.balanceOf(accounts[index]), amounts[index], "balance");

        IRewardDistributor.Claim[] memory claims = new IRewardDistributor.Claim[](size);
        for (uint256 i; i < size; ++i) {
            claims[i] = IRewardDistributor.Claim(accounts[i], amounts[i], Merkle.proof(leaves, i));
        }
        distributor.claimBatch(claims);
        assertEq(distributor.totalClaimed(), _sum(amounts), "every leaf paid, nothing more");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + _sum(amounts), "minted exactly the signed total");
    }

    /// @dev A tree whose leaves add up to more than its signed total: claims in any order mint
    /// while they fit under the total, every other claim reverts, and the supply never passes it.
    function testFuzz_RevertWhen_LeavesExceedSignedTotal(uint256 seed, uint256 size, uint256 shortfall) public {
        size = bound(size, 1, MAX_LEAVES);
        (address[] memory accounts, uint256[] memory amounts) = _randomTree(seed, size);
        bytes32[] memory leaves = _leaves(accounts, amounts);
        uint256 total = _sum(amounts) - bound(shortfall, 1, _sum(amounts));
        _submitAndActivate(1, Merkle.root(leaves), total);

        uint256 running;
        for (uint256 k; k < size; ++k) {
            uint256 i = (k + seed % size) % size; // start anywhere
            bytes32[] memory proof = Merkle.proof(leaves, i);
            if (running + amounts[i] <= total) {
                distributor.claim(accounts[i], amounts[i], proof);
                running += amounts[i];
            } else {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IRewardDistributor.ClaimExceedsActiveTotal.selector, accounts[i], amounts[i], running, total
                    )
                );
                distributor.claim(accounts[i], amounts[i], proof);
            }
            assertLe(distributor.totalClaimed(), total, "claimed <= signed total");
        }
        assertEq(distributor.totalClaimed(), running, "totalClaimed");
        assertLt(running, _sum(amounts), "at least one leaf stayed unpaid");
        assertEq(token.totalSupply(), GENESIS_AMOUNT + running, "supply");
    }

    function testFuzz_CumulativeClaimPaysOnlyTheIncrease(uint256 seed, uint256 size, uint256 index, uint256 raise)
        public
    {
        size = bound(size, 1, MAX_LEAVES);
        index = bound(index, 0, size - 1);
        raise = bound(raise, 0, 1e27);
        (address[] memory accounts, uint256[] memory amounts) = _randomTree(seed, size);
        bytes32[] memory leaves = _leaves(accounts, amounts);
        _submitAndActivate(1, Merkle.root(leaves), _sum(amounts));
        distributor.claim(accounts[index], amounts[index], Merkle.proof(leaves, index));

        uint256 first = amounts[index];
        amounts[index] += raise;
        leaves = _leaves(accounts, amounts);
        _submitAndActivate(2, Merkle.root(leaves), _sum(amounts));
        bytes32[] memory proof = Merkle.proof(leaves, index);
        if (raise == 0) {
            vm.expectRevert(
                abi.encodeWithSelector(IRewardDistributor.NothingToClaim.selector, accounts[index], first, first)
            );
            distributor.claim(accounts[index], first, proof);
        } else {
            assertEq(distributor.claim(accounts[index], amounts[index], proof), raise, "only the raise");
        }
        assertEq(token.balanceOf(accounts[index]), amounts[index], "balance equals the cumulative amount");
        assertEq(distributor.claimed(accounts[index]), amounts[index], "claimed");
    }

    function testFuzz_RevertWhen_AmountIsNotTheLeaf(uint256 seed, uint256 size, uint256 index, uint256 wrong) public {
        size = bound(size, 1, MAX_LEAVES);
        index = bound(index, 0, size - 1);
        (address[] memory accounts, uint256[] memory amounts) = _randomTree(seed, size);
        vm.assume(wrong != amounts[index] && wrong != 0);
        bytes32[] memory leaves = _leaves(accounts, amounts);
        _submitAndActivate(1, Merkle.root(leaves), _sum(amounts));
        bytes32[] memory proof = Merkle.proof(leaves, index);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, accounts[index], wrong));
        distributor.claim(accounts[index], wrong, proof);
    }

    function testFuzz_RevertWhen_ProofBelongsToAnotherLeaf(uint256 seed, uint256 size, uint256 index, uint256 other)
        public
    {
        size = bound(size, 2, MAX_LEAVES);
        index = bound(index, 0, size - 1);
        other = bound(other, 0, size - 1);
        vm.assume(other != index);
        (address[] memory accounts, uint256[] memory amounts) = _randomTree(seed, size);
        bytes32[] memory leaves = _leaves(accounts, amounts);
        _submitAndActivate(1, Merkle.root(leaves), _sum(amounts));
        bytes32[] memory proof = Merkle.proof(leaves, other);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, accounts[index], amounts[index])
        );
        distributor.claim(accounts[index], amounts[index], proof);
    }

    function testFuzz_DepositToChain(uint256 amount, bytes32 chainAccount, uint8 deposits) public {
        vm.assume(chainAccount != bytes32(0));
        amount = bound(amount, 1, GENESIS_AMOUNT);
        deposits = uint8(bound(deposits, 1, 5));
        uint256 each = amount / deposits;
        vm.assume(each > 0);
        for (uint256 i = 1; i <= deposits; ++i) {
            vm.expectEmit();
            emit IRewardDistributor.DepositedToChain(uint64(i), treasury, chainAccount, each);
            vm.prank(treasury);
            assertEq(distributor.depositToChain(chainAccount, each), i, "nonce");
        }
        assertEq(token.balanceOf(treasury), GENESIS_AMOUNT - each * deposits, "burned");
        assertEq(token.totalSupply(), GENESIS_AMOUNT - each * deposits, "supply");
    }
}
