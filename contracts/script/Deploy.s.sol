// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Vm, VM_ADDRESS} from "../test/utils/Vm.sol";
import {SmartnodesDeployment} from "./SmartnodesDeployment.sol";

/// @notice Deploys SmartnodesToken, RewardDistributor, TimelockController and SmartnodesDAO, then
/// writes their addresses to `deployments/<chainid>.json` (or `$DEPLOYMENTS_OUT`).
///
/// Input, first match wins:
/// - `DEPLOY_CONFIG=script/config/anvil.json`: a JSON file with `validators` (required) and
///   optionally `validatorSetId`, `genesisRecipients`, `genesisAmounts` (decimal strings),
///   `guardian`, `rootDelay`, `timelockMinDelay`, `votingDelay`, `votingPeriod`,
///   `proposalThreshold` (decimal string), `quorumPercent`;
/// - environment variables `VALIDATORS` (comma-separated, required), `VALIDATOR_SET_ID`,
///   `GENESIS_RECIPIENTS`, `GENESIS_AMOUNTS` (comma-separated), `GUARDIAN`, `ROOT_DELAY`,
///   `TIMELOCK_MIN_DELAY`, `VOTING_DELAY`, `VOTING_PERIOD`, `PROPOSAL_THRESHOLD`, `QUORUM_PERCENT`.
/// Anything not given takes `SmartnodesDeployment.defaults()`.
///
/// The deployer is `DEPLOYER_PRIVATE_KEY` if set, else the `--private-key`/`--sender` of the run:
///   forge script script/Deploy.s.sol --rpc-url http://127.0.0.1:8545 --broadcast --private-key 0x...
contract Deploy {
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// @notice Deploys everything and records the addresses.
    /// @return d The deployed contracts.
    function run() external returns (SmartnodesDeployment.Deployment memory d) {
        SmartnodesDeployment.Config memory config = readConfig();
        uint256 key = vm.envOr("DEPLOYER_PRIVATE_KEY", uint256(0));
        address deployer = key == 0 ? msg.sender : vm.addr(key);
        uint256 startBlock = block.number;

        if (key == 0) vm.startBroadcast();
        else vm.startBroadcast(key);
        d = SmartnodesDeployment.deploy(config, deployer);
        vm.stopBroadcast();

        _write(d, config, deployer, startBlock);
    }

    /// @notice The deployment input, from `DEPLOY_CONFIG` or the environment.
    function readConfig() public view returns (SmartnodesDeployment.Config memory config) {
        config = SmartnodesDeployment.defaults();
        string memory path = vm.envOr("DEPLOY_CONFIG", string(""));
        if (bytes(path).length != 0) _fromJson(vm.readFile(path), config);
        else _fromEnv(config);
        require(config.validators.length != 0, "Deploy: no validators (DEPLOY_CONFIG or VALIDATORS)");
        require(
            config.genesisRecipients.length == config.genesisAmounts.length,
            "Deploy: genesis recipients and amounts differ in length"
        );
    }

    function _fromJson(string memory json, SmartnodesDeployment.Config memory c) internal view {
        c.validators = vm.parseJsonAddressArray(json, ".validators");
        if (_has(json, ".validatorSetId")) c.validatorSetId = uint64(vm.parseJsonUint(json, ".validatorSetId"));
        if (_has(json, ".genesisRecipients")) {
            c.genesisRecipients = vm.parseJsonAddressArray(json, ".genesisRecipients");
            c.genesisAmounts = vm.parseJsonUintArray(json, ".genesisAmounts");
        }
        if (_has(json, ".guardian")) c.guardian = vm.parseJsonAddress(json, ".guardian");
        if (_has(json, ".rootDelay")) c.rootDelay = uint64(vm.parseJsonUint(json, ".rootDelay"));
        if (_has(json, ".timelockMinDelay")) c.timelockMinDelay = vm.parseJsonUint(json, ".timelockMinDelay");
        if (_has(json, ".votingDelay")) c.votingDelay = uint48(vm.parseJsonUint(json, ".votingDelay"));
        if (_has(json, ".votingPeriod")) c.votingPeriod = uint32(vm.parseJsonUint(json, ".votingPeriod"));
        if (_has(json, ".proposalThreshold")) c.proposalThreshold = vm.parseJsonUint(json, ".proposalThreshold");
        if (_has(json, ".quorumPercent")) c.quorumPercent = vm.parseJsonUint(json, ".quorumPercent");
    }

    function _fromEnv(SmartnodesDeployment.Config memory c) internal view {
        c.validators = vm.envOr("VALIDATORS", ",", new address[](0));
        c.validatorSetId = uint64(vm.envOr("VALIDATOR_SET_ID", uint256(c.validatorSetId)));
        c.genesisRecipients = vm.envOr("GENESIS_RECIPIENTS", ",", new address[](0));
        c.genesisAmounts = vm.envOr("GENESIS_AMOUNTS", ",", new uint256[](0));
        c.guardian = vm.envOr("GUARDIAN", c.guardian);
        c.rootDelay = uint64(vm.envOr("ROOT_DELAY", uint256(c.rootDelay)));
        c.timelockMinDelay = vm.envOr("TIMELOCK_MIN_DELAY", c.timelockMinDelay);
        c.votingDelay = uint48(vm.envOr("VOTING_DELAY", uint256(c.votingDelay)));
        c.votingPeriod = uint32(vm.envOr("VOTING_PERIOD", uint256(c.votingPeriod)));
        c.proposalThreshold = vm.envOr("PROPOSAL_THRESHOLD", c.proposalThreshold);
        c.quorumPercent = vm.envOr("QUORUM_PERCENT", c.quorumPercent);
    }

    function _has(string memory json, string memory key) internal view returns (bool) {
        return vm.keyExistsJson(json, key);
    }

    function _write(
        SmartnodesDeployment.Deployment memory d,
        SmartnodesDeployment.Config memory config,
        address deployer,
        uint256 startBlock
    ) internal {
        string memory dir = string.concat(vm.projectRoot(), "/deployments");
        string memory out = vm.envOr("DEPLOYMENTS_OUT", string.concat(dir, "/", vm.toString(block.chainid), ".json"));
        vm.createDir(dir, true);
        string memory k = "deployment";
        vm.serializeUint(k, "chainId", block.chainid);
        vm.serializeUint(k, "startBlock", startBlock);
        vm.serializeUint(k, "validatorSetId", config.validatorSetId);
        vm.serializeAddress(k, "deployer", deployer);
        vm.serializeAddress(k, "guardian", config.guardian);
        vm.serializeAddress(k, "token", address(d.token));
        vm.serializeAddress(k, "distributor", address(d.distributor));
        vm.serializeAddress(k, "timelock", address(d.timelock));
        string memory json = vm.serializeAddress(k, "dao", address(d.dao));
        vm.writeJson(json, out);
    }
}
