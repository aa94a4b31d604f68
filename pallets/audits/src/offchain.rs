//! The validators' off-chain worker for audits and challenges.
//!
//! **Audits.** The runtime cannot run a job, so the off-chain worker hands each open audit of a
//! local validator to the node's audit service through the node's persistent off-chain storage:
//! it keeps the list [`requests_key`] (at most [`MAX_REQUESTS`] [`AuditRequest`]s); the service
//! runs each job with the worker's sandbox and writes its [`AuditOutcome`] under
//! [`result_key`]. The next run signs the outcome with the auditor's bridge key and submits
//! `report_audit`; entries whose audit is gone from the chain are dropped with their results.
//!
//! **Challenges.** Once per round, each local validator challenges the workers attached to it
//! that have no outcome on chain for the round yet (at most `MaxChallengeReport` per report),
//! all at once with one deadline, checks the answers and submits the signed report. A report
//! that did not land is redone [`RESEND_AFTER`] blocks later.

use crate::{audit_digest, challenges_digest, pallet::*, AuditOutcome, Round, LOG_TARGET};
use alloc::{format, vec::Vec};
use codec::{Decode, Encode};
use frame_support::{traits::Get, BoundedVec};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use smartnodes_primitives::{
	bridge_key,
	compute::{JobId, JobKind, Limits, Registry},
	dispatch::{
		challenge_answer, challenge_payload, exchange, Challenge, ChallengeReply, Exchange, Fetch,
	},
	ledger::SigningSet,
};
use sp_core::ecdsa;
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration,
	},
	SaturatedConversion,
};

/// Audits handed to the node's service at once.
pub const MAX_REQUESTS: usize = 64;
/// How long a validator waits for challenge answers, in milliseconds.
pub const CHALLENGE_TIMEOUT_MS: u64 = 3_000;
/// Blocks after which a challenge report that has not landed is redone.
pub const RESEND_AFTER: u32 = 3;

/// A job the node's audit service must run again.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AuditRequest {
	pub job: JobId,
	pub kind: JobKind,
	pub code: Fetch,
	pub input: Fetch,
	pub limits: Limits,
}

/// Off-chain storage key of the audit service's work list (`Vec<AuditRequest>`).
pub fn requests_key() -> Vec<u8> {
	b"smartnodes::audit::requests".to_vec()
}

/// Off-chain storage key of the service's outcome for `job` (an [`AuditOutcome`]).
pub fn result_key(job: JobId) -> Vec<u8> {
	(b"smartnodes::audit::result::", job).encode()
}

impl<T: Config> Pallet<T> {
	/// The off-chain work for the validators of the active set whose bridge keys this node
	/// holds (`mine`).
	pub(crate) fn offchain_worker_run(now: BlockNumberFor<T>) {
		let (_, set) = T::Validators::signing_set();
		let mine = bridge_key::local_signers(&set);
		Self::offchain_audits(&mine);
		Self::offchain_challenges(now, mine);
	}

	fn offchain_audits(mine: &[(ecdsa::Public, T::AccountId)]) {
		let mut open: Vec<(JobId, crate::AuditOf<T>)> = Vec::new();
		for (_, validator) in mine {
			for job in AuditsOf::<T>::iter_key_prefix(validator) {
				if let Some(audit) = OpenAudits::<T>::get(job) {
					open.push((job, audit));
				}
			}
		}
		let requests_key = requests_key();
		let stored = StorageValueRef::persistent(&requests_key);
		let mut requests: Vec<AuditRequest> = stored.get().ok().flatten().unwrap_or_default();
		let before = requests.len();
		requests.retain(|r| {
			let keep = open.iter().any(|(job, _)| *job == r.job);
			if !keep {
				StorageValueRef::persistent(&result_key(r.job)).clear();
			}
			keep
		});
		let mut changed = requests.len() != before;
		for (job, audit) in open {
			let result_key = result_key(job);
			let result = StorageValueRef::persistent(&result_key);
			match result.get::<AuditOutcome>() {
				Ok(Some(outcome)) => {
					// The key the auditor was drawn with, which a rotation may have replaced
					// in the set since.
					let Some(key) = sp_io::crypto::ecdsa_public_keys(bridge_key::KEY_TYPE)
						.into_iter()
						.find(|k| bridge_key::eth_address(&k.0) == Some(audit.auditor_key))
					else {
						continue;
					};
					let digest = audit_digest(&Self::genesis_hash(), job, &outcome);
					let Some(signature) = bridge_key::sign_prehashed(&key, &digest) else {
						continue;
					};
					Self::submit(Call::report_audit { job, outcome, signature });
				},
				_ => {
					if requests.len() < MAX_REQUESTS && !requests.iter().any(|r| r.job == job) {
						requests.push(AuditRequest {
							job,
							kind: audit.kind,
							code: Fetch { hash: audit.code.hash, uri: audit.code.uri.into_inner() },
							input: Fetch {
								hash: audit.input.hash,
								uri: audit.input.uri.into_inner(),
							},
							limits: audit.limits,
						});
						changed = true;
					}
				},
			}
		}
		if changed {
			stored.set(&requests);
		}
	}

	fn offchain_challenges(now: BlockNumberFor<T>, mine: Vec<(ecdsa::Public, T::AccountId)>) {
		let Some(round) = Self::current_round() else { return };
		if mine.is_empty() {
			return;
		}
		let mut lock = StorageLock::<Time>::with_deadline(
			b"smartnodes::challenge-lock",
			Duration::from_millis(CHALLENGE_TIMEOUT_MS.saturating_mul(3)),
		);
		let Ok(_guard) = lock.try_lock() else { return };
		let now: u32 = now.saturated_into();
		for (key, validator) in mine {
			let mark_key = (b"smartnodes::challenged::", &validator).encode();
			let mark = StorageValueRef::persistent(&mark_key);
			if let Ok(Some((r, at))) = mark.get::<(Round, u32)>() {
				if r == round && now < at.saturating_add(RESEND_AFTER) {
					continue;
				}
			}
			let due: Vec<T::AccountId> = T::Registry::attached_workers(&validator)
				.into_iter()
				.filter(|w| LastChallenged::<T>::get(w).is_none_or(|last| last < round))
				.take(T::MaxChallengeReport::get() as usize)
				.collect();
			if due.is_empty() {
				continue;
			}
			mark.set(&(round, now));
			let outcomes = Self::challenge(&due);
			let digest = challenges_digest(&Self::genesis_hash(), &validator, round, &outcomes);
			let Some(signature) = bridge_key::sign_prehashed(&key, &digest) else { continue };
			let failed = outcomes.iter().filter(|(_, ok)| !ok).count();
			log::info!(
				target: LOG_TARGET,
				"round {round}: challenged {} workers, {failed} failed",
				outcomes.len(),
			);
			Self::submit(Call::report_challenges {
				validator,
				round,
				outcomes: BoundedVec::truncate_from(outcomes),
				signature,
			});
		}
	}

	/// Challenges `workers` at once; each passes if it answered in time with the right hash
	/// chain, its identity key's signature and at least the capacity it declared.
	fn challenge(workers: &[T::AccountId]) -> Vec<(T::AccountId, bool)> {
		let seed = sp_io::offchain::random_seed();
		let genesis = Self::genesis_hash();
		let steps = T::ChallengeSteps::get();
		let mut asked = Vec::with_capacity(workers.len());
		let mut requests = Vec::with_capacity(workers.len());
		for worker in workers {
			let terms = T::Registry::worker(worker);
			let nonce = sp_io::hashing::blake2_256(&(seed, worker).encode());
			let challenge = Challenge { nonce, steps };
			let url = terms.as_ref().map(|t| {
				format!("{}/v1/challenge", core::str::from_utf8(&t.endpoint).unwrap_or(""))
			});
			requests.push(Exchange {
				url: url.unwrap_or_default().into_bytes(),
				body: Some(challenge.encode()),
			});
			asked.push((worker.clone(), terms, challenge));
		}
		let answers = exchange(&requests, CHALLENGE_TIMEOUT_MS);
		asked
			.into_iter()
			.zip(answers)
			.map(|((worker, terms, challenge), answer)| {
				let passed = terms.is_some_and(|terms| {
					let Some((200, body)) = answer else { return false };
					let Ok(reply) = ChallengeReply::decode(&mut &body[..]) else { return false };
					let signed = challenge_payload(
						&genesis,
						&challenge.nonce,
						&reply.answer,
						&reply.capacity,
					);
					reply.answer == challenge_answer(&challenge, &terms.identity)
						&& reply.capacity.covers(&terms.capacity)
						&& sp_io::crypto::ed25519_verify(
							&sp_core::ed25519::Signature::from_raw(reply.signature),
							&signed,
							&sp_core::ed25519::Public::from_raw(terms.identity),
						)
				});
				(worker, passed)
			})
			.collect()
	}

	fn submit(call: Call<T>) {
		let xt =
			<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
		if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
			log::debug!(target: LOG_TARGET, "a report was not accepted by the pool");
		}
	}
}
