//! The validators' off-chain worker for jobs: hands each replica assigned to a worker attached
//! to this node's validator to that worker, fetches its signed commitment and, once the chain
//! opens reveals, its reveal, and submits both as the authorized `commit_result` and
//! `reveal_result` transactions (free: the worker's signature and commitment authorize them).
//!
//! Each run reads the chain's own index of running replicas (`Assignments`), so a run that was
//! skipped, a restarted node or a worker that lost an order costs a few blocks, never a job.
//! HTTP work per run is capped at [`MAX_REQUESTS`] and starts at a rotating offset, so with
//! more work than the cap every replica is still visited within a few blocks. Nothing is kept
//! off chain but when each order was last sent.
//!
//! The protocol is [`smartnodes_primitives::dispatch`].

use crate::{pallet::*, JobOf, ReplicaState, LOG_TARGET};
use alloc::{format, vec::Vec};
use codec::{Decode, Encode};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use smartnodes_primitives::{
	bridge_key,
	compute::{JobId, Registry},
	dispatch::{exchange, CommitReply, Exchange, Fetch, JobOrder, RevealReply},
	ledger::SigningSet,
};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration,
	},
	SaturatedConversion,
};

/// HTTP requests per run, at most.
pub const MAX_REQUESTS: usize = 64;
/// How long a run waits for the workers' answers, in milliseconds.
pub const TIMEOUT_MS: u64 = 2_000;
/// Blocks after which an order that brought no commitment is sent again (the worker may have
/// restarted before storing it).
pub const REORDER_AFTER: u32 = 10;

/// What one request is for.
enum Step<AccountId> {
	Order { id: JobId, worker: AccountId },
	Commit { id: JobId, worker: AccountId },
	Reveal { id: JobId, worker: AccountId },
}

fn ordered_key(id: JobId, worker: &[u8]) -> Vec<u8> {
	(b"smartnodes::ordered::", id, worker).encode()
}

impl<T: Config> Pallet<T> {
	pub(crate) fn offchain_dispatch(now: BlockNumberFor<T>) {
		let (_, set) = T::Validators::signing_set();
		let validators = bridge_key::local_signers(&set);
		if validators.is_empty() {
			return;
		}
		// One run at a time: a slow worker must not make runs pile up.
		let mut lock = StorageLock::<Time>::with_deadline(
			b"smartnodes::dispatch-lock",
			Duration::from_millis(TIMEOUT_MS.saturating_mul(3)),
		);
		let Ok(_guard) = lock.try_lock() else { return };

		let now: u32 = now.saturated_into();
		let mut work = Vec::new();
		for (_, validator) in &validators {
			for worker in T::Registry::attached_workers(validator) {
				let Some(terms) = T::Registry::worker(&worker) else { continue };
				for id in Assignments::<T>::iter_key_prefix(&worker) {
					if let Some(job) = JobsById::<T>::get(id) {
						work.push((id, worker.clone(), terms.endpoint.clone(), job));
					}
				}
			}
		}
		if work.is_empty() {
			return;
		}
		let start = (now as usize).checked_rem(work.len()).unwrap_or(0);
		work.rotate_left(start);

		let mut steps = Vec::new();
		let mut requests = Vec::new();
		for (id, worker, endpoint, job) in work {
			if requests.len() >= MAX_REQUESTS {
				break;
			}
			let Some(replica) = job.replicas.iter().find(|r| r.worker == worker) else { continue };
			let base = format!("{}/v1/jobs", core::str::from_utf8(&endpoint).unwrap_or_default());
			match replica.state {
				ReplicaState::Waiting => {
					let key = ordered_key(id, &worker.encode());
					let mark = StorageValueRef::persistent(&key);
					let sent = mark.get::<u32>().ok().flatten();
					if sent.is_none_or(|at| now >= at.saturating_add(REORDER_AFTER)) {
						mark.set(&now);
						let order = Self::order(id, &worker, replica.expires_at, &job);
						requests
							.push(Exchange { url: base.into_bytes(), body: Some(order.encode()) });
						steps.push(Step::Order { id, worker });
					} else {
						requests.push(Exchange {
							url: format!("{base}/{id}/commit").into_bytes(),
							body: None,
						});
						steps.push(Step::Commit { id, worker });
					}
				},
				ReplicaState::Committed { .. } if job.revealing => {
					StorageValueRef::persistent(&ordered_key(id, &worker.encode())).clear();
					requests.push(Exchange {
						url: format!("{base}/{id}/reveal").into_bytes(),
						body: None,
					});
					steps.push(Step::Reveal { id, worker });
				},
				_ => {},
			}
		}
		let answers = exchange(&requests, TIMEOUT_MS);
		for (step, answer) in steps.into_iter().zip(answers) {
			let (what, id) = match &step {
				Step::Order { id, .. } => ("order", id),
				Step::Commit { id, .. } => ("commit", id),
				Step::Reveal { id, .. } => ("reveal", id),
			};
			log::debug!(
				target: LOG_TARGET,
				"job {id}: {what} at block {now}: {:?}",
				answer.as_ref().map(|(code, _)| *code)
			);
			Self::handle(step, answer);
		}
	}

	fn order(
		id: JobId,
		worker: &T::AccountId,
		expires_at: BlockNumberFor<T>,
		job: &JobOf<T>,
	) -> JobOrder {
		JobOrder {
			job: id,
			worker: worker.encode(),
			network: job.spec.network,
			kind: job.spec.kind,
			code: Fetch { hash: job.spec.code.hash, uri: job.spec.code.uri.to_vec() },
			input: Fetch { hash: job.spec.input.hash, uri: job.spec.input.uri.to_vec() },
			limits: job.spec.limits,
			expires_at: expires_at.saturated_into(),
		}
	}

	fn handle(step: Step<T::AccountId>, answer: Option<(u16, Vec<u8>)>) {
		let call = match (step, answer) {
			(Step::Order { id, worker }, Some((code, body))) if code >= 300 => {
				log::info!(
					target: LOG_TARGET,
					"job {id}: the worker refused the order ({code}): {}",
					core::str::from_utf8(&body).unwrap_or("(binary)"),
				);
				// Its node may be a block behind ours: order again next block.
				StorageValueRef::persistent(&ordered_key(id, &worker.encode())).clear();
				return;
			},
			(Step::Commit { id, worker }, Some((200, body))) => {
				let Ok(reply) = CommitReply::decode(&mut &body[..]) else {
					log::info!(target: LOG_TARGET, "job {id}: undecodable commitment");
					return;
				};
				// Checked here as the pool would, so a bad answer costs no submission.
				if let Err(error) =
					Self::check_commit(id, &worker, &reply.commitment, &reply.signature)
				{
					log::info!(target: LOG_TARGET, "job {id}: commitment refused: {error:?}");
					return;
				}
				StorageValueRef::persistent(&ordered_key(id, &worker.encode())).clear();
				Call::commit_result {
					id,
					worker,
					commitment: reply.commitment,
					signature: reply.signature,
				}
			},
			(Step::Reveal { id, worker }, Some((200, body))) => {
				let Ok(reply) = RevealReply::decode(&mut &body[..]) else {
					log::info!(target: LOG_TARGET, "job {id}: undecodable reveal");
					return;
				};
				if let Err(error) = Self::check_reveal(
					id,
					&worker,
					&reply.output_hash,
					reply.fuel_used,
					&reply.salt,
				) {
					log::info!(target: LOG_TARGET, "job {id}: reveal refused: {error:?}");
					return;
				}
				Call::reveal_result {
					id,
					worker,
					output_hash: reply.output_hash,
					fuel_used: reply.fuel_used,
					salt: reply.salt,
				}
			},
			_ => return,
		};
		let xt =
			<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
		match SubmitTransaction::<T, Call<T>>::submit_transaction(xt) {
			Ok(()) => log::debug!(target: LOG_TARGET, "relayed a result to the pool"),
			Err(()) => {
				log::debug!(target: LOG_TARGET, "a relayed result was not accepted by the pool")
			},
		}
	}
}
