//! What the worker's integration tests share: a tiny HTTP file server on loopback, settings for
//! a worker in a temporary directory, and an HTTP client that returns every status.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smartnodes_worker::config::{Config, Settings};
use sp_core::H256;
use std::{
	collections::HashMap,
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	path::Path,
	sync::Arc,
	time::Duration,
};

/// How a served file is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Send {
	/// With its `Content-Length`.
	Honest,
	/// Without a length, the end marked by closing the connection (as a server that does not
	/// know or hides the size).
	Unsized,
}

/// Serves `files` (path → bytes) over HTTP/1.1 on a loopback port; returns the base URL. The
/// server stops by itself after 64 connections or 60 seconds, whichever comes first.
pub fn file_server(files: HashMap<String, (Vec<u8>, Send)>) -> String {
	let listener = TcpListener::bind("127.0.0.1:0").unwrap();
	let base = format!("http://{}", listener.local_addr().unwrap());
	let files = Arc::new(files);
	std::thread::spawn(move || {
		let started = std::time::Instant::now();
		for stream in listener.incoming().take(64) {
			if started.elapsed() > Duration::from_secs(60) {
				return;
			}
			let Ok(mut stream) = stream else { continue };
			let mut request = String::new();
			let mut reader = BufReader::new(stream.try_clone().unwrap());
			if reader.read_line(&mut request).is_err() {
				continue;
			}
			let mut line = String::new();
			while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
				line.clear();
			}
			let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
			let _ = match files.get(&path) {
				Some((body, Send::Honest)) => stream
					.write_all(
						format!(
							"HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
							body.len()
						)
						.as_bytes(),
					)
					.and_then(|()| stream.write_all(body)),
				Some((body, Send::Unsized)) => stream
					.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
					.and_then(|()| stream.write_all(body)),
				None => stream.write_all(
					b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
				),
			};
		}
	});
	base
}

pub fn hash(bytes: &[u8]) -> H256 {
	H256(sp_io::hashing::blake2_256(bytes))
}

/// A URL nothing listens on: a port bound and released at once.
pub fn dead_url() -> String {
	let listener = TcpListener::bind("127.0.0.1:0").unwrap();
	format!("http://{}", listener.local_addr().unwrap())
}

/// Settings for a worker (account `//Alice`) in `dir`, listening on a free loopback port, with
/// a node URL nothing answers at.
pub fn settings(dir: &Path) -> Settings {
	Settings {
		data_dir: Some(dir.to_path_buf()),
		listen: Some("127.0.0.1:0".parse().unwrap()),
		node: Some(dead_url()),
		account: Some("//Alice".into()),
		concurrency: Some(2),
		shutdown_grace_secs: Some(10),
		..Default::default()
	}
}

pub fn config(dir: &Path) -> Config {
	settings(dir).resolve().unwrap()
}

/// Status and body of a request, whatever the status.
pub fn request(method: &str, url: &str, body: Option<&[u8]>) -> (u16, Vec<u8>) {
	let request = ureq::request(method, url).timeout(Duration::from_secs(30));
	let response = match body {
		Some(body) => request.send_bytes(body),
		None => request.call(),
	};
	let response = match response {
		Ok(response) => response,
		Err(ureq::Error::Status(_, response)) => response,
		Err(e) => panic!("{method} {url}: {e}"),
	};
	let status = response.status();
	let mut bytes = Vec::new();
	std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).unwrap();
	(status, bytes)
}
