// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {
    GovernorVotesQuorumFraction
} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {ISmartnodesDAO} from "./interfaces/ISmartnodesDAO.sol";

/// @title SmartnodesDAO
/// @notice SNO holders' governor. Proposals pass by simple counting with a quorum fraction of the
/// supply and execute through a `TimelockController`, which is the `dao` of the `RewardDistributor`
/// (pause, veto a pending root, root delay, guardian) and the only caller of the chain-decision
/// functions below.
/// @dev The clock is the token's: `block.timestamp` (ERC-6372 `mode=timestamp`), so the voting
/// delay and period are in seconds.
contract SmartnodesDAO is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    ISmartnodesDAO
{
    /// @inheritdoc ISmartnodesDAO
    uint64 public chainDecisionNonce;

    /// @param token_ The SNO token (ERC-5805 votes on a timestamp clock).
    /// @param timelock_ The timelock that executes proposals.
    /// @param votingDelay_ Seconds between a proposal and the start of voting.
    /// @param votingPeriod_ Seconds voting stays open.
    /// @param proposalThreshold_ Votes needed to propose, in wei of SNO.
    /// @param quorumPercent Quorum as a percentage of the total supply at the vote's snapshot.
    constructor(
        IVotes token_,
        TimelockController timelock_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent
    )
        Governor("SmartnodesDAO")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(token_)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock_)
    {}

    /// @inheritdoc ISmartnodesDAO
    function setStateUpdateInterval(uint32 blocks) external onlyGovernance returns (uint64) {
        return _emitDecision(ChainDecisionKind.SetStateUpdateInterval, abi.encode(blocks), blocks != 0);
    }

    /// @inheritdoc ISmartnodesDAO
    function setCollateral(uint128 amount) external onlyGovernance returns (uint64) {
        return _emitDecision(ChainDecisionKind.SetCollateral, abi.encode(amount), amount != 0);
    }

    /// @inheritdoc ISmartnodesDAO
    function setProtocolFee(uint16 bps) external onlyGovernance returns (uint64) {
        return _emitDecision(ChainDecisionKind.SetProtocolFee, abi.encode(bps), bps <= 10_000);
    }

    /// @inheritdoc ISmartnodesDAO
    function authorizeRuntimeUpgrade(bytes32 codeHash) external onlyGovernance returns (uint64) {
        return _emitDecision(ChainDecisionKind.AuthorizeRuntimeUpgrade, abi.encode(codeHash), codeHash != 0);
    }

    function _emitDecision(ChainDecisionKind kind, bytes memory payload, bool valid) private returns (uint64 nonce) {
        if (!valid) revert SmartnodesDAOInvalidDecision(kind, payload);
        nonce = ++chainDecisionNonce;
        emit ChainDecision(nonce, kind, payload);
    }

    // The overrides below only resolve OpenZeppelin's multiple inheritance.

    /// @notice Seconds between a proposal and the start of its vote.
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @notice Seconds a vote stays open.
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @notice Votes needed to create a proposal.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @notice Votes needed for a proposal at `timepoint` to reach quorum.
    /// @param timepoint Timestamp of the proposal's snapshot.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @notice State of `proposalId`, including the timelock's queued and executed states.
    /// @param proposalId The proposal.
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @notice Whether `proposalId` must be queued in the timelock before execution (always).
    /// @param proposalId The proposal.
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
