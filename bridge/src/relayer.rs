//! The relay loop: read the chain's finalized status and Base, decide, post one transaction,
//! follow it to its confirmations, and start over.
//!
//! It keeps no state between iterations that matters for correctness: each decision is made
//! from fresh reads of both sides, after checking that this relayer has no unmined transaction.
//! So a relayer killed at any point and restarted finishes without posting twice, several
//! relayers can run at once (the contract accepts each post once; the others' simulations
//! revert and they skip), and a post reorganized out of Base is simply posted again.

use crate::{
	base::{Attempt, Base, BaseState, TxOutcome},
	chain::ChainSource,
	decide::{decide, Decision, Post, Wait},
	error::Revert,
	metrics::Metrics,
	status::BridgeStatus,
	Error, Result,
};
use alloy::{network::ReceiptResponse, providers::Provider};
use parking_lot::Mutex;
use std::{
	future::Future,
	time::{Duration, SystemTime},
};

const TARGET: &str = "bridge::relayer";

/// How the loop paces itself.
#[derive(Clone, Debug)]
pub struct Options {
	/// Base blocks, counting the one that holds it, before a post counts as done.
	pub confirmations: u64,
	/// Pause between reads when there is nothing to do, and between receipt polls.
	pub poll_interval: Duration,
	/// Longest pause after consecutive transient errors.
	pub max_backoff: Duration,
	/// The Base chain id the configuration names (a deployment file), if any.
	pub expected_chain_id: Option<u64>,
}

impl Default for Options {
	fn default() -> Self {
		Self {
			confirmations: 3,
			poll_interval: Duration::from_secs(6),
			max_backoff: Duration::from_secs(60),
			expected_chain_id: None,
		}
	}
}

/// What one iteration did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
	/// Something was posted or changed on Base: decide again at once.
	Progress,
	/// Nothing to post now, for this reason.
	Idle(Wait),
	/// A post was not sent: its simulation reverts, with this reason.
	Refused { post: Box<Post>, revert: Revert },
}

/// Relays from `C` to the distributor through `P`.
pub struct Relayer<C, P> {
	chain: C,
	base: Base<P>,
	options: Options,
	metrics: Metrics,
	/// The chain block time of the newest unrelayed root, for the lag metric: (passed at, ms).
	passed_time: Mutex<Option<(u64, u64)>>,
}

impl<C: ChainSource, P: Provider + Clone> Relayer<C, P> {
	pub fn new(chain: C, base: Base<P>, options: Options, metrics: Metrics) -> Self {
		Self { chain, base, options, metrics, passed_time: Mutex::new(None) }
	}

	pub fn base(&self) -> &Base<P> {
		&self.base
	}

	pub fn metrics(&self) -> &Metrics {
		&self.metrics
	}

	/// Relays until `shutdown` completes (`Ok`) or a permanent error (`Err`). Dropping the loop
	/// mid-post is safe: a sent transaction is found pending (or mined) by the next start.
	pub async fn run_until(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
		tokio::select! {
			result = self.run() => result,
			() = shutdown => {
				tracing::info!(target: TARGET, "shutting down");
				Ok(())
			},
		}
	}

	/// Relays until a permanent error.
	pub async fn run(&self) -> Result<()> {
		let mut backoff = Backoff::new(self.options.poll_interval, self.options.max_backoff);
		// What was logged last: the same wait or refusal every poll is logged once.
		let mut last: Option<String> = None;
		loop {
			match self.step().await {
				Ok(Step::Progress) => {
					backoff.reset();
					last = None;
				},
				Ok(Step::Idle(wait)) => {
					backoff.reset();
					let message = wait.to_string();
					if last.as_ref() == Some(&message) {
						tracing::debug!(target: TARGET, "{message}");
					} else if wait.is_stuck() {
						tracing::error!(target: TARGET, "stuck: {message}");
					} else {
						tracing::info!(target: TARGET, "{message}");
					}
					last = Some(message);
					tokio::time::sleep(self.options.poll_interval).await;
				},
				Ok(Step::Refused { post, revert }) => {
					backoff.reset();
					if revert.is_already_done() {
						tracing::info!(target: TARGET, "skipped {post}: another relayer was first ({revert})");
						last = None;
					} else {
						let message = format!("the distributor refuses {post}: {revert}");
						if last.as_ref() == Some(&message) {
							tracing::debug!(target: TARGET, "{message}");
						} else {
							tracing::error!(target: TARGET, "{message}");
						}
						last = Some(message);
					}
					tokio::time::sleep(self.options.poll_interval).await;
				},
				Err(e) if e.is_permanent() => return Err(e),
				Err(e) => {
					self.metrics.failure(e.kind());
					let delay = backoff.next_delay();
					tracing::warn!(target: TARGET, "{e}; retrying in {delay:?}");
					last = None;
					tokio::time::sleep(delay).await;
				},
			}
		}
	}

	/// One iteration: read both sides, decide, and make at most one post.
	pub async fn step(&self) -> Result<Step> {
		let chain_id = self.base.chain_id().await?;
		if let Some(expected) = self.options.expected_chain_id {
			if expected != chain_id {
				let what = "the deployment file";
				return Err(Error::WrongChainId { base: chain_id, expected, what });
			}
		}
		let status = self.chain.status().await?;
		check_status(&status, chain_id, self.base.distributor())?;
		let state = self.base.state().await?;
		self.observe(&status, &state).await;
		match decide(&status, &state) {
			Decision::Wait(wait) => Ok(Step::Idle(wait)),
			Decision::Post(post) => {
				let nonce = state.own_nonces.map(|n| n.latest).ok_or_else(|| {
					Error::Config("the relayer needs a key to post; none is configured".into())
				})?;
				self.post(&post, nonce).await
			},
		}
	}

	async fn post(&self, post: &Post, nonce: u64) -> Result<Step> {
		let kind = post.kind();
		// Relayers that saw the same finalized block at the same time would otherwise all send,
		// and all but one transaction would revert on chain at the sender's cost. After a random
		// pause, the simulation below sees a post that another relayer got mined meanwhile.
		tokio::time::sleep(jitter(self.options.poll_interval)).await;
		if let Some(revert) = self.base.simulate(post).await? {
			return Ok(self.refused(post, revert));
		}
		let hash = match self.base.send(post, nonce).await? {
			Attempt::Sent(hash) => hash,
			Attempt::Refused(revert) => return Ok(self.refused(post, revert)),
		};
		self.metrics.sent.with_label_values(&[kind]).inc();
		tracing::info!(target: TARGET, tx = %hash, nonce, "sent {post}");
		let outcome =
			self.base.confirm(hash, self.options.confirmations, self.options.poll_interval).await?;
		match outcome {
			TxOutcome::Confirmed(receipt) => {
				let gas = receipt.gas_used();
				let block = receipt.block_number().unwrap_or_default();
				self.metrics.posts.with_label_values(&[kind]).inc();
				self.metrics.gas_used.with_label_values(&[kind]).inc_by(gas);
				tracing::info!(target: TARGET, tx = %hash, block, gas, "posted {post}");
			},
			TxOutcome::Reverted(receipt) => {
				self.metrics.failure("reverted");
				let block = receipt.block_number().unwrap_or_default();
				tracing::warn!(target: TARGET, tx = %hash, block, "{post} reverted on Base (another relayer was probably first); reading Base again");
			},
			TxOutcome::Reorged => {
				self.metrics.failure("reorged");
				tracing::warn!(target: TARGET, tx = %hash, "{post} was reorganized out of Base; reading Base again");
			},
			TxOutcome::Dropped => {
				self.metrics.failure("dropped");
				tracing::warn!(target: TARGET, tx = %hash, "{post} was dropped by the Base node; reading Base again");
			},
		}
		Ok(Step::Progress)
	}

	fn refused(&self, post: &Post, revert: Revert) -> Step {
		if revert.is_already_done() {
			self.metrics.skipped.with_label_values(&[post.kind()]).inc();
		} else {
			self.metrics.failure("refused");
		}
		Step::Refused { post: Box::new(post.clone()), revert }
	}

	/// Updates the gauges from one pair of reads.
	async fn observe(&self, status: &BridgeStatus, state: &BaseState) {
		let m = &self.metrics;
		let gauge = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
		let chain_period = status.latest_passed.as_ref().map_or(0, |root| root.period);
		m.chain_block.set(gauge(status.at.number));
		m.chain_period.set(gauge(chain_period));
		m.chain_set_id.set(gauge(status.validator_set.set_id));
		m.relayed_period.set(gauge(state.last_period));
		m.relayed_set_id.set(gauge(state.set_id));
		m.period_lag.set(gauge(chain_period.saturating_sub(state.last_period)));
		let lag = match &status.latest_passed {
			Some(root) if root.period > state.last_period => {
				self.seconds_since(root.passed_at).await
			},
			_ => 0,
		};
		m.lag_seconds.set(gauge(lag));
	}

	/// Seconds since chain block `number` was built (0 if unknown).
	async fn seconds_since(&self, number: u64) -> u64 {
		let cached = *self.passed_time.lock();
		let millis = match cached {
			Some((block, millis)) if block == number => millis,
			_ => match self.chain.block_time_ms(number).await {
				Ok(Some(millis)) => {
					*self.passed_time.lock() = Some((number, millis));
					millis
				},
				Ok(None) => return 0,
				Err(e) => {
					tracing::debug!(target: TARGET, "no time for chain block {number}: {e}");
					return 0;
				},
			},
		};
		let now = SystemTime::now()
			.duration_since(SystemTime::UNIX_EPOCH)
			.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
		now.saturating_sub(millis) / 1000
	}
}

/// A random duration below `max`.
fn jitter(max: Duration) -> Duration {
	use std::hash::{BuildHasher, Hasher};
	// RandomState is seeded from the OS; hashing the time makes each draw differ.
	let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
	hasher.write_u128(
		SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos(),
	);
	let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX);
	Duration::from_millis(hasher.finish().checked_rem(max_ms).unwrap_or(0))
}

/// The chain must sign for the network and the distributor this relayer posts to.
pub fn check_status(
	status: &BridgeStatus,
	base_chain_id: u64,
	distributor: alloy::primitives::Address,
) -> Result<()> {
	if status.chain_id != base_chain_id {
		let what = "the chain's bridge";
		return Err(Error::WrongChainId { base: base_chain_id, expected: status.chain_id, what });
	}
	if status.distributor != distributor {
		return Err(Error::WrongDistributor { configured: distributor, chain: status.distributor });
	}
	Ok(())
}

/// Exponential back-off: the poll interval (at most a second) doubled after each consecutive
/// failure, up to a maximum.
#[derive(Clone, Debug)]
pub struct Backoff {
	first: Duration,
	max: Duration,
	next: Duration,
}

impl Backoff {
	pub fn new(poll_interval: Duration, max: Duration) -> Self {
		let first = poll_interval.min(Duration::from_secs(1)).min(max);
		Self { first, max, next: first }
	}

	/// The delay before the next try; doubles the one after.
	pub fn next_delay(&mut self) -> Duration {
		let delay = self.next;
		self.next = self.next.saturating_mul(2).min(self.max);
		delay
	}

	pub fn reset(&mut self) {
		self.next = self.first;
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::status::{BlockRef, ValidatorSet};
	use alloy::primitives::{Address, B256};

	#[test]
	fn backoff_doubles_to_its_maximum_and_resets() {
		let mut backoff = Backoff::new(Duration::from_secs(6), Duration::from_secs(10));
		let delays: Vec<u64> = (0..6).map(|_| backoff.next_delay().as_secs()).collect();
		assert_eq!(delays, [1, 2, 4, 8, 10, 10]);
		backoff.reset();
		assert_eq!(backoff.next_delay(), Duration::from_secs(1));
		let mut fast = Backoff::new(Duration::from_millis(100), Duration::from_secs(60));
		assert_eq!(fast.next_delay(), Duration::from_millis(100));
		assert_eq!(fast.next_delay(), Duration::from_millis(200));
	}

	#[test]
	fn jitter_stays_below_its_maximum_and_varies() {
		let max = Duration::from_millis(100);
		let draws: Vec<Duration> = (0..50).map(|_| jitter(max)).collect();
		assert!(draws.iter().all(|d| *d < max));
		assert!(draws.iter().any(|d| *d != draws[0]), "{draws:?}");
		assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
	}

	#[test]
	fn the_chain_must_sign_for_this_network_and_distributor() {
		let distributor = Address::repeat_byte(0xd1);
		let status = BridgeStatus {
			at: BlockRef { number: 1, hash: B256::ZERO },
			chain_id: 84532,
			distributor,
			validator_set: ValidatorSet { set_id: 0, validators: vec![] },
			set_updates: vec![],
			latest_passed: None,
		};
		assert!(check_status(&status, 84532, distributor).is_ok());
		let wrong_chain = check_status(&status, 8453, distributor).unwrap_err();
		assert!(matches!(wrong_chain, Error::WrongChainId { base: 8453, expected: 84532, .. }));
		assert!(wrong_chain.is_permanent());
		let wrong = check_status(&status, 84532, Address::repeat_byte(2)).unwrap_err();
		assert!(matches!(wrong, Error::WrongDistributor { .. }));
		assert!(wrong.is_permanent());
	}
}
