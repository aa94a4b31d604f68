//! Types stored by the registry pallet.

use codec::{Decode, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

pub use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{Capacity, Gpu, JobKind, NetworkId, Score},
	Balance,
};

/// A specialized network: a job kind and the rules a worker must meet to take its jobs.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxNameLen))]
pub struct Network<MaxNameLen: Get<u32>> {
	/// A human-readable name; not unique, the id is what counts.
	pub name: BoundedVec<u8, MaxNameLen>,
	pub kind: JobKind,
	/// Workers scoring below this are neither admitted nor (by the jobs pallet) assigned.
	pub min_reputation: Score,
	/// Hardware a worker must declare to join.
	pub min_capacity: Capacity,
	/// The least escrow a job may offer per replica.
	pub price_floor: Balance,
	/// Retired by governance: no worker may join it and the jobs pallet accepts no new jobs.
	pub retired: bool,
}

/// The network record of runtime `T`.
pub type NetworkOf<T> = Network<<T as crate::Config>::MaxNameLen>;

/// A worker's credentials, as it declared them.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxEndpointLen, MaxNetworks))]
pub struct Worker<AccountId, BlockNumber, MaxEndpointLen, MaxNetworks>
where
	AccountId: Clone + PartialEq + Eq + Debug,
	BlockNumber: Clone + PartialEq + Eq + Debug,
	MaxEndpointLen: Get<u32>,
	MaxNetworks: Get<u32>,
{
	/// The ed25519 public key the worker signs its results with; one worker per key, so a
	/// signed result names exactly one account.
	pub identity: [u8; 32],
	/// Where the validators' off-chain workers reach it (a URL or `host:port`).
	pub endpoint: BoundedVec<u8, MaxEndpointLen>,
	/// The hardware it declared (challenged off chain).
	pub capacity: Capacity,
	/// The Base address its earnings are paid to.
	pub payout: EthAddress,
	/// The networks it takes jobs from, without duplicates.
	pub networks: BoundedVec<NetworkId, MaxNetworks>,
	/// The validator whose off-chain worker dispatches its jobs and challenges it.
	pub validator: AccountId,
	/// A paused worker stays registered but takes no new jobs.
	pub paused: bool,
	/// What is held for this registration, released in full on deregistration.
	pub deposit: Balance,
	pub registered_at: BlockNumber,
}

/// The worker record of runtime `T`.
pub type WorkerOf<T> = Worker<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as crate::Config>::MaxEndpointLen,
	<T as crate::Config>::MaxNetworksPerWorker,
>;

/// A worker's record together with what the reputation pallet says of it: what a wallet or a
/// dApp asks before sending work its way.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct WorkerStanding<Worker> {
	pub worker: Worker,
	/// Its current worker score.
	pub score: Score,
	/// Blacklisted workers are in no assignment list.
	pub blacklisted: bool,
}

/// The standing of a worker of runtime `T`.
pub type WorkerStandingOf<T> = WorkerStanding<WorkerOf<T>>;

/// A user account: what it holds against spam.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct UserRecord<BlockNumber> {
	/// What is held for this registration, released in full on deregistration.
	pub deposit: Balance,
	pub registered_at: BlockNumber,
}

/// The user record of runtime `T`.
pub type UserRecordOf<T> = UserRecord<BlockNumberFor<T>>;
