//! Fetching by hash from a real loopback HTTP server and from `file://` URIs, with the
//! content-addressed cache.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{file_server, hash, Send};
use smartnodes_primitives::dispatch::Fetch;
use smartnodes_worker::{fetch::Fetcher, metrics::Metrics, Error};
use std::collections::HashMap;

fn fetcher(dir: &std::path::Path, max: u64) -> (Fetcher, Metrics) {
	let metrics = Metrics::new().unwrap();
	(Fetcher::new(dir, max, true, metrics.clone()).unwrap(), metrics)
}

fn at(uri: String, bytes: &[u8]) -> Fetch {
	Fetch { hash: hash(bytes), uri: uri.into_bytes() }
}

#[test]
fn http_fetches_are_checked_cached_and_counted() {
	let dir = tempfile::tempdir().unwrap();
	let code = b"some code".to_vec();
	let base = file_server(HashMap::from([("/code".into(), (code.clone(), Send::Honest))]));
	let (fetcher, metrics) = fetcher(dir.path(), 1024);
	let fetch = at(format!("{base}/code"), &code);

	assert_eq!(fetcher.get("code", &fetch).unwrap(), code);
	assert_eq!(metrics.cache_misses.get(), 1);
	assert_eq!(metrics.fetch_bytes.get(), code.len() as u64);
	assert_eq!(std::fs::read(fetcher.cache_path(&fetch.hash)).unwrap(), code);

	// The same hash is served from the cache, wherever the order now says it is.
	let elsewhere = Fetch { uri: b"http://127.0.0.1:1/nowhere".to_vec(), ..fetch.clone() };
	assert_eq!(fetcher.get("code", &elsewhere).unwrap(), code);
	assert_eq!(metrics.cache_hits.get(), 1);
}

#[test]
fn a_hash_mismatch_is_refused_and_not_cached() {
	let dir = tempfile::tempdir().unwrap();
	let base = file_server(HashMap::from([("/input".into(), (b"evil".to_vec(), Send::Honest))]));
	let (fetcher, _) = fetcher(dir.path(), 1024);
	let fetch = at(format!("{base}/input"), b"what the job names");
	match fetcher.get("input", &fetch) {
		Err(Error::HashMismatch { what: "input", expected, got }) => {
			assert_eq!(expected, fetch.hash);
			assert_eq!(got, hash(b"evil"));
		},
		other => panic!("{other:?}"),
	}
	assert!(!fetcher.cache_path(&fetch.hash).exists());
}

#[test]
fn oversize_blobs_are_refused_with_or_without_a_length() {
	let dir = tempfile::tempdir().unwrap();
	let big = vec![7u8; 2048];
	let base = file_server(HashMap::from([
		("/sized".into(), (big.clone(), Send::Honest)),
		("/unsized".into(), (big.clone(), Send::Unsized)),
	]));
	let (fetcher, _) = fetcher(dir.path(), 1024);
	for path in ["sized", "unsized"] {
		let result = fetcher.get("input", &at(format!("{base}/{path}"), &big));
		assert!(
			matches!(result, Err(Error::FetchTooLarge { max: 1024, .. })),
			"{path}: {result:?}"
		);
	}
	let file = dir.path().join("big.bin");
	std::fs::write(&file, &big).unwrap();
	let result = fetcher.get("input", &at(format!("file://{}", file.display()), &big));
	assert!(matches!(result, Err(Error::FetchTooLarge { .. })), "{result:?}");

	// Exactly the cap is fine.
	let (roomy, _) = self::fetcher(&dir.path().join("roomy"), 2048);
	assert_eq!(roomy.get("input", &at(format!("{base}/unsized"), &big)).unwrap(), big);
}

#[test]
fn a_damaged_cache_entry_is_fetched_again() {
	let dir = tempfile::tempdir().unwrap();
	let input = b"the real input".to_vec();
	let file = dir.path().join("input.bin");
	std::fs::write(&file, &input).unwrap();
	let (fetcher, metrics) = fetcher(&dir.path().join("data"), 1024);
	let fetch = at(format!("file://{}", file.display()), &input);
	assert_eq!(fetcher.get("input", &fetch).unwrap(), input);

	std::fs::write(fetcher.cache_path(&fetch.hash), b"bit rot").unwrap();
	assert_eq!(fetcher.get("input", &fetch).unwrap(), input);
	assert_eq!(metrics.cache_hits.get(), 0, "a damaged entry is no hit");
	assert_eq!(std::fs::read(fetcher.cache_path(&fetch.hash)).unwrap(), input);

	// With the source gone, the (repaired) cache still serves it.
	std::fs::remove_file(&file).unwrap();
	assert_eq!(fetcher.get("input", &fetch).unwrap(), input);
	assert_eq!(metrics.cache_hits.get(), 1);
}

#[test]
fn bad_uris_are_refused_clearly() {
	let dir = tempfile::tempdir().unwrap();
	let (fetcher, _) = fetcher(dir.path(), 1024);
	for uri in ["ftp://example/x", "file://relative/path", "file:///does/not/exist"] {
		match fetcher.get("code", &at(uri.into(), b"x")) {
			Err(e @ Error::Fetch { .. }) => assert!(e.is_retryable() && !e.is_deterministic()),
			other => panic!("{uri}: {other:?}"),
		}
	}
	let missing = file_server(HashMap::new());
	assert!(matches!(
		fetcher.get("code", &at(format!("{missing}/gone"), b"x")),
		Err(Error::Fetch { .. })
	));

	let file = dir.path().join("code.wasm");
	std::fs::write(&file, b"x").unwrap();
	let strict =
		Fetcher::new(&dir.path().join("strict"), 1024, false, Metrics::new().unwrap()).unwrap();
	let refused = strict.get("code", &at(format!("file://{}", file.display()), b"x"));
	assert!(format!("{}", refused.unwrap_err()).contains("disabled"));
}
