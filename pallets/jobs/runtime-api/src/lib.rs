//! The runtime API behind the node's job and network RPC methods (`smartnodes_job`,
//! `smartnodes_jobsOf`, `smartnodes_networks`, `smartnodes_networkWorkers`,
//! `smartnodes_standing`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
pub use pallet_jobs::{FailReason, JobStatus, Limits, ReplicaState};
use scale_info::TypeInfo;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{Capacity, JobId, JobKind, NetworkId, Score},
	Balance,
};
use sp_core::H256;

/// Most items one paged call returns.
pub const MAX_PAGE: u32 = 100;

/// One replica of a job.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ReplicaView<AccountId> {
	pub worker: AccountId,
	pub payout: EthAddress,
	pub assigned_at: u64,
	pub expires_at: u64,
	pub state: ReplicaState,
}

/// A job with everything a user needs to follow it and fetch its result.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct JobView<AccountId> {
	pub id: JobId,
	pub owner: AccountId,
	pub network: NetworkId,
	pub kind: JobKind,
	pub code_hash: H256,
	pub code_uri: Vec<u8>,
	pub input_hash: H256,
	pub input_uri: Vec<u8>,
	pub replication: u8,
	pub limits: Limits,
	pub deadline: u64,
	pub max_payment: Balance,
	pub escrow: Balance,
	pub status: JobStatus,
	/// Whether every replica has committed and reveals are accepted.
	pub revealing: bool,
	pub submitted_at: u64,
	pub settled_at: Option<u64>,
	pub replicas: Vec<ReplicaView<AccountId>>,
}

/// A specialized network.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct NetworkView {
	pub id: NetworkId,
	pub name: Vec<u8>,
	pub kind: JobKind,
	pub min_reputation: Score,
	pub min_capacity: Capacity,
	pub price_floor: Balance,
	pub retired: bool,
	/// Workers standing for assignment.
	pub members: u32,
}

/// A registered worker with its reputation.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct WorkerView<AccountId> {
	pub account: AccountId,
	pub identity: [u8; 32],
	pub endpoint: Vec<u8>,
	pub capacity: Capacity,
	pub payout: EthAddress,
	pub networks: Vec<NetworkId>,
	pub validator: AccountId,
	pub paused: bool,
	pub registered_at: u64,
	pub score: Score,
	pub strikes: u32,
	pub blacklisted: bool,
	/// Replicas it is running.
	pub load: u32,
}

/// What the chain knows of an account as a worker and as a user.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct StandingView<AccountId> {
	pub worker: Option<WorkerView<AccountId>>,
	/// The block it registered as a user at, if it is one.
	pub user_since: Option<u64>,
	/// Its jobs on chain.
	pub jobs: u32,
}

sp_api::decl_runtime_apis! {
	/// Jobs, networks and workers.
	pub trait JobsApi<AccountId> where AccountId: Codec {
		/// Job `id`, unless removed after its retention.
		fn job(id: JobId) -> Option<JobView<AccountId>>;

		/// `user`'s jobs with ids above `after`, in id order, at most `limit` (capped at
		/// [`MAX_PAGE`]).
		fn jobs_of(user: AccountId, after: Option<JobId>, limit: u32) -> Vec<JobView<AccountId>>;

		/// Every network, retired ones included.
		fn networks() -> Vec<NetworkView>;

		/// Members of `network` from index `from`, at most `limit` (capped at [`MAX_PAGE`]).
		fn network_workers(network: NetworkId, from: u32, limit: u32) -> Vec<WorkerView<AccountId>>;

		/// `who`'s standing as a worker and a user.
		fn standing(who: AccountId) -> StandingView<AccountId>;
	}
}
