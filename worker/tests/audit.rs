//! The auditor a validator's node re-executes jobs with: it agrees with an honest worker's
//! runner byte for byte, including on a job that fails by its own fault, and refuses what it
//! cannot verify.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{file_server, hash, Send};
use smartnodes_primitives::{
	compute::{JobKind, Limits},
	dispatch::Fetch,
};
use smartnodes_worker::{audit::Auditor, examples::HASH_CHAIN, runner::failure_output, Error};
use std::collections::HashMap;

const LIMITS: Limits = Limits { fuel: 1_000_000_000, memory_mib: 64, time_ms: 10_000 };

#[test]
fn the_auditor_reproduces_results_and_failures_and_refuses_unverifiable_jobs() {
	let dir = tempfile::tempdir().unwrap();
	let input = [1_000u32.to_le_bytes().to_vec(), b"seed".to_vec()].concat();
	let base = file_server(HashMap::from([
		("/code".into(), (HASH_CHAIN.to_vec(), Send::Honest)),
		("/input".into(), (input.clone(), Send::Honest)),
		("/junk".into(), (b"not wasm".to_vec(), Send::Honest)),
	]));
	let at = |path: &str, bytes: &[u8]| Fetch {
		hash: hash(bytes),
		uri: format!("{base}{path}").into_bytes(),
	};
	let auditor = Auditor::new(dir.path(), 1 << 20, 1 << 16).unwrap();

	let expected = smartnodes_example_jobs::hash_chain(&input);
	let (output_hash, fuel) = auditor
		.reproduce(JobKind::Wasm, &at("/code", HASH_CHAIN), &at("/input", &input), &LIMITS)
		.unwrap();
	assert_eq!(output_hash, hash(&expected));
	assert!(fuel > 0 && fuel < LIMITS.fuel);

	// A module that is not wasm fails the same way on every machine: that is a result.
	let (output_hash, fuel) = auditor
		.reproduce(JobKind::Wasm, &at("/junk", b"not wasm"), &at("/input", &input), &LIMITS)
		.unwrap();
	let invalid = Error::InvalidModule(String::new());
	assert_eq!(output_hash, hash(&failure_output(&invalid)));
	assert_eq!(fuel, LIMITS.fuel);

	// Bytes that do not match the job's hash give no verdict.
	let wrong = Fetch { hash: hash(b"other"), ..at("/code", HASH_CHAIN) };
	assert!(matches!(
		auditor.reproduce(JobKind::Wasm, &wrong, &at("/input", &input), &LIMITS),
		Err(Error::HashMismatch { .. })
	));
	// A validator never reads its own files for a job.
	let local = Fetch { hash: hash(b"x"), uri: b"file:///etc/hostname".to_vec() };
	assert!(auditor.reproduce(JobKind::Wasm, &local, &at("/input", &input), &LIMITS).is_err());
}
