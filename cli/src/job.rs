//! Job files: what a user writes to describe a job, turned into the chain's `JobSpec`.
//!
//! ```json
//! {
//!   "network": 0,
//!   "code":  { "file": "hello.wasm", "uri": "http://files.example/hello.wasm" },
//!   "input": { "file": "input.bin",  "uri": "http://files.example/input.bin" },
//!   "replication": 3,
//!   "limits": { "fuel": 1000000000, "memoryMib": 64, "timeMs": 10000 },
//!   "deadlineBlocks": 100,
//!   "maxPayment": "3.5"
//! }
//! ```
//!
//! `file` is read (relative to the job file) to compute the blake2-256 hash the workers check
//! what they fetch from `uri` against; `hash` may be given instead. `maxPayment` is in SNO, a
//! decimal string with up to 18 decimals.

use crate::{Error, Result};
use frame_support::BoundedVec;
use pallet_jobs::{JobSpec, JobSpecOf, Limits, Resource};
use serde::Deserialize;
use smartnodes_primitives::{
	compute::{JobKind, NetworkId},
	currency::DECIMALS,
	Balance,
};
use smartnodes_runtime::Runtime;
use sp_core::H256;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceFile {
	pub file: Option<String>,
	pub hash: Option<H256>,
	pub uri: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitsFile {
	pub fuel: u64,
	pub memory_mib: u32,
	pub time_ms: u32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobFile {
	pub network: NetworkId,
	pub code: ResourceFile,
	pub input: ResourceFile,
	pub replication: u8,
	pub limits: LimitsFile,
	pub deadline_blocks: u32,
	pub max_payment: String,
}

/// `amount` SNO (a decimal string) in the smallest unit.
pub fn parse_sno(amount: &str) -> Option<Balance> {
	let amount = amount.trim().trim_end_matches("SNO").trim();
	let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
	let decimals = usize::from(DECIMALS);
	if whole.is_empty() && fraction.is_empty()
		|| fraction.len() > decimals
		|| !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
	{
		return None;
	}
	let whole: Balance = if whole.is_empty() { 0 } else { whole.parse().ok()? };
	let fraction: Balance =
		if fraction.is_empty() { 0 } else { format!("{fraction:0<decimals$}").parse().ok()? };
	whole.checked_mul(smartnodes_primitives::currency::SNO)?.checked_add(fraction)
}

fn bounded<S: frame_support::traits::Get<u32>>(
	path: &Path,
	what: &str,
	bytes: &[u8],
) -> Result<BoundedVec<u8, S>> {
	BoundedVec::try_from(bytes.to_vec()).map_err(|_| Error::JobFile {
		path: path.display().to_string(),
		detail: format!("{what} is longer than {} bytes", S::get()),
	})
}

fn resource(
	path: &Path,
	what: &str,
	r: &ResourceFile,
) -> Result<Resource<<Runtime as pallet_jobs::Config>::MaxUriLen>> {
	let hash = match (&r.file, r.hash) {
		(Some(file), None) => {
			let full = path.parent().unwrap_or(Path::new(".")).join(file);
			let bytes = std::fs::read(&full)
				.map_err(|source| Error::Io { path: full.display().to_string(), source })?;
			H256(sp_io::hashing::blake2_256(&bytes))
		},
		(None, Some(hash)) => hash,
		_ => {
			return Err(Error::JobFile {
				path: path.display().to_string(),
				detail: format!("{what}: give either `file` or `hash`"),
			})
		},
	};
	Ok(Resource { hash, uri: bounded(path, &format!("{what}.uri"), r.uri.as_bytes())? })
}

/// Reads a job file; the deadline counts from `best_block`.
pub fn load(path: &Path, best_block: u32) -> Result<JobSpecOf<Runtime>> {
	let text = std::fs::read_to_string(path)
		.map_err(|source| Error::Io { path: path.display().to_string(), source })?;
	let file: JobFile = serde_json::from_str(&text)
		.map_err(|e| Error::JobFile { path: path.display().to_string(), detail: e.to_string() })?;
	let max_payment = parse_sno(&file.max_payment).ok_or_else(|| Error::JobFile {
		path: path.display().to_string(),
		detail: format!("maxPayment {:?} is not an amount of SNO", file.max_payment),
	})?;
	Ok(JobSpec {
		network: file.network,
		kind: JobKind::Wasm,
		code: resource(path, "code", &file.code)?,
		input: resource(path, "input", &file.input)?,
		replication: file.replication,
		limits: Limits {
			fuel: file.limits.fuel,
			memory_mib: file.limits.memory_mib,
			time_ms: file.limits.time_ms,
		},
		deadline: best_block.saturating_add(file.deadline_blocks),
		max_payment,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sno_amounts_parse_exactly() {
		let sno = smartnodes_primitives::currency::SNO;
		assert_eq!(parse_sno("3"), Some(3 * sno));
		assert_eq!(parse_sno("3.5"), Some(3 * sno + sno / 2));
		assert_eq!(parse_sno("0.000000000000000001"), Some(1));
		assert_eq!(parse_sno(".25 SNO"), Some(sno / 4));
		assert_eq!(parse_sno("0.0000000000000000001"), None);
		assert_eq!(parse_sno("1e3"), None);
		assert_eq!(parse_sno("-1"), None);
		assert_eq!(parse_sno(""), None);
	}

	#[test]
	fn job_files_hash_their_files_and_reject_unknown_fields() {
		let dir = std::env::temp_dir().join(format!("smartnodes-cli-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		std::fs::write(dir.join("code.wasm"), b"\0asm").unwrap();
		let job = r#"{"network": 0, "code": {"file": "code.wasm", "uri": "http://x/c"},
			"input": {"hash": "0x0101010101010101010101010101010101010101010101010101010101010101", "uri": "http://x/i"},
			"replication": 3, "limits": {"fuel": 10, "memoryMib": 1, "timeMs": 5},
			"deadlineBlocks": 50, "maxPayment": "2"}"#;
		std::fs::write(dir.join("job.json"), job).unwrap();
		let spec = load(&dir.join("job.json"), 100).unwrap();
		assert_eq!(spec.code.hash, H256(sp_io::hashing::blake2_256(b"\0asm")));
		assert_eq!(spec.input.hash, H256::repeat_byte(1));
		assert_eq!(spec.deadline, 150);
		assert_eq!(spec.max_payment, 2 * smartnodes_primitives::currency::SNO);
		std::fs::write(dir.join("bad.json"), job.replace("\"replication\"", "\"replicas\""))
			.unwrap();
		assert!(matches!(load(&dir.join("bad.json"), 0), Err(Error::JobFile { .. })));
		let long = job.replace("http://x/c", &"u".repeat(300));
		std::fs::write(dir.join("long.json"), long).unwrap();
		assert!(matches!(load(&dir.join("long.json"), 0), Err(Error::JobFile { .. })));
		std::fs::remove_dir_all(dir).unwrap();
	}
}
