// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SmartnodesToken} from "../../src/SmartnodesToken.sol";
import {ISmartnodesToken} from "../../src/interfaces/ISmartnodesToken.sol";
import {Test} from "../utils/Test.sol";

/// @dev The test contract deploys the token, so it plays the distributor.
contract SmartnodesTokenTest is Test {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    SmartnodesToken internal token;
    address internal alice;
    address internal bob;
    uint256 internal aliceKey;

    function setUp() public {
        vm.warp(1_700_000_000);
        aliceKey = keyFrom("alice");
        alice = vm.addr(aliceKey);
        bob = makeAddr("bob");
        address[] memory recipients = new address[](2);
        uint256[] memory amounts = new uint256[](2);
        (recipients[0], recipients[1]) = (alice, bob);
        (amounts[0], amounts[1]) = (100e18, 50e18);
        token = new SmartnodesToken(recipients, amounts);
    }

    function test_Metadata() public view {
        assertEq(token.name(), "Smartnodes", "name");
        assertEq(token.symbol(), "SNO", "symbol");
        assertEq(token.decimals(), 18, "decimals");
        assertEq(token.distributor(), address(this), "distributor is the deployer");
    }

    function test_Constructor_MintsGenesis() public view {
        assertEq(token.balanceOf(alice), 100e18, "alice");
        assertEq(token.balanceOf(bob), 50e18, "bob");
        assertEq(token.totalSupply(), 150e18, "supply");
    }

    function test_Constructor_EmptyGenesis() public {
        SmartnodesToken empty = new SmartnodesToken(new address[](0), new uint256[](0));
        assertEq(empty.totalSupply(), 0, "supply");
    }

    function test_RevertWhen_ConstructorLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(ISmartnodesToken.SmartnodesTokenGenesisLengthMismatch.selector, 1, 2));
        new SmartnodesToken(new address[](1), new uint256[](2));
    }

    function test_RevertWhen_ConstructorGenesisToZeroAddress() public {
        address[] memory recipients = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 1;
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        new SmartnodesToken(recipients, amounts);
    }

    function test_Mint_ByDistributor() public {
        token.mint(bob, 7e18);
        assertEq(token.balanceOf(bob), 57e18, "bob");
        assertEq(token.totalSupply(), 157e18, "supply");
    }

    function test_RevertWhen_MintByOther() public {
        vm.expectRevert(abi.encodeWithSelector(ISmartnodesToken.SmartnodesTokenUnauthorized.selector, alice));
        vm.prank(alice);
        token.mint(alice, 1);
    }

    function test_Burn_ByDistributor() public {
        token.burn(alice, 40e18);
        assertEq(token.balanceOf(alice), 60e18, "alice");
        assertEq(token.totalSupply(), 110e18, "supply");
    }

    function test_RevertWhen_BurnByOther() public {
        vm.expectRevert(abi.encodeWithSelector(ISmartnodesToken.SmartnodesTokenUnauthorized.selector, bob));
        vm.prank(bob);
        token.burn(alice, 1);
    }

    function test_RevertWhen_BurnExceedsBalance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 50e18, 51e18));
        token.burn(bob, 51e18);
    }

    function test_Clock_IsTimestamp() public {
        assertEq(token.clock(), block.timestamp, "clock");
        assertEq(token.CLOCK_MODE(), "mode=timestamp", "mode");
        vm.warp(block.timestamp + 12345);
        assertEq(token.clock(), block.timestamp, "clock follows time");
    }

    function test_Votes_CheckpointOnTimestamps() public {
        uint256 t0 = block.timestamp;
        vm.prank(alice);
        token.delegate(alice);
        assertEq(token.getVotes(alice), 100e18, "votes after delegation");
        vm.warp(t0 + 100);
        vm.prank(alice);
        token.transfer(bob, 30e18);
        vm.warp(t0 + 200);
        assertEq(token.getPastVotes(alice, t0), 100e18, "votes at t0");
        assertEq(token.getPastVotes(alice, t0 + 100), 70e18, "votes at t0+100");
        assertEq(token.getPastTotalSupply(t0 + 100), 150e18, "past supply");
        assertEq(token.getVotes(bob), 0, "bob did not delegate");
    }

    function test_Permit_SetsAllowance() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, alice, bob, 5e18, token.nonces(alice), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, digest);
        token.permit(alice, bob, 5e18, deadline, v, r, s);
        assertEq(token.allowance(alice, bob), 5e18, "allowance");
        assertEq(token.nonces(alice), 1, "nonce used");
        vm.prank(bob);
        token.transferFrom(alice, bob, 5e18);
        assertEq(token.balanceOf(bob), 55e18, "spent");
    }
}
