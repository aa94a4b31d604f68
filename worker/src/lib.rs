//! The Smartnodes worker: the sandbox that runs compute jobs, and the daemon around it.
//!
//! Jobs enter as orders from the worker's validator (`POST /v1/jobs`, [`server`]), checked
//! against the chain ([`chain`]); their code and input are fetched by hash ([`fetch`]) and run
//! ([`runner`]): code and input bytes, checked against the hashes the job names
//! ([`executor::verify_hash`]), with their limits, give an output and the fuel it took
//! ([`executor::Execution`]). Each job kind has an [`executor::Executor`];
//! [`wasm::WasmExecutor`] runs WebAssembly with wasmtime and documents the job ABI. Results
//! leave as signed commitments and reveals for the validator and outputs for users, kept on
//! disk across restarts ([`store`]). [`daemon::Daemon`] puts it together; [`command`] is the
//! `smartnodes-worker` binary; [`audit::Auditor`] is what a validator's node re-executes audited
//! jobs with. `cargo test -p smartnodes-worker` runs the tests (no node needed).

pub mod audit;
pub mod chain;
pub mod command;
pub mod config;
pub mod daemon;
pub mod error;
pub mod examples;
pub mod executor;
pub mod fetch;
pub mod identity;
pub mod jobs;
pub mod meter;
pub mod metrics;
pub mod runner;
pub mod server;
pub mod store;
pub mod wasm;

pub use error::{Error, Result};
