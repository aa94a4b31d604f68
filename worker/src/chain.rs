//! What the worker asks the chain: the genesis hash it signs for, the best block, a job's
//! assignment and status (before working for an order, before revealing, before serving an
//! output) and its own registration. [`Chain`] is that surface; [`RpcChain`], over a node's
//! JSON-RPC, is its implementation. Everything here blocks.

use crate::{config::parse_account, Error, Result};
use serde::Deserialize;
use serde_json::json;
use smartnodes_cli::Client;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	compute::{Capacity, JobId, NetworkId},
	dispatch::JobOrder,
	AccountId,
};
use smartnodes_runtime::RuntimeCall;
use sp_core::{crypto::Ss58Codec, sr25519, H256};

/// A replica of a job, as `smartnodes_job` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReplica {
	/// SS58.
	pub worker: String,
	/// `waiting`, `committed`, `reported`, `paid`, `wrong`, `missed` or `released`.
	pub state: String,
	pub expires_at: u64,
	pub output_hash: Option<H256>,
}

/// A job, as `smartnodes_job` shows it (the fields the worker needs).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainJob {
	pub id: JobId,
	/// `pending`, `running`, `completed`, `failed` or `cancelled`.
	pub status: String,
	pub revealing: bool,
	/// The output the majority agreed on, once completed.
	pub output_hash: Option<H256>,
	pub code_hash: H256,
	pub input_hash: H256,
	pub fuel: u64,
	pub memory_mib: u32,
	pub time_ms: u32,
	pub replicas: Vec<ChainReplica>,
}

impl ChainJob {
	/// The replica assigned to `worker`, if any.
	pub fn replica_of(&self, worker: &AccountId) -> Option<&ChainReplica> {
		self.replicas.iter().find(|r| parse_account(&r.worker).is_ok_and(|a| a == *worker))
	}
}

/// A registered worker, as `smartnodes_standing` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainWorker {
	pub identity: H256,
	pub endpoint: String,
	pub validator: String,
	pub networks: Vec<NetworkId>,
	pub paused: bool,
}

/// The chain, as the worker reads it.
pub trait Chain: Send + Sync {
	fn genesis(&self) -> Result<H256>;
	fn best_number(&self) -> Result<u32>;
	/// Job `id`, or `None` if the chain does not have it (never submitted, or removed).
	fn job(&self, id: JobId) -> Result<Option<ChainJob>>;
	/// `account`'s registration as a worker, if it is one.
	fn worker(&self, account: &AccountId) -> Result<Option<ChainWorker>>;
}

/// [`Chain`] over a node's JSON-RPC.
pub struct RpcChain {
	client: Client,
}

impl RpcChain {
	pub fn new(url: &str) -> Self {
		Self { client: Client::new(url) }
	}

	pub fn client(&self) -> &Client {
		&self.client
	}
}

impl Chain for RpcChain {
	fn genesis(&self) -> Result<H256> {
		Ok(self.client.genesis_hash()?)
	}

	fn best_number(&self) -> Result<u32> {
		Ok(self.client.best_number()?)
	}

	fn job(&self, id: JobId) -> Result<Option<ChainJob>> {
		Ok(self.client.call("smartnodes_job", json!([id]))?)
	}

	fn worker(&self, account: &AccountId) -> Result<Option<ChainWorker>> {
		#[derive(Deserialize)]
		struct Standing {
			worker: Option<ChainWorker>,
		}
		let standing: Standing =
			self.client.call("smartnodes_standing", json!([account.to_ss58check()]))?;
		Ok(standing.worker)
	}
}

/// Why `order` must not be worked on, given the chain's view of its job; `None` if it may. The
/// chain must say the job is running with a replica of `worker`'s waiting for a result, for
/// the code, input and limits the order names: a worker works for free otherwise.
pub fn refuse_order(
	order: &JobOrder,
	job: Option<&ChainJob>,
	worker: &AccountId,
) -> Option<String> {
	let Some(job) = job else {
		return Some(format!("job {} is not on chain", order.job));
	};
	if job.status != "running" {
		return Some(format!("job {} is {}, not running", order.job, job.status));
	}
	let Some(replica) = job.replica_of(worker) else {
		return Some(format!("job {} has no replica assigned to {worker}", order.job));
	};
	if replica.state != "waiting" {
		return Some(format!(
			"the replica of job {} assigned to this worker is {}, not waiting",
			order.job, replica.state
		));
	}
	// An order built from a block that left the best chain names another assignment.
	if replica.expires_at != u64::from(order.expires_at) {
		return Some(format!(
			"the order's assignment expires at block {}, job {}'s replica for this worker at {}",
			order.expires_at, order.job, replica.expires_at
		));
	}
	if job.code_hash != order.code.hash || job.input_hash != order.input.hash {
		return Some(format!("the order's code or input hash differs from job {}'s", order.job));
	}
	let limits = &order.limits;
	if (job.fuel, job.memory_mib, job.time_ms) != (limits.fuel, limits.memory_mib, limits.time_ms) {
		return Some(format!("the order's limits differ from job {}'s", order.job));
	}
	None
}

/// What `register_worker` declares.
#[derive(Clone, Debug)]
pub struct Registration {
	pub identity: [u8; 32],
	pub endpoint: String,
	pub capacity: Capacity,
	pub payout: EthAddress,
	pub networks: Vec<NetworkId>,
	pub validator: AccountId,
}

/// Registers `signer`'s account as a worker (holding the worker deposit) and waits for the
/// transaction's inclusion; a failure names the pallet error (`registry.IdentityInUse`...).
pub fn register(
	client: &Client,
	signer: &sr25519::Pair,
	registration: &Registration,
) -> Result<()> {
	let endpoint = registration.endpoint.as_bytes().to_vec().try_into().map_err(|_| {
		Error::Config(format!("the endpoint {:?} is too long for the chain", registration.endpoint))
	})?;
	let networks = registration
		.networks
		.clone()
		.try_into()
		.map_err(|_| Error::Config("more networks than the chain allows a worker".into()))?;
	let call = RuntimeCall::Registry(pallet_registry::Call::register_worker {
		identity: registration.identity,
		endpoint,
		capacity: registration.capacity,
		payout: registration.payout,
		networks,
		validator: registration.validator.clone(),
	});
	let xt = client.submit(signer, call)?;
	client.wait_included(&xt)?;
	Ok(())
}
