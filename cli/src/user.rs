//! What a user does: register, submit a job, follow it, fetch its result, cancel it.

use crate::{client::Client, job, Error, Result};
use serde_json::{json, Value};
use smartnodes_primitives::compute::JobId;
use smartnodes_runtime::{RuntimeCall, RuntimeEvent};
use sp_core::{crypto::Pair as _, sr25519, H256};
use std::{io::Read, path::Path, time::Duration};

/// The path a worker serves a job's output at, under its registered endpoint.
pub fn output_url(endpoint: &str, id: JobId) -> String {
	format!("{}/v1/jobs/{id}/output", endpoint.trim_end_matches('/'))
}

/// Registers the signer as a user (holding the user deposit).
pub fn register_user(client: &Client, signer: &sr25519::Pair) -> Result<()> {
	let xt =
		client.submit(signer, RuntimeCall::Registry(pallet_registry::Call::register_user {}))?;
	client.wait_included(&xt).map(|_| ())
}

/// Submits the job described in `path`; returns its id once included.
pub fn submit(client: &Client, signer: &sr25519::Pair, path: &Path) -> Result<JobId> {
	let spec = job::load(path, client.best_number()?)?;
	let xt = client.submit(signer, RuntimeCall::Jobs(pallet_jobs::Call::submit_job { spec }))?;
	let included = client.wait_included(&xt)?;
	included
		.events
		.iter()
		.find_map(|event| match event {
			RuntimeEvent::Jobs(pallet_jobs::Event::JobSubmitted { id, .. }) => Some(*id),
			_ => None,
		})
		.ok_or_else(|| Error::Dispatch("included without a JobSubmitted event".into()))
}

/// Cancels a job still waiting for assignment.
pub fn cancel(client: &Client, signer: &sr25519::Pair, id: JobId) -> Result<()> {
	let xt = client.submit(signer, RuntimeCall::Jobs(pallet_jobs::Call::cancel_job { id }))?;
	client.wait_included(&xt).map(|_| ())
}

/// Job `id` as `smartnodes_job` returns it.
pub fn status(client: &Client, id: JobId) -> Result<Value> {
	let job = client.rpc("smartnodes_job", json!([id]))?;
	if job.is_null() {
		return Err(Error::Usage(format!("no job {id} on chain (never submitted, or removed)")));
	}
	Ok(job)
}

/// Whether a job has reached its final state: settled, with nothing left running.
pub fn is_final(job: &Value) -> bool {
	!job.get("settledAt").is_none_or(Value::is_null)
}

/// Polls job `id` every `every` until it is final, calling `changed` with each new state.
pub fn follow(
	client: &Client,
	id: JobId,
	every: Duration,
	mut changed: impl FnMut(&Value),
) -> Result<Value> {
	let mut last = Value::Null;
	loop {
		let job = status(client, id)?;
		if job != last {
			changed(&job);
			last = job.clone();
		}
		if is_final(&job) {
			return Ok(job);
		}
		std::thread::sleep(every);
	}
}

fn hash_of(value: Option<&Value>) -> Option<H256> {
	serde_json::from_value(value?.clone()).ok()
}

/// The output of a completed job, fetched from a worker whose result agreed with the majority
/// and checked against the agreed hash.
pub fn fetch_output(client: &Client, id: JobId) -> Result<Vec<u8>> {
	let job = status(client, id)?;
	let state = job.get("status").and_then(Value::as_str).unwrap_or_default();
	let Some(expected) = hash_of(job.get("outputHash")) else {
		return Err(Error::Usage(format!("job {id} is {state}: it has no result")));
	};
	let mut tried = Vec::new();
	let replicas = job.get("replicas").and_then(Value::as_array).cloned().unwrap_or_default();
	for replica in replicas {
		if hash_of(replica.get("outputHash")) != Some(expected) {
			continue;
		}
		let Some(worker) = replica.get("worker").and_then(Value::as_str) else { continue };
		let standing = client.rpc("smartnodes_standing", json!([worker]))?;
		let Some(endpoint) = standing.pointer("/worker/endpoint").and_then(Value::as_str) else {
			tried.push(format!("{worker}: no longer registered"));
			continue;
		};
		let url = output_url(endpoint, id);
		let response = match ureq::get(&url).timeout(Duration::from_secs(60)).call() {
			Ok(response) => response,
			Err(e) => {
				tried.push(format!("{url}: {e}"));
				continue;
			},
		};
		let mut bytes = Vec::new();
		if let Err(e) = response.into_reader().take(1 << 30).read_to_end(&mut bytes) {
			tried.push(format!("{url}: {e}"));
			continue;
		}
		let got = H256(sp_io::hashing::blake2_256(&bytes));
		if got != expected {
			return Err(Error::OutputMismatch { endpoint: url, expected, got });
		}
		return Ok(bytes);
	}
	Err(Error::NoOutput { id, detail: tried.join("; ") })
}

/// The dev or user key `suri` (`//Alice`, a mnemonic, a hex seed).
pub fn signer(suri: &str) -> Result<sr25519::Pair> {
	sr25519::Pair::from_string(suri, None)
		.map_err(|e| Error::Usage(format!("cannot derive a key from the given secret: {e:?}")))
}

/// Sends `amount` of the signer's SNO to `to` (an SS58 account), keeping the signer alive.
pub fn transfer(client: &Client, signer: &sr25519::Pair, to: &str, amount: u128) -> Result<()> {
	use sp_core::crypto::Ss58Codec;
	let dest = smartnodes_runtime::AccountId::from_ss58check(to)
		.map_err(|e| Error::Usage(format!("{to} is not an SS58 account: {e:?}")))?;
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: dest.into(),
		value: amount,
	});
	let xt = client.submit(signer, call)?;
	client.wait_included(&xt).map(|_| ())
}

/// Burns `amount` of the signer's SNO on the chain and owes it to `to` on Base, claimable once
/// the accruing period's reward root is on Base.
pub fn withdraw(client: &Client, signer: &sr25519::Pair, to: &str, amount: u128) -> Result<()> {
	let bytes = crate::client::from_hex(to)
		.filter(|b| b.len() == 20)
		.ok_or_else(|| Error::Usage(format!("{to} is not a 0x-prefixed 20-byte Base address")))?;
	let to = sp_core::H160::from_slice(&bytes);
	let call = RuntimeCall::Bridge(pallet_bridge::Call::withdraw { to, amount });
	let xt = client.submit(signer, call)?;
	client.wait_included(&xt).map(|_| ())
}

/// Creates a network for WebAssembly jobs through the sudo key (dev and local chains only; a
/// public chain creates networks by governance).
pub fn create_wasm_network(
	client: &Client,
	sudo: &sr25519::Pair,
	name: &str,
	min_reputation: u32,
	price_floor: u128,
) -> Result<()> {
	use smartnodes_primitives::compute::{Capacity, JobKind};
	let create = RuntimeCall::Registry(pallet_registry::Call::create_network {
		name: frame_support::BoundedVec::try_from(name.as_bytes().to_vec())
			.map_err(|_| Error::Usage(format!("network name {name:?} is too long")))?,
		kind: JobKind::Wasm,
		min_reputation,
		min_capacity: Capacity { cpu_cores: 1, memory_mib: 128, gpu: None },
		price_floor,
	});
	let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(create) });
	let xt = client.submit(sudo, call)?;
	client.wait_included(&xt).map(|_| ())
}
