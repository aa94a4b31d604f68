// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {Console} from "../utils/Console.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";
import {Merkle} from "../utils/Merkle.sol";

/// @notice Gas of the hot paths, measured with `gasleft()` around one call. Each test logs lines
/// `GAS <name> exec=<n> calldata=<n> tx=<n>` that `scripts/gas-report.sh` turns into GAS.md:
/// - exec: what the call consumed, less the 2,600 a cold CALL costs the caller (a transaction's
///   target is warm and paid for by the 21,000 base);
/// - calldata: 16 gas per non-zero and 4 per zero byte of the call data (EIP-2028);
/// - tx: 21,000 + calldata + exec, i.e. the transaction's gas on L1-style pricing.
/// Every state the measured call starts from is built in `setUp`, which forge runs as a
/// transaction of its own; the test then makes the measured call first. So each storage write is
/// priced against the value the slot held before the transaction, as on a real chain (a slot
/// written earlier in the same transaction would be priced as a cheap re-write), and `vm.cool`
/// makes every slot and both contracts cold, as in a fresh transaction.
/// The tests also assert generous ceilings so that a regression fails loudly.
abstract contract GasTestBase is DistributorFixture {
    uint256 internal constant COLD_CALL = 2600;

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

    function _measureAs(address caller, string memory name, bytes memory data) internal returns (uint256) {
        vm.prank(caller);
        return _measure(name, address(distributor), data);
    }

    function _logExec(string memory name, uint256 exec) internal view {
        Console.log(string.concat("GAS ", name, " exec=", vm.toString(exec)));
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev `(leaves root, upper)` as one tree of depth `log2(leaves) + upper.length`: the leaves'
    /// own subtree hashed up through the `upper` siblings, which stand in for the rest of a large
    /// tree (17 levels cover 100,000 accounts, 20 a million).
    function _paddedRoot(bytes32[] memory leaves, bytes32[] memory upper) internal pure returns (bytes32 root) {
        root = Merkle.root(leaves);
        for (uint256 i; i < upper.length; ++i) {
            root = Merkle.hashPair(root, upper[i]);
        }
    }

    function _paddedProof(bytes32[] memory leaves, bytes32[] memory upper, uint256 index)
        internal
        pure
        returns (bytes32[] memory proof)
    {
        bytes32[] memory lower = Merkle.proof(leaves, index);
        proof = new bytes32[](lower.length + upper.length);
        for (uint256 j; j < lower.length; ++j) {
            proof[j] = lower[j];
        }
        for (uint256 j; j < upper.length; ++j) {
            proof[lower.length + j] = upper[j];
        }
    }

    function _upper(uint256 levels, bytes32 salt) internal pure returns (bytes32[] memory upper) {
        upper = new bytes32[](levels);
        for (uint256 i; i < levels; ++i) {
            upper[i] = keccak256(abi.encode(salt, i));
        }
    }
}

/// @notice Claims against a tree of `_depth()` levels. 32 accounts sit in one corner of it: the
/// first 16 have never claimed, the other 16 claimed under the previous root, a day earlier. The
/// measured claim is the first to change the token's supply at its timestamp, so it adds a new
/// ERC20Votes total-supply checkpoint, as most claims on a live chain do.
abstract contract GasClaimTestBase is GasTestBase {
    uint256 internal constant ACCOUNTS = 32; // a full subtree of 5 levels
    uint256 internal constant SUBTREE_DEPTH = 5;

    address[] internal claimers;
    bytes32[] internal leaves;
    bytes32[] internal upper;

    function _depth() internal pure virtual returns (uint256);

    /// @dev When true, setUp ends with a deposit at the measured call's timestamp, so the claim
    /// rewrites that second's supply checkpoint instead of adding one.
    function _supplyAlreadyCheckpointed() internal pure virtual returns (bool) {
        return false;
    }

    function _label() internal pure returns (string memory) {
        return string.concat("depth", vm.toString(_depth()), _supplyAlreadyCheckpointed() ? ".supply-checkpointed" : "");
    }

    function setUp() public override {
        super.setUp();
        upper = _upper(_depth() - SUBTREE_DEPTH, "upper");
        uint256[] memory amounts = new uint256[](ACCOUNTS);
        for (uint256 i; i < ACCOUNTS; ++i) {
            claimers.push(makeAddr(string.concat("claimer ", vm.toString(i))));
            amounts[i] = 100e18 + i;
        }
        bytes32[] memory first = _leaves(claimers, amounts);
        _submitAndActivate(1, _paddedRoot(first, upper), 1_000_000e18);
        for (uint256 i = ACCOUNTS / 2; i < ACCOUNTS; ++i) {
            distributor.claim(claimers[i], amounts[i], _paddedProof(first, upper, i));
        }

        for (uint256 i; i < ACCOUNTS; ++i) {
            amounts[i] += 50e18;
        }
        leaves = _leaves(claimers, amounts);
        _submitAndActivate(2, _paddedRoot(leaves, upper), 2_000_000e18);
        if (_supplyAlreadyCheckpointed()) {
            vm.prank(treasury);
            distributor.depositToChain(keccak256("treasury on chain"), 1e18);
        }
    }

    function _amount(uint256 i) internal pure returns (uint256) {
        return 150e18 + i;
    }

    function _claimCall(uint256 i) internal view returns (bytes memory) {
        return abi.encodeCall(distributor.claim, (claimers[i], _amount(i), _paddedProof(leaves, upper, i)));
    }

    function _batchCall(uint256 from) internal view returns (bytes memory) {
        IRewardDistributor.Claim[] memory claims = new IRewardDistributor.Claim[](16);
        for (uint256 i; i < 16; ++i) {
            claims[i] =
                IRewardDistributor.Claim(claimers[from + i], _amount(from + i), _paddedProof(leaves, upper, from + i));
        }
        return abi.encodeCall(distributor.claimBatch, (claims));
    }

    function test_Gas_Claim_First() public {
        bytes memory data = _claimCall(0);
        uint256 exec = _measure(string.concat("claim.", _label(), ".first"), address(distributor), data);
        assertEq(token.balanceOf(claimers[0]), _amount(0), "paid");
        assertLt(exec, 110_000, "first claim ceiling");
    }

    function test_Gas_Claim_Repeat() public {
        bytes memory data = _claimCall(16);
        uint256 exec = _measure(string.concat("claim.", _label(), ".repeat"), address(distributor), data);
        assertEq(token.balanceOf(claimers[16]), _amount(16), "paid");
        assertEq(distributor.claimed(claimers[16]), _amount(16), "claimed");
        assertLt(exec, 75_000, "repeat claim ceiling");
    }

    /// @dev The token's share of a repeat claim: the same mint, called by the distributor.
    function test_Gas_TokenMint_Repeat() public {
        vm.prank(address(distributor));
        _measure(
            string.concat("token.mint.", _label(), ".repeat"),
            address(token),
            abi.encodeCall(token.mint, (claimers[16], 50e18))
        );
        assertEq(token.balanceOf(claimers[16]), _amount(16), "minted");
    }

    function test_Gas_ClaimBatch16_First() public {
        bytes memory data = _batchCall(0);
        uint256 exec = _measure(string.concat("claimBatch.16.", _label(), ".first"), address(distributor), data);
        _logExec(string.concat("claimBatch.", _label(), ".first.per-account"), exec / 16);
        assertEq(token.balanceOf(claimers[15]), _amount(15), "paid");
        assertLt(exec / 16, 85_000, "batch per account ceiling");
    }

    function test_Gas_ClaimBatch16_Repeat() public {
        bytes memory data = _batchCall(16);
        uint256 exec = _measure(string.concat("claimBatch.16.", _label(), ".repeat"), address(distributor), data);
        _logExec(string.concat("claimBatch.", _label(), ".repeat.per-account"), exec / 16);
        assertEq(token.balanceOf(claimers[31]), _amount(31), "paid");
        assertLt(exec / 16, 50_000, "batch per account ceiling");
    }
}

contract GasClaimDepth17Test is GasClaimTestBase {
    function _depth() internal pure override returns (uint256) {
        return 17;
    }
}

contract GasClaimDepth20Test is GasClaimTestBase {
    function _depth() internal pure override returns (uint256) {
        return 20;
    }
}

contract GasClaimDepth17SupplyCheckpointedTest is GasClaimTestBase {
    function _depth() internal pure override returns (uint256) {
        return 17;
    }

    function _supplyAlreadyCheckpointed() internal pure override returns (bool) {
        return true;
    }
}

/// @notice A claim that first activates a due root.
contract GasClaimActivatingRootTest is GasTestBase {
    bytes32[] internal proof;

    function setUp() public override {
        super.setUp();
        _submitAndActivate(1, keccak256("first"), 1_000e18);
        bytes32 root = RewardHashes.leaf(alice, 1_000e18);
        proof = _upper(17, "activating");
        for (uint256 i; i < proof.length; ++i) {
            root = Merkle.hashPair(root, proof[i]);
        }
        _submit(2, root, 1_000_000e18);
        vm.warp(block.timestamp + ROOT_DELAY);
    }

    function test_Gas_Claim_ActivatingRoot() public {
        _measure(
            "claim.depth17.first.activates-root",
            address(distributor),
            abi.encodeCall(distributor.claim, (alice, 1_000e18, proof))
        );
        assertEq(token.balanceOf(alice), 1_000e18, "paid");
    }
}

/// @notice Steady state of `submitRoot` with `_validators()` validators: one root is active, the
/// next is pending and due, and the submission activates it before storing the new one, which is
/// what every submission does once the bridge is running.
abstract contract GasSubmitRootTestBase is GasTestBase {
    function _validators() internal pure virtual returns (uint256);

    function setUp() public override {
        super.setUp();
        _deploy(_validators(), ROOT_DELAY);
        _submitAndActivate(1, keccak256("first"), 1_000e18);
        _submit(2, keccak256("second"), 2_000e18);
        vm.warp(block.timestamp + ROOT_DELAY);
    }

    function test_Gas_SubmitRoot() public {
        IRewardDistributor.RootCommitment memory c = _commitment(3, keccak256("third"), 3_000e18);
        bytes[] memory sigs = _signCommitment(c);
        string memory n = vm.toString(_validators());
        uint256 exec = _measure(
            string.concat("submitRoot.", n, "-validators.", vm.toString(sigs.length), "-signatures"),
            address(distributor),
            abi.encodeCall(distributor.submitRoot, (c, sigs))
        );
        _logExec(string.concat("submitRoot.", n, "-validators.per-signature"), exec / sigs.length);
        assertLt(exec, 40_000 + 8_000 * sigs.length, "submitRoot ceiling");
        (bytes32 root,,,) = distributor.pendingRoot();
        assertEq(root, keccak256("third"), "accepted");
    }
}

contract GasSubmitRoot4Test is GasSubmitRootTestBase {
    function _validators() internal pure override returns (uint256) {
        return 4;
    }

    function test_Gas_ActivatePendingRoot() public {
        _measure("activatePendingRoot", address(distributor), abi.encodeCall(distributor.activatePendingRoot, ()));
        (, uint256 total,) = distributor.activeRoot();
        assertEq(total, 2_000e18, "activated");
    }
}

contract GasSubmitRoot21Test is GasSubmitRootTestBase {
    function _validators() internal pure override returns (uint256) {
        return 21;
    }
}

contract GasSubmitRoot100Test is GasSubmitRootTestBase {
    function _validators() internal pure override returns (uint256) {
        return 100;
    }

    function test_Gas_UpdateValidatorSet_100To100() public {
        (, address[] memory next) = _validatorKeys(100, "next");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, next);
        bytes[] memory sigs = _sign(digest, validatorKeys, 67);
        _measure(
            "updateValidatorSet.100-to-100",
            address(distributor),
            abi.encodeCall(distributor.updateValidatorSet, (INITIAL_SET_ID + 1, next, sigs))
        );
        assertEq(distributor.validatorSetId(), INITIAL_SET_ID + 1, "updated");
    }
}

/// @notice A deposit by a holder who deposited before (the nonce is non-zero), an hour later (so
/// the burn adds a total-supply checkpoint).
contract GasDepositTest is GasTestBase {
    function setUp() public override {
        super.setUp();
        vm.prank(treasury);
        distributor.depositToChain(keccak256("warm-up"), 1e18);
        vm.warp(block.timestamp + 1 hours);
    }

    function test_Gas_DepositToChain() public {
        uint256 exec = _measureAs(
            treasury,
            "depositToChain",
            abi.encodeCall(distributor.depositToChain, (keccak256("treasury on chain"), 1_000e18))
        );
        assertEq(token.balanceOf(treasury), GENESIS_AMOUNT - 1_001e18, "burned");
        assertLt(exec, 70_000, "deposit ceiling");
    }
}
