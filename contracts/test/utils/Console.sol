// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice The two `console.log` overloads this repository uses; forge prints them with `-vv`.
library Console {
    address private constant CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function log(string memory message) internal view {
        _send(abi.encodeWithSignature("log(string)", message));
    }

    function log(string memory label, uint256 value) internal view {
        _send(abi.encodeWithSignature("log(string,uint256)", label, value));
    }

    function _send(bytes memory payload) private view {
        // The console address has no code; forge intercepts the call. Nothing to check.
        (bool ok,) = CONSOLE.staticcall(payload);
        ok;
    }
}
