//! The protocol between a validator's off-chain worker and the workers attached to it: SCALE
//! bodies over HTTP, defined once here so the runtime and the worker program cannot drift apart.
//!
//! | Request | Body | Answer |
//! | --- | --- | --- |
//! | `POST /v1/jobs` | [`JobOrder`] | `202` accepted (again: `200`, nothing changes) |
//! | `GET /v1/jobs/<id>/commit` | | `200` [`CommitReply`]; `202` still running |
//! | `GET /v1/jobs/<id>/reveal` | | `200` [`RevealReply`] once the chain opened reveals |
//! | `POST /v1/challenge` | [`Challenge`] | `200` [`ChallengeReply`] |
//!
//! `404` means the worker does not know the job; `409` that it will not answer it (the job is not
//! assigned to it on chain, or its run failed in a way that is not deterministic). Users fetch a
//! completed job's output at `GET /v1/jobs/<id>/output` (raw bytes).

use crate::compute::{Capacity, JobId, JobKind, Limits, NetworkId};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_core::H256;

/// Content type of every body in this protocol.
pub const CONTENT_TYPE: &str = "application/scale";

/// Where to fetch a job's code or input, and the blake2-256 hash it must have.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Fetch {
	pub hash: H256,
	pub uri: Vec<u8>,
}

/// A replica handed to a worker: everything it needs to run the job without reading the chain
/// (it still checks on chain that the replica is its own before working for free).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct JobOrder {
	pub job: JobId,
	/// The worker account the replica is assigned to, SCALE-encoded (32 bytes on Smartnodes).
	pub worker: Vec<u8>,
	pub network: NetworkId,
	pub kind: JobKind,
	pub code: Fetch,
	pub input: Fetch,
	pub limits: Limits,
	/// The last block the replica's commitment is accepted at.
	pub expires_at: u32,
}

/// A worker's commitment to its result, signed with its identity key over
/// [`crate::compute::commit_payload`].
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct CommitReply {
	pub commitment: H256,
	pub signature: [u8; 64],
}

/// The values behind a commitment, given out once the chain accepts reveals.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RevealReply {
	pub output_hash: H256,
	pub fuel_used: u64,
	pub salt: [u8; 32],
}

/// A liveness and capacity challenge: a fresh nonce and a small amount of work.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Challenge {
	pub nonce: [u8; 32],
	/// Hash-chain steps to compute ([`challenge_answer`]).
	pub steps: u32,
}

/// A worker's answer: the hash chain, the capacity it measures on its machine, signed with its
/// identity key over [`challenge_payload`].
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChallengeReply {
	pub answer: H256,
	pub capacity: Capacity,
	pub signature: [u8; 64],
}

/// Domain tag of a challenge's hash chain.
pub const CHALLENGE_DOMAIN: &[u8] = b"smartnodes:challenge:v1";

/// Most hash-chain steps a challenge may ask for (the validator recomputes them).
pub const MAX_CHALLENGE_STEPS: u32 = 1 << 16;

/// The answer to `challenge` for the worker with `identity`: `steps` rounds of blake2-256 from
/// the domain, the nonce and the identity key, so an answer proves both the work and who did it.
pub fn challenge_answer(challenge: &Challenge, identity: &[u8; 32]) -> H256 {
	let mut seed = Vec::with_capacity(CHALLENGE_DOMAIN.len().saturating_add(64));
	seed.extend_from_slice(CHALLENGE_DOMAIN);
	seed.extend_from_slice(&challenge.nonce);
	seed.extend_from_slice(identity);
	let mut state = sp_io::hashing::blake2_256(&seed);
	for _ in 0..challenge.steps.min(MAX_CHALLENGE_STEPS) {
		state = sp_io::hashing::blake2_256(&state);
	}
	H256(state)
}

/// The bytes a worker signs to answer a challenge: the domain, the chain's genesis hash, the
/// nonce, the answer and the capacity it reports.
pub fn challenge_payload(
	genesis: &H256,
	nonce: &[u8; 32],
	answer: &H256,
	capacity: &Capacity,
) -> Vec<u8> {
	let mut payload = Vec::with_capacity(CHALLENGE_DOMAIN.len().saturating_add(112));
	payload.extend_from_slice(CHALLENGE_DOMAIN);
	payload.extend_from_slice(genesis.as_bytes());
	payload.extend_from_slice(nonce);
	payload.extend_from_slice(answer.as_bytes());
	capacity.encode_to(&mut payload);
	payload
}

/// Longest reply body an off-chain worker reads (every reply of this protocol is far smaller).
pub const MAX_REPLY_BYTES: usize = 4096;

/// One request of an off-chain worker to a worker.
pub struct Exchange {
	pub url: Vec<u8>,
	/// `Some` for a `POST` with this SCALE body, `None` for a `GET`.
	pub body: Option<Vec<u8>>,
}

/// Sends every request at once from an off-chain worker and waits at most `timeout_ms` for all
/// of them: each gives its status code and body (at most [`MAX_REPLY_BYTES`]), or `None` if the
/// worker could not be reached, did not answer in time or sent a larger body. Off-chain only.
pub fn exchange(requests: &[Exchange], timeout_ms: u64) -> Vec<Option<(u16, Vec<u8>)>> {
	use sp_runtime::offchain::{http, Duration};

	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(timeout_ms));
	let mut live = Vec::with_capacity(requests.len());
	let sent: Vec<bool> = requests
		.iter()
		.map(|request| {
			let Ok(url) = core::str::from_utf8(&request.url) else { return false };
			let pending = match &request.body {
				Some(body) => http::Request::post(url, alloc::vec![body.clone()])
					.add_header("Content-Type", CONTENT_TYPE)
					.deadline(deadline)
					.send(),
				None => http::Request::get(url).deadline(deadline).send(),
			};
			pending.map(|p| live.push(p)).is_ok()
		})
		.collect();
	let mut answers = http::PendingRequest::try_wait_all(live, deadline).into_iter();
	sent.into_iter()
		.map(|sent| {
			if !sent {
				return None;
			}
			let response = answers.next()?.ok()?.ok()?;
			let mut body = response.body();
			body.deadline(deadline);
			let bytes: Vec<u8> = body.by_ref().take(MAX_REPLY_BYTES.saturating_add(1)).collect();
			(body.error().is_none() && bytes.len() <= MAX_REPLY_BYTES)
				.then_some((response.code, bytes))
		})
		.collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn answers_depend_on_nonce_identity_and_steps() {
		let c = Challenge { nonce: [1; 32], steps: 16 };
		let a = challenge_answer(&c, &[2; 32]);
		assert_eq!(a, challenge_answer(&c, &[2; 32]));
		assert_ne!(a, challenge_answer(&c, &[3; 32]));
		assert_ne!(a, challenge_answer(&Challenge { nonce: [9; 32], steps: 16 }, &[2; 32]));
		assert_ne!(a, challenge_answer(&Challenge { nonce: [1; 32], steps: 17 }, &[2; 32]));
		// The step count is capped, so a validator never recomputes more than the cap.
		let big = Challenge { nonce: [1; 32], steps: u32::MAX };
		let capped = Challenge { nonce: [1; 32], steps: MAX_CHALLENGE_STEPS };
		assert_eq!(challenge_answer(&big, &[2; 32]), challenge_answer(&capped, &[2; 32]));
	}

	#[test]
	fn bodies_round_trip() {
		let order = JobOrder {
			job: 7,
			worker: [4; 32].to_vec(),
			network: 1,
			kind: JobKind::Wasm,
			code: Fetch { hash: H256::repeat_byte(1), uri: b"http://127.0.0.1/code".to_vec() },
			input: Fetch { hash: H256::repeat_byte(2), uri: b"file:///in".to_vec() },
			limits: Limits { fuel: 10, memory_mib: 1, time_ms: 100 },
			expires_at: 99,
		};
		assert_eq!(JobOrder::decode(&mut &order.encode()[..]).unwrap(), order);
	}
}
