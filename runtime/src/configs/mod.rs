//! Configuration of every pallet in the runtime.

mod bridge;
mod compute;

use crate::*;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_core::Get;
use sp_runtime::transaction_validity::TransactionPriority;
use sp_runtime::{
	traits::{Bounded, OpaqueKeys},
	FixedPointNumber, Perbill, Perquintill,
};
use sp_staking::SessionIndex;

/// Share of a block's weight that normal transactions may use; the rest is kept for operational
/// ones (equivocation reports, governance).
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per 6-second block, leaving time to import and propagate.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);

/// 5 MiB blocks.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	pub RuntimeBlockLength: BlockLength =
		BlockLength::builder()
			.max_length(MAX_BLOCK_LENGTH)
			.modify_max_length_for_class(DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO.mul_floor(MAX_BLOCK_LENGTH)
			})
			.build();
	pub RuntimeBlockWeights: BlockWeights =
		BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

/// Blocks per session (one BABE epoch), fixed at genesis by the chain's preset.
pub struct EpochDuration;
impl Get<u64> for EpochDuration {
	fn get() -> u64 {
		pallet_validators::SessionLength::<Runtime>::get()
	}
}

parameter_types! {
	/// How many sessions an equivocation stays reportable (and a slash record is kept).
	pub const ReportSessions: SessionIndex = 28;
	/// The same in blocks, as BABE and GRANDPA want it.
	pub ReportLongevity: u64 = (ReportSessions::get() as u64).saturating_mul(EpochDuration::get());
	pub const MaxAuthorities: u32 = MAX_VALIDATORS;
}

/// The largest validator set.
pub const MAX_VALIDATORS: u32 = 100;

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ConstU64<MILLISECS_PER_BLOCK>;
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = Session;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_babe::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<28>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = Moment;
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

/// An account must keep at least this much to exist: a thousandth of a SNO.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_SNO;

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fee per byte of a transaction: 10^-5 SNO.
	pub const TransactionByteFee: Balance = 10 * MILLI_SNO / 1_000;
	/// The fee multiplier moves towards keeping blocks a quarter full.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(3, 100_000);
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

/// One picosecond of reference compute costs 10^8 units, so a balance transfer (~0.2 ms of
/// weight) costs about 0.02 SNO before the length fee.
pub type WeightToFee = ConstantMultiplier<Balance, ConstU128<100_000_000>>;

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Fees are burned (and counted, for the supply check) until a treasury exists on the chain.
	type OnChargeTransaction =
		FungibleAdapter<Balances, pallet_bridge::BurnAndCount<Runtime, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	type EventHandler = ();
}

parameter_types! {
	pub const MinValidators: u32 = 1;
	/// Setting session keys stores them; the deposit pays for that storage.
	pub const SessionKeyDeposit: Balance = SNO;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Self, Validators>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// At most a third of the set is disabled within a session, so an offence wave cannot halt
	// block production.
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_validators::UnitIdentificationOf;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Validators;
}

impl pallet_authority_discovery::Config for Runtime {
	type MaxAuthorities = MaxAuthorities;
}

/// Disables an offender in the current session through pallet-session's disabling strategy.
pub struct SessionDisabler;
impl pallet_validators::DisableValidator<AccountId> for SessionDisabler {
	fn disable(who: &AccountId) {
		Session::report_offence(who.clone(), sp_staking::offence::OffenceSeverity::max_severity());
	}
}

impl pallet_validators::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Slashed collateral is burned (and counted, for the supply check).
	type Slashed = pallet_bridge::BurnAndCount<Runtime, Balances>;
	type ValidatorRegistration = Session;
	type Disabler = SessionDisabler;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = MinValidators;
	type SlashRecordSessions = ReportSessions;
	type OnBridgeSetQueued = Bridge;
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ValidatorsBenchmarkHelper;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

/// Equivocation reports are unsigned transactions validated by the reporting pallet.
impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

parameter_types! {
	/// 5,625 SNO an hour in the first year, decaying by 0.6 a year to a tail of 420 SNO an hour.
	pub const InitialHourlyEmission: Balance = 5_625 * SNO;
	pub const TailHourlyEmission: Balance = 420 * SNO;
	pub const BlocksPerHour: u32 = HOURS;
	pub const BlocksPerYear: u32 = 365 * DAYS;
	/// Votes go ahead of ordinary transactions: a round that misses its period loses its pool.
	pub const CoordinatorPriority: TransactionPriority = TransactionPriority::MAX / 2;
}

impl pallet_rewards::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type InitialHourlyEmission = InitialHourlyEmission;
	type TailHourlyEmission = TailHourlyEmission;
	type BlocksPerHour = BlocksPerHour;
	type BlocksPerYear = BlocksPerYear;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
}

impl pallet_coordinator::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Validators = Validators;
	type Rewards = Rewards;
	// Fixed an epoch ahead, so no block author can steer the proposer draw.
	type Randomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;
	type OnRoundOutcome = compute::ValidatorReputation;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type UnsignedPriority = CoordinatorPriority;
	type WeightInfo = pallet_coordinator::weights::SubstrateWeight<Runtime>;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// How many blocks an authorized transaction's era spans (its own validity is usually shorter).
pub const AUTHORIZED_ERA_PERIOD: u64 = 64;

/// Authorized calls (what validators' off-chain workers relay: proposals and votes, workers'
/// commitments and reveals, audits, bridge attestations) carry no signer: the account checks
/// skip them and they pay no fee. Each call applies at most once, and an off-chain worker relays
/// it again every block until it has. The transactions are mortal, their era starting at the
/// parent of the block the off-chain worker runs on (the latest block whose hash the chain keeps,
/// which `CheckMortality` needs), so each block's relay has other bytes. A relay that a reorg
/// dropped from the pool's view of the best chain, or that peers dismissed, is then replaced by
/// the next block's, where an identical transaction would be refused as already imported. The
/// call's own validity (the tag it provides, its longevity) still lets only one of them in.
impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> TxExtension {
		let born: u64 = System::block_number().saturating_sub(1).into();
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::mortal(
				AUTHORIZED_ERA_PERIOD,
				born,
			)),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		)
	}
}
