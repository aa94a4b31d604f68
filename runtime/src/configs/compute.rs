//! Configuration of the compute pallets: registry, jobs, reputation and audits.

use crate::*;
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, ConstU8, Contains, Randomness},
	weights::Weight,
};
use pallet_coordinator::{OnRoundOutcome, RoundOutcome};
use pallet_jobs::Limits;
use smartnodes_primitives::compute::{Fault, Reputation as _, Role};
use sp_core::H256;

use super::RuntimeBlockWeights;

/// Workers attach to a validator that has joined the candidates (active or queued), whose
/// off-chain worker dispatches their jobs.
pub struct JoinedValidators;
impl Contains<AccountId> for JoinedValidators {
	fn contains(who: &AccountId) -> bool {
		pallet_validators::Candidates::<Runtime>::get().contains(who)
	}
}

impl pallet_registry::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Reputation = Reputation;
	type Validators = JoinedValidators;
	type OpenWork = Jobs;
	/// Held while a worker is registered, against fake registrations crowding the lists.
	type WorkerDeposit = ConstU128<{ 500 * SNO }>;
	/// Smartnodes' own figure for a user account.
	type UserDeposit = ConstU128<{ 100 * SNO }>;
	type MaxNameLen = ConstU32<32>;
	type MaxEndpointLen = ConstU32<128>;
	type MaxNetworksPerWorker = ConstU32<8>;
	type WeightInfo = pallet_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ComputeBenchmarkHelper;
}

impl pallet_reputation::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnBlacklist = Registry;
	type InitialScore = ConstU32<5_000>;
	type SuccessReward = ConstU32<10>;
	/// Ten faults from the starting score reach zero; the strike limit comes first.
	type FaultPenalty = ConstU32<500>;
	type DecayPeriod = ConstU32<DAYS>;
	type DecayStep = ConstU32<100>;
	/// Five strikes without a day's rest between them blacklist a party.
	type StrikeLimit = ConstU32<5>;
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ComputeBenchmarkHelper;
}

/// Assignment randomness: the VRF output of the parent block, which nobody knew when the job
/// was submitted in it. The first blocks of a chain have none yet and use the epoch's.
pub struct AssignmentRandomness;
impl Randomness<H256, BlockNumber> for AssignmentRandomness {
	fn random(subject: &[u8]) -> (H256, BlockNumber) {
		let (parent, block) = pallet_babe::ParentBlockRandomness::<Runtime>::random(subject);
		match parent {
			Some(seed) => (seed, block),
			None => pallet_babe::RandomnessFromOneEpochAgo::<Runtime>::random(subject),
		}
	}
}

parameter_types! {
	/// A quarter of a block for the jobs' assignments and timers.
	pub JobsHookWeight: Weight = RuntimeBlockWeights::get().max_block.div(4);
	/// A replica may ask for up to 10^11 fuel (a few minutes of wasm), 4 GiB and 10 minutes.
	pub const MaxJobLimits: Limits =
		Limits { fuel: 100_000_000_000, memory_mib: 4_096, time_ms: 600_000 };
}

impl pallet_jobs::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Validators = Validators;
	type Reputation = Reputation;
	type Contributions = Rewards;
	type OnCompleted = Audits;
	type Randomness = AssignmentRandomness;
	type MaxReplicas = ConstU32<5>;
	type MaxReassignments = ConstU32<5>;
	type MaxUriLen = ConstU32<256>;
	type MaxLimits = MaxJobLimits;
	type MaxDeadline = ConstU32<DAYS>;
	/// A minute to fetch the code and input and relay the commitment, on top of the time limit.
	type ResultWindow = ConstU32<{ MINUTES }>;
	/// Half a minute to reveal once every replica has committed.
	type RevealWindow = ConstU32<5>;
	type MillisecsPerBlock = ConstU64<MILLISECS_PER_BLOCK>;
	type MaxWorkerLoad = ConstU32<4>;
	type MaxJobsPerUser = ConstU32<10_000>;
	type MaxPendingJobs = ConstU32<2_048>;
	/// No user can hold more than an eighth of the queue.
	type MaxPendingPerUser = ConstU32<256>;
	/// Ten draws, a minute of trying, before a job nobody can take is refunded.
	type MaxAssignmentAttempts = ConstU8<10>;
	type MaxHookWeight = JobsHookWeight;
	/// A million jobs a day is 70 a block.
	type MaxAssignmentsPerBlock = ConstU32<128>;
	type MaxAssignmentScan = ConstU32<32>;
	type MaxTimersPerBlock = ConstU32<256>;
	type Retention = ConstU32<DAYS>;
	type JobDeposit = ConstU128<SNO>;
	type WeightInfo = pallet_jobs::weights::SubstrateWeight<Runtime>;
}

impl pallet_audits::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Validators = Validators;
	type Registry = Registry;
	type Jobs = Jobs;
	type Reputation = Reputation;
	type Contributions = Rewards;
	/// Drawn two blocks after the completion, from a VRF output the revealing workers could
	/// not know.
	type Randomness = AssignmentRandomness;
	type MaxUriLen = ConstU32<256>;
	type MaxWorkers = ConstU32<5>;
	/// Five minutes to fetch the job again, run it (up to its 10-minute limit is the auditor's
	/// risk: it reports `Unavailable` if it cannot) and report.
	type AuditWindow = ConstU32<{ 5 * MINUTES }>;
	/// 1% of a million jobs a day is 35 audits per five-minute window; 1,024 leaves room for a
	/// rate thirty times higher.
	type MaxOpenAudits = ConstU32<1_024>;
	/// More than the reveals a block can hold.
	type MaxSamplesPerBlock = ConstU32<256>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type MaxChallengeReport = ConstU32<64>;
	/// About a millisecond of hashing for the worker and again for the validator.
	type ChallengeSteps = ConstU32<1_024>;
	/// A thousandth of an SNO-equivalent of contribution per challenge passed: every 10 minutes
	/// a live worker earns about as much as 0.14 SNO of paid work a day.
	type ChallengeCredit = ConstU128<{ SNO / 1_000 }>;
	type UnsignedPriority = super::CoordinatorPriority;
	type WeightInfo = pallet_audits::weights::SubstrateWeight<Runtime>;
}

/// Validators' votes feed their reputation: a passed round is verified work, a missed vote a
/// strike.
pub struct ValidatorReputation;
impl OnRoundOutcome<AccountId> for ValidatorReputation {
	fn note(who: &AccountId, outcome: RoundOutcome) {
		match outcome {
			RoundOutcome::Proposed | RoundOutcome::Voted => {
				Reputation::note_success(Role::Validator, who)
			},
			RoundOutcome::Missed => {
				Reputation::note_fault(Role::Validator, who, Fault::MissedVote);
			},
		}
	}
}
