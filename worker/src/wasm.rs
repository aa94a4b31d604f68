//! WebAssembly jobs, run by wasmtime.
//!
//! # Job ABI
//!
//! A job is a WebAssembly module (WebAssembly 2.0 and extended constant expressions, one memory;
//! see [`crate::meter`]) that
//! - exports its linear memory as `memory`;
//! - exports `alloc(len: i32) -> i32`, which returns where the worker may write `len` bytes of
//!   input;
//! - exports `run(ptr: i32, len: i32) -> i32`, called once with the input's place, returning 0
//!   on success (any other value is the job's own failure status);
//! - calls the one import it may have, `smartnodes.output(ptr: i32, len: i32)`, exactly once
//!   with its output.
//!
//! Nothing else is provided: no files, no clock, no randomness, no network. The module may use
//! WebAssembly 2.0 and extended constant expressions, with one memory; other proposals
//! (threads, relaxed SIMD, tail calls, exceptions, ...) are refused.
//!
//! # Limits
//!
//! Fuel (one unit per instruction, see [`crate::meter`]) is metered by code compiled into the
//! module, which never calls out of the job's loops; linear memory is bounded by the job's
//! memory limit, and wall time by its time limit: a watchdog thread grows the job's stop memory
//! at the deadline, and the metering code traps when it next refills its fuel (every million
//! units, about a millisecond). NaNs are canonicalized, so floating point gives the same bits
//! everywhere; the output and the fuel used are deterministic.

use crate::{
	executor::{Execution, Executor, Limits},
	meter, Error, Result,
};
use smartnodes_primitives::compute::JobKind;
use sp_core::H256;
use std::{
	sync::{mpsc, Mutex},
	time::Duration,
};
use wasmtime::{
	Caller, Config, Engine, Global, Instance, Linker, MemoryType, Module, ResourceLimiter,
	SharedMemory, Store, Trap, Val,
};
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
		// Threads only for the stop memory metering imports: a job's own module is validated
		// without them (see `meter::instrument`).
		config.cranelift_nan_canonicalization(true).wasm_threads(true).wasm_relaxed_simd(false);
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
		let metered = meter::instrument(code)?;
		let module = Module::new(&self.engine, &metered)
			.map_err(|e| Error::InvalidModule(format!("{e:#}")))?;
		let mut modules = self.modules.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if modules.len() >= CACHED_MODULES {
			modules.remove(0);
		}
		modules.push((hash, module.clone()));
		Ok(module)
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
	/// Elements in all the job's tables.
	table_elements: usize,
}

/// Table elements a job may have, in all its tables together: function references, 8 bytes
/// each; far beyond any real job.
const MAX_TABLE_ELEMENTS: usize = 1_000_000;

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
		current: usize,
		desired: usize,
		_maximum: Option<usize>,
	) -> wasmtime::Result<bool> {
		let total = self.table_elements.saturating_sub(current).saturating_add(desired);
		if total > MAX_TABLE_ELEMENTS {
			return Ok(false);
		}
		self.table_elements = total;
		Ok(true)
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

/// The fuel a running job has, as the metering code keeps it: the current chunk and the whole
/// chunks left, in globals the instrumented module exports.
struct Fuel {
	chunk: Global,
	chunks: Global,
	/// Why a metering trap stopped the job (`meter::WHY`).
	why: Global,
}

impl Fuel {
	/// The instance's fuel globals, set to `limit` units (at most `i64::MAX`).
	fn set(store: &mut Store<State>, instance: &Instance, limit: i64) -> wasmtime::Result<Self> {
		let global = |store: &mut Store<State>, name: &str| {
			instance
				.get_global(&mut *store, name)
				.ok_or_else(|| wasmtime::Error::msg(format!("the metered module lacks {name}")))
		};
		let fuel = Self {
			chunk: global(store, meter::FUEL)?,
			chunks: global(store, meter::CHUNKS)?,
			why: global(store, meter::WHY)?,
		};
		fuel.chunk.set(&mut *store, Val::I64(limit.checked_rem(meter::CHUNK).unwrap_or(0)))?;
		fuel.chunks.set(&mut *store, Val::I64(limit.checked_div(meter::CHUNK).unwrap_or(0)))?;
		Ok(fuel)
	}

	/// Why metering stopped the job: `meter::STOPPED_FOR_FUEL`, `meter::STOPPED_FOR_TIME` or 0.
	fn why(&self, store: &mut Store<State>) -> i32 {
		self.why.get(&mut *store).i32().unwrap_or(0)
	}

	/// What is left, as of the job's last call, return or metering trap; negative when it ran
	/// out.
	fn left(&self, store: &mut Store<State>) -> i64 {
		let chunk = self.chunk.get(&mut *store).i64().unwrap_or(0);
		let chunks = self.chunks.get(&mut *store).i64().unwrap_or(0);
		chunks.saturating_mul(meter::CHUNK).saturating_add(chunk)
	}
}

/// Stops a job at its time limit: a thread that grows the job's stop memory when the limit
/// passes before the job ends.
struct Watchdog {
	stop: SharedMemory,
	/// Dropped when the job ends, which wakes the thread.
	done: Option<mpsc::Sender<()>>,
	thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
	fn start(engine: &Engine, limit: Duration) -> Result<Self> {
		let stop = SharedMemory::new(engine, MemoryType::shared(1, 2))
			.map_err(|e| Error::Engine(format!("{e:#}")))?;
		let (done, ended) = mpsc::channel::<()>();
		let signal = stop.clone();
		let thread = std::thread::Builder::new()
			.name("job-watchdog".into())
			.spawn(move || {
				if let Err(mpsc::RecvTimeoutError::Timeout) = ended.recv_timeout(limit) {
					// Growing a one-page memory of at most two pages cannot fail; if it did the
					// job would run on to its fuel limit.
					let _ = signal.grow(1);
				}
			})
			.map_err(|e| Error::Engine(format!("cannot start the job's watchdog: {e}")))?;
		Ok(Self { stop, done: Some(done), thread: Some(thread) })
	}
}

impl Drop for Watchdog {
	fn drop(&mut self) {
		self.done.take();
		if let Some(thread) = self.thread.take() {
			let _ = thread.join();
		}
	}
}

impl WasmExecutor {
	fn classify(
		error: wasmtime::Error,
		store: &mut Store<State>,
		fuel: Option<&Fuel>,
		limits: &Limits,
	) -> Error {
		if let Some(violation) = store.data_mut().violation.take() {
			return violation;
		}
		if store.data().memory_exceeded {
			return Error::MemoryLimit { limit_mib: limits.memory_mib };
		}
		match fuel.map(|fuel| fuel.why(store)) {
			Some(meter::STOPPED_FOR_FUEL) => return Error::OutOfFuel { limit: limits.fuel },
			Some(meter::STOPPED_FOR_TIME) => return Error::TimeLimit { limit_ms: limits.time_ms },
			_ => {},
		}
		match error.downcast_ref::<Trap>() {
			Some(trap) => Error::Trap(trap.to_string()),
			None => Error::Trap(format!("{error:#}")),
		}
	}

	/// Instantiates the job, gives it `fuel_limit` units of fuel (and `fuel` their globals),
	/// calls its start function if it has one, writes its input and calls `run`.
	fn run(
		store: &mut Store<State>,
		linker: &Linker<State>,
		module: &Module,
		input: &[u8],
		fuel_limit: i64,
		fuel: &mut Option<Fuel>,
	) -> std::result::Result<i32, Stop> {
		let len = i32::try_from(input.len())
			.map_err(|_| Stop::Abi(Error::Trap("the input does not fit a 32-bit memory".into())))?;
		let instance = linker.instantiate(&mut *store, module).map_err(Stop::Wasm)?;
		*fuel = Some(Fuel::set(store, &instance, fuel_limit).map_err(Stop::Wasm)?);
		if let Ok(start) = instance.get_typed_func::<(), ()>(&mut *store, meter::START) {
			start.call(&mut *store, ()).map_err(Stop::Wasm)?;
		}
		let memory = instance
			.get_memory(&mut *store, "memory")
			.ok_or(Stop::Abi(Error::MissingExport("memory")))?;
		let alloc = instance
			.get_typed_func::<i32, i32>(&mut *store, "alloc")
			.map_err(|_| Stop::Abi(Error::MissingExport("alloc")))?;
		let run = instance
			.get_typed_func::<(i32, i32), i32>(&mut *store, "run")
			.map_err(|_| Stop::Abi(Error::MissingExport("run")))?;
		let ptr = alloc.call(&mut *store, len).map_err(Stop::Wasm)?;
		let at = usize::try_from(ptr)
			.map_err(|_| Stop::Abi(Error::Trap("alloc returned a negative address".into())))?;
		memory
			.write(&mut *store, at, input)
			.map_err(|_| Stop::Abi(Error::Trap("alloc returned room outside memory".into())))?;
		run.call(&mut *store, (ptr, len)).map_err(Stop::Wasm)
	}
}

impl Executor for WasmExecutor {
	fn kind(&self) -> JobKind {
		JobKind::Wasm
	}

	fn execute(&self, code: &[u8], input: &[u8], limits: &Limits) -> Result<Execution> {
		let module = self.module(code)?;
		let engine_error = |e: wasmtime::Error| Error::Engine(format!("{e:#}"));
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
				table_elements: 0,
			},
		);
		store.limiter(|state| state);
		let fuel_limit = i64::try_from(limits.fuel).unwrap_or(i64::MAX);
		let watchdog =
			Watchdog::start(&self.engine, Duration::from_millis(u64::from(limits.time_ms)))?;

		let mut linker = Linker::new(&self.engine);
		linker.func_wrap(meter::IMPORT_MODULE, meter::OUTPUT, output).map_err(engine_error)?;
		linker
			.define(&store, meter::IMPORT_MODULE, meter::STOP, watchdog.stop.clone())
			.map_err(engine_error)?;

		let mut fuel = None;
		let outcome = Self::run(&mut store, &linker, &module, input, fuel_limit, &mut fuel);
		// The job is over: wake and join the watchdog.
		drop(watchdog);
		let status = match outcome {
			Ok(status) => status,
			Err(Stop::Wasm(e)) => return Err(Self::classify(e, &mut store, fuel.as_ref(), limits)),
			Err(Stop::Abi(e)) => return Err(e),
		};
		let left = fuel.map_or(0, |fuel| fuel.left(&mut store));
		if left < 0 {
			return Err(Error::OutOfFuel { limit: limits.fuel });
		}
		if status != 0 {
			return Err(Error::JobFailed(status));
		}
		let output = store.data_mut().output.take().ok_or(Error::NoOutput)?;
		let fuel_used = u64::try_from(fuel_limit.saturating_sub(left)).unwrap_or(0);
		Ok(Execution { output, fuel_used })
	}
}
