//! The sandbox's limits and ABI, with small jobs written in WebAssembly text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smartnodes_worker::{
	executor::{verify_hash, Executor, Executors, Limits},
	wasm::WasmExecutor,
	Error,
};
use sp_core::H256;

const LIMITS: Limits = Limits { fuel: 10_000_000, memory_mib: 16, time_ms: 10_000 };

/// A module with the ABI's `memory` and `alloc` (input at 1024) and the given `run` body.
fn job(imports: &str, run: &str) -> Vec<u8> {
	wat::parse_str(format!(
		r#"(module
			{imports}
			(memory (export "memory") 1)
			(func (export "alloc") (param i32) (result i32) i32.const 1024)
			(func (export "run") (param $ptr i32) (param $len i32) (result i32)
				(local $i i32)
				{run})
		)"#
	))
	.unwrap()
}

const OUTPUT: &str = r#"(import "smartnodes" "output" (func $output (param i32 i32)))"#;

/// Reverses the input in place and outputs it.
fn reverse() -> Vec<u8> {
	job(
		OUTPUT,
		r#"
		(local $j i32) (local $t i32)
		local.get $ptr
		local.set $i
		local.get $ptr
		local.get $len
		i32.add
		i32.const 1
		i32.sub
		local.set $j
		(block $done
			(loop $swap
				local.get $i
				local.get $j
				i32.ge_s
				br_if $done
				local.get $i
				i32.load8_u
				local.set $t
				local.get $i
				local.get $j
				i32.load8_u
				i32.store8
				local.get $j
				local.get $t
				i32.store8
				local.get $i
				i32.const 1
				i32.add
				local.set $i
				local.get $j
				i32.const 1
				i32.sub
				local.set $j
				br $swap))
		local.get $ptr
		local.get $len
		call $output
		i32.const 0"#,
	)
}

fn executor() -> WasmExecutor {
	WasmExecutor::new(1024).unwrap()
}

#[test]
fn a_job_runs_deterministically() {
	let executor = executor();
	let code = reverse();
	let first = executor.execute(&code, b"smartnodes", &LIMITS).unwrap();
	assert_eq!(first.output, b"sedontrams");
	assert!(first.fuel_used > 0);
	for _ in 0..5 {
		assert_eq!(executor.execute(&code, b"smartnodes", &LIMITS).unwrap(), first);
	}
	// Another engine, the same result and fuel.
	assert_eq!(
		WasmExecutor::new(1024).unwrap().execute(&code, b"smartnodes", &LIMITS).unwrap(),
		first
	);
	assert_eq!(first.output_hash(), H256(sp_io::hashing::blake2_256(b"sedontrams")));
}

#[test]
fn an_endless_loop_runs_out_of_fuel() {
	let code = job("", "(loop $forever br $forever) i32.const 0");
	assert!(matches!(
		executor().execute(&code, b"", &LIMITS),
		Err(Error::OutOfFuel { limit: 10_000_000 })
	));
}

#[test]
fn an_endless_loop_with_ample_fuel_hits_the_time_limit() {
	let code = job("", "(loop $forever br $forever) i32.const 0");
	let limits = Limits { fuel: u64::MAX / 2, memory_mib: 16, time_ms: 100 };
	let started = std::time::Instant::now();
	let result = executor().execute(&code, b"", &limits);
	assert!(matches!(result, Err(Error::TimeLimit { limit_ms: 100 })), "{result:?}");
	assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_memory_bomb_is_refused() {
	// Grows by 64 KiB pages until refused: 16 MiB is 256 pages.
	let code = job(
		"",
		r#"(loop $grow
			i32.const 16
			memory.grow
			i32.const -1
			i32.ne
			br_if $grow)
		i32.const 0"#,
	);
	let result = executor().execute(&code, b"", &LIMITS);
	assert!(matches!(result, Err(Error::MemoryLimit { limit_mib: 16 })), "{result:?}");
	// A module whose initial memory is over the limit does not even start.
	let big = wat::parse_str(
		r#"(module (memory (export "memory") 1000)
			(func (export "alloc") (param i32) (result i32) i32.const 0)
			(func (export "run") (param i32 i32) (result i32) i32.const 0))"#,
	)
	.unwrap();
	assert!(matches!(executor().execute(&big, b"", &LIMITS), Err(Error::MemoryLimit { .. })));
}

#[test]
fn an_oversize_output_is_refused() {
	let code = job(OUTPUT, "i32.const 0 i32.const 1025 call $output i32.const 0");
	assert!(matches!(
		executor().execute(&code, b"", &LIMITS),
		Err(Error::OutputTooLarge { len: 1025, max: 1024 })
	));
}

#[test]
fn ambient_access_is_refused() {
	let code = job(
		r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#,
		"i32.const 0",
	);
	match executor().execute(&code, b"", &LIMITS) {
		Err(Error::ForbiddenImport { module, name }) => {
			assert_eq!((module.as_str(), name.as_str()), ("wasi_snapshot_preview1", "fd_write"))
		},
		other => panic!("expected a forbidden import, got {other:?}"),
	}
}

#[test]
fn a_malformed_module_is_a_clear_error() {
	match executor().execute(b"\0asm\x01\0\0\0\x01garbage", b"", &LIMITS) {
		Err(Error::InvalidModule(message)) => assert!(!message.is_empty()),
		other => panic!("expected an invalid module, got {other:?}"),
	}
	assert!(matches!(executor().execute(b"not wasm", b"", &LIMITS), Err(Error::InvalidModule(_))));
}

#[test]
fn abi_violations_are_named() {
	let executor = executor();
	let silent = job(OUTPUT, "i32.const 0");
	assert!(matches!(executor.execute(&silent, b"", &LIMITS), Err(Error::NoOutput)));
	let twice = job(
		OUTPUT,
		"i32.const 0 i32.const 1 call $output i32.const 0 i32.const 1 call $output i32.const 0",
	);
	assert!(matches!(executor.execute(&twice, b"", &LIMITS), Err(Error::OutputTwice)));
	let failing = job(OUTPUT, "i32.const 7");
	assert!(matches!(executor.execute(&failing, b"", &LIMITS), Err(Error::JobFailed(7))));
	let trapping = job(OUTPUT, "unreachable");
	assert!(matches!(executor.execute(&trapping, b"", &LIMITS), Err(Error::Trap(_))));
	let no_run = wat::parse_str(
		r#"(module (memory (export "memory") 1)
			(func (export "alloc") (param i32) (result i32) i32.const 0))"#,
	)
	.unwrap();
	assert!(matches!(executor.execute(&no_run, b"", &LIMITS), Err(Error::MissingExport("run"))));
	for error in [Error::NoOutput, Error::OutputTwice, Error::JobFailed(7)] {
		assert!(error.is_deterministic());
	}
	assert!(!Error::TimeLimit { limit_ms: 1 }.is_deterministic());
}

#[test]
fn a_module_with_a_wrong_hash_is_refused() {
	let code = reverse();
	let right = H256(sp_io::hashing::blake2_256(&code));
	assert!(verify_hash("code", &code, &right).is_ok());
	match verify_hash("code", &code, &H256::repeat_byte(1)) {
		Err(Error::HashMismatch { what: "code", got, .. }) => assert_eq!(got, right),
		other => panic!("expected a hash mismatch, got {other:?}"),
	}
}

#[test]
fn executors_are_found_by_kind() {
	use smartnodes_primitives::compute::JobKind;
	let executors = Executors::default().with(executor());
	assert_eq!(executors.get(JobKind::Wasm).unwrap().kind(), JobKind::Wasm);
	assert!(Executors::default().get(JobKind::Wasm).is_err());
}
