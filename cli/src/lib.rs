//! The Smartnodes user client: everything the `smartnodes` CLI does, as a library.
//!
//! Data enters from the user (job files, the files they name, a signing key) and from one
//! node's JSON-RPC; it leaves as signed transactions to that node, and as job outputs fetched
//! from the workers that produced them, checked against the hash the replicas agreed on.
//! `cargo test -p smartnodes-cli` runs its unit tests; `node/tests/user_cli.rs` runs the binary
//! against a real node.

pub mod client;
pub mod error;
pub mod job;
pub mod user;

pub use client::Client;
pub use error::{Error, Result};
