// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ISmartnodesToken
/// @notice SNO on Base: an ERC-20 with ERC-2612 permits and ERC-5805 votes on a timestamp clock. Its
/// only minter and burner is the `RewardDistributor` that deployed it.
interface ISmartnodesToken is IERC20 {
    /// @notice A caller other than the distributor tried to mint or burn.
    /// @param caller The rejected caller.
    error SmartnodesTokenUnauthorized(address caller);

    /// @notice The genesis recipients and amounts arrays differ in length.
    /// @param recipients Number of recipients given.
    /// @param amounts Number of amounts given.
    error SmartnodesTokenGenesisLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice The `RewardDistributor` allowed to mint and burn; it deployed this token.
    function distributor() external view returns (address);

    /// @notice Mints `amount` to `to`. Only the distributor may call, and it mints only reward
    /// claims, to the account claiming.
    /// @param to Recipient of the new tokens.
    /// @param amount Amount in wei of SNO.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` from `from`. Only the distributor may call, and it only ever burns
    /// the balance of its own caller (a deposit to the chain), so no allowance is involved.
    /// @param from Account whose tokens are burned.
    /// @param amount Amount in wei of SNO.
    function burn(address from, uint256 amount) external;
}
