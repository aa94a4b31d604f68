//! Runs sealed into signed commitments; failures that belong to the job agreed on by every
//! honest replica, the others giving no commitment.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smartnodes_primitives::{
	compute::{commit_payload, result_commitment, JobKind, Limits},
	dispatch::{Fetch, JobOrder},
};
use smartnodes_worker::{
	config::Fault,
	examples,
	runner::{Outcome, Runner, FAILED_PREFIX},
};
use sp_core::{crypto::Pair as _, ed25519, H256};

const GENESIS: H256 = H256::repeat_byte(0x99);

fn identity() -> ed25519::Pair {
	ed25519::Pair::from_seed(&[1; 32])
}

fn runner(fault: Option<Fault>) -> Runner {
	Runner::new(1 << 20, identity(), GENESIS, fault).unwrap()
}

fn order(limits: Limits) -> JobOrder {
	JobOrder {
		job: 42,
		worker: vec![4; 32],
		network: 0,
		kind: JobKind::Wasm,
		code: Fetch { hash: H256::zero(), uri: Vec::new() },
		input: Fetch { hash: H256::zero(), uri: Vec::new() },
		limits,
		expires_at: 1_000,
	}
}

const LIMITS: Limits = Limits { fuel: 1_000_000_000, memory_mib: 64, time_ms: 30_000 };

fn endless_loop() -> Vec<u8> {
	wat::parse_str(
		r#"(module
			(memory (export "memory") 1)
			(func (export "alloc") (param i32) (result i32) i32.const 1024)
			(func (export "run") (param i32 i32) (result i32) (loop $forever br $forever) i32.const 0))"#,
	)
	.unwrap()
}

#[test]
fn a_commitment_is_signed_over_the_commit_payload() {
	let input = 10_000u32.to_le_bytes();
	let Outcome::Sealed { output, sealed } =
		runner(None).run(&order(LIMITS), examples::SIEVE, &input)
	else {
		panic!("the sieve runs")
	};
	let pair = identity();
	assert_eq!(sealed.output_hash, H256(sp_io::hashing::blake2_256(&output)));
	assert_eq!(sealed.failure, None);
	assert_eq!(
		sealed.commitment,
		result_commitment(
			42,
			&pair.public().0,
			&sealed.output_hash,
			sealed.fuel_used,
			&sealed.salt
		)
	);
	let payload = commit_payload(&GENESIS, 42, &sealed.commitment);
	let signature = ed25519::Signature::from_raw(sealed.signature);
	assert!(ed25519::Pair::verify(&signature, &payload, &pair.public()));
	assert!(!ed25519::Pair::verify(
		&signature,
		commit_payload(&H256::repeat_byte(1), 42, &sealed.commitment),
		&pair.public()
	));

	// Each run draws a fresh salt, so commitments to the same result differ.
	let Outcome::Sealed { sealed: again, .. } =
		runner(None).run(&order(LIMITS), examples::SIEVE, &input)
	else {
		panic!("the sieve runs")
	};
	assert_eq!((again.output_hash, again.fuel_used), (sealed.output_hash, sealed.fuel_used));
	assert_ne!(again.salt, sealed.salt);
	assert_ne!(again.commitment, sealed.commitment);
}

#[test]
fn running_out_of_fuel_is_the_same_result_everywhere() {
	let limits = Limits { fuel: 100_000, ..LIMITS };
	let run = || match runner(None).run(&order(limits), &endless_loop(), b"") {
		Outcome::Sealed { output, sealed } => (output, sealed),
		other => panic!("{other:?}"),
	};
	let (first, second) = (run(), run());
	assert_eq!(first.0, b"smartnodes:failed:out-of-fuel");
	assert!(first.0.starts_with(FAILED_PREFIX));
	assert_eq!(first.0, second.0);
	assert_eq!(first.1.output_hash, second.1.output_hash);
	assert_eq!((first.1.fuel_used, second.1.fuel_used), (100_000, 100_000));
	assert_eq!(first.1.failure.as_deref(), Some("out-of-fuel"));
}

#[test]
fn other_job_failures_are_results_too() {
	let cases: [(&[u8], &str); 2] =
		[(b"not wasm", "invalid-module"), (b"\0asm\x01\0\0\0", "missing-export:memory")];
	for (code, tag) in cases {
		match runner(None).run(&order(LIMITS), code, b"") {
			Outcome::Sealed { output, sealed } => {
				assert_eq!(output, [FAILED_PREFIX, tag.as_bytes()].concat());
				assert_eq!(sealed.fuel_used, LIMITS.fuel);
			},
			other => panic!("{tag}: {other:?}"),
		}
	}
}

#[test]
fn the_time_limit_gives_no_commitment() {
	let limits = Limits { fuel: u64::MAX / 2, memory_mib: 16, time_ms: 100 };
	match runner(None).run(&order(limits), &endless_loop(), b"") {
		Outcome::Failed { reason } => assert!(reason.contains("time limit"), "{reason}"),
		other => panic!("{other:?}"),
	}
}

#[test]
fn the_wrong_output_fault_commits_to_another_hash() {
	let input = 1_000u32.to_le_bytes();
	let Outcome::Sealed { output, sealed } =
		runner(Some(Fault::WrongOutput)).run(&order(LIMITS), examples::SIEVE, &input)
	else {
		panic!("the sieve runs")
	};
	let honest = H256(sp_io::hashing::blake2_256(&output));
	assert_ne!(sealed.output_hash, honest);
	assert_eq!(sealed.output_hash, H256(sp_io::hashing::blake2_256(&[&output[..], b"x"].concat())));
}
