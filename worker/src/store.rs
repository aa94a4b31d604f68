//! Jobs on disk, crash-safe: each file is written to a temporary name, synced and renamed over
//! the old one, so a reader finds the old or the new content, never half of either.
//!
//! `<data>/jobs/<id>/` holds `order` (the [`JobOrder`], SCALE), `state` (the [`Progress`],
//! SCALE) and, once the job ran, `output` (raw bytes). `output` is written before the state that
//! names it, and the state that holds a salt is written before its commitment is served.

use crate::{Error, Result};
use codec::{Decode, DecodeAll, Encode};
use smartnodes_primitives::{compute::JobId, dispatch::JobOrder};
use sp_core::H256;
use std::{
	fs::File,
	io::Write,
	path::{Path, PathBuf},
	sync::atomic::{AtomicU64, Ordering},
};

/// A result the worker committed to.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Sealed {
	/// The output hash committed to (and revealed).
	pub output_hash: H256,
	pub fuel_used: u64,
	pub salt: [u8; 32],
	pub commitment: H256,
	/// ed25519 over `commit_payload(genesis, job, commitment)`.
	pub signature: [u8; 64],
	/// The tag of the deterministic failure the output names, when the job failed.
	pub failure: Option<String>,
}

/// Where a job is.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum State {
	/// Checked against the chain and kept; waiting for a slot to run.
	Accepted,
	/// Fetching or executing.
	Running,
	/// Ran (or failed deterministically) and committed.
	Done(Sealed),
	/// Failed for a reason of this worker's (time limit, fetch, engine): no commitment, the
	/// replica will be replaced.
	Failed { reason: String },
}

impl State {
	pub fn name(&self) -> &'static str {
		match self {
			Self::Accepted => "accepted",
			Self::Running => "running",
			Self::Done(sealed) if sealed.failure.is_some() => "failed-deterministically",
			Self::Done(_) => "done",
			Self::Failed { .. } => "failed",
		}
	}

	/// Accepted or running: a run is due or under way.
	pub fn is_unfinished(&self) -> bool {
		matches!(self, Self::Accepted | Self::Running)
	}

	/// Failed for a reason of this worker's, with no commitment.
	pub fn is_failed(&self) -> bool {
		matches!(self, Self::Failed { .. })
	}
}

/// A job's state with its timestamps (seconds since the Unix epoch).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Progress {
	pub state: State,
	pub accepted_at: u64,
	/// When a user first fetched the output.
	pub fetched_at: Option<u64>,
}

/// A job as the worker keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
	pub order: JobOrder,
	pub progress: Progress,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |elapsed| elapsed.as_secs())
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether a file name is one [`write_atomic`] writes before renaming.
pub fn is_temp(name: &str) -> bool {
	name.starts_with('.') && name.ends_with(".tmp")
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
	let dir = path.parent().unwrap_or(Path::new("."));
	let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
	let unique = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
	let temp = dir.join(format!(".{name}.{}.{unique}.tmp", std::process::id()));
	let written = File::create(&temp)
		.and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
		.and_then(|()| std::fs::rename(&temp, path))
		// The rename is durable once the directory is synced.
		.and_then(|()| File::open(dir).and_then(|d| d.sync_all()));
	if let Err(e) = written {
		let _ = std::fs::remove_file(&temp);
		return Err(Error::io(path, e));
	}
	Ok(())
}

/// Removes the temporary files a crash left in `dir`.
pub fn remove_temp_files(dir: &Path) {
	let Ok(entries) = std::fs::read_dir(dir) else { return };
	for entry in entries.flatten() {
		if is_temp(&entry.file_name().to_string_lossy()) {
			let _ = std::fs::remove_file(entry.path());
		}
	}
}

/// The jobs folder.
pub struct Store {
	root: PathBuf,
}

impl Store {
	/// The store under `<data_dir>/jobs`, created if missing.
	pub fn open(data_dir: &Path) -> Result<Self> {
		let root = data_dir.join("jobs");
		std::fs::create_dir_all(&root).map_err(|e| Error::io(&root, e))?;
		Ok(Self { root })
	}

	fn dir(&self, id: JobId) -> PathBuf {
		self.root.join(id.to_string())
	}

	/// Keeps a new job: its order, then its progress.
	pub fn insert(&self, record: &Record) -> Result<()> {
		let dir = self.dir(record.order.job);
		std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
		write_atomic(&dir.join("order"), &record.order.encode())?;
		self.save(record.order.job, &record.progress)
	}

	/// Replaces a job's progress.
	pub fn save(&self, id: JobId, progress: &Progress) -> Result<()> {
		write_atomic(&self.dir(id).join("state"), &progress.encode())
	}

	pub fn write_output(&self, id: JobId, output: &[u8]) -> Result<()> {
		write_atomic(&self.dir(id).join("output"), output)
	}

	/// A job's output, if it has one.
	pub fn output(&self, id: JobId) -> Result<Option<Vec<u8>>> {
		let path = self.dir(id).join("output");
		match std::fs::read(&path) {
			Ok(bytes) => Ok(Some(bytes)),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(Error::io(&path, e)),
		}
	}

	/// Forgets a job.
	pub fn remove(&self, id: JobId) -> Result<()> {
		let dir = self.dir(id);
		match std::fs::remove_dir_all(&dir) {
			Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&dir, e)),
			_ => Ok(()),
		}
	}

	fn read<T: Decode>(path: &Path) -> Result<T> {
		let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
		T::decode_all(&mut &bytes[..])
			.map_err(|e| Error::Corrupt { path: path.display().to_string(), detail: e.to_string() })
	}

	/// A kept job.
	pub fn load(&self, id: JobId) -> Result<Record> {
		let dir = self.dir(id);
		let order: JobOrder = Self::read(&dir.join("order"))?;
		if order.job != id {
			return Err(Error::Corrupt {
				path: dir.display().to_string(),
				detail: format!("holds the order of job {}", order.job),
			});
		}
		let progress = Self::read(&dir.join("state"))?;
		Ok(Record { order, progress })
	}

	/// Every kept job, by id. Temporary files a crash left are removed, and so is a job whose
	/// acceptance was never acknowledged (no state yet); a damaged one is skipped with a warning
	/// and left for inspection.
	pub fn load_all(&self) -> Result<Vec<Record>> {
		let entries = std::fs::read_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
		let mut records = Vec::new();
		for entry in entries.flatten() {
			let name = entry.file_name().to_string_lossy().into_owned();
			let Ok(id) = name.parse::<JobId>() else { continue };
			remove_temp_files(&entry.path());
			if !entry.path().join("state").exists() {
				// Died between writing the order and its state: never acknowledged.
				let _ = self.remove(id);
				continue;
			}
			match self.load(id) {
				Ok(record) => records.push(record),
				Err(e) => tracing::warn!(target: "worker::store", job = id, "skipped: {e}"),
			}
		}
		records.sort_by_key(|r| r.order.job);
		Ok(records)
	}
}
