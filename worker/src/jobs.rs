//! A job's life in the worker: accepted (checked against the chain), run (fetch, execute,
//! seal), answered (commitment, reveal once the chain opens reveals, output once the chain
//! agrees with it), and collected.

use crate::{
	chain::refuse_order,
	daemon::{blocking, Worker},
	runner::Outcome,
	store::{now, Progress, Record, State},
	Error,
};
use serde_json::{json, Value};
use smartnodes_primitives::{
	compute::JobId,
	dispatch::{
		challenge_answer, challenge_payload, Challenge, ChallengeReply, CommitReply, JobOrder,
		RevealReply, MAX_CHALLENGE_STEPS,
	},
};
use sp_core::crypto::Pair as _;
use std::{
	sync::{atomic::Ordering, Arc},
	time::Instant,
};

/// Why a request is not answered; the server maps each to an HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
	/// 404: the worker does not know the job.
	Unknown(String),
	/// 409: the worker will not answer, for the reason given.
	Conflict(String),
	/// 503: the node could not be asked; try again.
	Node(String),
	/// 500: the worker itself failed (its disk).
	Internal(String),
}

/// What `POST /v1/jobs` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
	New,
	/// The same order was accepted before; nothing changes.
	Again,
}

fn node(e: Error) -> Refusal {
	Refusal::Node(format!("cannot ask the node: {e}"))
}

impl Worker {
	/// A copy of job `id`'s record.
	pub fn record(&self, id: JobId) -> Option<Record> {
		self.jobs.lock().get(&id).cloned()
	}

	/// Changes job `id`'s progress on disk, then in memory: nothing is served from a state
	/// that a crash could lose.
	async fn save(&self, id: JobId, change: impl FnOnce(&mut Progress)) -> crate::Result<()> {
		let _order = self.persist.lock().await;
		let Some(mut progress) = self.jobs.lock().get(&id).map(|r| r.progress.clone()) else {
			return Ok(());
		};
		change(&mut progress);
		let (store, saved) = (self.store.clone(), progress.clone());
		blocking(move || store.save(id, &saved)).await?;
		if let Some(record) = self.jobs.lock().get_mut(&id) {
			record.progress = progress;
		}
		Ok(())
	}

	/// Loads the jobs a previous run kept: results stay served, and jobs that were accepted or
	/// running run again unless their assignment expired.
	pub(crate) async fn restore(self: &Arc<Self>) -> crate::Result<()> {
		let store = self.store.clone();
		let records = blocking(move || store.load_all()).await?;
		let chain = self.chain.clone();
		let best = blocking(move || chain.best_number()).await.ok();
		let mut rerun = Vec::new();
		for record in records {
			let id = record.order.job;
			let unfinished = record.progress.state.is_unfinished();
			let expired = best.is_some_and(|best| best > record.order.expires_at);
			self.jobs.lock().insert(id, record);
			if unfinished {
				rerun.push((id, expired));
			}
		}
		for (id, expired) in rerun {
			if expired {
				let reason = "the assignment expired while the worker was down".to_string();
				self.save(id, |p| p.state = State::Failed { reason }).await?;
			} else {
				tracing::info!(target: "worker::run", job = id, "running again after a restart");
				self.save(id, |p| p.state = State::Accepted).await?;
				self.spawn_run(id);
			}
		}
		tracing::info!(target: "worker::store", jobs = self.jobs.lock().len(), "restored");
		Ok(())
	}

	/// Takes `order` after checking it is for this worker and that the chain assigned it here.
	pub async fn accept(self: &Arc<Self>, order: JobOrder) -> Result<Accepted, Refusal> {
		let refused = |reason: &str| self.metrics.jobs_refused.with_label_values(&[reason]).inc();
		let me: &[u8; 32] = self.account.as_ref();
		if order.worker.as_slice() != me.as_slice() {
			refused("wrong-worker");
			let named = <[u8; 32]>::try_from(order.worker.as_slice()).map_or_else(
				|_| format!("0x{}", hex::encode(&order.worker)),
				|raw| smartnodes_primitives::AccountId::from(raw).to_string(),
			);
			return Err(Refusal::Conflict(format!(
				"the order is for worker {named}, this is {}",
				self.account
			)));
		}
		if self.record(order.job).is_some_and(|known| known.order == order) {
			return Ok(Accepted::Again);
		}
		let (chain, id) = (self.chain.clone(), order.job);
		let on_chain = blocking(move || chain.job(id)).await.map_err(|e| {
			refused("node");
			node(e)
		})?;
		if let Some(reason) = refuse_order(&order, on_chain.as_ref(), &self.account) {
			refused("chain");
			tracing::info!(target: "worker::server", job = id, "order refused: {reason}");
			return Err(Refusal::Conflict(reason));
		}
		let _order = self.persist.lock().await;
		let replaces = match self.record(id) {
			None => false,
			Some(known) if known.order == order => return Ok(Accepted::Again),
			// The chain now backs a different order for a job this worker took: the one taken
			// came from a block that left the best chain, or from an assignment that lapsed.
			// The same work keeps its run and result (the commitment does not depend on the
			// assignment); other work replaces it once the run under the old order has ended.
			Some(known) if same_work(&known.order, &order) && !known.progress.state.is_failed() => {
				self.keep(&Record { order, progress: known.progress }, false).await?;
				tracing::info!(target: "worker::server", job = id, "order superseded, result kept");
				return Ok(Accepted::New);
			},
			Some(known) if known.progress.state.is_unfinished() => {
				refused("conflict");
				return Err(Refusal::Conflict(format!(
					"job {id} is still running under an order the chain no longer backs; \
					 send the order again once that run ends"
				)));
			},
			Some(_) => true,
		};
		let record = Record {
			order,
			progress: Progress { state: State::Accepted, accepted_at: now(), fetched_at: None },
		};
		self.keep(&record, replaces).await?;
		self.metrics.jobs_accepted.inc();
		tracing::info!(target: "worker::server", job = id, replaces, "order accepted");
		self.spawn_run(id);
		Ok(Accepted::New)
	}

	/// Writes `record` (after forgetting what was kept for its job, if `replace`) and holds it
	/// in memory. The caller holds the persist lock.
	async fn keep(&self, record: &Record, replace: bool) -> Result<(), Refusal> {
		let (store, kept) = (self.store.clone(), record.clone());
		blocking(move || {
			if replace {
				store.remove(kept.order.job)?;
			}
			store.insert(&kept)
		})
		.await
		.map_err(|e| Refusal::Internal(format!("cannot keep the order: {e}")))?;
		self.jobs.lock().insert(record.order.job, record.clone());
		Ok(())
	}

	pub(crate) fn spawn_run(self: &Arc<Self>, id: JobId) {
		tokio::spawn(self.clone().execute(id));
	}

	/// Runs job `id` when a permit is free, and keeps the result.
	async fn execute(self: Arc<Self>, id: JobId) {
		let Ok(_permit) = self.permits.clone().acquire_owned().await else { return };
		// A job not started before the stop runs on the next start.
		if self.stopping.load(Ordering::SeqCst) {
			return;
		}
		let Some(order) = self.record(id).map(|r| r.order) else { return };
		if let Err(e) = self.save(id, |p| p.state = State::Running).await {
			tracing::error!(target: "worker::run", job = id, "cannot keep the job's state: {e}");
		}
		let outcome = self.run(order).await;
		let (state, output) = match outcome {
			Outcome::Sealed { output, sealed } => {
				self.metrics.fuel_used.inc_by(sealed.fuel_used);
				(State::Done(sealed), Some(output))
			},
			Outcome::Failed { reason } => (State::Failed { reason }, None),
		};
		let label = match &state {
			State::Failed { .. } => "failed",
			state => state.name(),
		};
		self.metrics.executions.with_label_values(&[label]).inc();
		let kept = match output {
			Some(output) => {
				let store = self.store.clone();
				blocking(move || store.write_output(id, &output)).await
			},
			None => Ok(()),
		};
		let kept = match kept {
			Ok(()) => self.save(id, |p| p.state = state).await,
			Err(e) => Err(e),
		};
		match kept {
			Ok(()) => tracing::info!(target: "worker::run", job = id, "finished: {label}"),
			Err(e) => {
				tracing::error!(target: "worker::run", job = id, "cannot keep the result: {e}");
				let reason = format!("the result could not be kept: {e}");
				if let Some(record) = self.jobs.lock().get_mut(&id) {
					record.progress.state = State::Failed { reason };
				}
			},
		}
	}

	/// Fetches `order`'s code and input and runs it.
	async fn run(&self, order: JobOrder) -> Outcome {
		let (fetcher, wanted) = (self.fetcher.clone(), order.clone());
		let fetched = blocking(move || {
			Ok((fetcher.get("code", &wanted.code)?, fetcher.get("input", &wanted.input)?))
		})
		.await;
		let (code, input) = match fetched {
			Ok(fetched) => fetched,
			Err(e) => {
				tracing::warn!(target: "worker::fetch", job = order.job, "{e}");
				return Outcome::Failed { reason: e.to_string() };
			},
		};
		let runner = self.runner.clone();
		let started = Instant::now();
		let outcome = tokio::task::spawn_blocking(move || runner.run(&order, &code, &input))
			.await
			.unwrap_or_else(|e| Outcome::Failed { reason: format!("the run panicked: {e}") });
		self.metrics.execution_seconds.observe(started.elapsed().as_secs_f64());
		outcome
	}

	/// The commitment to job `id`'s result; `None` while it runs.
	pub fn commit(&self, id: JobId) -> Result<Option<CommitReply>, Refusal> {
		let record = self.record(id).ok_or_else(|| unknown(id))?;
		match record.progress.state {
			State::Accepted | State::Running => Ok(None),
			State::Done(sealed) => {
				Ok(Some(CommitReply { commitment: sealed.commitment, signature: sealed.signature }))
			},
			State::Failed { reason } => Err(Refusal::Conflict(format!("no result: {reason}"))),
		}
	}

	/// The values behind job `id`'s commitment, once the chain accepts reveals.
	pub async fn reveal(&self, id: JobId) -> Result<RevealReply, Refusal> {
		let sealed = self.sealed(id)?;
		let chain = self.chain.clone();
		let job = blocking(move || chain.job(id)).await.map_err(node)?;
		if !job.is_some_and(|job| job.revealing) {
			return Err(Refusal::Conflict(format!("reveals not open for job {id}")));
		}
		Ok(RevealReply {
			output_hash: sealed.output_hash,
			fuel_used: sealed.fuel_used,
			salt: sealed.salt,
		})
	}

	/// Job `id`'s output, once the chain completed the job with this worker's output hash.
	pub async fn output(&self, id: JobId) -> Result<Vec<u8>, Refusal> {
		let sealed = self.sealed(id)?;
		let chain = self.chain.clone();
		let job = blocking(move || chain.job(id)).await.map_err(node)?;
		let Some(job) = job else {
			return Err(Refusal::Unknown(format!("job {id} is not on chain")));
		};
		if job.status != "completed" {
			return Err(Refusal::Conflict(format!(
				"job {id} is {} on chain; its output is served once it is completed",
				job.status
			)));
		}
		if job.output_hash != Some(sealed.output_hash) {
			return Err(Refusal::Conflict(format!(
				"the replicas agreed on output {:?}; this worker's result is {:?}",
				job.output_hash, sealed.output_hash
			)));
		}
		let store = self.store.clone();
		let output = blocking(move || store.output(id))
			.await
			.map_err(|e| Refusal::Internal(e.to_string()))?
			.ok_or_else(|| Refusal::Unknown(format!("the output of job {id} is gone")))?;
		if self.record(id).is_some_and(|r| r.progress.fetched_at.is_none()) {
			let at = now();
			if let Err(e) = self.save(id, |p| p.fetched_at = Some(at)).await {
				tracing::warn!(target: "worker::store", job = id, "{e}");
			}
		}
		self.metrics.outputs_served.inc();
		Ok(output)
	}

	fn sealed(&self, id: JobId) -> Result<crate::store::Sealed, Refusal> {
		match self.record(id).ok_or_else(|| unknown(id))?.progress.state {
			State::Done(sealed) => Ok(sealed),
			state => Err(Refusal::Conflict(format!("job {id} has no result: {}", state.name()))),
		}
	}

	/// Answers a liveness and capacity challenge.
	pub async fn challenge(&self, challenge: Challenge) -> crate::Result<ChallengeReply> {
		let challenge = Challenge { steps: challenge.steps.min(MAX_CHALLENGE_STEPS), ..challenge };
		let identity = self.identity;
		let nonce = challenge.nonce;
		let answer = blocking(move || Ok(challenge_answer(&challenge, &identity))).await?;
		let capacity = self.measured;
		let payload = challenge_payload(&self.genesis, &nonce, &answer, &capacity);
		self.metrics.challenges_answered.inc();
		Ok(ChallengeReply { answer, capacity, signature: self.signer.sign(&payload).0 })
	}

	/// Job `id` for humans.
	pub fn status(&self, id: JobId) -> Option<Value> {
		let record = self.record(id)?;
		let progress = &record.progress;
		let mut status = json!({
			"id": id,
			"state": progress.state.name(),
			"acceptedAt": progress.accepted_at,
			"fetchedAt": progress.fetched_at,
			"expiresAt": record.order.expires_at,
			"codeHash": record.order.code.hash,
			"inputHash": record.order.input.hash,
		});
		let extra = match &progress.state {
			State::Done(sealed) => json!({
				"outputHash": sealed.output_hash,
				"fuelUsed": sealed.fuel_used,
				"commitment": sealed.commitment,
				"failure": sealed.failure,
			}),
			State::Failed { reason } => json!({ "reason": reason }),
			_ => json!({}),
		};
		if let (Some(status), Value::Object(extra)) = (status.as_object_mut(), extra) {
			status.extend(extra);
		}
		Some(status)
	}

	/// Looks at up to `max` jobs after the last one looked at and forgets those no longer
	/// needed: an output fetched longer than the retention ago; a job the chain no longer
	/// has, or that ended without needing this worker's result. Returns how many it removed.
	pub async fn gc_pass(&self, max: usize) -> usize {
		let from = *self.gc_cursor.lock();
		let ids: Vec<JobId> = self.jobs.lock().range(from..).map(|(id, _)| *id).take(max).collect();
		// The next pass starts after these, or from the first job once all were looked at.
		*self.gc_cursor.lock() = match ids.last() {
			Some(last) if ids.len() == max => last.checked_add(1).unwrap_or(0),
			_ => 0,
		};
		let mut removed = 0usize;
		for id in ids {
			if self.collectable(id).await {
				let _order = self.persist.lock().await;
				self.jobs.lock().remove(&id);
				let store = self.store.clone();
				if let Err(e) = blocking(move || store.remove(id)).await {
					tracing::warn!(target: "worker::store", job = id, "{e}");
				}
				removed = removed.saturating_add(1);
			}
		}
		removed
	}

	async fn collectable(&self, id: JobId) -> bool {
		let Some(record) = self.record(id) else { return false };
		let retention = self.config.retention.as_secs();
		let ours = match &record.progress.state {
			State::Accepted | State::Running => return false,
			State::Done(sealed) => {
				if record.progress.fetched_at.is_some_and(|t| now() >= t.saturating_add(retention))
				{
					return true;
				}
				Some(sealed.output_hash)
			},
			State::Failed { .. } => None,
		};
		let chain = self.chain.clone();
		let Ok(job) = blocking(move || chain.job(id)).await else { return false };
		let Some(job) = job else { return true };
		match (job.status.as_str(), ours) {
			("failed" | "cancelled", _) => true,
			("completed", Some(ours)) => job.output_hash != Some(ours),
			("running", Some(_)) => false,
			// A failed run: kept while the chain still waits on this worker, for the status.
			(_, None) => job.replica_of(&self.account).is_none_or(|r| r.state != "waiting"),
			_ => false,
		}
	}
}

/// Whether two orders for one job ask for the same run: they may differ only in where the
/// code and input are fetched from (both are hash-checked) and in when the assignment expires.
fn same_work(a: &JobOrder, b: &JobOrder) -> bool {
	(a.job, &a.worker, a.network, &a.kind, a.code.hash, a.input.hash, &a.limits)
		== (b.job, &b.worker, b.network, &b.kind, b.code.hash, b.input.hash, &b.limits)
}

fn unknown(id: JobId) -> Refusal {
	Refusal::Unknown(format!("this worker has no job {id}"))
}
