// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RewardDistributor} from "../../src/RewardDistributor.sol";
import {SmartnodesDAO} from "../../src/SmartnodesDAO.sol";
import {SmartnodesToken} from "../../src/SmartnodesToken.sol";
import {IRewardDistributor} from "../../src/interfaces/IRewardDistributor.sol";
import {ISmartnodesDAO} from "../../src/interfaces/ISmartnodesDAO.sol";
import {RewardHashes} from "../../src/libraries/RewardHashes.sol";
import {SmartnodesDeployment} from "../../script/SmartnodesDeployment.sol";
import {Test} from "../utils/Test.sol";

contract SmartnodesDAOTest is Test {
    uint48 internal constant VOTING_DELAY = 1 days;
    uint32 internal constant VOTING_PERIOD = 3 days;

    SmartnodesToken internal token;
    RewardDistributor internal distributor;
    TimelockController internal timelock;
    SmartnodesDAO internal dao;

    address internal alice;
    address internal bob;
    address internal whale;
    uint256[] internal validatorKeys;
    uint256 internal proposalCount;

    function setUp() public {
        vm.warp(1_700_000_000);
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        whale = makeAddr("whale");

        SmartnodesDeployment.Config memory config = SmartnodesDeployment.defaults();
        config.votingDelay = VOTING_DELAY;
        config.votingPeriod = VOTING_PERIOD;
        config.rootDelay = 30 days; // long enough for a full proposal to veto within it
        config.validatorSetId = 1;
        config.validators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            validatorKeys.push(keyFrom(keccak256(abi.encode("dao validator", i))));
            config.validators[i] = vm.addr(validatorKeys[i]);
        }
        config.genesisRecipients = new address[](3);
        config.genesisAmounts = new uint256[](3);
        (config.genesisRecipients[0], config.genesisRecipients[1], config.genesisRecipients[2]) = (alice, bob, whale);
        (config.genesisAmounts[0], config.genesisAmounts[1], config.genesisAmounts[2]) =
        (600_000e18, 400_000e18, 9_000_000e18);

        SmartnodesDeployment.Deployment memory d = SmartnodesDeployment.deploy(config, address(this));
        (token, distributor, timelock, dao) = (d.token, d.distributor, d.timelock, d.dao);

        // alice and bob together hold exactly the 10% quorum; the whale does not vote.
        vm.prank(alice);
        token.delegate(alice);
        vm.prank(bob);
        token.delegate(bob);
        vm.warp(block.timestamp + 1);
    }

    /// @dev Proposes, votes it through with alice and bob, queues it, and waits out the timelock.
    function _pass(address[] memory targets, bytes[] memory calldatas) internal returns (bytes32 descriptionHash) {
        string memory description = string.concat("proposal #", vm.toString(++proposalCount));
        descriptionHash = keccak256(bytes(description));
        uint256[] memory values = new uint256[](targets.length);
        vm.prank(alice);
        uint256 id = dao.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(alice);
        dao.castVote(id, 1);
        vm.prank(bob);
        dao.castVote(id, 1);
        vm.warp(block.timestamp + VOTING_PERIOD);
        assertEq(uint256(dao.state(id)), uint256(IGovernor.ProposalState.Succeeded), "succeeded");
        dao.queue(targets, values, calldatas, descriptionHash);
        vm.warp(block.timestamp + 2 days);
    }

    function _execute(address[] memory targets, bytes[] memory calldatas, bytes32 descriptionHash) internal {
        dao.execute(targets, new uint256[](targets.length), calldatas, descriptionHash);
    }

    function _one(address target, bytes memory data) internal pure returns (address[] memory t, bytes[] memory c) {
        t = new address[](1);
        c = new bytes[](1);
        (t[0], c[0]) = (target, data);
    }

    // ---------------------------------------------------------------- wiring and settings

    function test_Settings() public view {
        assertEq(dao.name(), "SmartnodesDAO", "name");
        assertEq(dao.votingDelay(), VOTING_DELAY, "voting delay");
        assertEq(dao.votingPeriod(), VOTING_PERIOD, "voting period");
        assertEq(dao.proposalThreshold(), 10_000e18, "threshold");
        assertEq(dao.quorumNumerator(), 10, "quorum %");
        assertEq(dao.quorum(block.timestamp - 1), 1_000_000e18, "10% of 10M");
        assertEq(dao.clock(), block.timestamp, "timestamp clock");
        assertEq(dao.CLOCK_MODE(), "mode=timestamp", "clock mode");
        assertEq(address(dao.token()), address(token), "token");
        assertEq(dao.timelock(), address(timelock), "timelock");
        assertTrue(dao.proposalNeedsQueuing(0), "queues");
        assertEq(dao.chainDecisionNonce(), 0, "no decision yet");
        assertEq(timelock.getMinDelay(), 2 days, "timelock delay");
        assertEq(distributor.dao(), address(timelock), "distributor's dao is the timelock");
    }

    function test_Roles_NoAdminLeft() public view {
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(dao)), "dao proposes");
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(dao)), "dao cancels");
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)), "deployer renounced");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "self-administered");
    }

    // ---------------------------------------------------------------- distributor powers

    function test_Governance_PausesAndUnpausesDistributor() public {
        (address[] memory t, bytes[] memory c) = _one(address(distributor), abi.encodeCall(distributor.pause, ()));
        bytes32 h = _pass(t, c);
        _execute(t, c, h);
        assertTrue(distributor.paused(), "paused");

        (t, c) = _one(address(distributor), abi.encodeCall(distributor.unpause, ()));
        h = _pass(t, c);
        _execute(t, c, h);
        assertFalse(distributor.paused(), "unpaused");
    }

    function test_Governance_SetsRootDelayAndGuardian() public {
        address[] memory t = new address[](2);
        bytes[] memory c = new bytes[](2);
        (t[0], c[0]) = (address(distributor), abi.encodeCall(distributor.setRootDelay, (6 hours)));
        (t[1], c[1]) = (address(distributor), abi.encodeCall(distributor.setGuardian, (bob)));
        bytes32 h = _pass(t, c);
        _execute(t, c, h);
        assertEq(distributor.rootDelay(), 6 hours, "root delay");
        assertEq(distributor.guardian(), bob, "guardian");
    }

    /// @dev Submits a root signed by 2 of the 3 validators.
    function _submitRoot(uint64 period, bytes32 root, uint256 total) internal {
        IRewardDistributor.RootCommitment memory commitment = IRewardDistributor.RootCommitment({
            chainId: block.chainid,
            distributor: address(distributor),
            period: period,
            root: root,
            total: total,
            validatorSetId: 1
        });
        bytes32 digest = distributor.rootCommitmentDigest(commitment);
        bytes[] memory sigs = new bytes[](2);
        for (uint256 i; i < 2; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(validatorKeys[i], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
        distributor.submitRoot(commitment, sigs);
    }

    function test_Governance_VetoesPendingRoot() public {
        _submitRoot(1, keccak256("bad root"), 1e30);

        (address[] memory t, bytes[] memory c) =
            _one(address(distributor), abi.encodeCall(distributor.vetoPendingRoot, ()));
        bytes32 h = _pass(t, c);
        vm.expectEmit();
        emit IRewardDistributor.RootVetoed(1, keccak256("bad root"), address(timelock));
        _execute(t, c, h);
        (bytes32 root,,,) = distributor.pendingRoot();
        assertEq(root, bytes32(0), "vetoed");
    }

    function test_RevertWhen_DistributorCalledByGovernorDirectly() public {
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.Unauthorized.selector, address(dao)));
        vm.prank(address(dao));
        distributor.unpause();
    }

    // ---------------------------------------------------------------- chain decisions

    function test_ChainDecisions_EmitOneEventEachWithIncreasingNonce() public {
        address[] memory t = new address[](4);
        bytes[] memory c = new bytes[](4);
        (t[0], c[0]) = (address(dao), abi.encodeCall(dao.setStateUpdateInterval, (4800)));
        (t[1], c[1]) = (address(dao), abi.encodeCall(dao.setCollateral, (1_000_000e18)));
        (t[2], c[2]) = (address(dao), abi.encodeCall(dao.setProtocolFee, (250)));
        (t[3], c[3]) = (address(dao), abi.encodeCall(dao.authorizeRuntimeUpgrade, (keccak256("runtime v2"))));
        bytes32 h = _pass(t, c);

        vm.expectEmit(address(dao));
        emit ISmartnodesDAO.ChainDecision(1, ISmartnodesDAO.ChainDecisionKind.SetStateUpdateInterval, abi.encode(4800));
        vm.expectEmit(address(dao));
        emit ISmartnodesDAO.ChainDecision(2, ISmartnodesDAO.ChainDecisionKind.SetCollateral, abi.encode(1_000_000e18));
        vm.expectEmit(address(dao));
        emit ISmartnodesDAO.ChainDecision(3, ISmartnodesDAO.ChainDecisionKind.SetProtocolFee, abi.encode(250));
        vm.expectEmit(address(dao));
        emit ISmartnodesDAO.ChainDecision(
            4, ISmartnodesDAO.ChainDecisionKind.AuthorizeRuntimeUpgrade, abi.encode(keccak256("runtime v2"))
        );
        _execute(t, c, h);
        assertEq(dao.chainDecisionNonce(), 4, "nonce");
    }

    function test_ChainDecision_PayloadIsOneWord() public {
        (address[] memory t, bytes[] memory c) = _one(address(dao), abi.encodeCall(dao.setProtocolFee, (10_000)));
        bytes32 h = _pass(t, c);
        vm.expectEmit(address(dao));
        emit ISmartnodesDAO.ChainDecision(
            1,
            ISmartnodesDAO.ChainDecisionKind.SetProtocolFee,
            hex"0000000000000000000000000000000000000000000000000000000000002710"
        );
        _execute(t, c, h);
    }

    function _expectInvalid(bytes memory call, ISmartnodesDAO.ChainDecisionKind kind, bytes memory payload) internal {
        (address[] memory t, bytes[] memory c) = _one(address(dao), call);
        bytes32 h = _pass(t, c);
        vm.expectRevert(abi.encodeWithSelector(ISmartnodesDAO.SmartnodesDAOInvalidDecision.selector, kind, payload));
        _execute(t, c, h);
    }

    function test_RevertWhen_StateUpdateIntervalIsZero() public {
        _expectInvalid(
            abi.encodeCall(dao.setStateUpdateInterval, (0)),
            ISmartnodesDAO.ChainDecisionKind.SetStateUpdateInterval,
            abi.encode(uint32(0))
        );
    }

    function test_RevertWhen_CollateralIsZero() public {
        _expectInvalid(
            abi.encodeCall(dao.setCollateral, (0)), ISmartnodesDAO.ChainDecisionKind.SetCollateral, abi.encode(0)
        );
    }

    function test_RevertWhen_ProtocolFeeAboveTenThousandBps() public {
        _expectInvalid(
            abi.encodeCall(dao.setProtocolFee, (10_001)),
            ISmartnodesDAO.ChainDecisionKind.SetProtocolFee,
            abi.encode(uint16(10_001))
        );
    }

    function test_RevertWhen_RuntimeCodeHashIsZero() public {
        _expectInvalid(
            abi.encodeCall(dao.authorizeRuntimeUpgrade, (bytes32(0))),
            ISmartnodesDAO.ChainDecisionKind.AuthorizeRuntimeUpgrade,
            abi.encode(bytes32(0))
        );
    }

    function test_RevertWhen_ChainDecisionCalledByHolder() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, alice));
        vm.prank(alice);
        dao.setProtocolFee(100);
    }

    function test_RevertWhen_ChainDecisionCalledByTimelockOutsideAProposal() public {
        // The timelock itself may only call what an executing proposal scheduled: the governor's
        // queue of expected calls is empty, and popping it panics (0x31).
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x31));
        vm.prank(address(timelock));
        dao.setProtocolFee(100);
    }

    function test_Cancel_ByProposerBeforeVoting() public {
        (address[] memory t, bytes[] memory c) = _one(address(distributor), abi.encodeCall(distributor.pause, ()));
        uint256[] memory values = new uint256[](1);
        vm.prank(alice);
        uint256 id = dao.propose(t, values, c, "changed my mind");
        vm.prank(alice);
        dao.cancel(t, values, c, keccak256("changed my mind"));
        assertEq(uint256(dao.state(id)), uint256(IGovernor.ProposalState.Canceled), "canceled");
    }

    // ---------------------------------------------------------------- quorum

    function test_Quorum_NotReachedWithoutEnoughVotes() public {
        (address[] memory t, bytes[] memory c) = _one(address(distributor), abi.encodeCall(distributor.pause, ()));
        vm.prank(alice);
        uint256 id = dao.propose(t, new uint256[](1), c, "alice alone");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(alice);
        dao.castVote(id, 1);
        vm.warp(block.timestamp + VOTING_PERIOD);
        assertEq(uint256(dao.state(id)), uint256(IGovernor.ProposalState.Defeated), "6% < 10% quorum");
    }

    function test_Quorum_CountsClaimedRewardsOnly() public {
        uint256 base = dao.quorum(block.timestamp - 1);
        // A root of 100,000,000 SNO for one earner becomes active: nothing is minted, so the
        // quorum, 10% of the supply, stays where it was until the rewards are claimed.
        address earner = makeAddr("earner");
        _submitRoot(1, RewardHashes.leaf(earner, 100_000_000e18), 100_000_000e18);
        vm.warp(block.timestamp + 30 days);
        assertTrue(distributor.activatePendingRoot(), "active");
        vm.warp(block.timestamp + 1);
        assertEq(dao.quorum(block.timestamp - 1), base, "unclaimed rewards are not in the quorum base");

        distributor.claim(earner, 100_000_000e18, new bytes32[](0));
        vm.warp(block.timestamp + 1);
        assertEq(dao.quorum(block.timestamp - 1), base + 10_000_000e18, "claimed rewards are");
    }

    function test_RevertWhen_ProposerBelowThreshold() public {
        address poor = makeAddr("poor");
        vm.prank(whale);
        token.transfer(poor, 9_999e18);
        vm.prank(poor);
        token.delegate(poor);
        vm.warp(block.timestamp + 1);
        (address[] memory t, bytes[] memory c) = _one(address(distributor), abi.encodeCall(distributor.pause, ()));
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, poor, 9_999e18, 10_000e18)
        );
        vm.prank(poor);
        dao.propose(t, new uint256[](1), c, "too poor");
    }
}
