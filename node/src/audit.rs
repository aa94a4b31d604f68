//! The validator's audit service: runs again, with the worker's own sandbox, the jobs the
//! runtime's off-chain worker drew this validator to audit.
//!
//! The runtime cannot run a job, so the two meet in the node's persistent off-chain storage
//! (`pallet_audits::offchain`): the off-chain worker lists the open audits under
//! `requests_key`; this service runs each one not yet answered and writes its outcome under
//! `result_key`, which the off-chain worker signs and submits. Jobs run one at a time on a
//! blocking thread, so audits never compete with block production for more than one core.

use codec::{Decode, Encode};
use pallet_audits::{
	offchain::{requests_key, result_key, AuditRequest},
	AuditOutcome,
};
use sc_client_api::Backend;
use smartnodes_runtime::opaque::Block;
use smartnodes_worker::audit::Auditor;
use sp_core::offchain::OffchainStorage;
use std::{sync::Arc, time::Duration};

const LOG_TARGET: &str = "audits";
/// How often the work list is read.
const POLL: Duration = Duration::from_secs(2);
/// Largest code or input an auditor fetches, and largest output it accepts: the workers'
/// defaults, so whatever a worker could run, its auditor can.
const MAX_FETCH_BYTES: u64 = 256 << 20;
const MAX_OUTPUT_BYTES: usize = 16 << 20;

/// Runs until the node stops. Does nothing on a node without off-chain storage.
pub async fn run<B: Backend<Block>>(backend: Arc<B>, data_dir: std::path::PathBuf) {
	let Some(mut storage) = backend.offchain_storage() else { return };
	let auditor = match Auditor::new(&data_dir, MAX_FETCH_BYTES, MAX_OUTPUT_BYTES) {
		Ok(auditor) => Arc::new(auditor),
		Err(e) => {
			log::error!(target: LOG_TARGET, "audit service not started: {e}");
			return;
		},
	};
	let prefix = sp_offchain::STORAGE_PREFIX;
	loop {
		tokio::time::sleep(POLL).await;
		let requests: Vec<AuditRequest> = storage
			.get(prefix, &requests_key())
			.and_then(|raw| Decode::decode(&mut &raw[..]).ok())
			.unwrap_or_default();
		for request in requests {
			let key = result_key(request.job);
			if storage.get(prefix, &key).is_some() {
				continue;
			}
			let job = request.job;
			let auditor = auditor.clone();
			let outcome = tokio::task::spawn_blocking(move || {
				auditor.reproduce(request.kind, &request.code, &request.input, &request.limits)
			})
			.await;
			let outcome = match outcome {
				Ok(Ok((output_hash, fuel_used))) => {
					log::info!(target: LOG_TARGET, "job {job}: ran again, output {output_hash:?}");
					AuditOutcome::Reproduced { output_hash, fuel_used }
				},
				Ok(Err(e)) => {
					log::warn!(target: LOG_TARGET, "job {job}: no verdict: {e}");
					AuditOutcome::Unavailable
				},
				Err(e) => {
					log::error!(target: LOG_TARGET, "job {job}: the audit run panicked: {e}");
					AuditOutcome::Unavailable
				},
			};
			storage.set(prefix, &key, &outcome.encode());
		}
	}
}
