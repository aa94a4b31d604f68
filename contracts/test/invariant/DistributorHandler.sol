// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {SmartnodesToken} from "../../src/SmartnodesToken.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {Merkle} from "../utils/Merkle.sol";
import {Test} from "../utils/Test.sol";

/// @notice Drives the distributor the way the outside world does: relayers submit roots (honest
/// ones, some signed with a total below what their leaves add up to, plus attempts with a zero
/// root, an old period or a lower total), time passes, accounts claim alone or in batches, holders
/// deposit, and the DAO vetoes and pauses. Ghost variables record what the invariants check; every
/// action ends in `_observe`.
contract DistributorHandler is Test {
    uint256 internal constant ACCOUNTS = 6;

    RewardDistributor public immutable distributor;
    SmartnodesToken public immutable token;
    address public immutable dao;
    uint256[] internal keys;
    address[] public accounts;

    /// Cumulative amounts of the tree submitted for each period.
    mapping(uint64 period => uint256[] amounts) internal amountsAt;
    uint256[] internal latest;

    uint256 public ghostClaimed;
    uint256 public ghostDeposited;
    uint256 public ghostRejectedSubmissions;
    uint256 public ghostAcceptedRoots;
    uint256 public ghostPaidClaims;
    uint256 public ghostShortRoots;
    uint256 public ghostCappedClaims;
    uint256 public ghostVetoes;
    bool public claimedDecreased;
    bool public periodDecreased;
    bool public zeroRootSeen;
    uint64 internal seenLastPeriod;
    mapping(address account => uint256 claimedAmount) internal seenClaimed;

    constructor(RewardDistributor distributor_, address dao_, uint256[] memory keys_) {
        distributor = distributor_;
        token = SmartnodesToken(address(distributor_.token()));
        dao = dao_;
        keys = keys_;
        for (uint256 i; i < ACCOUNTS; ++i) {
            accounts.push(address(uint160(uint256(keccak256(abi.encode("invariant account", i))))));
            latest.push(0);
        }
    }

    // ------------------------------------------------------------------------ actions

    /// @dev One root in five is signed with a total below the sum of its leaves (still not below
    /// the active total, or it would be refused): the distributor must cap what claims mint.
    function submitRoot(uint256 seed, uint256 skip) external {
        if (distributor.paused()) return;
        _waitForPendingRoot();
        for (uint256 i; i < ACCOUNTS; ++i) {
            latest[i] += bound(uint256(keccak256(abi.encode(seed, i))), 0, 1_000e18);
        }
        uint64 period = distributor.lastPeriod() + 1 + uint64(bound(skip, 0, 3));
        amountsAt[period] = latest;
        uint256 total = _sum(latest);
        // `latest` only grows from the active root's leaves, so `total >= activeTotal`.
        (, uint256 activeTotal,) = distributor.activeRoot();
        if (seed % 5 == 0 && total > activeTotal) {
            // Signs at most half of the increase the leaves carry.
            total = activeTotal + (total - activeTotal) * bound(seed >> 8, 0, 50) / 100;
            ++ghostShortRoots;
        }
        _submit(period, _root(latest), total);
    }

    function submitBadRoot(uint256 seed, uint8 kind) external {
        if (distributor.paused()) return;
        (, uint256 total,) = distributor.activeRoot();
        uint64 last = distributor.lastPeriod();
        IRewardDistributor.RootCommitment memory c = IRewardDistributor.RootCommitment({
            chainId: block.chainid,
            distributor: address(distributor),
            period: last + 1,
            root: keccak256(abi.encode(seed)),
            total: total + 1,
            validatorSetId: distributor.validatorSetId()
        });
        kind %= 3;
        if (kind == 0) c.root = bytes32(0);
        else if (kind == 1) c.period = uint64(bound(seed, 0, last));
        else if (total == 0) return;
        else c.total = total - 1;
        try distributor.submitRoot(c, _signatures(c)) {
            fail("a bad root was accepted");
        } catch {
            ++ghostRejectedSubmissions;
        }
        _observe();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 3 hours));
        _observe();
    }

    function claim(uint256 accountSeed, address caller) external {
        if (distributor.paused()) return;
        _waitForActiveRoot();
        (bytes32 root,, uint64 period) = distributor.activeRoot();
        if (root == bytes32(0)) return;
        uint256 index = bound(accountSeed, 0, ACCOUNTS - 1);
        uint256[] memory amounts = amountsAt[period];
        address account = accounts[index];
        if (amounts[index] <= distributor.claimed(account)) return;
        bytes32[] memory proof = Merkle.proof(_leaves(amounts), index);
        vm.prank(caller);
        try distributor.claim(account, amounts[index], proof) returns (uint256 paid) {
            ghostClaimed += paid;
            ++ghostPaidClaims;
        } catch (bytes memory reason) {
            _expectCapped(reason, amounts[index] - distributor.claimed(account));
        }
        _observe();
    }

    function claimBatch(uint256 mask) external {
        if (distributor.paused()) return;
        _waitForActiveRoot();
        (bytes32 root,, uint64 period) = distributor.activeRoot();
        if (root == bytes32(0)) return;
        uint256[] memory amounts = amountsAt[period];
        bytes32[] memory leaves = _leaves(amounts);
        uint256 count;
        for (uint256 i; i < ACCOUNTS; ++i) {
            if (mask & (1 << i) != 0) ++count;
        }
        IRewardDistributor.Claim[] memory claims = new IRewardDistributor.Claim[](count);
        uint256 j;
        for (uint256 i; i < ACCOUNTS; ++i) {
            if (mask & (1 << i) == 0) continue;
            claims[j++] = IRewardDistributor.Claim(accounts[i], amounts[i], Merkle.proof(leaves, i));
        }
        try distributor.claimBatch(claims) returns (uint256 paid) {
            ghostClaimed += paid;
            if (paid != 0) ++ghostPaidClaims;
        } catch (bytes memory reason) {
            _expectCapped(reason, 0);
        }
        _observe();
    }

    function deposit(uint256 accountSeed, uint256 amount) external {
        if (distributor.paused()) return;
        // The first account from a random start that holds any SNO.
        address account;
        uint256 balance;
        for (uint256 i; i < ACCOUNTS && balance == 0; ++i) {
            account = accounts[(accountSeed % ACCOUNTS + i) % ACCOUNTS];
            balance = token.balanceOf(account);
        }
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(account);
        distributor.depositToChain(keccak256(abi.encode(account)), amount);
        ghostDeposited += amount;
        _observe();
    }

    /// @dev Vetoes one pending root in four, so that most roots live to be claimed.
    function veto(uint256 seed) external {
        (bytes32 pending,,,) = distributor.pendingRoot();
        if (pending == bytes32(0) || seed % 4 != 0) return;
        ++ghostVetoes;
        uint64 lastBefore = distributor.lastPeriod();
        vm.prank(dao);
        distributor.vetoPendingRoot();
        // The vetoed tree is forgotten; the next root builds on the active one's amounts.
        (,, uint64 activePeriod) = distributor.activeRoot();
        latest = activePeriod == 0 ? new uint256[](ACCOUNTS) : amountsAt[activePeriod];
        assertEq(distributor.lastPeriod(), lastBefore, "veto keeps the period used");
        _observe();
    }

    /// @dev Pauses rarely and unpauses readily, so the distributor is mostly live.
    function togglePause(uint256 seed) external {
        bool paused = distributor.paused();
        if (!paused && seed % 4 != 0) return;
        vm.prank(dao);
        if (paused) distributor.unpause();
        else distributor.pause();
        _observe();
    }

    /// @dev A claim may only fail because the active root's total is exhausted, and then only if
    /// paying `amount` (when known) really would pass it.
    function _expectCapped(bytes memory reason, uint256 amount) internal {
        assertEq(
            bytes32(bytes4(reason)),
            bytes32(IRewardDistributor.ClaimExceedsActiveTotal.selector),
            "a claim failed for another reason"
        );
        (, uint256 total,) = distributor.activeRoot();
        if (amount != 0) assertGt(distributor.totalClaimed() + amount, total, "refused a claim that fits");
        ++ghostCappedClaims;
    }

    // ------------------------------------------------------------------------ ghosts

    function sumClaimed() external view returns (uint256 total) {
        for (uint256 i; i < ACCOUNTS; ++i) {
            total += distributor.claimed(accounts[i]);
        }
    }

    function _observe() internal {
        for (uint256 i; i < ACCOUNTS; ++i) {
            uint256 now_ = distributor.claimed(accounts[i]);
            if (now_ < seenClaimed[accounts[i]]) claimedDecreased = true;
            seenClaimed[accounts[i]] = now_;
        }
        uint64 last = distributor.lastPeriod();
        if (last < seenLastPeriod) periodDecreased = true;
        seenLastPeriod = last;
        (bytes32 active,, uint64 activePeriod) = distributor.activeRoot();
        if (activePeriod != 0 && active == bytes32(0)) zeroRootSeen = true;
        (bytes32 pending,,, uint64 activatesAt) = distributor.pendingRoot();
        if (activatesAt != 0 && pending == bytes32(0)) zeroRootSeen = true;
    }

    // ------------------------------------------------------------------------ helpers

    /// @dev Lets time pass until the pending root (if any) is due, as a relayer would wait.
    function _waitForPendingRoot() internal {
        (,,, uint64 activatesAt) = distributor.pendingRoot();
        if (activatesAt != 0 && block.timestamp < activatesAt) vm.warp(activatesAt);
    }

    /// @dev Before the first activation, lets time pass until the first root is due.
    function _waitForActiveRoot() internal {
        (bytes32 root,,) = distributor.activeRoot();
        if (root == bytes32(0)) _waitForPendingRoot();
    }

    function _submit(uint64 period, bytes32 root, uint256 total) internal {
        IRewardDistributor.RootCommitment memory c = IRewardDistributor.RootCommitment({
            chainId: block.chainid,
            distributor: address(distributor),
            period: period,
            root: root,
            total: total,
            validatorSetId: distributor.validatorSetId()
        });
        distributor.submitRoot(c, _signatures(c));
        ++ghostAcceptedRoots;
        _observe();
    }

    function _signatures(IRewardDistributor.RootCommitment memory c) internal view returns (bytes[] memory sigs) {
        bytes32 digest = distributor.rootCommitmentDigest(c);
        sigs = new bytes[](distributor.threshold());
        for (uint256 i; i < sigs.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
    }

    function _leaves(uint256[] memory amounts) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](ACCOUNTS);
        for (uint256 i; i < ACCOUNTS; ++i) {
            leaves[i] = RewardHashes.leaf(accounts[i], amounts[i]);
        }
    }

    function _root(uint256[] memory amounts) internal view returns (bytes32) {
        return Merkle.root(_leaves(amounts));
    }

    function _sum(uint256[] memory amounts) internal pure returns (uint256 total) {
        for (uint256 i; i < amounts.length; ++i) {
            total += amounts[i];
        }
    }
}
