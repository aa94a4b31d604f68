// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ISmartnodesToken} from "./interfaces/ISmartnodesToken.sol";

/// @title SmartnodesToken
/// @notice "Smartnodes" (SNO), 18 decimals. Immutable: no owner, no upgrade path, no admin. Supply
/// comes from the genesis allocation and from the `RewardDistributor`, which mints rewards as they
/// are claimed against the validators' reward root and burns deposits bridged to the chain.
/// @dev The distributor deploys this token in its own constructor, so `distributor` is simply
/// `msg.sender` at construction: no address has to be predicted and no setter is needed. Votes use
/// `block.timestamp` as their clock (ERC-6372 `mode=timestamp`), because Base block numbers are
/// not a stable clock; the Governor reads the same clock through the token.
contract SmartnodesToken is ERC20, ERC20Permit, ERC20Votes, ISmartnodesToken {
    /// @inheritdoc ISmartnodesToken
    address public immutable distributor;

    /// @param recipients Genesis recipients.
    /// @param amounts Genesis amount of each recipient, in wei of SNO.
    constructor(address[] memory recipients, uint256[] memory amounts)
        ERC20("Smartnodes", "SNO")
        ERC20Permit("Smartnodes")
    {
        if (recipients.length != amounts.length) {
            revert SmartnodesTokenGenesisLengthMismatch(recipients.length, amounts.length);
        }
        distributor = msg.sender;
        for (uint256 i; i < recipients.length; ++i) {
            _mint(recipients[i], amounts[i]);
        }
    }

    modifier onlyDistributor() {
        if (msg.sender != distributor) revert SmartnodesTokenUnauthorized(msg.sender);
        _;
    }

    /// @inheritdoc ISmartnodesToken
    function mint(address to, uint256 amount) external onlyDistributor {
        _mint(to, amount);
    }

    /// @inheritdoc ISmartnodesToken
    function burn(address from, uint256 amount) external onlyDistributor {
        _burn(from, amount);
    }

    /// @notice ERC-6372 clock: the block timestamp.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Current ERC-2612 permit nonce of `owner`.
    /// @param owner Account whose nonce is read.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
