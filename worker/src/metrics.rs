//! Prometheus metrics, served at `GET /metrics` in the text format. Every name starts with
//! `smartnodes_worker_`.

use crate::{Error, Result};
use prometheus::{
	Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, Opts, Registry, TextEncoder,
};

/// The reasons an order is refused, as `jobs_refused_total` labels them.
pub const REFUSALS: [&str; 5] = ["malformed", "wrong-worker", "conflict", "chain", "node"];
/// The outcomes of a run, as `executions_total` labels them.
pub const OUTCOMES: [&str; 3] = ["done", "failed-deterministically", "failed"];

/// The worker's metrics; clones share the same counters.
#[derive(Clone)]
pub struct Metrics {
	registry: Registry,
	/// Orders accepted.
	pub jobs_accepted: IntCounter,
	/// Orders refused, by reason (`malformed`, `wrong-worker`, `conflict`, `chain`, `node`).
	pub jobs_refused: IntCounterVec,
	/// Finished runs, by outcome (`done`, `failed-deterministically`, `failed`).
	pub executions: IntCounterVec,
	pub execution_seconds: Histogram,
	/// Fuel of the runs committed to.
	pub fuel_used: IntCounter,
	/// Bytes fetched from URIs (cache hits are not counted).
	pub fetch_bytes: IntCounter,
	pub cache_hits: IntCounter,
	pub cache_misses: IntCounter,
	pub challenges_answered: IntCounter,
	pub outputs_served: IntCounter,
}

fn counter(registry: &Registry, name: &str, help: &str) -> Result<IntCounter> {
	let counter = IntCounter::new(format!("smartnodes_worker_{name}"), help).map_err(metric)?;
	registry.register(Box::new(counter.clone())).map_err(metric)?;
	Ok(counter)
}

fn counter_vec(registry: &Registry, name: &str, help: &str, label: &str) -> Result<IntCounterVec> {
	let counter =
		IntCounterVec::new(Opts::new(format!("smartnodes_worker_{name}"), help), &[label])
			.map_err(metric)?;
	registry.register(Box::new(counter.clone())).map_err(metric)?;
	Ok(counter)
}

fn metric(e: prometheus::Error) -> Error {
	Error::Server(format!("metrics: {e}"))
}

impl Metrics {
	pub fn new() -> Result<Self> {
		let registry = Registry::new();
		let execution_seconds = Histogram::with_opts(
			HistogramOpts::new(
				"smartnodes_worker_execution_seconds",
				"Wall time of job executions (sandbox only, fetches excluded)",
			)
			.buckets(vec![0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0]),
		)
		.map_err(metric)?;
		registry.register(Box::new(execution_seconds.clone())).map_err(metric)?;
		let r = &registry;
		let metrics = Self {
			jobs_accepted: counter(r, "jobs_accepted_total", "Job orders accepted")?,
			jobs_refused: counter_vec(r, "jobs_refused_total", "Job orders refused", "reason")?,
			executions: counter_vec(r, "executions_total", "Job runs finished", "outcome")?,
			execution_seconds,
			fuel_used: counter(r, "fuel_used_total", "Fuel used by the runs committed to")?,
			fetch_bytes: counter(r, "fetch_bytes_total", "Bytes of code and input fetched")?,
			cache_hits: counter(r, "cache_hits_total", "Code and input served from the cache")?,
			cache_misses: counter(r, "cache_misses_total", "Code and input not in the cache")?,
			challenges_answered: counter(r, "challenges_answered_total", "Challenges answered")?,
			outputs_served: counter(r, "outputs_served_total", "Job outputs served to users")?,
			registry,
		};
		// Every series exists from the start, so a dashboard sees zeros rather than gaps.
		for reason in REFUSALS {
			metrics.jobs_refused.with_label_values(&[reason]);
		}
		for outcome in OUTCOMES {
			metrics.executions.with_label_values(&[outcome]);
		}
		Ok(metrics)
	}

	/// Every metric in Prometheus's text format.
	pub fn render(&self) -> String {
		let mut buffer = Vec::new();
		if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
			tracing::warn!(target: "worker::metrics", "cannot encode metrics: {e}");
		}
		String::from_utf8_lossy(&buffer).into_owned()
	}
}
