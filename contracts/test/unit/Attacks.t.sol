// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {DistributorFixture} from "../utils/DistributorFixture.sol";
import {Merkle} from "../utils/Merkle.sol";

/// @notice Known bridge and airdrop failures, replayed against the distributor. Each test names the
/// incident or the class of bug it guards against.
contract AttacksTest is DistributorFixture {
    address internal dave;
    address[] internal accounts;
    uint256[] internal amounts;
    bytes32[] internal leaves;
    bytes32 internal root;

    function setUp() public override {
        super.setUp();
        dave = makeAddr("dave");
        accounts = [alice, bob, carol, dave];
        amounts = [uint256(10e18), 20e18, 30e18, 40e18];
        leaves = _leaves(accounts, amounts);
        root = Merkle.root(leaves);
    }

    function _activate() internal {
        _submitAndActivate(1, root, 100e18);
    }

    // ---------------------------------------------------------------- Nomad: a zero root

    function test_Attack_Nomad_ZeroRootIsRejected() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, bytes32(0), 100e18);
        bytes[] memory sigs = _signCommitment(c); // even with valid signatures
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.ZeroRoot.selector, 1));
        distributor.submitRoot(c, sigs);
    }

    function test_Attack_Nomad_UninitializedRootProvesNothing() public {
        // Before any root, the stored root is zero; no (account, amount, proof) may pass against it.
        vm.expectRevert(IRewardDistributor.NoActiveRoot.selector);
        distributor.claim(alice, 10e18, new bytes32[](0));
        vm.expectRevert(IRewardDistributor.NoActiveRoot.selector);
        distributor.claim(address(0), 0, new bytes32[](0));
    }

    function test_Attack_PendingRootIsNotClaimableBeforeItsDelay() public {
        _submit(1, root, 100e18);
        bytes32[] memory proof = Merkle.proof(leaves, 0);
        vm.warp(block.timestamp + ROOT_DELAY - 1);
        vm.expectRevert(IRewardDistributor.NoActiveRoot.selector);
        distributor.claim(alice, 10e18, proof);
    }

    function test_Attack_VetoedRootNeverPays() public {
        _activate();
        // A signed root that inflates alice's leaf; the guardian vetoes it in time.
        uint256[] memory inflated = amounts;
        inflated[0] = 1_000_000e18;
        bytes32[] memory evilLeaves = _leaves(accounts, inflated);
        _submit(2, Merkle.root(evilLeaves), 1_000_090e18);
        vm.prank(guardian);
        distributor.vetoPendingRoot();
        vm.warp(block.timestamp + 10 * ROOT_DELAY);
        bytes32[] memory proof = Merkle.proof(evilLeaves, 0);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, alice, 1_000_000e18));
        distributor.claim(alice, 1_000_000e18, proof);
        IRewardDistributor.Claim[] memory claims = new IRewardDistributor.Claim[](1);
        claims[0] = IRewardDistributor.Claim(alice, 1_000_000e18, proof);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, alice, 1_000_000e18));
        distributor.claimBatch(claims);
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "nothing minted");
    }

    function test_Attack_LeavesAboveSignedTotalMintNoMoreThanTheTotal() public {
        // Validators (or a bug) sign a total of 100 over a tree that gives dave 1,000,000: the
        // distributor mints at most the signed total whatever the leaves say.
        uint256[] memory inflated = amounts;
        inflated[3] = 1_000_000e18;
        bytes32[] memory evilLeaves = _leaves(accounts, inflated);
        _submitAndActivate(1, Merkle.root(evilLeaves), 100e18);
        bytes32[] memory proof = Merkle.proof(evilLeaves, 3);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.ClaimExceedsActiveTotal.selector, dave, 1_000_000e18, 0, 100e18)
        );
        distributor.claim(dave, 1_000_000e18, proof);
        assertEq(token.totalSupply(), GENESIS_AMOUNT, "nothing minted");
    }

    // ---------------------------------------------------------------- Wormhole-style signature checks

    function test_Attack_Wormhole_SignaturesFromOutsideTheSet() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        (uint256[] memory strangers,) = _validatorKeys(4, "strangers");
        bytes[] memory sigs = _sign(distributor.rootCommitmentDigest(c), strangers, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, vm.addr(strangers[0])));
        distributor.submitRoot(c, sigs);
    }

    function test_Attack_Wormhole_RepeatedSigner() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        bytes32 digest = distributor.rootCommitmentDigest(c);
        bytes[] memory sigs = new bytes[](3);
        for (uint256 i; i < 3; ++i) {
            sigs[i] = _sig(validatorKeys[0], digest); // one validator, three times
        }
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.DuplicateSigner.selector, 1, validatorAddrs[0]));
        distributor.submitRoot(c, sigs);
    }

    function test_Attack_RepeatedSignerViaMalleableTwin() public {
        // The twin (r, n - s, v ^ 1) of a valid signature recovers to the same signer; it must not
        // count as a second signature, nor as a first one.
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        bytes32 digest = distributor.rootCommitmentDigest(c);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[0], digest);
        bytes32 twinS = bytes32(SECP256K1_N - uint256(s));
        assertEq(ecrecover(digest, v == 27 ? 28 : 27, r, twinS), validatorAddrs[0], "twin recovers");
        bytes[] memory sigs = new bytes[](3);
        sigs[0] = abi.encodePacked(r, s, v);
        sigs[1] = abi.encodePacked(r, twinS, v == 27 ? uint8(28) : uint8(27));
        sigs[2] = _sig(validatorKeys[1], digest);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.MalleableSignature.selector, 1, twinS));
        distributor.submitRoot(c, sigs);
    }

    function test_Attack_Wormhole_ZeroAddressFromBadSignature() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        bytes[] memory sigs = _signCommitment(c);
        sigs[0] = new bytes(65); // r = s = 0, v = 0: ecrecover yields address(0)
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidSignature.selector, 0));
        distributor.submitRoot(c, sigs);

        sigs[0] = abi.encodePacked(bytes32(SECP256K1_N), bytes32(uint256(1)), uint8(27)); // r out of range
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidSignature.selector, 0));
        distributor.submitRoot(c, sigs);
    }

    function test_Attack_ZeroAddressCanNeverBeAValidator() public {
        address[] memory set = new address[](2);
        set[0] = alice;
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.ZeroValidator.selector, 1));
        new RewardDistributor(dao, guardian, 1, set, 0, new address[](0), new uint256[](0));
        assertFalse(distributor.isValidator(address(0)), "zero is no member");
    }

    function test_Attack_FlippedRecoveryIdPointsElsewhere() public {
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        bytes32 digest = distributor.rootCommitmentDigest(c);
        bytes[] memory sigs = _signCommitment(c);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[0], digest);
        uint8 flipped = v == 27 ? 28 : 27;
        sigs[0] = abi.encodePacked(r, s, flipped);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, ecrecover(digest, flipped, r, s))
        );
        distributor.submitRoot(c, sigs);
    }

    // ---------------------------------------------------------------- replays

    function test_Attack_Replay_RootFromAnotherChainId() public {
        // Signatures made for Base mainnet (8453), replayed on this chain.
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        c.chainId = 8453;
        bytes[] memory sigs = _signCommitment(c);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidChainId.selector, 8453, block.chainid));
        distributor.submitRoot(c, sigs);

        // Rewriting the chain id breaks the signatures.
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[0], distributor.rootCommitmentDigest(c));
        c.chainId = block.chainid;
        address stranger = ecrecover(distributor.rootCommitmentDigest(c), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, stranger));
        distributor.submitRoot(c, sigs);

        // And the genuine commitment for this chain is refused on a fork with another id.
        IRewardDistributor.RootCommitment memory here = _commitment(1, root, 100e18);
        bytes[] memory hereSigs = _signCommitment(here);
        uint256 original = block.chainid;
        vm.chainId(8453);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidChainId.selector, original, 8453));
        distributor.submitRoot(here, hereSigs);
    }

    function test_Attack_Replay_RootFromAnotherDistributor() public {
        RewardDistributor other = distributor;
        IRewardDistributor.RootCommitment memory c = _commitment(1, root, 100e18);
        bytes[] memory sigs = _signCommitment(c);
        other.submitRoot(c, sigs);

        // A second deployment with the same validators must not accept the first one's root.
        _deploy(4, ROOT_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.InvalidDistributor.selector, address(other), address(distributor))
        );
        distributor.submitRoot(c, sigs);

        c.distributor = address(distributor);
        bytes32 digest = distributor.rootCommitmentDigest(c);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[0], _digestFor(other, 1));
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, ecrecover(digest, v, r, s))
        );
        distributor.submitRoot(c, sigs);
    }

    function _digestFor(RewardDistributor d, uint64 period) internal view returns (bytes32) {
        IRewardDistributor.RootCommitment memory c = IRewardDistributor.RootCommitment({
            chainId: block.chainid,
            distributor: address(d),
            period: period,
            root: root,
            total: 100e18,
            validatorSetId: INITIAL_SET_ID
        });
        return d.rootCommitmentDigest(c);
    }

    function test_Attack_Replay_RootAtOldPeriod() public {
        IRewardDistributor.RootCommitment memory old = _commitment(1, root, 100e18);
        bytes[] memory oldSigs = _signCommitment(old);
        distributor.submitRoot(old, oldSigs);
        vm.warp(block.timestamp + ROOT_DELAY);
        _submit(2, keccak256("newer"), 150e18);
        vm.warp(block.timestamp + ROOT_DELAY);
        // Replaying period 1, validly signed, would roll claims back to the old tree.
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.PeriodNotIncreasing.selector, 1, 2));
        distributor.submitRoot(old, oldSigs);
    }

    // ---------------------------------------------------------------- second preimages

    function test_Attack_InnerNodeOfferedAsLeaf() public {
        _activate();
        bytes32 a = leaves[0] < leaves[1] ? leaves[0] : leaves[1];
        bytes32 b = leaves[0] < leaves[1] ? leaves[1] : leaves[0];
        bytes32 inner = Merkle.hashPair(leaves[0], leaves[1]);
        bytes32[] memory rest = new bytes32[](1);
        rest[0] = Merkle.hashPair(leaves[2], leaves[3]);
        // As a raw leaf hash the inner node verifies: that is exactly the danger.
        assertTrue(MerkleProof.verify(rest, root, inner), "inner node verifies as a raw leaf");

        // The distributor never takes a leaf hash: it hashes (account, amount) twice. Feeding the
        // node's 64-byte preimage in as (account, amount) fails, at the latest on the proof.
        (bool ok,) = address(distributor).call(abi.encodeWithSelector(distributor.claim.selector, a, b, rest));
        assertFalse(ok, "64-byte preimage as (account, amount)");
        address asAccount = address(uint160(uint256(a)));
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, asAccount, uint256(b)));
        distributor.claim(asAccount, uint256(b), rest);
        assertTrue(RewardHashes.leaf(asAccount, uint256(b)) != inner, "leaf hashing separates the domains");
    }

    function test_Attack_SixtyFourByteValueOfferedAsLeaf() public {
        // A tree built with single-hashed leaves keccak256(abi.encode(account, amount)), i.e. the
        // 64-byte value hashed once like an inner node, must not be claimable.
        bytes32[] memory single = new bytes32[](4);
        for (uint256 i; i < 4; ++i) {
            single[i] = keccak256(abi.encode(accounts[i], amounts[i]));
        }
        bytes32 badRoot = Merkle.root(single);
        _submitAndActivate(1, badRoot, 100e18);
        bytes32[] memory proof = Merkle.proof(single, 0);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, alice, 10e18));
        distributor.claim(alice, 10e18, proof);
    }

    // ---------------------------------------------------------------- proofs and accounts

    function test_Attack_ProofForOneAccountUsedByAnother() public {
        _activate();
        bytes32[] memory aliceProof = Merkle.proof(leaves, 0);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, bob, 10e18));
        vm.prank(bob);
        distributor.claim(bob, 10e18, aliceProof);
        // Claiming alice's leaf from bob's account pays alice, never bob.
        vm.prank(bob);
        distributor.claim(alice, 10e18, aliceProof);
        assertEq(token.balanceOf(alice), 10e18, "alice paid");
        assertEq(token.balanceOf(bob), 0, "bob not paid");
    }

    function test_Attack_ClaimWhilePaused() public {
        _activate();
        vm.prank(guardian);
        distributor.pause();
        bytes32[] memory proof = Merkle.proof(leaves, 0);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.claim(alice, 10e18, proof);
        IRewardDistributor.Claim[] memory claims = new IRewardDistributor.Claim[](1);
        claims[0] = IRewardDistributor.Claim(alice, 10e18, proof);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        distributor.claimBatch(claims);
    }

    // ---------------------------------------------------------------- validator-set handover

    function test_Attack_SetUpdateSignedByPreviousButOneSet() public {
        uint256[] memory setA = validatorKeys; // id 7
        _rotate(4, "set B"); // id 8, signed by A
        _rotate(4, "set C"); // id 9, signed by B
        (, address[] memory evil) = _validatorKeys(4, "evil");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 3, evil);
        bytes[] memory sigs = _sign(digest, setA, 3);
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.UnknownSigner.selector, 0, vm.addr(setA[0])));
        distributor.updateValidatorSet(INITIAL_SET_ID + 3, evil, sigs);
    }

    function test_Attack_OldSetUpdateReplayed() public {
        (, address[] memory setB) = _validatorKeys(4, "set B");
        bytes32 digest = distributor.validatorSetDigest(INITIAL_SET_ID + 1, setB);
        bytes[] memory sigs = _sign(digest, validatorKeys, 3);
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, setB, sigs);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardDistributor.InvalidValidatorSetId.selector, INITIAL_SET_ID + 1, INITIAL_SET_ID + 2
            )
        );
        distributor.updateValidatorSet(INITIAL_SET_ID + 1, setB, sigs);
    }
}
