// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {SmartnodesToken} from "../../src/SmartnodesToken.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {Merkle} from "./Merkle.sol";
import {Test} from "./Test.sol";

/// @notice A distributor with `n` validators whose keys the test holds, plus signing and tree
/// helpers. The DAO and guardian are plain accounts here; `SmartnodesDAO.t.sol` wires the real
/// governor and timelock.
abstract contract DistributorFixture is Test {
    uint64 internal constant INITIAL_SET_ID = 7;
    uint64 internal constant ROOT_DELAY = 1 days;
    uint256 internal constant GENESIS_AMOUNT = 1_000_000e18;
    uint256 internal constant START = 1_700_000_000;

    RewardDistributor internal distributor;
    SmartnodesToken internal token;

    address internal dao;
    address internal guardian;
    address internal alice;
    address internal bob;
    address internal carol;
    address internal relayer;
    address internal treasury;

    uint256[] internal validatorKeys;
    address[] internal validatorAddrs;

    function setUp() public virtual {
        vm.warp(START);
        dao = makeAddr("dao");
        guardian = makeAddr("guardian");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
        relayer = makeAddr("relayer");
        treasury = makeAddr("treasury");
        _deploy(4, ROOT_DELAY);
    }

    function _deploy(uint256 n, uint64 delay) internal {
        (validatorKeys, validatorAddrs) = _validatorKeys(n, "initial");
        address[] memory recipients = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        recipients[0] = treasury;
        amounts[0] = GENESIS_AMOUNT;
        distributor = new RewardDistributor(dao, guardian, INITIAL_SET_ID, validatorAddrs, delay, recipients, amounts);
        token = SmartnodesToken(address(distributor.token()));
        vm.label(address(distributor), "distributor");
        vm.label(address(token), "token");
    }

    function _validatorKeys(uint256 n, string memory salt)
        internal
        pure
        returns (uint256[] memory keys, address[] memory addrs)
    {
        keys = new uint256[](n);
        addrs = new address[](n);
        for (uint256 i; i < n; ++i) {
            keys[i] = keyFrom(keccak256(abi.encode(salt, i)));
            addrs[i] = vm.addr(keys[i]);
        }
    }

    function _threshold(uint256 n) internal pure returns (uint256) {
        return (2 * n + 2) / 3;
    }

    function _sig(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Signatures of the first `count` keys.
    function _sign(bytes32 digest, uint256[] memory keys, uint256 count) internal pure returns (bytes[] memory sigs) {
        sigs = new bytes[](count);
        for (uint256 i; i < count; ++i) {
            sigs[i] = _sig(keys[i], digest);
        }
    }

    function _commitment(uint64 period, bytes32 root, uint256 total)
        internal
        view
        returns (IRewardDistributor.RootCommitment memory)
    {
        return IRewardDistributor.RootCommitment({
            chainId: block.chainid,
            distributor: address(distributor),
            period: period,
            root: root,
            total: total,
            validatorSetId: distributor.validatorSetId()
        });
    }

    function _signCommitment(IRewardDistributor.RootCommitment memory c) internal view returns (bytes[] memory) {
        return _sign(distributor.rootCommitmentDigest(c), validatorKeys, _threshold(validatorKeys.length));
    }

    function _submit(uint64 period, bytes32 root, uint256 total) internal {
        IRewardDistributor.RootCommitment memory c = _commitment(period, root, total);
        distributor.submitRoot(c, _signCommitment(c));
    }

    function _submitAndActivate(uint64 period, bytes32 root, uint256 total) internal {
        _submit(period, root, total);
        vm.warp(block.timestamp + distributor.rootDelay());
        distributor.activatePendingRoot();
    }

    /// @dev Hands the distributor over to a fresh set of `n` validators, signed by the current one.
    function _rotate(uint256 n, string memory salt) internal {
        (uint256[] memory keys, address[] memory addrs) = _validatorKeys(n, salt);
        uint64 newSetId = distributor.validatorSetId() + 1;
        bytes32 digest = distributor.validatorSetDigest(newSetId, addrs);
        distributor.updateValidatorSet(newSetId, addrs, _sign(digest, validatorKeys, _threshold(validatorKeys.length)));
        validatorKeys = keys;
        validatorAddrs = addrs;
    }

    function _leaves(address[] memory accounts, uint256[] memory amounts)
        internal
        pure
        returns (bytes32[] memory leaves)
    {
        leaves = new bytes32[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            leaves[i] = RewardHashes.leaf(accounts[i], amounts[i]);
        }
    }

    function _sum(uint256[] memory amounts) internal pure returns (uint256 total) {
        for (uint256 i; i < amounts.length; ++i) {
            total += amounts[i];
        }
    }

    /// @dev alice, bob and carol with the given cumulative amounts.
    function _tree3(uint256 a, uint256 b, uint256 c)
        internal
        view
        returns (address[] memory accounts, uint256[] memory amounts, bytes32[] memory leaves, bytes32 root)
    {
        accounts = new address[](3);
        amounts = new uint256[](3);
        (accounts[0], accounts[1], accounts[2]) = (alice, bob, carol);
        (amounts[0], amounts[1], amounts[2]) = (a, b, c);
        leaves = _leaves(accounts, amounts);
        root = Merkle.root(leaves);
    }
}
