//! Code and input, fetched by hash: from `http://`, `https://` (ureq with rustls) or `file://`
//! URIs, size-capped, checked against the blake2-256 hash the order names, and kept in a
//! content-addressed cache (`<data>/cache/<hex hash>`) that is checked again on every read.
//!
//! Everything here blocks; async callers run it with `spawn_blocking`.

use crate::{executor::verify_hash, metrics::Metrics, store, Error, Result};
use smartnodes_primitives::dispatch::Fetch;
use sp_core::H256;
use std::{
	io::Read,
	path::{Path, PathBuf},
	time::Duration,
};

/// Fetches and caches blobs.
pub struct Fetcher {
	cache: PathBuf,
	max_bytes: u64,
	allow_files: bool,
	agent: ureq::Agent,
	metrics: Metrics,
}

impl Fetcher {
	/// A fetcher caching in `<data_dir>/cache`, refusing anything over `max_bytes`.
	pub fn new(
		data_dir: &Path,
		max_bytes: u64,
		allow_files: bool,
		metrics: Metrics,
	) -> Result<Self> {
		let cache = data_dir.join("cache");
		std::fs::create_dir_all(&cache).map_err(|e| Error::io(&cache, e))?;
		store::remove_temp_files(&cache);
		let agent = ureq::AgentBuilder::new()
			.timeout_connect(Duration::from_secs(10))
			.timeout_read(Duration::from_secs(60))
			.build();
		Ok(Self { cache, max_bytes, allow_files, agent, metrics })
	}

	/// Where the blob with `hash` is cached.
	pub fn cache_path(&self, hash: &H256) -> PathBuf {
		self.cache.join(hex::encode(hash.as_bytes()))
	}

	/// The bytes `fetch` names, from the cache or its URI, checked against its hash.
	pub fn get(&self, what: &'static str, fetch: &Fetch) -> Result<Vec<u8>> {
		if let Some(bytes) = self.cached(what, &fetch.hash) {
			self.metrics.cache_hits.inc();
			return Ok(bytes);
		}
		self.metrics.cache_misses.inc();
		let uri = String::from_utf8_lossy(&fetch.uri).into_owned();
		let bytes = if uri.starts_with("http://") || uri.starts_with("https://") {
			self.http(what, &uri)?
		} else if let Some(path) = uri.strip_prefix("file://") {
			self.file(what, &uri, path)?
		} else {
			return Err(Error::Fetch {
				what,
				uri,
				detail: "unsupported scheme (http://, https:// and file:// are)".into(),
			});
		};
		self.metrics.fetch_bytes.inc_by(bytes.len() as u64);
		verify_hash(what, &bytes, &fetch.hash)?;
		tracing::debug!(target: "worker::fetch", %uri, len = bytes.len(), "fetched");
		if let Err(e) = store::write_atomic(&self.cache_path(&fetch.hash), &bytes) {
			tracing::warn!(target: "worker::fetch", "not cached: {e}");
		}
		Ok(bytes)
	}

	/// The cached blob with `hash`, if there is one and it still has that hash (a damaged one
	/// is removed).
	fn cached(&self, what: &'static str, hash: &H256) -> Option<Vec<u8>> {
		let path = self.cache_path(hash);
		let bytes = std::fs::read(&path).ok()?;
		if let Err(e) = verify_hash(what, &bytes, hash) {
			tracing::warn!(target: "worker::fetch", path = %path.display(), "cache damaged: {e}");
			let _ = std::fs::remove_file(&path);
			return None;
		}
		Some(bytes)
	}

	fn too_large(&self, what: &'static str, uri: &str) -> Error {
		Error::FetchTooLarge { what, uri: uri.into(), max: self.max_bytes }
	}

	/// Reads at most `max_bytes` from `reader`, failing beyond.
	fn read_capped(&self, what: &'static str, uri: &str, reader: impl Read) -> Result<Vec<u8>> {
		let mut bytes = Vec::new();
		reader
			.take(self.max_bytes.saturating_add(1))
			.read_to_end(&mut bytes)
			.map_err(|e| Error::Fetch { what, uri: uri.into(), detail: e.to_string() })?;
		if bytes.len() as u64 > self.max_bytes {
			return Err(self.too_large(what, uri));
		}
		Ok(bytes)
	}

	fn http(&self, what: &'static str, uri: &str) -> Result<Vec<u8>> {
		let response = self.agent.get(uri).call().map_err(|e| Error::Fetch {
			what,
			uri: uri.into(),
			detail: e.to_string(),
		})?;
		let declared = response.header("content-length").and_then(|len| len.parse::<u64>().ok());
		if declared.is_some_and(|len| len > self.max_bytes) {
			return Err(self.too_large(what, uri));
		}
		self.read_capped(what, uri, response.into_reader())
	}

	/// `path` is what follows `file://`: an absolute path, or `localhost` and one.
	fn file(&self, what: &'static str, uri: &str, path: &str) -> Result<Vec<u8>> {
		let refuse = |detail: &str| Error::Fetch { what, uri: uri.into(), detail: detail.into() };
		if !self.allow_files {
			return Err(refuse("file:// URIs are disabled on this worker (allow-file-uris)"));
		}
		let path = path.strip_prefix("localhost").unwrap_or(path);
		if !path.starts_with('/') {
			return Err(refuse("a file:// URI needs an absolute path"));
		}
		let file = std::fs::File::open(path).map_err(|e| refuse(&e.to_string()))?;
		let len = file.metadata().map_err(|e| refuse(&e.to_string()))?.len();
		if len > self.max_bytes {
			return Err(self.too_large(what, uri));
		}
		self.read_capped(what, uri, file)
	}
}
