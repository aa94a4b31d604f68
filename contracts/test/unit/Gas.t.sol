// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {Console} from "../utils/Console.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";
import {Merkle} from "../utils/Merkle.sol";

/// @notice Gas of the hot paths, measured with `gasleft()` around a call to a cooled contract (its
/// code and storage cold, as in a fresh transaction). Each test logs one line
/// `GAS <name> exec=<n> calldata=<n> tx=<n>` that `scripts/gas-report.sh` turns into GAS.md:
/// - exec: what the call consumed, less the 2,600 a cold CALL costs the caller (a transaction's
///   target is warm and paid for by the 21,000 base);
/// - calldata: 16 gas per non-zero and 4 per zero byte of the call data (EIP-2028);
/// - tx: 21,000 + calldata + exec, i.e. the transaction's gas on L1-style pricing.
/// The tests also assert generous ceilings so that a regression fails loudly.
contract GasTest is DistributorFixture {
    uint256 internal constant COLD_CALL = 2600;

    // ---------------------------------------------------------------- measurement

    function _measure(string memory name, address target, bytes memory data) internal returns (uint256 exec) {
        vm.cool(target);
        vm.cool(address(token));
        uint256 before = gasleft();
        (bool ok, bytes memory ret) = target.call(data);
        exec = before - gasleft() - COLD_CALL;
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        uint256 cd = _calldataGas(data);
        Console.log(
            string.concat(
                "GAS ",
                name,
                " exec=",
                vm.toString(exec),
                " calldata=",
                vm.toString(cd),
                " tx=",
                vm.toString(21_000 + cd + exec)
            )
        );
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    // ---------------------------------------------------------------- trees

    /// @dev A proof of `depth` for (account, amount): random siblings hashed up to a root, exactly
    /// what a leaf of a 2^depth-leaf tree sees (17 covers 100,000 accounts, 20 a million).
    function _deepProof(address account, uint256 amount, uint256 depth, bytes32 salt)
        internal
        pure
        returns (bytes32 root, bytes32[] memory proof)
    {
        proof = new bytes32[](depth);
        root = RewardHashes.leaf(account, amount);
        for (uint256 i; i < depth; ++i) {
            proof[i] = keccak256(abi.encode(salt, i));
            root = Merkle.hashPair(root, proof[i]);
        }
    }

    /// @dev `n` accounts in a subtree, that subtree `depth - log2(n)` levels below the root.
    function _deepBatch(uint256 n, uint256 depth, uint256 amount)
        internal
        returns (bytes32 root, IRewardDistributor.Claim[] memory claims)
    {
        address[] memory accounts = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            accounts[i] = makeAddr(string.concat("batch ", vm.toString(i)));
            amounts[i] = amount + i;
        }
        bytes32[] memory leaves = _leaves(accounts, amounts);
        uint256 subDepth;
        while ((1 << subDepth) < n) ++subDepth;
        root = Merkle.root(leaves);
        bytes32[] memory upper = new bytes32[](depth - subDepth);
        for (uint256 i; i < upper.length; ++i) {
            upper[i] = keccak256(abi.encode("upper", i));
            root = Merkle.hashPair(root, upper[i]);
        }
        claims = new IRewardDistributor.Claim[](n);
        for (uint256 i; i < n; ++i) {
            bytes32[] memory lower = Merkle.proof(leaves, i);
            bytes32[] memory proof = new bytes32[](lower.length + upper.length);
            for (uint256 j; j < lower.length; ++j) {
                proof[j] = lower[j];
            }
            for (uint256 j; j < upper.length; ++j) {
                proof[lower.length + j] = upper[j];
            }
            claims[i] = IRewardDistributor.Claim(accounts[i], amounts[i], proof);
        }
    }

    // ---------------------------------------------------------------- claims

    function test_Gas_Claim_Depth17_FirstClaim() public {
        (bytes32 root, bytes32[] memory proof) = _deepProof(alice, 1_000e18, 17, "a");
        _submitAndActivate(1, root, 1_000_000e18);
        uint256 exec = _measure(
            "claim.depth17.first", address(distributor), abi.encodeCall(distributor.claim, (alice, 1_000e18, proof))
        );
        assertEq(token.balanceOf(alice), 1_000e18, "paid");
        assertLt(exec, 80_000, "first claim ceiling");
    }

    function test_Gas_Claim_Depth17_RepeatClaim() public {
        (bytes32 root, bytes32[] memory proof) = _deepProof(alice, 1_000e18, 17, "a");
        _submitAndActivate(1, root, 1_000_000e18);
        distributor.claim(alice, 1_000e18, proof);
        (root, proof) = _deepProof(alice, 1_450e18, 17, "b");
        _submitAndActivate(2, root, 2_000_000e18);
        uint256 exec = _measure(
            "claim.depth17.repeat", address(distributor), abi.encodeCall(distributor.claim, (alice, 1_450e18, proof))
        );
        assertEq(token.balanceOf(alice), 1_450e18, "paid");
        assertLt(exec, 60_000, "repeat claim goal");
    }

    function test_Gas_Claim_Depth20_FirstClaim() public {
        (bytes32 root, bytes32[] memory proof) = _deepProof(alice, 1_000e18, 20, "a");
        _submitAndActivate(1, root, 1_000_000e18);
        _measure(
            "claim.depth20.first", address(distributor), abi.encodeCall(distributor.claim, (alice, 1_000e18, proof))
        );
    }

    function test_Gas_Claim_LazilyActivatingRoot() public {
        _submitAndActivate(1, keccak256("first"), 1_000e18);
        (bytes32 root, bytes32[] memory proof) = _deepProof(alice, 1_000e18, 17, "a");
        _submit(2, root, 1_000_000e18);
        vm.warp(block.timestamp + ROOT_DELAY);
        _measure(
            "claim.depth17.first.activates-root",
            address(distributor),
            abi.encodeCall(distributor.claim, (alice, 1_000e18, proof))
        );
    }

    function test_Gas_ClaimBatch_16Accounts_Depth17() public {
        (bytes32 root, IRewardDistributor.Claim[] memory claims) = _deepBatch(16, 17, 100e18);
        _submitAndActivate(1, root, 1_000_000e18);
        uint256 exec = _measure(
            "claimBatch.16.depth17.first", address(distributor), abi.encodeCall(distributor.claimBatch, (claims))
        );
        Console.log(string.concat("GAS claimBatch.depth17.first.per-account exec=", vm.toString(exec / 16)));
        assertEq(token.balanceOf(claims[15].account), 100e18 + 15, "paid");
    }

    // ---------------------------------------------------------------- roots

    /// @dev Steady state: one root is active, the next is pending and due, and the submission
    /// activates it (minting its increase) before storing the new one, which is what every
    /// submission does once the bridge is running.
    function _gasSubmit(uint256 n) internal returns (uint256 exec) {
        _deploy(n, ROOT_DELAY);
        _submitAndActivate(1, keccak256("first"), 1_000e18);
        _submit(2, keccak256("second"), 2_000e18);
        vm.warp(block.timestamp + ROOT_DELAY);
        IRewardDistributor.RootCommitment memory c = _commitment(3, keccak256("third"), 3_000e18);
        bytes[] memory sigs = _signCommitment(c);
        exec = _measure(
            string.concat("submitRoot.", vm.toString(n), "-validators.", vm.toString(sigs.length), "-signatures"),
            address(distributor),
            abi.encodeCall(distributor.submitRoot, (c, sigs))
        );
        Console.log(
            string.concat(
                "GAS submitRoot.", vm.toString(n), "-validators.per-signature exec=", vm.toString(exec / sigs.length)
            )
        );
    }

    function test_Gas_SubmitRoot_4Validators() public {
        assertLt(_gasSubmit(4), 150_000, "4 validators");
    }

    function test_Gas_SubmitRoot_21Validators() public {
        assertLt(_gasSubmit(21), 250_000, "21 validators");
    }

    function test_Gas_SubmitRoot_100Validators() public {
        assertLt(_gasSubmit(100), 700_000, "100 validators");
    }

    function test_Gas_SubmitRoot_MarginalSignature() public {
        uint256 small = _gasSubmit(21);
        uint256 large = _gasSubmit(100);
        Console.log(string.concat("GAS submitRoot.marginal-signature exec=", vm.toString((large - small) / (67 - 14))));
    }

    function test_Gas_ActivatePendingRoot() public {
        _submitAndActivate(1, keccak256("first"), 1_000e18);
        _submit(2, keccak256("second"), 2_000e18);
        vm.warp(block.timestamp + ROOT_DELAY);
        _measure("activatePendingRoot", address(distributor), abi.encodeCall(distributor.activatePendingRoot, ()));
    }

    function test_Gas_UpdateValidatorSet_100To100() public {
        _deploy(100, ROOT_DELAY);
        (, address[] memory next) = _validatorKeys(100, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, next);
        bytes[] memory sigs = _sign(digest, validatorKeys, 67);
        _measure(
            "updateValidatorSet.100-to-100",
            address(distributor),
            abi.encodeCall(distributor.updateValidatorSet, (INITIAL_SET_ID + 1, next, sigs))
        );
    }

    // ---------------------------------------------------------------- deposits

    function test_Gas_DepositToChain() public {
        vm.prank(treasury);
        distributor.depositToChain(keccak256("warm-up"), 1e18); // the nonce is non-zero afterwards
        uint256 exec = _measureAs(
            treasury,
            "depositToChain",
            abi.encodeCall(distributor.depositToChain, (keccak256("treasury on chain"), 1_000e18))
        );
        assertLt(exec, 40_000, "deposit");
    }

    function _measureAs(address caller, string memory name, bytes memory data) internal returns (uint256) {
        vm.prank(caller);
        return _measure(name, address(distributor), data);
    }
}
