// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ISmartnodesToken} from "./ISmartnodesToken.sol";

/// @title IRewardDistributor
/// @notice Receives the Smartnodes chain's cumulative reward roots, signed by 2/3 of its validator
/// set, mints SNO rewards as they are claimed against them, and burns deposits bridged back to the
/// chain.
interface IRewardDistributor {
    /// @notice What the validators sign to publish a reward root. The digest is
    /// `keccak256(abi.encode(ROOT_TAG, chainId, distributor, period, root, total, validatorSetId))`
    /// with `ROOT_TAG = keccak256("Smartnodes.RewardRoot.v1")`; see `RewardHashes.rootDigest`.
    struct RootCommitment {
        /// EVM chain id the root is meant for; must equal `block.chainid`.
        uint256 chainId;
        /// Distributor the root is meant for; must equal this contract.
        address distributor;
        /// State-update period the root closes; strictly increasing, never 0.
        uint64 period;
        /// Merkle root of the cumulative reward tree; never zero.
        bytes32 root;
        /// Sum of the tree's cumulative amounts; never lower than the active root's.
        uint256 total;
        /// Id of the signing validator set; must equal the current set id.
        uint64 validatorSetId;
    }

    /// @notice One account's cumulative claim.
    struct Claim {
        /// Account paid; tokens always go here, whoever sends the transaction.
        address account;
        /// Everything the account has earned, as committed in the active root.
        uint256 cumulativeAmount;
        /// Sorted-pair Merkle proof from the account's leaf to the active root.
        bytes32[] proof;
    }

    /// @notice A new reward root was accepted and waits out the root delay.
    /// @param period Period the root closes.
    /// @param root Merkle root.
    /// @param total Cumulative total of the tree.
    /// @param activatesAt Timestamp from which it becomes claimable unless vetoed.
    event RootSubmitted(uint64 indexed period, bytes32 indexed root, uint256 total, uint64 activatesAt);

    /// @notice A pending root became the active (claimable) root. Nothing is minted: each claim
    /// mints its own amount.
    /// @param period Period the root closes.
    /// @param root Merkle root.
    /// @param total Cumulative total of the tree.
    event RootActivated(uint64 indexed period, bytes32 indexed root, uint256 total);

    /// @notice A pending root was discarded before it became active. Its period stays used.
    /// @param period Period of the vetoed root.
    /// @param root The vetoed root.
    /// @param by The DAO or the guardian.
    event RootVetoed(uint64 indexed period, bytes32 indexed root, address by);

    /// @notice The validator set changed.
    /// @param setId Id of the new set.
    /// @param validators Bridge-key addresses of the new set.
    /// @param threshold Signatures now required: ceil(2/3 of the set size).
    event ValidatorSetUpdated(uint64 indexed setId, address[] validators, uint256 threshold);

    /// @notice The DAO changed the root delay.
    /// @param rootDelay New delay in seconds, applied to roots submitted from now on.
    event RootDelaySet(uint64 rootDelay);

    /// @notice The DAO changed the guardian.
    /// @param guardian New guardian, or zero for none.
    event GuardianSet(address indexed guardian);

    /// @notice `amount` was minted to `account`, bringing its claimed total to `cumulativeAmount`.
    /// @param account Account paid.
    /// @param amount Tokens minted by this claim.
    /// @param cumulativeAmount The account's claimed total after this claim.
    event Claimed(address indexed account, uint256 amount, uint256 cumulativeAmount);

    /// @notice `from` burned `amount` SNO to be credited to `chainAccount` on the Smartnodes chain.
    /// @param nonce Deposit number, 1 for the first deposit, +1 each time; the chain applies each once.
    /// @param from Base account whose tokens were burned.
    /// @param chainAccount 32-byte sr25519 AccountId credited on the chain.
    /// @param amount Amount burned, in wei of SNO.
    event DepositedToChain(uint64 indexed nonce, address indexed from, bytes32 indexed chainAccount, uint256 amount);

    /// @notice The caller is not allowed to call this function (DAO-only, or DAO-or-guardian).
    /// @param caller The rejected caller.
    error Unauthorized(address caller);

    /// @notice The DAO address given at deployment is zero.
    error ZeroDao();

    /// @notice The commitment names another chain (a replay from another network).
    /// @param chainId Chain id in the commitment.
    /// @param expected `block.chainid`.
    error InvalidChainId(uint256 chainId, uint256 expected);

    /// @notice The commitment names another distributor (a replay from another deployment).
    /// @param distributor Distributor in the commitment.
    /// @param expected This contract.
    error InvalidDistributor(address distributor, address expected);

    /// @notice The set id is stale or skips ahead. Roots must carry the current id; an update must
    /// name the current id plus one.
    /// @param setId The id given.
    /// @param expected The id required.
    error InvalidValidatorSetId(uint64 setId, uint64 expected);

    /// @notice The committed root is zero (an uninitialized root proves nothing and must never be
    /// accepted).
    /// @param period Period of the commitment.
    error ZeroRoot(uint64 period);

    /// @notice The period is not above the last accepted one (replay of an old or vetoed period).
    /// @param period Period of the commitment.
    /// @param lastPeriod Highest period accepted so far, vetoed or not.
    error PeriodNotIncreasing(uint64 period, uint64 lastPeriod);

    /// @notice The cumulative total is below the active root's: cumulative rewards never shrink.
    /// @param total Total in the commitment.
    /// @param activeTotal Total of the active root.
    error TotalDecreased(uint256 total, uint256 activeTotal);

    /// @notice A root is still waiting out its delay; submit again once it activates.
    /// @param period Period of the pending root.
    /// @param activatesAt When it becomes active.
    error PendingRootExists(uint64 period, uint64 activatesAt);

    /// @notice Fewer signatures than the threshold were given.
    /// @param count Signatures given.
    /// @param threshold Signatures required.
    error InsufficientSignatures(uint256 count, uint256 threshold);

    /// @notice A signature is not 65 bytes (`r || s || v`).
    /// @param index Position of the signature.
    /// @param length Its length.
    error InvalidSignatureLength(uint256 index, uint256 length);

    /// @notice A signature has `s` in the upper half of the curve order: the malleable twin of a
    /// valid signature.
    /// @param index Position of the signature.
    /// @param s Its `s` value.
    error MalleableSignature(uint256 index, bytes32 s);

    /// @notice A signature recovers to no address (bad `v`, or `r`/`s` off the curve).
    /// @param index Position of the signature.
    error InvalidSignature(uint256 index);

    /// @notice A signature recovers to an address outside the current validator set.
    /// @param index Position of the signature.
    /// @param signer The recovered address.
    error UnknownSigner(uint256 index, address signer);

    /// @notice Two signatures come from the same validator.
    /// @param index Position of the second signature.
    /// @param signer The validator.
    error DuplicateSigner(uint256 index, address signer);

    /// @notice A validator set is empty or larger than `MAX_VALIDATORS`.
    /// @param size Size given.
    /// @param max `MAX_VALIDATORS`.
    error InvalidValidatorSetSize(uint256 size, uint256 max);

    /// @notice A validator address is zero.
    /// @param index Its position in the set.
    error ZeroValidator(uint256 index);

    /// @notice A validator address appears twice in a set.
    /// @param index Position of the second occurrence.
    /// @param validator The address.
    error DuplicateValidator(uint256 index, address validator);

    /// @notice There is no pending root to veto.
    error NoPendingRoot();

    /// @notice The pending root's delay has passed; it is active for all purposes and can no longer
    /// be vetoed (unless the distributor is paused first).
    /// @param period Period of the root.
    /// @param activatesAt When it became active.
    error VetoWindowClosed(uint64 period, uint64 activatesAt);

    /// @notice The root delay exceeds `MAX_ROOT_DELAY`.
    /// @param rootDelay Delay given.
    /// @param max `MAX_ROOT_DELAY`.
    error RootDelayTooLong(uint64 rootDelay, uint64 max);

    /// @notice No root has become active yet, so nothing can be claimed.
    error NoActiveRoot();

    /// @notice The proof does not lead from the account's leaf to the active root.
    /// @param account Account of the claim.
    /// @param cumulativeAmount Cumulative amount of the claim.
    error InvalidProof(address account, uint256 cumulativeAmount);

    /// @notice Paying this claim would take the total claimed above the active root's signed
    /// cumulative total: the tree's leaves add up to more than the validators signed. Nothing is
    /// minted; the chain has to publish a corrected root (the DAO or the guardian can pause
    /// meanwhile).
    /// @param account Account of the claim.
    /// @param amount What the claim would mint.
    /// @param totalClaimed Everything claimed so far, from every account.
    /// @param activeTotal Cumulative total of the active root.
    error ClaimExceedsActiveTotal(address account, uint256 amount, uint256 totalClaimed, uint256 activeTotal);

    /// @notice The account already claimed at least this cumulative amount.
    /// @param account Account of the claim.
    /// @param cumulativeAmount Cumulative amount of the claim.
    /// @param claimed What the account has claimed so far.
    error NothingToClaim(address account, uint256 cumulativeAmount, uint256 claimed);

    /// @notice A deposit of zero tokens.
    error ZeroAmount();

    /// @notice A deposit to the zero chain account.
    error ZeroChainAccount();

    /// @notice Publishes a reward root signed by at least ceil(2/3) of the current validator set.
    /// The root becomes claimable `rootDelay` seconds later unless vetoed. Only one root waits at a
    /// time: a pending root whose delay has passed is activated first; one still waiting makes
    /// this call revert with `PendingRootExists`. Reverts while paused.
    /// @param commitment The signed commitment.
    /// @param signatures 65-byte `r || s || v` signatures over `rootCommitmentDigest(commitment)`,
    /// any order, each from a distinct member of the current set.
    function submitRoot(RootCommitment calldata commitment, bytes[] calldata signatures) external;

    /// @notice Replaces the validator set with one signed by at least ceil(2/3) of the current set.
    /// Reverts while paused.
    /// @param newSetId Must be the current set id plus one.
    /// @param newValidators Bridge-key addresses of the new set: non-empty, at most
    /// `MAX_VALIDATORS`, no zero or repeated address.
    /// @param signatures 65-byte signatures over `validatorSetDigest(newSetId, newValidators)`.
    function updateValidatorSet(uint64 newSetId, address[] calldata newValidators, bytes[] calldata signatures) external;

    /// @notice Mints to `account` whatever its cumulative amount in the active root exceeds what it
    /// already claimed. Anyone may call; tokens always go to `account`. Reverts with
    /// `NothingToClaim` if nothing is new, `InvalidProof` if the leaf is not in the active root,
    /// `ClaimExceedsActiveTotal` if the total claimed would pass the root's signed total, and while
    /// paused.
    /// @param account Account paid.
    /// @param cumulativeAmount The account's cumulative amount in the active root.
    /// @param proof Sorted-pair Merkle proof of the account's leaf.
    /// @return amount Tokens minted.
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        returns (uint256 amount);

    /// @notice Claims for several accounts against the same active root. Unlike `claim`, an
    /// account that has nothing new to claim is skipped instead of reverting the batch, so a claim
    /// landing first cannot grief a relayer's batch; an invalid proof or a claim past the root's
    /// total (`ClaimExceedsActiveTotal`) still reverts the whole batch. Reverts while paused.
    /// @param claims The claims.
    /// @return total Tokens minted in all.
    function claimBatch(Claim[] calldata claims) external returns (uint256 total);

    /// @notice Activates the pending root if its delay has passed. Anyone may call; claims and
    /// submissions do the same on their own. Reverts while paused.
    /// @return activated Whether a root was activated.
    function activatePendingRoot() external returns (bool activated);

    /// @notice Burns `amount` of the caller's SNO and emits `DepositedToChain` for the bridge to
    /// credit `chainAccount` on the Smartnodes chain. Reverts while paused.
    /// @param chainAccount 32-byte sr25519 AccountId on the chain.
    /// @param amount Amount in wei of SNO.
    /// @return nonce The deposit's nonce.
    function depositToChain(bytes32 chainAccount, uint256 amount) external returns (uint64 nonce);

    /// @notice Discards the pending root. Callable by the DAO or the guardian while the root is
    /// still within its delay, or at any time while the distributor is paused (a paused distributor
    /// activates nothing).
    function vetoPendingRoot() external;

    /// @notice Sets the delay between a root's submission and its activation. DAO only.
    /// @param newRootDelay Seconds, at most `MAX_ROOT_DELAY`; applies to roots submitted later.
    function setRootDelay(uint64 newRootDelay) external;

    /// @notice Sets the guardian, who may pause and veto but not unpause. DAO only.
    /// @param newGuardian New guardian, or zero for none.
    function setGuardian(address newGuardian) external;

    /// @notice Stops claims, deposits, root submissions and set updates. DAO or guardian.
    function pause() external;

    /// @notice Lifts a pause. DAO only.
    function unpause() external;

    /// @notice The SNO token, deployed by this contract.
    function token() external view returns (ISmartnodesToken);

    /// @notice The DAO's timelock, which holds every admin power.
    function dao() external view returns (address);

    /// @notice The guardian, who may pause and veto; zero if none.
    function guardian() external view returns (address);

    /// @notice Seconds between a root's submission and its activation.
    function rootDelay() external view returns (uint64);

    /// @notice Id of the current validator set.
    function validatorSetId() external view returns (uint64);

    /// @notice Bridge-key addresses of the current validator set.
    function validators() external view returns (address[] memory);

    /// @notice Signatures required: ceil(2/3 of the current set size).
    function threshold() external view returns (uint256);

    /// @notice Whether `account` is in the current validator set.
    /// @param account Address to check.
    function isValidator(address account) external view returns (bool);

    /// @notice The root claims are verified against now (a pending root past its delay counts as
    /// active unless the distributor is paused). Zero values if none yet.
    /// @return root Merkle root.
    /// @return total Cumulative total.
    /// @return period Period it closes.
    function activeRoot() external view returns (bytes32 root, uint256 total, uint64 period);

    /// @notice The root waiting out its delay, as of now. Zero values if none.
    /// @return root Merkle root.
    /// @return total Cumulative total.
    /// @return period Period it closes.
    /// @return activatesAt When it becomes active.
    function pendingRoot() external view returns (bytes32 root, uint256 total, uint64 period, uint64 activatesAt);

    /// @notice Highest period accepted so far, including a pending or vetoed root's; 0 if none.
    function lastPeriod() external view returns (uint64);

    /// @notice What `account` has claimed so far.
    /// @param account Account to check.
    function claimed(address account) external view returns (uint256);

    /// @notice What all claims together have minted so far; never above the active root's total.
    function totalClaimed() external view returns (uint256);

    /// @notice Nonce of the last deposit; 0 before the first.
    function depositNonce() external view returns (uint64);

    /// @notice Digest the validators sign for `commitment` (see `RewardHashes.rootDigest`).
    /// @param commitment The commitment.
    function rootCommitmentDigest(RootCommitment calldata commitment) external pure returns (bytes32);

    /// @notice Digest the current validators sign to hand over to `newValidators` on this chain
    /// and distributor (see `RewardHashes.validatorSetDigest`).
    /// @param newSetId Id of the new set.
    /// @param newValidators Addresses of the new set.
    function validatorSetDigest(uint64 newSetId, address[] calldata newValidators) external view returns (bytes32);
}
