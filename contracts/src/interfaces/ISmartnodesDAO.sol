// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ISmartnodesDAO
/// @notice The decisions the DAO sends to the Smartnodes chain. Each one is a `ChainDecision` event
/// with a nonce (1 for the first decision, +1 each time; the chain applies each nonce once, in
/// order), a kind, and a payload that is the ABI encoding of the kind's one argument:
///
/// | kind | function                  | payload                      | meaning on the chain                     |
/// |------|---------------------------|------------------------------|------------------------------------------|
/// | 0    | setStateUpdateInterval    | `abi.encode(uint32 blocks)`  | coordinator `StateUpdateInterval`        |
/// | 1    | setCollateral             | `abi.encode(uint128 amount)` | validator collateral, in planck of SNO   |
/// | 2    | setProtocolFee            | `abi.encode(uint16 bps)`     | job-payment protocol fee, basis points   |
/// | 3    | authorizeRuntimeUpgrade   | `abi.encode(bytes32 hash)`   | code hash a runtime upgrade must match   |
///
/// Every payload is one 32-byte word, the value right-aligned (big-endian, zero-padded).
interface ISmartnodesDAO {
    /// @notice Kinds of chain decision; the event carries the kind as a `uint8`.
    enum ChainDecisionKind {
        SetStateUpdateInterval,
        SetCollateral,
        SetProtocolFee,
        AuthorizeRuntimeUpgrade
    }

    /// @notice A decision for the Smartnodes chain, carried by the bridge.
    /// @param nonce Decision number, 1 for the first.
    /// @param kind What the decision sets (see the table above).
    /// @param payload `abi.encode` of the decision's argument.
    event ChainDecision(uint64 indexed nonce, ChainDecisionKind kind, bytes payload);

    /// @notice A decision's argument is out of range: zero interval, zero collateral, fee above
    /// 10,000 bps, or zero code hash.
    /// @param kind Kind of the decision.
    /// @param payload `abi.encode` of the rejected argument.
    error SmartnodesDAOInvalidDecision(ChainDecisionKind kind, bytes payload);

    /// @notice Sets the chain's state-update interval. Governance only (a passed proposal executed
    /// through the timelock).
    /// @param blocks Interval in chain blocks, at least 1.
    /// @return nonce The decision's nonce.
    function setStateUpdateInterval(uint32 blocks) external returns (uint64 nonce);

    /// @notice Sets the collateral a validator must bond on the chain. Governance only.
    /// @param amount Collateral in the chain's smallest unit (18 decimals), at least 1.
    /// @return nonce The decision's nonce.
    function setCollateral(uint128 amount) external returns (uint64 nonce);

    /// @notice Sets the protocol fee taken from job payments on the chain. Governance only.
    /// @param bps Fee in basis points, at most 10,000.
    /// @return nonce The decision's nonce.
    function setProtocolFee(uint16 bps) external returns (uint64 nonce);

    /// @notice Authorizes a chain runtime upgrade whose code hashes to `codeHash`. Governance only.
    /// @param codeHash Hash of the new runtime code, as the chain computes it; non-zero.
    /// @return nonce The decision's nonce.
    function authorizeRuntimeUpgrade(bytes32 codeHash) external returns (uint64 nonce);

    /// @notice Nonce of the last chain decision; 0 before the first.
    function chainDecisionNonce() external view returns (uint64);
}
