//! WebAssembly jobs, run by wasmtime.
//!
//! # Job ABI
//!
//! A job is a WebAssembly module (MVP plus the deterministic proposals wasmtime enables by
//! default; no threads, no relaxed SIMD) that
//! - exports its linear memory as `memory`;
//! - exports `alloc(len: i32) -> i32`, which returns where the worker may write `len` bytes of
//!   input;
//! - exports `run(ptr: i32, len: i32) -> i32`, called once with the input's place, returning 0
//!   on success (any other value is the job's own failure status);
//! - calls the one import it may have, `smartnodes.output(ptr: i32, len: i32)`, exactly once
//!   with its output.
//!
//! Nothing else is provided: no files, no clock, no randomness, no network. Fuel (about one unit
//! per instruction) is metered and bounded by the job's limit, linear memory by its memory limit,
//! and wall time by its time limit (checked every million units of fuel, about a millisecond).
//! NaNs are canonicalized, so floating point gives the same bits everywhere; the output and the
//! fuel used are deterministic.
//!
//! The time limit costs the job nothing: instead of wasmtime's epoch checks (a load and a compare
//! at every loop head, on top of fuel's), the job runs as a future whose fuel yields it every
//! [`YIELD_FUEL`] units back to [`drive`], which checks the clock, and a job past its time is
//! cancelled by dropping the future.

use crate::{
	executor::{Execution, Executor, Limits},
	Error, Result,
};
use smartnodes_primitives::compute::JobKind;
use sp_core::H256;
use std::{
	future::Future,
	sync::Mutex,
	task::{Context, Poll, Waker},
	time::{Duration, Instant},
};
use wasmtime::{Caller, Config, Engine, Linker, Module, ResourceLimiter, Store, Trap};

/// Fuel between two checks of the wall-time limit: about a millisecond of a job.
pub const YIELD_FUEL: u64 = 1_000_000;
const MIB: usize = 1024 * 1024;

/// The largest output a job may produce, by default.
pub const DEFAULT_MAX_OUTPUT: usize = 16 * MIB;

/// Compiled modules kept, by code hash: a worker runs the same code for many jobs.
const CACHED_MODULES: usize = 64;

/// Runs [`JobKind::Wasm`] jobs.
pub struct WasmExecutor {
	engine: Engine,
	max_output: usize,
	/// Most recently used last.
	modules: Mutex<Vec<(H256, Module)>>,
}

impl WasmExecutor {
	pub fn new(max_output: usize) -> Result<Self> {
		let mut config = Config::new();
		config
			.consume_fuel(true)
			.async_support(true)
			.cranelift_nan_canonicalization(true)
			.wasm_threads(false)
			.wasm_relaxed_simd(false);
		let engine = Engine::new(&config).map_err(|e| Error::Engine(e.to_string()))?;
		Ok(Self { engine, max_output, modules: Mutex::new(Vec::new()) })
	}

	/// The compiled module of `code`, from the cache or compiled now.
	fn module(&self, code: &[u8]) -> Result<Module> {
		let hash = H256(sp_io::hashing::blake2_256(code));
		let mut modules = self.modules.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if let Some(at) = modules.iter().position(|(h, _)| *h == hash) {
			let entry = modules.remove(at);
			let module = entry.1.clone();
			modules.push(entry);
			return Ok(module);
		}
		drop(modules);
		let module =
			Module::new(&self.engine, code).map_err(|e| Error::InvalidModule(format!("{e:#}")))?;
		let mut modules = self.modules.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if modules.len() >= CACHED_MODULES {
			modules.remove(0);
		}
		modules.push((hash, module.clone()));
		Ok(module)
	}
}

/// Polls `future` to its end on this thread unless `deadline` passes first. The job's fuel
/// yields it back here every [`YIELD_FUEL`] units; dropping the future cancels the job.
fn drive<F: Future>(deadline: Instant, future: F) -> Option<F::Output> {
	let mut future = std::pin::pin!(future);
	let mut context = Context::from_waker(Waker::noop());
	loop {
		if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
			return Some(output);
		}
		if Instant::now() >= deadline {
			return None;
		}
	}
}

/// Why a run stopped early: a trap or host error to classify, or a broken job ABI.
enum Stop {
	Wasm(wasmtime::Error),
	Abi(Error),
}

/// What a running job's store holds.
struct State {
	memory_limit: usize,
	memory_exceeded: bool,
	max_output: usize,
	output: Option<Vec<u8>>,
	/// An ABI violation found inside a host call, reported instead of the trap it caused.
	violation: Option<Error>,
}

impl ResourceLimiter for State {
	fn memory_growing(
		&mut self,
		_current: usize,
		desired: usize,
		_maximum: Option<usize>,
	) -> wasmtime::Result<bool> {
		if desired > self.memory_limit {
			self.memory_exceeded = true;
			return Err(wasmtime::Error::msg("memory limit"));
		}
		Ok(true)
	}

	fn table_growing(
		&mut self,
		_current: usize,
		desired: usize,
		_maximum: Option<usize>,
	) -> wasmtime::Result<bool> {
		// Tables hold function references; a million is far beyond any real job.
		Ok(desired <= 1_000_000)
	}
}

fn output(mut caller: Caller<'_, State>, ptr: i32, len: i32) -> wasmtime::Result<()> {
	let state = caller.data_mut();
	if state.output.is_some() {
		state.violation = Some(Error::OutputTwice);
		return Err(wasmtime::Error::msg("output twice"));
	}
	let len = usize::try_from(len).unwrap_or(usize::MAX);
	if len > state.max_output {
		state.violation = Some(Error::OutputTooLarge { len, max: state.max_output });
		return Err(wasmtime::Error::msg("output too large"));
	}
	let memory = caller
		.get_export("memory")
		.and_then(|e| e.into_memory())
		.ok_or_else(|| wasmtime::Error::msg("no memory"))?;
	let start = usize::try_from(ptr).map_err(|_| wasmtime::Error::msg("negative pointer"))?;
	let bytes = memory
		.data(&caller)
		.get(start..start.saturating_add(len))
		.ok_or_else(|| wasmtime::Error::msg("output out of bounds"))?
		.to_vec();
	caller.data_mut().output = Some(bytes);
	Ok(())
}

impl WasmExecutor {
	fn classify(&self, error: wasmtime::Error, store: &mut Store<State>, limits: &Limits) -> Error {
		if let Some(violation) = store.data_mut().violation.take() {
			return violation;
		}
		if store.data().memory_exceeded {
			return Error::MemoryLimit { limit_mib: limits.memory_mib };
		}
		match error.downcast_ref::<Trap>() {
			Some(Trap::OutOfFuel) => Error::OutOfFuel { limit: limits.fuel },
			Some(trap) => Error::Trap(trap.to_string()),
			None => Error::Trap(format!("{error:#}")),
		}
	}
}

impl Executor for WasmExecutor {
	fn kind(&self) -> JobKind {
		JobKind::Wasm
	}

	fn execute(&self, code: &[u8], input: &[u8], limits: &Limits) -> Result<Execution> {
		let module = self.module(code)?;
		for import in module.imports() {
			if (import.module(), import.name()) != ("smartnodes", "output") {
				return Err(Error::ForbiddenImport {
					module: import.module().into(),
					name: import.name().into(),
				});
			}
		}
		let memory_limit =
			usize::try_from(limits.memory_mib).unwrap_or(usize::MAX).saturating_mul(MIB);
		let mut store = Store::new(
			&self.engine,
			State {
				memory_limit,
				memory_exceeded: false,
				max_output: self.max_output,
				output: None,
				violation: None,
			},
		);
		store.limiter(|state| state);
		store.set_fuel(limits.fuel).map_err(|e| Error::Engine(e.to_string()))?;
		store
			.fuel_async_yield_interval(Some(YIELD_FUEL))
			.map_err(|e| Error::Engine(e.to_string()))?;
		let deadline = Instant::now()
			.checked_add(Duration::from_millis(u64::from(limits.time_ms)))
			.ok_or_else(|| Error::Engine("time limit out of range".into()))?;

		let mut linker = Linker::new(&self.engine);
		linker
			.func_wrap("smartnodes", "output", output)
			.map_err(|e| Error::Engine(e.to_string()))?;
		let len = i32::try_from(input.len())
			.map_err(|_| Error::Trap("the input does not fit a 32-bit memory".into()))?;
		let store_ref = &mut store;
		let job = async move {
			let instance =
				linker.instantiate_async(&mut *store_ref, &module).await.map_err(Stop::Wasm)?;
			let memory = instance
				.get_memory(&mut *store_ref, "memory")
				.ok_or(Stop::Abi(Error::MissingExport("memory")))?;
			let alloc = instance
				.get_typed_func::<i32, i32>(&mut *store_ref, "alloc")
				.map_err(|_| Stop::Abi(Error::MissingExport("alloc")))?;
			let run = instance
				.get_typed_func::<(i32, i32), i32>(&mut *store_ref, "run")
				.map_err(|_| Stop::Abi(Error::MissingExport("run")))?;
			let ptr = alloc.call_async(&mut *store_ref, len).await.map_err(Stop::Wasm)?;
			let at = usize::try_from(ptr)
				.map_err(|_| Stop::Abi(Error::Trap("alloc returned a negative address".into())))?;
			memory
				.write(&mut *store_ref, at, input)
				.map_err(|_| Stop::Abi(Error::Trap("alloc returned room outside memory".into())))?;
			run.call_async(&mut *store_ref, (ptr, len)).await.map_err(Stop::Wasm)
		};
		let status = match drive(deadline, job) {
			Some(Ok(status)) => status,
			Some(Err(Stop::Wasm(e))) => return Err(self.classify(e, &mut store, limits)),
			Some(Err(Stop::Abi(e))) => return Err(e),
			None => return Err(Error::TimeLimit { limit_ms: limits.time_ms }),
		};
		let left = store.get_fuel().map_err(|e| Error::Engine(e.to_string()))?;
		if status != 0 {
			return Err(Error::JobFailed(status));
		}
		let output = store.data_mut().output.take().ok_or(Error::NoOutput)?;
		Ok(Execution { output, fuel_used: limits.fuel.saturating_sub(left) })
	}
}
