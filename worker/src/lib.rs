//! The Smartnodes worker library: the sandbox that runs compute jobs.
//!
//! Jobs enter as code and input bytes (fetched from where the job says and checked against the
//! hashes it names, [`executor::verify_hash`]) with their limits; they leave as an output and the
//! fuel it took ([`executor::Execution`]), which the worker commits to on chain. Each job kind
//! has an [`executor::Executor`]; [`wasm::WasmExecutor`] runs WebAssembly with wasmtime and
//! documents the job ABI. `cargo test -p smartnodes-worker` runs the sandbox's tests.

pub mod error;
pub mod examples;
pub mod executor;
pub mod wasm;

pub use error::{Error, Result};
