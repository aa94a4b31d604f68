//! # Rewards pallet
//!
//! The books of SNO rewards. Every state-update period (closed by `pallet-coordinator`) emits SNO
//! on the schedule of [`emission`] and shares it:
//!
//! - 85% to the workers, pro rata to the contribution units `pallet-jobs` reports through
//!   [`ContributionRecorder`] (to the treasury if nobody contributed);
//! - 10% to the validators who vote the period's table through, in equal shares with the
//!   remainder to the proposer (forfeited to the treasury if no table passes);
//! - 5% to the DAO treasury, with the rounding of the split.
//!
//! Job payments reach the workers of the job less the protocol fee, which goes to the treasury.
//!
//! Nothing is minted here: amounts are owed to Base addresses and accumulate in a cumulative
//! table (`leaf = (address, total ever earned)`) whose Merkle root the validators sign and the
//! reward distributor on Base mints against when claimed.
//!
//! ## Cost per account
//! Closing a period is O(1): an account's units are priced lazily, when the account is next
//! credited ([`RewardAccount`]), and the table of a period ([`RewardsLedger::reward_table`]) is
//! read off-chain by the validators' off-chain workers and the runtime API. So a table of a
//! million accounts never costs a block anything.
//!
//! ## When validator rewards land
//! The voters of a table are only known once it passed, after it was signed, so the validator
//! pool of period `p` lands in the table of the period the vote completes in (normally `p + 1`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod emission;
mod impls;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod mock;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
mod types;
pub mod weights;

pub use smartnodes_primitives::ledger::{
	BaseTransfers, ContributionRecorder, Period, RewardsLedger, TableError,
};

const LOG_TARGET: &str = "runtime::rewards";

/// The largest protocol fee, in basis points: all of a payment.
pub const MAX_FEE_BPS: u16 = 10_000;

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::{bridge_key::EthAddress, Balance};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// SNO per hour in the first year (5,625 SNO).
		#[pallet::constant]
		type InitialHourlyEmission: Get<Balance>;

		/// The hourly emission never falls below this (420 SNO).
		#[pallet::constant]
		type TailHourlyEmission: Get<Balance>;

		/// Blocks per hour (600 at 6 s).
		#[pallet::constant]
		type BlocksPerHour: Get<u32>;

		/// Blocks per year of 365 days: the hourly rate decays at each multiple.
		#[pallet::constant]
		type BlocksPerYear: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The Base address of the DAO treasury: 5% of every emission and the protocol fees.
	#[pallet::storage]
	pub type TreasuryAddress<T: Config> = StorageValue<_, EthAddress, ValueQuery>;

	/// Protocol fee on job payments, in basis points.
	#[pallet::storage]
	pub type ProtocolFeeBps<T: Config> = StorageValue<_, u16, ValueQuery>;

	/// The period being accrued.
	#[pallet::storage]
	pub type CurrentAccrual<T: Config> = StorageValue<_, Accrual, ValueQuery>;

	/// Every closed period. One record per state update (three a day by default), kept because an
	/// account's last units are priced with its period's record whenever it is next touched.
	#[pallet::storage]
	pub type Periods<T: Config> = StorageMap<_, Twox64Concat, Period, PeriodRecord>;

	/// Reward accounts by Base address.
	#[pallet::storage]
	pub type Accounts<T: Config> = StorageMap<_, Blake2_128Concat, EthAddress, RewardAccount>;

	/// The last table that passed.
	#[pallet::storage]
	pub type LastPassed<T: Config> = StorageValue<_, PassedTotal>;

	/// SNO emitted by every closed period.
	#[pallet::storage]
	pub type TotalEmitted<T: Config> = StorageValue<_, Balance, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Base address of the DAO treasury.
		pub treasury: EthAddress,
		/// Protocol fee on job payments, in basis points.
		pub protocol_fee_bps: u16,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if self.treasury.is_zero() {
				log::warn!(target: LOG_TARGET, "no treasury address at genesis; set one by governance");
			}
			assert!(self.protocol_fee_bps <= MAX_FEE_BPS, "the protocol fee is at most 100%");
			TreasuryAddress::<T>::put(self.treasury);
			ProtocolFeeBps::<T>::put(self.protocol_fee_bps);
			CurrentAccrual::<T>::put(Accrual {
				period: 1,
				start: Pallet::<T>::now(),
				..Default::default()
			});
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A period closed and its emission was fixed.
		PeriodClosed {
			period: Period,
			emission: Balance,
			worker_pool: Balance,
			validator_pool: Balance,
			treasury_share: Balance,
			units: u128,
			max_total: Balance,
		},
		/// A period's validator pool was shared by the voters of its table.
		ValidatorPoolPaid { period: Period, voters: u32, share: Balance, proposer_extra: Balance },
		/// No table of the period passed: its validator pool went to the treasury.
		ValidatorPoolForfeited { period: Period, amount: Balance },
		/// Governance moved the treasury.
		TreasuryAddressSet { address: EthAddress },
		/// Governance changed the protocol fee.
		ProtocolFeeSet { bps: u16 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The zero address cannot hold rewards: Base would mint them to nobody. Pass the DAO
		/// treasury's address.
		ZeroAddress,
		/// A fee above 10,000 basis points would take more than the payment. Pass at most 10,000.
		FeeTooHigh,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::BlocksPerHour::get() > 0, "an hour has blocks");
			assert!(T::BlocksPerYear::get() >= T::BlocksPerHour::get(), "a year has hours");
			assert!(
				T::InitialHourlyEmission::get() >= T::TailHourlyEmission::get(),
				"the emission decays towards its tail"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Moves the treasury (governance). Amounts already owed to the old address stay in its
		/// leaf; later treasury shares go to the new one.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_treasury_address())]
		pub fn set_treasury_address(origin: OriginFor<T>, address: EthAddress) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(!address.is_zero(), Error::<T>::ZeroAddress);
			TreasuryAddress::<T>::put(address);
			Self::deposit_event(Event::TreasuryAddressSet { address });
			Ok(())
		}

		/// Sets the protocol fee on job payments, in basis points (governance).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_protocol_fee())]
		pub fn set_protocol_fee(origin: OriginFor<T>, bps: u16) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(bps <= MAX_FEE_BPS, Error::<T>::FeeTooHigh);
			ProtocolFeeBps::<T>::put(bps);
			Self::deposit_event(Event::ProtocolFeeSet { bps });
			Ok(())
		}
	}
}
