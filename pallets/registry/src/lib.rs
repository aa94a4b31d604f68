//! # Registry pallet
//!
//! Who may take Smartnodes compute jobs, and from which networks.
//!
//! - **Networks** are added, tuned and retired by governance (root). Each has a job kind and
//!   admission rules: a minimum worker reputation, a minimum declared capacity and a price floor
//!   the jobs pallet enforces on escrow.
//! - **Workers** register credentials against `WorkerDeposit`: an ed25519 identity key their
//!   results are signed with (one account per key), an endpoint, declared capacity, a payout
//!   address on Base, up to `MaxNetworksPerWorker` networks and the bonded validator they attach
//!   to. Every network they list must admit them: it exists, is not retired, their capacity
//!   covers its minimum and their worker score reaches its minimum.
//! - **Users** register against `UserDeposit` before submitting jobs.
//!
//! For each network the pallet keeps an assignment list of its *members*: registered workers
//! that list it, are not paused and not blacklisted. The list is an index-addressed map with
//! swap-remove, so the jobs pallet draws a random member in O(1) from 100,000 workers; every
//! change to a worker touches at most `MaxNetworksPerWorker` lists.
//!
//! Data enters through the calls below and through `OnBlacklist`, which the reputation pallet
//! calls when it blacklists or pardons a worker. It leaves through the
//! [`smartnodes_primitives::compute::Registry`] trait (read by the jobs pallet) and
//! [`Pallet::worker_standing`] / [`Pallet::user_standing`] (read by runtime APIs).
//!
//! Tests: `cargo test -p pallet-registry` (add `--features runtime-benchmarks` to run the
//! benchmarks against the mock). Every test ends by checking the invariants of
//! [`Pallet::do_try_state`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

// Benchmark set-up only runs in benchmarks, where a failed `expect` means a broken benchmark.
#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::arithmetic_side_effects)]
mod benchmarking;
mod impls;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod mock;
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::registry";

// FRAME's macros expand to `expect`s and indexing that these lints would flag in our own code;
// the pallet's logic lives in `impls.rs`, where they apply.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			Contains,
		},
	};
	use frame_system::pallet_prelude::*;
	use smartnodes_primitives::compute::{OpenWork, Reputation, Role};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The native currency; deposits are holds on it. Its balance is the chain's `Balance`
		/// because networks' price floors are read by the jobs pallet in that type.
		/// (`Mutate` lets the benchmarks fund their accounts.)
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>
			+ Inspect<Self::AccountId, Balance = Balance>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Workers' scores and blacklist. The reputation pallet must call this pallet's
		/// `OnBlacklist` whenever a worker's blacklisting changes, so the assignment lists
		/// follow it.
		type Reputation: Reputation<Self::AccountId>;

		/// The bonded validators a worker may attach to.
		type Validators: Contains<Self::AccountId>;

		/// Open jobs of workers and users, which keep them from deregistering.
		type OpenWork: OpenWork<Self::AccountId>;

		/// Held from a worker while it is registered.
		#[pallet::constant]
		type WorkerDeposit: Get<Balance>;

		/// Held from a user while it is registered.
		#[pallet::constant]
		type UserDeposit: Get<Balance>;

		/// The longest network name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The longest worker endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// The most networks one worker may list; bounds the work of every worker call.
		#[pallet::constant]
		type MaxNetworksPerWorker: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's registration deposit.
		#[codec(index = 0)]
		WorkerDeposit,
		/// A user's registration deposit.
		#[codec(index = 1)]
		UserDeposit,
	}

	/// Every network ever created, retired or not.
	#[pallet::storage]
	pub type Networks<T: Config> = StorageMap<_, Twox64Concat, NetworkId, NetworkOf<T>>;

	/// The id the next network gets; ids are never reused.
	#[pallet::storage]
	pub type NextNetworkId<T: Config> = StorageValue<_, NetworkId, ValueQuery>;

	/// Registered workers.
	#[pallet::storage]
	pub type Workers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, WorkerOf<T>>;

	/// The worker each identity key belongs to. Keys are chosen by the caller, hence the
	/// cryptographic hasher.
	#[pallet::storage]
	pub type Identities<T: Config> = StorageMap<_, Blake2_128Concat, [u8; 32], T::AccountId>;

	/// A network's assignment list: member at each index `0..MemberCount`.
	#[pallet::storage]
	pub type Members<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetworkId, Twox64Concat, u32, T::AccountId>;

	/// Where each member stands in its network's list (the reverse of `Members`).
	#[pallet::storage]
	pub type MemberIndex<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetworkId, Blake2_128Concat, T::AccountId, u32>;

	/// How many members a network's list has (absent for none).
	#[pallet::storage]
	pub type MemberCount<T: Config> = StorageMap<_, Twox64Concat, NetworkId, u32, ValueQuery>;

	/// The workers attached to each validator, whose off-chain worker dispatches their jobs and
	/// challenges them (the reverse of `Worker::validator`).
	#[pallet::storage]
	pub type Attached<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Registered users.
	#[pallet::storage]
	pub type Users<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, UserRecordOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance created a network.
		NetworkCreated { id: NetworkId, name: BoundedVec<u8, T::MaxNameLen>, kind: JobKind },
		/// Governance changed a network's rules; they apply to workers joining from now on.
		NetworkUpdated {
			id: NetworkId,
			min_reputation: Score,
			min_capacity: Capacity,
			price_floor: Balance,
		},
		/// Governance retired a network: no worker may join it and it takes no new jobs.
		NetworkRetired { id: NetworkId },
		/// A worker registered and joined its networks.
		WorkerRegistered {
			who: T::AccountId,
			identity: [u8; 32],
			networks: BoundedVec<NetworkId, T::MaxNetworksPerWorker>,
		},
		/// A worker replaced its credentials or networks.
		WorkerUpdated { who: T::AccountId },
		/// A worker left its networks' assignment lists for now.
		WorkerPaused { who: T::AccountId },
		/// A paused worker rejoined its networks' assignment lists.
		WorkerResumed { who: T::AccountId },
		/// A worker left, its deposit was released and its identity key freed.
		WorkerDeregistered { who: T::AccountId },
		/// An account registered as a user.
		UserRegistered { who: T::AccountId },
		/// A user left and its deposit was released.
		UserDeregistered { who: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No network has this id; read `Networks` for the existing ones.
		NetworkNotFound,
		/// The network was retired: it takes no new workers and its rules no longer change.
		/// Choose a network that is not retired.
		NetworkRetired,
		/// The account is already a worker; use `update_worker` to change its credentials.
		WorkerAlreadyRegistered,
		/// The account is not a worker; call `register_worker` first.
		WorkerNotRegistered,
		/// Another worker registered this identity key; generate a key of your own.
		IdentityInUse,
		/// The endpoint is empty; give the address validators reach the worker at.
		EmptyEndpoint,
		/// The zero address cannot receive earnings on Base; pass an address you control.
		ZeroPayoutAddress,
		/// The declared capacity has no CPU cores or no memory; declare the real hardware.
		ZeroCapacity,
		/// The worker lists no network; list at least one.
		NoNetworks,
		/// A network is listed twice; list each once.
		DuplicateNetwork,
		/// The declared capacity does not cover a listed network's minimum; drop that network
		/// or declare more hardware.
		CapacityBelowMinimum,
		/// The worker's score is below a listed network's minimum; drop that network or earn
		/// reputation elsewhere first.
		ReputationBelowMinimum,
		/// The validator is not bonded; attach to one of the bonded validators.
		UnknownValidator,
		/// The reputation pallet blacklisted this worker; it cannot register, update or resume
		/// until it is pardoned.
		Blacklisted,
		/// The worker is already paused; call `resume_worker` to take jobs again.
		AlreadyPaused,
		/// The worker is not paused, so there is nothing to resume; `pause_worker` pauses it.
		NotPaused,
		/// The worker still has jobs assigned; answer them (or let them time out) first.
		WorkerHasOpenJobs,
		/// The account is already a user; its deposit is held once, there is nothing to redo.
		UserAlreadyRegistered,
		/// The account is not a user; call `register_user` first.
		UserNotRegistered,
		/// The user still has open jobs; wait until they complete or time out and are cleaned up.
		UserHasOpenJobs,
		/// The account's free balance cannot cover the deposit; fund the account first.
		InsufficientBalance,
		/// The network name is empty; give it a name.
		EmptyName,
		/// All 2^32 network ids have been used and ids are never reused, so no network can be
		/// created any more; update or reuse an existing network instead.
		TooManyNetworks,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxNetworksPerWorker::get() > 0, "a worker must be able to list a network");
			assert!(T::MaxNameLen::get() > 0, "networks need a name");
			assert!(T::MaxEndpointLen::get() > 0, "workers need an endpoint");
			// Registrations are storage anyone can create; without a deposit they cost nothing.
			assert!(T::WorkerDeposit::get() > 0, "WorkerDeposit must be positive");
			assert!(T::UserDeposit::get() > 0, "UserDeposit must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a network (governance). It takes workers at once.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_network())]
		pub fn create_network(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			kind: JobKind,
			min_reputation: Score,
			min_capacity: Capacity,
			#[pallet::compact] price_floor: Balance,
		) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			let id = NextNetworkId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::TooManyNetworks)?;

			let network = Network {
				name: name.clone(),
				kind,
				min_reputation,
				min_capacity,
				price_floor,
				retired: false,
			};
			Networks::<T>::insert(id, network);
			NextNetworkId::<T>::put(next);
			Self::deposit_event(Event::NetworkCreated { id, name, kind });
			Ok(())
		}

		/// Change a network's admission rules and price floor (governance).
		///
		/// Existing members are not re-checked: doing so would touch every member, unbounded
		/// work in one block with 100,000 workers. They meet the new rules the next time they
		/// update, and the jobs pallet re-checks reputation when it assigns a job.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_network())]
		pub fn update_network(
			origin: OriginFor<T>,
			id: NetworkId,
			min_reputation: Score,
			min_capacity: Capacity,
			#[pallet::compact] price_floor: Balance,
		) -> DispatchResult {
			ensure_root(origin)?;
			let mut network = Networks::<T>::get(id).ok_or(Error::<T>::NetworkNotFound)?;
			ensure!(!network.retired, Error::<T>::NetworkRetired);

			network.min_reputation = min_reputation;
			network.min_capacity = min_capacity;
			network.price_floor = price_floor;
			Networks::<T>::insert(id, network);
			Self::deposit_event(Event::NetworkUpdated {
				id,
				min_reputation,
				min_capacity,
				price_floor,
			});
			Ok(())
		}

		/// Retire a network for good (governance): no worker may join it and the jobs pallet
		/// accepts no new jobs for it. Its assignment list is left alone, since clearing it
		/// would be unbounded work; workers may keep listing it until they update.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_network())]
		pub fn retire_network(origin: OriginFor<T>, id: NetworkId) -> DispatchResult {
			ensure_root(origin)?;
			let mut network = Networks::<T>::get(id).ok_or(Error::<T>::NetworkNotFound)?;
			ensure!(!network.retired, Error::<T>::NetworkRetired);

			network.retired = true;
			Networks::<T>::insert(id, network);
			Self::deposit_event(Event::NetworkRetired { id });
			Ok(())
		}

		/// Register the caller as a worker in `networks`, attached to `validator`, holding
		/// `WorkerDeposit`. Every network must admit the worker.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::register_worker())]
		pub fn register_worker(
			origin: OriginFor<T>,
			identity: [u8; 32],
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
			capacity: Capacity,
			payout: EthAddress,
			networks: BoundedVec<NetworkId, T::MaxNetworksPerWorker>,
			validator: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Workers::<T>::contains_key(&who), Error::<T>::WorkerAlreadyRegistered);
			ensure!(!Identities::<T>::contains_key(identity), Error::<T>::IdentityInUse);
			ensure!(!T::Reputation::is_blacklisted(Role::Worker, &who), Error::<T>::Blacklisted);
			Self::check_credentials(&endpoint, &capacity, &payout, &validator)?;
			Self::check_admission(&who, &capacity, &networks, &[])?;

			let worker = Worker {
				identity,
				endpoint,
				capacity,
				payout,
				networks: networks.clone(),
				validator,
				paused: false,
				deposit: T::WorkerDeposit::get(),
				registered_at: frame_system::Pallet::<T>::block_number(),
			};
			Self::do_register_worker(&who, worker)?;
			Self::deposit_event(Event::WorkerRegistered { who, identity, networks });
			Ok(())
		}

		/// Replace the caller's endpoint, capacity, payout address, networks and validator.
		///
		/// Every listed network must admit the worker again, so a worker whose capacity or
		/// score no longer meets a network's minimum must drop it. A retired network it already
		/// lists may be kept (it gets no jobs there), but none can be added. The worker leaves
		/// the lists of dropped networks and, unless paused, joins those of new ones.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_worker())]
		pub fn update_worker(
			origin: OriginFor<T>,
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
			capacity: Capacity,
			payout: EthAddress,
			networks: BoundedVec<NetworkId, T::MaxNetworksPerWorker>,
			validator: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let old = Workers::<T>::get(&who).ok_or(Error::<T>::WorkerNotRegistered)?;
			ensure!(!T::Reputation::is_blacklisted(Role::Worker, &who), Error::<T>::Blacklisted);
			Self::check_credentials(&endpoint, &capacity, &payout, &validator)?;
			Self::check_admission(&who, &capacity, &networks, &old.networks)?;

			let new = Worker { endpoint, capacity, payout, networks, validator, ..old.clone() };
			Self::do_update_worker(&who, &old, new)?;
			Self::deposit_event(Event::WorkerUpdated { who });
			Ok(())
		}

		/// Stop taking new jobs: the caller leaves its networks' assignment lists but stays
		/// registered. Jobs already assigned must still be answered.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::pause_worker())]
		pub fn pause_worker(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::WorkerNotRegistered)?;
			ensure!(!worker.paused, Error::<T>::AlreadyPaused);

			Self::leave_all(&who, &worker.networks);
			worker.paused = true;
			Workers::<T>::insert(&who, worker);
			Self::deposit_event(Event::WorkerPaused { who });
			Ok(())
		}

		/// Take jobs again: the caller rejoins the assignment lists of every network it lists.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::resume_worker())]
		pub fn resume_worker(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut worker = Workers::<T>::get(&who).ok_or(Error::<T>::WorkerNotRegistered)?;
			ensure!(worker.paused, Error::<T>::NotPaused);
			ensure!(!T::Reputation::is_blacklisted(Role::Worker, &who), Error::<T>::Blacklisted);

			Self::join_all(&who, &worker.networks)?;
			worker.paused = false;
			Workers::<T>::insert(&who, worker);
			Self::deposit_event(Event::WorkerResumed { who });
			Ok(())
		}

		/// Leave for good: releases the deposit and frees the identity key. Refused while jobs
		/// assigned to the caller are unanswered.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::deregister_worker())]
		pub fn deregister_worker(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let worker = Workers::<T>::get(&who).ok_or(Error::<T>::WorkerNotRegistered)?;
			ensure!(T::OpenWork::worker_load(&who) == 0, Error::<T>::WorkerHasOpenJobs);

			Self::do_deregister_worker(&who, worker)?;
			Self::deposit_event(Event::WorkerDeregistered { who });
			Ok(())
		}

		/// Register the caller as a user, holding `UserDeposit`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::register_user())]
		pub fn register_user(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Users::<T>::contains_key(&who), Error::<T>::UserAlreadyRegistered);

			Self::do_register_user(&who)?;
			Self::deposit_event(Event::UserRegistered { who });
			Ok(())
		}

		/// Leave as a user and release the deposit. Refused while the caller has open jobs.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::deregister_user())]
		pub fn deregister_user(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let user = Users::<T>::get(&who).ok_or(Error::<T>::UserNotRegistered)?;
			ensure!(T::OpenWork::user_jobs(&who) == 0, Error::<T>::UserHasOpenJobs);

			Self::do_deregister_user(&who, user)?;
			Self::deposit_event(Event::UserDeregistered { who });
			Ok(())
		}
	}
}

/// What the benchmarks need from the runtime that the pallet cannot do itself.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` a validator that `Config::Validators` contains, so workers may attach to it.
	fn make_validator(who: &AccountId);
}
