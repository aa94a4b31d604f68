//! Prometheus metrics, served at `GET /metrics` in the text format. Every name starts with
//! `smartnodes_bridge_`.

use crate::{Error, Result};
use prometheus::{Encoder, IntCounterVec, IntGauge, Opts, Registry, TextEncoder};
use std::{future::Future, net::SocketAddr};

const TARGET: &str = "bridge::metrics";

/// The kinds of post, as the `kind` label names them.
pub const POST_KINDS: [&str; 2] = ["set", "root"];
/// The kinds of failure, as `failures_total` labels them.
pub const FAILURE_KINDS: [&str; 6] =
	["chain-rpc", "base-rpc", "refused", "reverted", "reorged", "dropped"];

/// The relayer's metrics; clones share the same series.
#[derive(Clone)]
pub struct Metrics {
	registry: Registry,
	/// Latest finalized chain block read.
	pub chain_block: IntGauge,
	/// Period of the newest root the chain passed.
	pub chain_period: IntGauge,
	/// The chain's current validator set id.
	pub chain_set_id: IntGauge,
	/// Highest period Base holds (relayed by any relayer).
	pub relayed_period: IntGauge,
	/// Validator set id Base holds (relayed by any relayer).
	pub relayed_set_id: IntGauge,
	/// Chain period minus Base period.
	pub period_lag: IntGauge,
	/// Seconds since the chain passed a root Base does not hold yet (0 when up to date).
	pub lag_seconds: IntGauge,
	/// Transactions sent, by kind.
	pub sent: IntCounterVec,
	/// Posts of this relayer confirmed on Base, by kind.
	pub posts: IntCounterVec,
	/// Posts skipped because another relayer made them first, by kind.
	pub skipped: IntCounterVec,
	/// Gas used by this relayer's confirmed posts, by kind.
	pub gas_used: IntCounterVec,
	/// Failures, by kind.
	pub failures: IntCounterVec,
}

fn gauge(registry: &Registry, name: &str, help: &str) -> Result<IntGauge> {
	let gauge = IntGauge::new(format!("smartnodes_bridge_{name}"), help).map_err(metric)?;
	registry.register(Box::new(gauge.clone())).map_err(metric)?;
	Ok(gauge)
}

fn counter_vec(registry: &Registry, name: &str, help: &str, label: &str) -> Result<IntCounterVec> {
	let counter =
		IntCounterVec::new(Opts::new(format!("smartnodes_bridge_{name}"), help), &[label])
			.map_err(metric)?;
	registry.register(Box::new(counter.clone())).map_err(metric)?;
	Ok(counter)
}

fn metric(e: prometheus::Error) -> Error {
	Error::Metrics(e.to_string())
}

impl Metrics {
	pub fn new() -> Result<Self> {
		let registry = Registry::new();
		let r = &registry;
		let metrics = Self {
			chain_block: gauge(r, "chain_finalized_block", "Latest finalized chain block read")?,
			chain_period: gauge(r, "chain_period", "Period of the newest root the chain passed")?,
			chain_set_id: gauge(r, "chain_validator_set_id", "The chain's validator set id")?,
			relayed_period: gauge(r, "relayed_period", "Highest period the distributor holds")?,
			relayed_set_id: gauge(
				r,
				"relayed_validator_set_id",
				"Validator set id the distributor holds",
			)?,
			period_lag: gauge(r, "period_lag", "Chain period minus the distributor's period")?,
			lag_seconds: gauge(
				r,
				"lag_seconds",
				"Seconds since the chain passed a root the distributor does not hold yet",
			)?,
			sent: counter_vec(r, "sent_total", "Transactions sent", "kind")?,
			posts: counter_vec(r, "posts_total", "Posts confirmed on Base", "kind")?,
			skipped: counter_vec(r, "skipped_total", "Posts another relayer made first", "kind")?,
			gas_used: counter_vec(r, "gas_used_total", "Gas used by confirmed posts", "kind")?,
			failures: counter_vec(r, "failures_total", "Failures, by kind", "kind")?,
			registry,
		};
		// Every series exists from the start, so a dashboard sees zeros rather than gaps.
		for kind in POST_KINDS {
			for counter in [&metrics.sent, &metrics.posts, &metrics.skipped, &metrics.gas_used] {
				counter.with_label_values(&[kind]);
			}
		}
		for kind in FAILURE_KINDS {
			metrics.failures.with_label_values(&[kind]);
		}
		Ok(metrics)
	}

	/// Counts a failure of `kind`.
	pub fn failure(&self, kind: &str) {
		self.failures.with_label_values(&[kind]).inc();
	}

	/// Every metric in Prometheus's text format.
	pub fn render(&self) -> String {
		let mut buffer = Vec::new();
		if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
			tracing::warn!(target: TARGET, "cannot encode metrics: {e}");
		}
		String::from_utf8_lossy(&buffer).into_owned()
	}

	/// Serves `GET /metrics` on `listen` until `shutdown` completes. Returns the bound address
	/// (useful with port 0) and the server's task.
	pub async fn serve(
		&self,
		listen: SocketAddr,
		shutdown: impl Future<Output = ()> + Send + 'static,
	) -> Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
		let listener = tokio::net::TcpListener::bind(listen)
			.await
			.map_err(|e| Error::Metrics(format!("cannot listen on {listen}: {e}")))?;
		let bound = listener.local_addr().map_err(|e| Error::Metrics(e.to_string()))?;
		let metrics = self.clone();
		let app = axum::Router::new().route(
			"/metrics",
			axum::routing::get(move || {
				let metrics = metrics.clone();
				async move {
					(
						[(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
						metrics.render(),
					)
				}
			}),
		);
		let task = tokio::spawn(async move {
			if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
				tracing::warn!(target: TARGET, "metrics server stopped: {e}");
			}
		});
		Ok((bound, task))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn renders_every_series_from_the_start() {
		let metrics = Metrics::new().unwrap();
		metrics.posts.with_label_values(&["root"]).inc();
		metrics.relayed_period.set(7);
		metrics.failure("reorged");
		let text = metrics.render();
		assert!(text.contains("smartnodes_bridge_posts_total{kind=\"root\"} 1"), "{text}");
		assert!(text.contains("smartnodes_bridge_posts_total{kind=\"set\"} 0"), "{text}");
		assert!(text.contains("smartnodes_bridge_relayed_period 7"), "{text}");
		assert!(text.contains("smartnodes_bridge_failures_total{kind=\"reorged\"} 1"), "{text}");
		assert!(text.contains("smartnodes_bridge_failures_total{kind=\"chain-rpc\"} 0"), "{text}");
	}
}
