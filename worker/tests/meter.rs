//! Fuel metering compiled into jobs (`smartnodes_worker::meter`): what fuel costs, that it runs
//! out at exactly the limit, across many refills of its chunk, and what a job may not use.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smartnodes_worker::{
	executor::{Executor, Limits},
	meter,
	wasm::WasmExecutor,
	Error,
};

const LIMITS: Limits = Limits { fuel: 1_000_000_000, memory_mib: 16, time_ms: 10_000 };

/// A job with the ABI's output import, one page of memory and `alloc` (input at 1024), and
/// `items` (its `run` among them).
fn job(items: &str) -> Vec<u8> {
	wat::parse_str(format!(
		r#"(module
			(import "smartnodes" "output" (func $output (param i32 i32)))
			(memory (export "memory") 1)
			(func (export "alloc") (param i32) (result i32) i32.const 1024)
			{items})"#
	))
	.unwrap()
}

fn executor() -> WasmExecutor {
	WasmExecutor::new(1024).unwrap()
}

/// A job whose `run` loops `$n` times (the first input byte, times 10,000) over `body`, then
/// outputs the first 4 bytes of memory.
fn looping(globals: &str, body: &str) -> Vec<u8> {
	job(&format!(
		r#"{globals}
			(func (export "run") (param $ptr i32) (param $len i32) (result i32)
				(local $n i32)
				local.get $ptr
				i32.load8_u
				i32.const 10000
				i32.mul
				local.set $n
				(block $done
					(loop $again
						local.get $n
						i32.eqz
						br_if $done
						{body}
						local.get $n
						i32.const 1
						i32.sub
						local.set $n
						br $again))
				i32.const 0
				i32.const 4
				call $output
				i32.const 0)"#
	))
}

#[test]
fn fuel_counts_the_instructions_run() {
	let code = looping("", "");
	let fuel = |thousands: u8| executor().execute(&code, &[thousands], &LIMITS).unwrap().fuel_used;
	// Each turn of the loop runs `local.get, i32.eqz, br_if` then `local.get, i32.const,
	// i32.sub, local.set, br`: eight instructions (`loop` and `block` are free).
	assert_eq!(fuel(2) - fuel(1), 8 * 10_000);
	assert_eq!(fuel(3) - fuel(1), 2 * 8 * 10_000);
}

#[test]
fn fuel_runs_out_at_exactly_the_limit_across_refills() {
	// About 2.4 million units: the job refills its chunk of a million twice.
	let code = looping("", "");
	let used = executor().execute(&code, &[30], &LIMITS).unwrap().fuel_used;
	assert!(used > 2 * meter::CHUNK as u64, "{used}");
	let exact = Limits { fuel: used, ..LIMITS };
	assert_eq!(executor().execute(&code, &[30], &exact).unwrap().fuel_used, used);
	for short in [used - 1, used / 2, 10, 0] {
		let limits = Limits { fuel: short, ..LIMITS };
		assert!(
			matches!(executor().execute(&code, &[30], &limits), Err(Error::OutOfFuel { limit }) if limit == short),
			"{short}"
		);
	}
}

#[test]
fn bulk_memory_pays_for_what_it_moves() {
	// Fills `$len` bytes (the second input byte, in KiB) once.
	let code = job(r#"(func (export "run") (param $ptr i32) (param $len i32) (result i32)
				i32.const 2048
				i32.const 7
				local.get $ptr
				i32.load8_u
				i32.const 1024
				i32.mul
				memory.fill
				i32.const 2048
				i32.const 4
				call $output
				i32.const 0)"#);
	let run = |kib: u8| executor().execute(&code, &[kib], &LIMITS).unwrap();
	let (none, some) = (run(0), run(32));
	assert_eq!(some.output, [7; 4]);
	assert_eq!(some.fuel_used - none.fuel_used, 32 * 1024 / meter::BULK_BYTES_PER_FUEL as u64);
	// A fill it cannot pay for does not start.
	let limits = Limits { fuel: none.fuel_used + 100, ..LIMITS };
	assert!(matches!(executor().execute(&code, &[32], &limits), Err(Error::OutOfFuel { .. })));
}

#[test]
fn jobs_keep_their_globals_data_and_start_function() {
	// The job's own global, data segment, start function and memory.size/grow all refer to
	// indices that metering moves.
	let code = wat::parse_str(
		r#"(module
			(import "smartnodes" "output" (func $output (param i32 i32)))
			(memory (export "memory") 1 4)
			(global $counter (mut i32) (i32.const 40))
			(data (i32.const 16) "meter")
			(func $start
				global.get $counter
				i32.const 2
				i32.add
				global.set $counter)
			(start $start)
			(func (export "alloc") (param i32) (result i32) i32.const 1024)
			(func (export "run") (param i32 i32) (result i32)
				;; memory[0] = counter, memory[1] = size after growing by one page
				i32.const 0
				global.get $counter
				i32.store8
				i32.const 1
				memory.grow
				drop
				i32.const 1
				memory.size
				i32.store8
				i32.const 2
				i32.const 16
				i32.const 5
				memory.copy
				i32.const 0
				i32.const 7
				call $output
				i32.const 0))"#,
	)
	.unwrap();
	let run = executor().execute(&code, b"", &LIMITS).unwrap();
	assert_eq!(run.output, [42, 2, b'm', b'e', b't', b'e', b'r']);
	// The start function is metered too: with no fuel the job cannot even start.
	let limits = Limits { fuel: 0, ..LIMITS };
	assert!(matches!(executor().execute(&code, b"", &limits), Err(Error::OutOfFuel { .. })));
}

#[test]
fn recursion_is_metered_at_each_call() {
	// `$down(n)` calls itself n times.
	let code = job(r#"(func $down (param $n i32)
				local.get $n
				i32.eqz
				br_if 0
				local.get $n
				i32.const 1
				i32.sub
				call $down)
			(func (export "run") (param $ptr i32) (param i32) (result i32)
				local.get $ptr
				i32.load8_u
				call $down
				i32.const 0
				i32.const 1
				call $output
				i32.const 0)"#);
	let fuel = |n: u8| executor().execute(&code, &[n], &LIMITS).unwrap().fuel_used;
	// Each level runs `local.get, i32.eqz, br_if` then `local.get, i32.const, i32.sub, call`.
	assert_eq!(fuel(101) - fuel(1), 100 * 7);
}

#[test]
fn what_a_job_may_not_use_is_refused() {
	let refused = [
		// threads: a shared memory and atomics
		r#"(module (memory (export "memory") 1 1 shared)
			(func (export "alloc") (param i32) (result i32) i32.const 0)
			(func (export "run") (param i32 i32) (result i32)
				i32.const 0 i32.const 1 i32.atomic.rmw.add))"#,
		// two memories
		r#"(module (memory (export "memory") 1) (memory 1)
			(func (export "alloc") (param i32) (result i32) i32.const 0)
			(func (export "run") (param i32 i32) (result i32) i32.const 0))"#,
		// tail calls
		r#"(module (memory (export "memory") 1)
			(func $f (result i32) i32.const 0)
			(func (export "alloc") (param i32) (result i32) i32.const 0)
			(func (export "run") (param i32 i32) (result i32) return_call $f))"#,
		// a 64-bit memory
		r#"(module (memory (export "memory") i64 1)
			(func (export "alloc") (param i32) (result i32) i32.const 0)
			(func (export "run") (param i32 i32) (result i32) i32.const 0))"#,
	];
	for text in refused {
		let code = wat::parse_str(text).unwrap();
		match executor().execute(&code, b"", &LIMITS) {
			Err(Error::InvalidModule(message)) => assert!(!message.is_empty()),
			other => panic!("expected an invalid module, got {other:?} for {text}"),
		}
	}
	// Imports other than the output function, functions or not, are ambient access.
	for import in [
		r#"(import "smartnodes" "fuel" (global (mut i64)))"#,
		r#"(import "env" "table" (table 1 funcref))"#,
		r#"(import "smartnodes" "stop" (func))"#,
	] {
		let code = wat::parse_str(format!(
			r#"(module {import} (memory (export "memory") 1)
				(func (export "alloc") (param i32) (result i32) i32.const 0)
				(func (export "run") (param i32 i32) (result i32) i32.const 0))"#
		))
		.unwrap();
		assert!(
			matches!(executor().execute(&code, b"", &LIMITS), Err(Error::ForbiddenImport { .. })),
			"{import}"
		);
	}
}

#[test]
fn metering_a_module_is_deterministic() {
	let code = looping("(global $g (mut i64) (i64.const 1))", "global.get $g drop");
	let once = meter::instrument(&code).unwrap();
	assert_eq!(meter::instrument(&code).unwrap(), once);
	assert!(wasmparser::Validator::new().validate_all(&once).is_ok());
}

#[test]
fn branches_out_of_nested_loops_and_loops_with_values_keep_their_targets() {
	// Metering wraps every loop in a retry loop, so branches that leave loops are renumbered.
	let code = job(r#"(func (export "run") (param i32 i32) (result i32)
				(local $k i32) (local $a i32)
				;; A loop carrying a value: counts 10 down to 0.
				i32.const 10
				(loop $l (param i32) (result i32)
					i32.const 1
					i32.sub
					local.tee $k
					local.get $k
					br_if $l)
				local.set $k
				;; $a is entered once, then again for each odd k from 1 to 19; at k = 20
				;; the job leaves both loops from inside an `if`.
				(block $out
					(loop $a
						local.get $a
						i32.const 1
						i32.add
						local.set $a
						(loop $b
							local.get $k
							i32.const 1
							i32.add
							local.tee $k
							i32.const 20
							i32.ge_u
							(if (then
								i32.const 0
								local.get $k
								i32.store8
								i32.const 1
								local.get $a
								i32.store8
								br $out))
							local.get $k
							i32.const 1
							i32.and
							br_table $b $a)))
				i32.const 0
				i32.const 2
				call $output
				i32.const 0)"#);
	let run = executor().execute(&code, b"", &LIMITS).unwrap();
	assert_eq!(run.output, [20, 11]);
	// One unit short, it runs out.
	let limits = Limits { fuel: run.fuel_used - 1, ..LIMITS };
	assert!(matches!(executor().execute(&code, b"", &limits), Err(Error::OutOfFuel { .. })));
}

#[test]
fn a_trap_of_the_job_s_own_is_told_from_running_out() {
	// `$f` loops past the first chunk of fuel, which the refill tops up from the last one,
	// then divides by zero.
	let code = job(r#"(func $f (result i32)
				(local $n i32)
				i32.const 100
				local.set $n
				(loop $again
					local.get $n
					i32.const 1
					i32.sub
					local.tee $n
					br_if $again)
				i32.const 1
				i32.const 0
				i32.div_u)
			(func (export "run") (param i32 i32) (result i32)
				call $f)"#);
	for fuel in [meter::CHUNK as u64 + 5, LIMITS.fuel] {
		match executor().execute(&code, b"", &Limits { fuel, ..LIMITS }) {
			Err(Error::Trap(message)) => assert!(message.contains("divide by zero"), "{message}"),
			other => panic!("expected the job's own trap with {fuel} fuel, got {other:?}"),
		}
	}
	assert!(matches!(
		executor().execute(&code, b"", &Limits { fuel: 50, ..LIMITS }),
		Err(Error::OutOfFuel { limit: 50 })
	));
}

#[test]
fn tables_pay_to_grow_and_are_bounded_together() {
	// Grows table 0 by the first input byte times 16,000 elements and table 1 by the second
	// byte times 16,000; outputs whether each growth succeeded.
	let code = job(r#"(table $a 0 funcref)
			(table $b 0 funcref)
			(func (export "run") (param $ptr i32) (param i32) (result i32)
				i32.const 0
				ref.null func
				local.get $ptr
				i32.load8_u
				i32.const 16000
				i32.mul
				table.grow $a
				i32.const -1
				i32.ne
				i32.store8
				i32.const 1
				ref.null func
				local.get $ptr
				i32.load8_u offset=1
				i32.const 16000
				i32.mul
				table.grow $b
				i32.const -1
				i32.ne
				i32.store8
				i32.const 0
				i32.const 2
				call $output
				i32.const 0)"#);
	let run = |a: u8, b: u8| executor().execute(&code, &[a, b], &LIMITS).unwrap();
	let (none, some) = (run(0, 0), run(1, 0));
	assert_eq!(some.output, [1, 1]);
	assert_eq!(some.fuel_used - none.fuel_used, 16_000 / meter::BULK_BYTES_PER_FUEL as u64);
	// 40 × 16,000 = 640,000 elements each: the first fits, the second would pass a million.
	assert_eq!(run(40, 40).output, [1, 0]);
}

#[test]
fn the_output_import_must_have_its_type() {
	let code = wat::parse_str(
		r#"(module
			(import "smartnodes" "output" (func $output (param i64)))
			(memory (export "memory") 1)
			(func (export "alloc") (param i32) (result i32) i32.const 0)
			(func (export "run") (param i32 i32) (result i32) i32.const 0))"#,
	)
	.unwrap();
	match executor().execute(&code, b"", &LIMITS) {
		Err(Error::InvalidModule(message)) => assert!(message.contains("wrong type"), "{message}"),
		other => panic!("expected an invalid module, got {other:?}"),
	}
}
