//! The same computation as a WebAssembly job and as native Rust: the sandbox's overhead
//! (the goal is at most 1.5x). Run with `cargo bench -p smartnodes-worker --bench overhead`
//! (scripts/bench does); both sides are optimized builds.
//!
//! Each case runs native, in the worker's sandbox and, for reference, in a plain wasmtime engine
//! with wasmtime's own fuel metering and with none, in turns (so a slow moment of the machine
//! hits all alike). The unmetered column splits the overhead in two: what Cranelift's code costs
//! against LLVM's, and what deterministic fuel metering adds on top; the wasmtime-fuel column is
//! what the sandbox's metering (compiled into the module, `smartnodes_worker::meter`) replaced.

#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use smartnodes_worker::{
	examples,
	executor::{Executor, Limits},
	wasm::WasmExecutor,
};
use std::time::{Duration, Instant};
use wasmtime::{Caller, Config, Engine, Linker, Module, Store};

const LIMITS: Limits = Limits { fuel: u64::MAX / 4, memory_mib: 1_024, time_ms: 600_000 };
const RUNS: usize = 15;

/// Timings of one way of running a case.
#[derive(Default)]
struct Times(Vec<Duration>);

impl Times {
	fn time(&mut self, f: impl FnOnce()) {
		let start = Instant::now();
		f();
		self.0.push(start.elapsed());
	}

	/// Median and fastest, in milliseconds.
	fn summary(&mut self) -> (f64, f64) {
		self.0.sort();
		(self.0[self.0.len() / 2].as_secs_f64() * 1e3, self.0[0].as_secs_f64() * 1e3)
	}
}

/// The job in a plain wasmtime engine (with wasmtime's fuel if `fuel`, which the engine must
/// consume): no time
/// limit, no memory limit.
fn bare(engine: &Engine, module: &Module, input: &[u8], fuel: bool) -> Vec<u8> {
	let mut store = Store::new(engine, Vec::new());
	if fuel {
		store.set_fuel(u64::MAX / 4).expect("fuel");
	}
	let mut linker = Linker::new(engine);
	linker
		.func_wrap("smartnodes", "output", |mut caller: Caller<'_, Vec<u8>>, ptr: i32, len: i32| {
			let memory = caller.get_export("memory").and_then(|e| e.into_memory()).expect("memory");
			let mut output = vec![0; len as usize];
			memory.read(&caller, ptr as usize, &mut output).expect("output in memory");
			*caller.data_mut() = output;
		})
		.expect("links");
	let instance = linker.instantiate(&mut store, module).expect("instantiates");
	let memory = instance.get_memory(&mut store, "memory").expect("memory");
	let alloc = instance.get_typed_func::<i32, i32>(&mut store, "alloc").expect("alloc");
	let run = instance.get_typed_func::<(i32, i32), i32>(&mut store, "run").expect("run");
	let ptr = alloc.call(&mut store, input.len() as i32).expect("allocates");
	memory.write(&mut store, ptr as usize, input).expect("input in memory");
	assert_eq!(run.call(&mut store, (ptr, input.len() as i32)).expect("runs"), 0);
	store.into_data()
}

fn main() {
	let executor = WasmExecutor::new(1 << 20).expect("wasmtime starts");
	let plain = Engine::new(&Config::new()).expect("wasmtime starts");
	let fueled = Engine::new(Config::new().consume_fuel(true)).expect("wasmtime starts");
	type Native = fn(&[u8]) -> Vec<u8>;
	let cases: [(&str, &[u8], Native, Vec<u8>); 3] = [
		("hash chain, 2M rounds", examples::HASH_CHAIN, smartnodes_example_jobs::hash_chain, {
			let mut input = 2_000_000u32.to_le_bytes().to_vec();
			input.extend_from_slice(b"seed");
			input
		}),
		(
			"matmul 200x200",
			examples::MATMUL,
			smartnodes_example_jobs::matmul,
			200u32.to_le_bytes().to_vec(),
		),
		(
			"sieve to 10M",
			examples::SIEVE,
			smartnodes_example_jobs::sieve,
			10_000_000u32.to_le_bytes().to_vec(),
		),
	];
	println!("{RUNS} runs of each, in turns; times are medians (fastest in brackets), in ms");
	println!(
		"{:<22} {:>16} {:>16} {:>6} {:>16} {:>6} {:>16} {:>6} {:>11} {:>8}",
		"job",
		"native",
		"sandbox",
		"ratio",
		"wasmtime fuel",
		"ratio",
		"unmetered",
		"ratio",
		"fuel",
		"compile"
	);
	for (name, code, native, input) in cases {
		let expected = native(&input);
		// The first run compiles the module; later runs take it from the executor's cache.
		let start = Instant::now();
		let run = executor.execute(code, &input, &LIMITS).expect("the job runs");
		let compile = start.elapsed();
		assert_eq!(run.output, expected, "{name}: the wasm job computes what native code does");
		let module = Module::new(&plain, code).expect("compiles");
		assert_eq!(
			bare(&plain, &module, &input, false),
			expected,
			"{name}: the same without metering"
		);
		let wasmtime_fuel = Module::new(&fueled, code).expect("compiles");
		assert_eq!(
			bare(&fueled, &wasmtime_fuel, &input, true),
			expected,
			"{name}: wasmtime's fuel"
		);

		let (mut n, mut s, mut w, mut u) =
			(Times::default(), Times::default(), Times::default(), Times::default());
		for _ in 0..RUNS {
			n.time(|| {
				std::hint::black_box(native(std::hint::black_box(&input)));
			});
			s.time(|| {
				std::hint::black_box(executor.execute(code, &input, &LIMITS).expect("runs"));
			});
			w.time(|| {
				std::hint::black_box(bare(&fueled, &wasmtime_fuel, &input, true));
			});
			u.time(|| {
				std::hint::black_box(bare(&plain, &module, &input, false));
			});
		}
		let ((n, n_min), (s, s_min), (w, w_min), (u, u_min)) =
			(n.summary(), s.summary(), w.summary(), u.summary());
		let cell = |median: f64, fastest: f64| format!("{median:.2} ({fastest:.2})");
		println!(
			"{name:<22} {:>16} {:>16} {:>6.2} {:>16} {:>6.2} {:>16} {:>6.2} {:>11} {:>8.2}",
			cell(n, n_min),
			cell(s, s_min),
			s / n,
			cell(w, w_min),
			w / n,
			cell(u, u_min),
			u / n,
			run.fuel_used,
			compile.saturating_sub(Duration::from_secs_f64(s / 1e3)).as_secs_f64() * 1e3
		);
	}
}
