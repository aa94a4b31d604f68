//! The job store survives restarts and crashes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smartnodes_primitives::{
	compute::{JobKind, Limits},
	dispatch::{Fetch, JobOrder},
};
use smartnodes_worker::store::{write_atomic, Progress, Record, Sealed, State, Store};
use sp_core::H256;

fn order(job: u64) -> JobOrder {
	JobOrder {
		job,
		worker: vec![4; 32],
		network: 1,
		kind: JobKind::Wasm,
		code: Fetch { hash: H256::repeat_byte(1), uri: b"http://127.0.0.1/code".to_vec() },
		input: Fetch { hash: H256::repeat_byte(2), uri: b"file:///in".to_vec() },
		limits: Limits { fuel: 10, memory_mib: 1, time_ms: 100 },
		expires_at: 99,
	}
}

fn done() -> State {
	State::Done(Sealed {
		output_hash: H256::repeat_byte(3),
		fuel_used: 5,
		salt: [6; 32],
		commitment: H256::repeat_byte(7),
		signature: [8; 64],
		failure: None,
	})
}

fn record(job: u64, state: State) -> Record {
	Record { order: order(job), progress: Progress { state, accepted_at: 1_000, fetched_at: None } }
}

#[test]
fn jobs_survive_a_restart() {
	let dir = tempfile::tempdir().unwrap();
	let kept = [record(1, State::Accepted), record(2, done()), record(3, State::Running)];
	{
		let store = Store::open(dir.path()).unwrap();
		for record in &kept {
			store.insert(record).unwrap();
		}
		store.write_output(2, b"the output").unwrap();
		let failed = State::Failed { reason: "time limit".into() };
		store
			.save(3, &Progress { state: failed, accepted_at: 1_000, fetched_at: Some(5) })
			.unwrap();
	}
	let store = Store::open(dir.path()).unwrap();
	let loaded = store.load_all().unwrap();
	assert_eq!(loaded.len(), 3);
	assert_eq!(loaded[0], kept[0]);
	assert_eq!(loaded[1], kept[1]);
	assert_eq!(loaded[2].progress.state, State::Failed { reason: "time limit".into() });
	assert_eq!(loaded[2].progress.fetched_at, Some(5));
	assert_eq!(store.output(2).unwrap().unwrap(), b"the output");
	assert_eq!(store.output(1).unwrap(), None);

	store.remove(2).unwrap();
	store.remove(2).unwrap();
	assert_eq!(store.load_all().unwrap().len(), 2);
}

#[test]
fn half_written_files_are_ignored() {
	let dir = tempfile::tempdir().unwrap();
	let store = Store::open(dir.path()).unwrap();
	store.insert(&record(1, done())).unwrap();
	let job = dir.path().join("jobs/1");
	// A crash while replacing the state left a temporary file with half a state in it.
	std::fs::write(job.join(".state.42.0.tmp"), [1, 2, 3]).unwrap();
	// A crash between the order and its first state: never acknowledged.
	std::fs::create_dir_all(dir.path().join("jobs/2")).unwrap();
	write_atomic(&dir.path().join("jobs/2/order"), &codec::Encode::encode(&order(2))).unwrap();
	// Something else entirely.
	std::fs::create_dir_all(dir.path().join("jobs/notes")).unwrap();

	let loaded = Store::open(dir.path()).unwrap().load_all().unwrap();
	assert_eq!(loaded, vec![record(1, done())]);
	assert!(!job.join(".state.42.0.tmp").exists(), "temporary files are cleaned up");
	assert!(!dir.path().join("jobs/2").exists());
}

#[test]
fn a_damaged_state_is_skipped_not_fatal() {
	let dir = tempfile::tempdir().unwrap();
	let store = Store::open(dir.path()).unwrap();
	store.insert(&record(1, done())).unwrap();
	store.insert(&record(2, State::Accepted)).unwrap();
	std::fs::write(dir.path().join("jobs/2/state"), [0xff; 3]).unwrap();
	let loaded = store.load_all().unwrap();
	assert_eq!(loaded, vec![record(1, done())]);
	assert!(store.load(2).is_err());
	// The order of another job in a job's folder is caught too.
	std::fs::copy(dir.path().join("jobs/1/order"), dir.path().join("jobs/2/order")).unwrap();
	std::fs::copy(dir.path().join("jobs/1/state"), dir.path().join("jobs/2/state")).unwrap();
	assert!(store.load(2).is_err());
}

#[test]
fn an_atomic_write_replaces_whole_files() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("file");
	write_atomic(&path, b"first").unwrap();
	write_atomic(&path, b"second, longer").unwrap();
	assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
	let names: Vec<_> =
		std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
	assert_eq!(names, vec![std::ffi::OsString::from("file")]);
}
