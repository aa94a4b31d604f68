//! The worker's identity key: the ed25519 key its commitments and challenge answers are signed
//! with, registered on chain. Generated with the OS's randomness on first start and kept in the
//! data directory (`identity.key`, hex seed, mode 0600).

use crate::{Error, Result};
use sp_core::{crypto::Pair as _, ed25519};
use std::{
	fs::OpenOptions,
	io::Write,
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};

const FILE: &str = "identity.key";

/// Where the identity key of the worker with `data_dir` is kept.
pub fn path(data_dir: &Path) -> PathBuf {
	data_dir.join(FILE)
}

/// 32 bytes of the OS's randomness.
pub fn random32() -> Result<[u8; 32]> {
	let mut bytes = [0u8; 32];
	getrandom::getrandom(&mut bytes)
		.map_err(|e| Error::Engine(format!("no randomness from the OS: {e}")))?;
	Ok(bytes)
}

/// The identity key kept in `data_dir`, generated and saved first if there is none.
pub fn load_or_create(data_dir: &Path) -> Result<ed25519::Pair> {
	std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
	let file = path(data_dir);
	match std::fs::read_to_string(&file) {
		Ok(text) => {
			let mode = std::fs::metadata(&file).map_err(|e| Error::io(&file, e))?.permissions();
			if mode.mode() & 0o077 != 0 {
				tracing::warn!(
					target: "worker::identity",
					path = %file.display(),
					"the identity key is readable by others; chmod 600 it"
				);
			}
			let seed: [u8; 32] = hex::decode(text.trim())
				.ok()
				.and_then(|bytes| bytes.try_into().ok())
				.ok_or_else(|| Error::Corrupt {
					path: file.display().to_string(),
					detail: "not a 32-byte hex seed".into(),
				})?;
			Ok(ed25519::Pair::from_seed(&seed))
		},
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			let seed = random32()?;
			// `create_new`: two processes starting at once must not each keep a different key.
			let mut out = OpenOptions::new()
				.write(true)
				.create_new(true)
				.mode(0o600)
				.open(&file)
				.map_err(|e| Error::io(&file, e))?;
			out.write_all(hex::encode(seed).as_bytes())
				.and_then(|()| out.sync_all())
				.map_err(|e| Error::io(&file, e))?;
			let pair = ed25519::Pair::from_seed(&seed);
			tracing::info!(
				target: "worker::identity",
				public = %hex::encode(pair.public()),
				"generated a new identity key"
			);
			Ok(pair)
		},
		Err(e) => Err(Error::io(&file, e)),
	}
}
