//! `smartnodes_*` RPC methods for users and dApps, backed by the jobs runtime API: a job's status
//! and result, a user's jobs, the networks, the workers of a network with their reputation, and
//! an account's standing. Everything is read at the best block; amounts are decimal strings
//! because they exceed JSON's safe integers.

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_jobs_runtime_api::{
	FailReason, JobStatus, JobView, JobsApi, NetworkView, ReplicaState, StandingView, WorkerView,
	MAX_PAGE,
};
use serde::Serialize;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{Capacity, JobId, NetworkId},
};
use smartnodes_runtime::{opaque::Block, AccountId};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, H256};
use std::sync::Arc;

/// JSON-RPC error codes of this module.
pub mod code {
	/// A runtime API call failed.
	pub const RUNTIME: i32 = 7101;
	/// An account is not a valid SS58 address.
	pub const BAD_ACCOUNT: i32 = 7102;
}

fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.into(), None::<()>)
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaJson {
	pub worker: String,
	pub payout: EthAddress,
	pub assigned_at: u64,
	pub expires_at: u64,
	/// `waiting`, `committed`, `reported`, `paid`, `wrong`, `missed` or `released`.
	pub state: &'static str,
	pub output_hash: Option<H256>,
	pub fuel_used: Option<u64>,
	pub paid: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobJson {
	pub id: JobId,
	pub owner: String,
	pub network: NetworkId,
	pub kind: String,
	pub code_hash: H256,
	pub code_uri: String,
	pub input_hash: H256,
	pub input_uri: String,
	pub replication: u8,
	pub fuel: u64,
	pub memory_mib: u32,
	pub time_ms: u32,
	pub deadline: u64,
	pub max_payment: String,
	pub escrow: String,
	/// `pending`, `running`, `completed`, `failed` or `cancelled`.
	pub status: &'static str,
	/// Why a failed job failed: `notAssigned`, `noMajority` or `timedOut`.
	pub failure: Option<&'static str>,
	/// The output the majority agreed on, once completed.
	pub output_hash: Option<H256>,
	pub fuel_used: Option<u64>,
	/// Whether every replica has committed and reveals are accepted.
	pub revealing: bool,
	pub submitted_at: u64,
	pub settled_at: Option<u64>,
	pub replicas: Vec<ReplicaJson>,
}

impl From<JobView<AccountId>> for JobJson {
	fn from(job: JobView<AccountId>) -> Self {
		let (status, failure, output_hash, fuel_used) = match job.status {
			JobStatus::Pending => ("pending", None, None, None),
			JobStatus::Running => ("running", None, None, None),
			JobStatus::Completed { output_hash, fuel_used } => {
				("completed", None, Some(output_hash), Some(fuel_used))
			},
			JobStatus::Failed { reason } => (
				"failed",
				Some(match reason {
					FailReason::NotAssigned => "notAssigned",
					FailReason::NoMajority => "noMajority",
					FailReason::TimedOut => "timedOut",
				}),
				None,
				None,
			),
			JobStatus::Cancelled => ("cancelled", None, None, None),
		};
		Self {
			id: job.id,
			owner: job.owner.to_ss58check(),
			network: job.network,
			kind: format!("{:?}", job.kind).to_lowercase(),
			code_hash: job.code_hash,
			code_uri: text(&job.code_uri),
			input_hash: job.input_hash,
			input_uri: text(&job.input_uri),
			replication: job.replication,
			fuel: job.limits.fuel,
			memory_mib: job.limits.memory_mib,
			time_ms: job.limits.time_ms,
			deadline: job.deadline,
			max_payment: job.max_payment.to_string(),
			escrow: job.escrow.to_string(),
			status,
			failure,
			output_hash,
			fuel_used,
			revealing: job.revealing,
			submitted_at: job.submitted_at,
			settled_at: job.settled_at,
			replicas: job
				.replicas
				.into_iter()
				.map(|r| {
					let (state, output_hash, fuel_used, paid) = match r.state {
						ReplicaState::Waiting => ("waiting", None, None, None),
						ReplicaState::Committed { .. } => ("committed", None, None, None),
						ReplicaState::Reported { output_hash, fuel_used } => {
							("reported", Some(output_hash), Some(fuel_used), None)
						},
						ReplicaState::Paid { output_hash, amount } => {
							("paid", Some(output_hash), None, Some(amount.to_string()))
						},
						ReplicaState::Wrong { output_hash } => {
							("wrong", Some(output_hash), None, None)
						},
						ReplicaState::Missed => ("missed", None, None, None),
						ReplicaState::Released => ("released", None, None, None),
					};
					ReplicaJson {
						worker: r.worker.to_ss58check(),
						payout: r.payout,
						assigned_at: r.assigned_at,
						expires_at: r.expires_at,
						state,
						output_hash,
						fuel_used,
						paid,
					}
				})
				.collect(),
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityJson {
	pub cpu_cores: u16,
	pub memory_mib: u32,
	pub gpus: u8,
	pub gpu_memory_mib: u32,
}

impl From<Capacity> for CapacityJson {
	fn from(c: Capacity) -> Self {
		Self {
			cpu_cores: c.cpu_cores,
			memory_mib: c.memory_mib,
			gpus: c.gpu.map_or(0, |g| g.count),
			gpu_memory_mib: c.gpu.map_or(0, |g| g.memory_mib),
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkJson {
	pub id: NetworkId,
	pub name: String,
	pub kind: String,
	pub min_reputation: u32,
	pub min_capacity: CapacityJson,
	pub price_floor: String,
	pub retired: bool,
	pub members: u32,
}

impl From<NetworkView> for NetworkJson {
	fn from(n: NetworkView) -> Self {
		Self {
			id: n.id,
			name: text(&n.name),
			kind: format!("{:?}", n.kind).to_lowercase(),
			min_reputation: n.min_reputation,
			min_capacity: n.min_capacity.into(),
			price_floor: n.price_floor.to_string(),
			retired: n.retired,
			members: n.members,
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerJson {
	pub account: String,
	pub identity: H256,
	pub endpoint: String,
	pub capacity: CapacityJson,
	pub payout: EthAddress,
	pub networks: Vec<NetworkId>,
	pub validator: String,
	pub paused: bool,
	pub registered_at: u64,
	pub score: u32,
	pub strikes: u32,
	pub blacklisted: bool,
	pub load: u32,
}

impl From<WorkerView<AccountId>> for WorkerJson {
	fn from(w: WorkerView<AccountId>) -> Self {
		Self {
			account: w.account.to_ss58check(),
			identity: H256(w.identity),
			endpoint: text(&w.endpoint),
			capacity: w.capacity.into(),
			payout: w.payout,
			networks: w.networks,
			validator: w.validator.to_ss58check(),
			paused: w.paused,
			registered_at: w.registered_at,
			score: w.score,
			strikes: w.strikes,
			blacklisted: w.blacklisted,
			load: w.load,
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StandingJson {
	pub worker: Option<WorkerJson>,
	pub user_since: Option<u64>,
	pub jobs: u32,
}

impl From<StandingView<AccountId>> for StandingJson {
	fn from(s: StandingView<AccountId>) -> Self {
		Self { worker: s.worker.map(Into::into), user_since: s.user_since, jobs: s.jobs }
	}
}

#[rpc(server)]
pub trait JobsRpcApi {
	/// Job `id` with its replicas and, once completed, the agreed output hash.
	#[method(name = "smartnodes_job")]
	fn job(&self, id: JobId) -> RpcResult<Option<JobJson>>;

	/// `account`'s jobs with ids above `after`, at most `limit` (default and cap 100).
	#[method(name = "smartnodes_jobsOf")]
	fn jobs_of(
		&self,
		account: String,
		after: Option<JobId>,
		limit: Option<u32>,
	) -> RpcResult<Vec<JobJson>>;

	/// Every network, retired ones included.
	#[method(name = "smartnodes_networks")]
	fn networks(&self) -> RpcResult<Vec<NetworkJson>>;

	/// The workers standing for assignment in `network`, from index `from`, at most `limit`
	/// (default and cap 100), with their reputation.
	#[method(name = "smartnodes_networkWorkers")]
	fn network_workers(
		&self,
		network: NetworkId,
		from: Option<u32>,
		limit: Option<u32>,
	) -> RpcResult<Vec<WorkerJson>>;

	/// `account`'s standing as a worker (registration, score, strikes, blacklist) and a user.
	#[method(name = "smartnodes_standing")]
	fn standing(&self, account: String) -> RpcResult<StandingJson>;
}

pub struct JobsRpc<C> {
	client: Arc<C>,
}

impl<C> JobsRpc<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn parse_account(account: &str) -> RpcResult<AccountId> {
	AccountId::from_ss58check(account)
		.map_err(|e| error(code::BAD_ACCOUNT, format!("{account:?} is not an SS58 address: {e:?}")))
}

impl<C> JobsRpcApiServer for JobsRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: JobsApi<Block, AccountId>,
{
	fn job(&self, id: JobId) -> RpcResult<Option<JobJson>> {
		let best = self.client.info().best_hash;
		let job = self
			.client
			.runtime_api()
			.job(best, id)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(job.map(Into::into))
	}

	fn jobs_of(
		&self,
		account: String,
		after: Option<JobId>,
		limit: Option<u32>,
	) -> RpcResult<Vec<JobJson>> {
		let who = parse_account(&account)?;
		let best = self.client.info().best_hash;
		let jobs = self
			.client
			.runtime_api()
			.jobs_of(best, who, after, limit.unwrap_or(MAX_PAGE).min(MAX_PAGE))
			.map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(jobs.into_iter().map(Into::into).collect())
	}

	fn networks(&self) -> RpcResult<Vec<NetworkJson>> {
		let best = self.client.info().best_hash;
		let networks = self
			.client
			.runtime_api()
			.networks(best)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(networks.into_iter().map(Into::into).collect())
	}

	fn network_workers(
		&self,
		network: NetworkId,
		from: Option<u32>,
		limit: Option<u32>,
	) -> RpcResult<Vec<WorkerJson>> {
		let best = self.client.info().best_hash;
		let workers = self
			.client
			.runtime_api()
			.network_workers(
				best,
				network,
				from.unwrap_or(0),
				limit.unwrap_or(MAX_PAGE).min(MAX_PAGE),
			)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(workers.into_iter().map(Into::into).collect())
	}

	fn standing(&self, account: String) -> RpcResult<StandingJson> {
		let who = parse_account(&account)?;
		let best = self.client.info().best_hash;
		let standing = self
			.client
			.runtime_api()
			.standing(best, who)
			.map_err(|e| error(code::RUNTIME, e.to_string()))?;
		Ok(standing.into())
	}
}
