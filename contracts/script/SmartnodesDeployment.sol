// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RewardDistributor} from "../src/RewardDistributor.sol";
import {SmartnodesDAO} from "../src/SmartnodesDAO.sol";
import {SmartnodesToken} from "../src/SmartnodesToken.sol";

/// @notice Deploys and wires the three Base contracts. Shared by `Deploy.s.sol` (broadcast) and the
/// tests (plain calls), so both exercise the same order and role wiring.
library SmartnodesDeployment {
    struct Config {
        uint64 validatorSetId;
        address[] validators;
        address[] genesisRecipients;
        uint256[] genesisAmounts;
        address guardian;
        uint64 rootDelay;
        uint256 timelockMinDelay;
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumPercent;
    }

    struct Deployment {
        SmartnodesToken token;
        RewardDistributor distributor;
        TimelockController timelock;
        SmartnodesDAO dao;
    }

    /// @notice Project defaults: 2-day timelock, 10% quorum, 1-day voting delay, 5-day vote,
    /// 12-hour root delay, 10,000 SNO to propose.
    function defaults() internal pure returns (Config memory config) {
        config.rootDelay = 12 hours;
        config.timelockMinDelay = 2 days;
        config.votingDelay = 1 days;
        config.votingPeriod = 5 days;
        config.proposalThreshold = 10_000e18;
        config.quorumPercent = 10;
    }

    /// @notice Order: the timelock first (it needs nothing), then the distributor, which deploys
    /// the token with itself as minter and takes the timelock as its DAO, then the governor on that
    /// token and timelock. Finally the governor becomes the timelock's only proposer and canceller,
    /// anyone may execute a queued proposal, and `admin` (the deployer) renounces the timelock's
    /// admin role, leaving no privileged key behind.
    /// @param admin The account making these calls (the broadcaster in a script, the test contract
    /// in a test); it holds the timelock's admin role only until the end of this function.
    function deploy(Config memory config, address admin) internal returns (Deployment memory d) {
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1); // address(0): open executor role
        d.timelock = new TimelockController(config.timelockMinDelay, none, anyone, admin);
        d.distributor = new RewardDistributor(
            address(d.timelock),
            config.guardian,
            config.validatorSetId,
            config.validators,
            config.rootDelay,
            config.genesisRecipients,
            config.genesisAmounts
        );
        d.token = SmartnodesToken(address(d.distributor.token()));
        d.dao = new SmartnodesDAO(
            d.token, d.timelock, config.votingDelay, config.votingPeriod, config.proposalThreshold, config.quorumPercent
        );
        d.timelock.grantRole(d.timelock.PROPOSER_ROLE(), address(d.dao));
        d.timelock.grantRole(d.timelock.CANCELLER_ROLE(), address(d.dao));
        d.timelock.renounceRole(d.timelock.DEFAULT_ADMIN_ROLE(), admin);
    }
}
