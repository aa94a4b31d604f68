// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SmartnodesToken} from "./SmartnodesToken.sol";
import {IRewardDistributor} from "./interfaces/IRewardDistributor.sol";
import {ISmartnodesToken} from "./interfaces/ISmartnodesToken.sol";
import {RewardHashes} from "./libraries/RewardHashes.sol";

/// @title RewardDistributor
/// @notice Mints Smartnodes rewards on Base as they are claimed against cumulative reward roots that
/// the chain's validators sign, follows the chain's validator set, and burns SNO deposited back to
/// the chain.
/// @dev Root life cycle. `submitRoot` makes a signed root *pending*; it becomes *active* (the root
/// claims verify against) `rootDelay` seconds later, unless the DAO or the guardian vetoes it first.
/// At most one root is pending: a pending root past its delay is activated lazily by the next
/// `submitRoot`, `claim`, `claimBatch` or `activatePendingRoot`; a root still inside its delay
/// makes `submitRoot` revert with `PendingRootExists`. Because the tree is cumulative, a relayer
/// loses nothing by skipping periods: it submits the newest finalized root once the slot is free.
/// A vetoed root's period stays used (its signatures are public and must not be replayable), while
/// the total check compares against the active root only, so an inflated vetoed total cannot block
/// later roots.
///
/// Minting. Reward SNO is minted when it is claimed, straight to the account: activating a root
/// moves only the root. Unclaimed rewards are therefore not in the total supply, which is the base
/// of the DAO's quorum. `totalClaimed` counts everything claims have minted, and a claim that would
/// take it above the active root's signed total is refused, so a tree whose leaves add up to more
/// than the validators signed can never mint more than they signed.
///
/// Pause. While paused nothing moves and nothing new enters: claims, deposits, root submissions,
/// set updates and activation all revert, and a pending root stays vetoable however old it is.
contract RewardDistributor is IRewardDistributor, Pausable {
    /// @notice Largest validator set accepted. Signer deduplication uses one bit per member.
    uint256 public constant MAX_VALIDATORS = 256;

    /// @notice Longest root delay the DAO may set.
    uint64 public constant MAX_ROOT_DELAY = 30 days;

    /// @dev A validator's slot: `epoch` is the internal number of the set it last joined, so
    /// replacing a set never has to clear the previous members.
    struct Membership {
        uint64 epoch;
        uint8 index;
    }

    /// @inheritdoc IRewardDistributor
    ISmartnodesToken public immutable token;

    /// @inheritdoc IRewardDistributor
    address public immutable dao;

    // Packed with Pausable's `_paused` so that a claim reads the pause flag and the pending root's
    // activation time in one storage slot.
    uint64 private _pendingActivatesAt;
    /// @inheritdoc IRewardDistributor
    uint64 public rootDelay;
    /// @inheritdoc IRewardDistributor
    uint64 public depositNonce;

    bytes32 private _activeRoot;
    // One slot: every claim checks `_totalClaimed` against `_activeTotal` and raises `_totalClaimed`.
    // Both fit 128 bits: a root's total is at most 2^128 - 1 and claims never exceed it.
    uint128 private _activeTotal;
    uint128 private _totalClaimed;

    bytes32 private _pendingRoot;
    // One slot: activation reads the pending total and period and writes the active period.
    uint128 private _pendingTotal;
    uint64 private _pendingPeriod;
    uint64 private _activePeriod;

    // One slot, read by every submission.
    /// @inheritdoc IRewardDistributor
    uint64 public lastPeriod;
    /// @inheritdoc IRewardDistributor
    uint64 public validatorSetId;
    uint64 private _setEpoch;
    uint16 private _threshold;

    /// @inheritdoc IRewardDistributor
    address public guardian;

    address[] private _validators;
    mapping(address validator => Membership membership) private _membership;

    /// @inheritdoc IRewardDistributor
    mapping(address account => uint256 claimedAmount) public claimed;

    modifier onlyDao() {
        if (msg.sender != dao) revert Unauthorized(msg.sender);
        _;
    }

    modifier onlyDaoOrGuardian() {
        if (msg.sender != dao && msg.sender != guardian) revert Unauthorized(msg.sender);
        _;
    }

    /// @notice Deploys the distributor and, from its constructor, the SNO token with this contract
    /// as its only minter.
    /// @param dao_ The DAO's timelock.
    /// @param guardian_ Who may pause and veto besides the DAO; zero for none.
    /// @param initialSetId Id of the chain's validator set at deployment.
    /// @param initialValidators Bridge-key addresses of that set.
    /// @param rootDelay_ Seconds between a root's submission and its activation.
    /// @param genesisRecipients Recipients of the genesis allocation.
    /// @param genesisAmounts Their amounts, in wei of SNO.
    constructor(
        address dao_,
        address guardian_,
        uint64 initialSetId,
        address[] memory initialValidators,
        uint64 rootDelay_,
        address[] memory genesisRecipients,
        uint256[] memory genesisAmounts
    ) {
        if (dao_ == address(0)) revert ZeroDao();
        dao = dao_;
        _setGuardian(guardian_);
        _setRootDelay(rootDelay_);
        _setValidators(initialSetId, initialValidators);
        token = new SmartnodesToken(genesisRecipients, genesisAmounts);
    }

    // ---------------------------------------------------------------------------------------
    // Bridge: roots and validator sets
    // ---------------------------------------------------------------------------------------

    /// @inheritdoc IRewardDistributor
    function submitRoot(RootCommitment calldata commitment, bytes[] calldata signatures) external whenNotPaused {
        if (commitment.chainId != block.chainid) revert InvalidChainId(commitment.chainId, block.chainid);
        if (commitment.distributor != address(this)) {
            revert InvalidDistributor(commitment.distributor, address(this));
        }
        uint64 setId = validatorSetId;
        if (commitment.validatorSetId != setId) revert InvalidValidatorSetId(commitment.validatorSetId, setId);
        if (commitment.root == bytes32(0)) revert ZeroRoot(commitment.period);
        uint64 last = lastPeriod;
        if (commitment.period <= last) revert PeriodNotIncreasing(commitment.period, last);

        uint64 pendingActivatesAt = _pendingActivatesAt;
        uint256 activeTotal = _activeTotal;
        if (pendingActivatesAt != 0) {
            if (block.timestamp < pendingActivatesAt) revert PendingRootExists(_pendingPeriod, pendingActivatesAt);
            activeTotal = _pendingTotal;
        }
        if (commitment.total < activeTotal) revert TotalDecreased(commitment.total, activeTotal);
        uint128 total = SafeCast.toUint128(commitment.total);

        _checkSignatures(rootCommitmentDigest(commitment), signatures);

        _activateIfDue();
        uint64 activatesAt = uint64(block.timestamp) + rootDelay;
        lastPeriod = commitment.period;
        _pendingRoot = commitment.root;
        _pendingTotal = total;
        _pendingPeriod = commitment.period;
        _pendingActivatesAt = activatesAt;
        emit RootSubmitted(commitment.period, commitment.root, commitment.total, activatesAt);
        if (activatesAt == block.timestamp) _activateIfDue();
    }

    /// @inheritdoc IRewardDistributor
    function updateValidatorSet(uint64 newSetId, address[] calldata newValidators, bytes[] calldata signatures)
        external
        whenNotPaused
    {
        uint64 expected = validatorSetId + 1;
        if (newSetId != expected) revert InvalidValidatorSetId(newSetId, expected);
        _checkSignatures(validatorSetDigest(newSetId, newValidators), signatures);
        _setValidators(newSetId, newValidators);
    }

    /// @inheritdoc IRewardDistributor
    function activatePendingRoot() external whenNotPaused returns (bool activated) {
        return _activateIfDue();
    }

    // ---------------------------------------------------------------------------------------
    // Claims and deposits
    // ---------------------------------------------------------------------------------------

    /// @inheritdoc IRewardDistributor
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        whenNotPaused
        returns (uint256 amount)
    {
        bytes32 root = _claimRoot();
        uint256 already = claimed[account];
        if (cumulativeAmount <= already) revert NothingToClaim(account, cumulativeAmount, already);
        if (!MerkleProof.verifyCalldata(proof, root, RewardHashes.leaf(account, cumulativeAmount))) {
            revert InvalidProof(account, cumulativeAmount);
        }
        return _pay(account, cumulativeAmount, already);
    }

    /// @inheritdoc IRewardDistributor
    function claimBatch(Claim[] calldata claims) external whenNotPaused returns (uint256 total) {
        bytes32 root = _claimRoot();
        for (uint256 i; i < claims.length; ++i) {
            Claim calldata c = claims[i];
            uint256 already = claimed[c.account];
            if (c.cumulativeAmount <= already) continue;
            if (!MerkleProof.verifyCalldata(c.proof, root, RewardHashes.leaf(c.account, c.cumulativeAmount))) {
                revert InvalidProof(c.account, c.cumulativeAmount);
            }
            // Cannot overflow: every amount paid is counted in `_totalClaimed`, which stays below 2^128.
            unchecked {
                total += _pay(c.account, c.cumulativeAmount, already);
            }
        }
    }

    /// @inheritdoc IRewardDistributor
    function depositToChain(bytes32 chainAccount, uint256 amount) external whenNotPaused returns (uint64 nonce) {
        if (amount == 0) revert ZeroAmount();
        if (chainAccount == bytes32(0)) revert ZeroChainAccount();
        nonce = ++depositNonce;
        emit DepositedToChain(nonce, msg.sender, chainAccount, amount);
        token.burn(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------

    /// @inheritdoc IRewardDistributor
    function vetoPendingRoot() external onlyDaoOrGuardian {
        uint64 activatesAt = _pendingActivatesAt;
        if (activatesAt == 0) revert NoPendingRoot();
        if (block.timestamp >= activatesAt && !paused()) revert VetoWindowClosed(_pendingPeriod, activatesAt);
        emit RootVetoed(_pendingPeriod, _pendingRoot, msg.sender);
        _clearPending();
    }

    /// @inheritdoc IRewardDistributor
    function setRootDelay(uint64 newRootDelay) external onlyDao {
        _setRootDelay(newRootDelay);
    }

    /// @inheritdoc IRewardDistributor
    function setGuardian(address newGuardian) external onlyDao {
        _setGuardian(newGuardian);
    }

    /// @inheritdoc IRewardDistributor
    function pause() external onlyDaoOrGuardian {
        _pause();
    }

    /// @inheritdoc IRewardDistributor
    function unpause() external onlyDao {
        _unpause();
    }

    // ---------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------

    /// @inheritdoc IRewardDistributor
    function validators() external view returns (address[] memory) {
        return _validators;
    }

    /// @inheritdoc IRewardDistributor
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc IRewardDistributor
    function isValidator(address account) external view returns (bool) {
        return account != address(0) && _membership[account].epoch == _setEpoch;
    }

    /// @inheritdoc IRewardDistributor
    function totalClaimed() external view returns (uint256) {
        return _totalClaimed;
    }

    /// @inheritdoc IRewardDistributor
    function activeRoot() external view returns (bytes32 root, uint256 total, uint64 period) {
        if (_pendingIsDue()) return (_pendingRoot, _pendingTotal, _pendingPeriod);
        return (_activeRoot, _activeTotal, _activePeriod);
    }

    /// @inheritdoc IRewardDistributor
    function pendingRoot() external view returns (bytes32 root, uint256 total, uint64 period, uint64 activatesAt) {
        if (_pendingActivatesAt == 0 || _pendingIsDue()) return (bytes32(0), 0, 0, 0);
        return (_pendingRoot, _pendingTotal, _pendingPeriod, _pendingActivatesAt);
    }

    /// @inheritdoc IRewardDistributor
    function rootCommitmentDigest(RootCommitment calldata commitment) public pure returns (bytes32) {
        return RewardHashes.rootDigest(
            commitment.chainId,
            commitment.distributor,
            commitment.period,
            commitment.root,
            commitment.total,
            commitment.validatorSetId
        );
    }

    /// @inheritdoc IRewardDistributor
    function validatorSetDigest(uint64 newSetId, address[] calldata newValidators) public view returns (bytes32) {
        return RewardHashes.validatorSetDigest(block.chainid, address(this), newSetId, newValidators);
    }

    // ---------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------

    /// @dev Reverts unless `signatures` holds at least `_threshold` valid signatures over `digest`,
    /// each from a distinct member of the current set. Any bad signature fails the whole call, so
    /// a relayer learns exactly which one to drop.
    function _checkSignatures(bytes32 digest, bytes[] calldata signatures) private view {
        uint256 count = signatures.length;
        uint256 required = _threshold;
        if (count < required) revert InsufficientSignatures(count, required);
        uint64 epoch = _setEpoch;
        uint256 seen;
        for (uint256 i; i < count; ++i) {
            (address signer, ECDSA.RecoverError err, bytes32 errArg) = ECDSA.tryRecoverCalldata(digest, signatures[i]);
            if (err == ECDSA.RecoverError.InvalidSignatureLength) revert InvalidSignatureLength(i, uint256(errArg));
            if (err == ECDSA.RecoverError.InvalidSignatureS) revert MalleableSignature(i, errArg);
            if (err != ECDSA.RecoverError.NoError || signer == address(0)) revert InvalidSignature(i);
            Membership memory member = _membership[signer];
            if (member.epoch != epoch) revert UnknownSigner(i, signer);
            // forge-lint: disable-next-line(incorrect-shift)
            uint256 bit = 1 << member.index;
            if (seen & bit != 0) revert DuplicateSigner(i, signer);
            seen |= bit;
        }
    }

    function _setValidators(uint64 setId, address[] memory newValidators) private {
        uint256 size = newValidators.length;
        if (size == 0 || size > MAX_VALIDATORS) revert InvalidValidatorSetSize(size, MAX_VALIDATORS);
        uint64 epoch = _setEpoch + 1;
        for (uint256 i; i < size; ++i) {
            address validator = newValidators[i];
            if (validator == address(0)) revert ZeroValidator(i);
            if (_membership[validator].epoch == epoch) revert DuplicateValidator(i, validator);
            // casting to 'uint8' is safe because `size <= MAX_VALIDATORS = 256`
            // forge-lint: disable-next-line(unsafe-typecast)
            _membership[validator] = Membership({epoch: epoch, index: uint8(i)});
        }
        uint256 required = (2 * size + 2) / 3;
        _setEpoch = epoch;
        validatorSetId = setId;
        // casting to 'uint16' is safe because `required <= size <= 256`
        // forge-lint: disable-next-line(unsafe-typecast)
        _threshold = uint16(required);
        _validators = newValidators;
        emit ValidatorSetUpdated(setId, newValidators, required);
    }

    function _pendingIsDue() private view returns (bool) {
        uint64 activatesAt = _pendingActivatesAt;
        return activatesAt != 0 && block.timestamp >= activatesAt && !paused();
    }

    /// @dev Promotes the pending root once its delay has passed. Nothing is minted here: claims mint.
    /// Callers are all `whenNotPaused`.
    function _activateIfDue() private returns (bool) {
        uint64 activatesAt = _pendingActivatesAt;
        if (activatesAt == 0 || block.timestamp < activatesAt) return false;
        bytes32 root = _pendingRoot;
        uint128 total = _pendingTotal;
        uint64 period = _pendingPeriod;
        // Submission guaranteed `total >= _activeTotal`, so the active total never decreases and
        // `_totalClaimed <= _activeTotal` keeps holding.
        _activeRoot = root;
        _activeTotal = total;
        _activePeriod = period;
        _clearPending();
        emit RootActivated(period, root, total);
        return true;
    }

    /// @dev `_pendingActivatesAt == 0` alone means "no pending root". The root, total and period
    /// are left in place: the next submission overwrites them, and rewriting a non-zero slot costs
    /// 2,900 gas where writing a cleared one costs 22,100.
    function _clearPending() private {
        _pendingActivatesAt = 0;
    }

    function _claimRoot() private returns (bytes32 root) {
        _activateIfDue();
        root = _activeRoot;
        if (root == bytes32(0)) revert NoActiveRoot();
    }

    /// @dev Pays a claim whose proof has been checked and whose `cumulativeAmount` exceeds
    /// `already`: records it, then mints the difference to `account`. The token is this contract's
    /// own (no hooks, no callbacks), and the state is written before the call anyway.
    function _pay(address account, uint256 cumulativeAmount, uint256 already) private returns (uint256 amount) {
        unchecked {
            amount = cumulativeAmount - already;
        }
        uint256 claimedTotal = _totalClaimed;
        uint256 activeTotal = _activeTotal;
        // A tree whose leaves add up to more than its signed total must not mint more than the
        // total. `claimedTotal <= activeTotal` always holds (this check, and the active total never
        // decreases), so the subtraction cannot underflow; it stays checked as a second line.
        if (amount > activeTotal - claimedTotal) {
            revert ClaimExceedsActiveTotal(account, amount, claimedTotal, activeTotal);
        }
        claimed[account] = cumulativeAmount;
        unchecked {
            // casting to 'uint128' is safe because `claimedTotal + amount <= activeTotal < 2^128`
            // forge-lint: disable-next-line(unsafe-typecast)
            _totalClaimed = uint128(claimedTotal + amount);
        }
        emit Claimed(account, amount, cumulativeAmount);
        token.mint(account, amount);
    }

    function _setRootDelay(uint64 newRootDelay) private {
        if (newRootDelay > MAX_ROOT_DELAY) revert RootDelayTooLong(newRootDelay, MAX_ROOT_DELAY);
        rootDelay = newRootDelay;
        emit RootDelaySet(newRootDelay);
    }

    function _setGuardian(address newGuardian) private {
        guardian = newGuardian;
        emit GuardianSet(newGuardian);
    }
}
