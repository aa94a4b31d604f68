//! Makes sure the Foundry artifacts that `sol!` reads (`contracts/out`, not committed) exist and
//! are newer than `contracts/src`, running `forge build` in `../contracts` when they are not.

// A build script reports failure by panicking with a message.
#![allow(clippy::expect_used)]

use std::{
	path::{Path, PathBuf},
	process::Command,
	time::SystemTime,
};

/// The artifacts the bindings are generated from.
const ARTIFACTS: [&str; 2] = [
	"out/RewardDistributor.sol/RewardDistributor.json",
	"out/SmartnodesToken.sol/SmartnodesToken.json",
];

fn main() {
	let contracts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts");
	println!("cargo:rerun-if-changed=../contracts/src");
	println!("cargo:rerun-if-changed=../contracts/foundry.toml");
	for artifact in ARTIFACTS {
		println!("cargo:rerun-if-changed=../contracts/{artifact}");
	}
	let sources = newest(&contracts.join("src"));
	let stale = ARTIFACTS.iter().any(|artifact| match modified(&contracts.join(artifact)) {
		Some(built) => sources.is_some_and(|source| source > built),
		None => true,
	});
	if stale {
		forge_build(&contracts);
	}
}

fn forge_build(contracts: &Path) {
	let forge = contracts.join("node_modules/.bin/forge");
	let solc = contracts.join("scripts/solc.cjs");
	if !forge.exists() || !solc.exists() {
		panic!(
			"the contracts' artifacts are missing or older than contracts/src, and forge is not \
			 installed at {}: run scripts/setup (or bash scripts/lib/setup-foundry.sh) first",
			forge.display()
		);
	}
	let solc = solc.canonicalize().expect("the solc wrapper exists");
	let output = Command::new(&forge)
		.arg("build")
		.current_dir(contracts)
		.env("FOUNDRY_SOLC", &solc)
		.output()
		.expect("forge runs");
	if !output.status.success() {
		panic!(
			"forge build in {} failed:\n{}{}",
			contracts.display(),
			String::from_utf8_lossy(&output.stdout),
			String::from_utf8_lossy(&output.stderr)
		);
	}
	// Forge leaves an artifact untouched when its contract did not change; mark it as checked so
	// that the next build does not run forge again for the same sources.
	let now = SystemTime::now();
	for artifact in ARTIFACTS {
		let path = contracts.join(artifact);
		let file = std::fs::File::options()
			.append(true)
			.open(&path)
			.unwrap_or_else(|e| panic!("forge build did not write {}: {e}", path.display()));
		file.set_modified(now).expect("the artifact's time can be set");
	}
}

fn modified(path: &Path) -> Option<SystemTime> {
	std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The latest modification time of any file under `dir`.
fn newest(dir: &Path) -> Option<SystemTime> {
	let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
	let mut newest = None;
	while let Some(dir) = stack.pop() {
		let Ok(entries) = std::fs::read_dir(&dir) else { continue };
		for entry in entries.flatten() {
			let path = entry.path();
			if path.is_dir() {
				stack.push(path);
			} else {
				newest = newest.max(modified(&path));
			}
		}
	}
	newest
}
