//! Builds the example jobs (`jobs/`) to WebAssembly, one module per job, for the worker's tests,
//! benchmarks and the demo (`smartnodes_worker::examples`).

// A build script reports failure by panicking with a message.
#![allow(clippy::expect_used)]

use std::{
	env,
	path::{Path, PathBuf},
	process::Command,
};

const JOBS: [(&str, &str); 3] =
	[("hash-chain", "hash_chain"), ("matmul", "matmul"), ("sieve", "sieve")];

fn main() {
	let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
	let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs/Cargo.toml");
	println!("cargo:rerun-if-changed=jobs/src");
	println!("cargo:rerun-if-changed=jobs/Cargo.toml");
	let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
	for (feature, name) in JOBS {
		let target_dir = out.join("jobs-target").join(feature);
		let status = Command::new(&cargo)
			.args(["build", "--locked", "--release", "--target", "wasm32-unknown-unknown"])
			.arg("--manifest-path")
			.arg(&manifest)
			.args(["--features", feature, "--target-dir"])
			.arg(&target_dir)
			// The outer build's flags and wrappers (clippy, host CPU flags) are not for wasm;
			// 128-bit SIMD is (integer SIMD is deterministic, float NaNs are canonicalized), and
			// lets LLVM vectorize the jobs' loops as it does natively.
			.env("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-feature=+simd128")
			.env_remove("RUSTFLAGS")
			.env_remove("RUSTC_WORKSPACE_WRAPPER")
			.env_remove("RUSTC_WRAPPER")
			.env_remove("CARGO_TARGET_DIR")
			.status()
			.expect("cargo runs");
		assert!(
			status.success(),
			"building the {feature} example job failed (is the wasm32-unknown-unknown target \
			 installed? scripts/setup installs it)"
		);
		let built = target_dir.join("wasm32-unknown-unknown/release/smartnodes_example_jobs.wasm");
		std::fs::copy(&built, out.join(format!("{name}.wasm"))).expect("the job was built");
	}
}
