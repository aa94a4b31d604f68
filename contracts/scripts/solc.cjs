#!/usr/bin/env node
// A stand-in for the native `solc` binary, backed by the pinned `solc` npm package (solcjs, a
// WebAssembly build), so forge compiles without downloading a compiler. It answers the two calls
// forge makes: `--version` (parsed for the "Version: x.y.z+commit.h" line) and
// `--standard-json` (input on stdin, output on stdout). `--base-path`, `--include-path` and
// `--allow-paths` resolve imports the way native solc does, through solcjs's read callback.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const solc = require("solc");

const args = process.argv.slice(2);

if (args.includes("--version") || args.includes("-v")) {
	// solcjs reports its platform as "Emscripten.clang"; the commit is the same as native.
	const version = solc.version().replace(/\.Emscripten\.clang$/, ".Linux.g++");
	process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
	process.exit(0);
}

let standardJson = false;
let basePath = process.cwd();
const includePaths = [];
const allowPaths = [];
for (let i = 0; i < args.length; i++) {
	const arg = args[i];
	const value = () => {
		if (i + 1 >= args.length) fail(`missing value for ${arg}`);
		return args[++i];
	};
	if (arg === "--standard-json") standardJson = true;
	else if (arg === "--base-path") basePath = path.resolve(value());
	else if (arg === "--include-path") includePaths.push(path.resolve(value()));
	else if (arg === "--allow-paths") allowPaths.push(...value().split(",").filter(Boolean).map((p) => path.resolve(p)));
	else if (arg.startsWith("--base-path=")) basePath = path.resolve(arg.slice(12));
	else if (arg.startsWith("--include-path=")) includePaths.push(path.resolve(arg.slice(15)));
	else if (arg.startsWith("--allow-paths=")) allowPaths.push(...arg.slice(14).split(",").filter(Boolean).map((p) => path.resolve(p)));
	else if (arg === "--no-import-callback" || arg === "--pretty-json") {
		// Harmless here: sources forge sends are complete, output format is JSON either way.
	} else fail(`unsupported argument: ${arg} (this wrapper only does --standard-json)`);
}
if (!standardJson) fail("only --standard-json and --version are supported");

function fail(message) {
	process.stderr.write(`solc wrapper: ${message}\n`);
	process.exit(1);
}

const roots = [basePath, ...includePaths, ...allowPaths];
const isAllowed = (file) => roots.some((root) => file === root || file.startsWith(root + path.sep));

function readCallback(importPath) {
	const candidates = path.isAbsolute(importPath)
		? [importPath]
		: [basePath, ...includePaths].map((root) => path.join(root, importPath));
	for (const candidate of candidates) {
		let real;
		try {
			real = fs.realpathSync(candidate);
		} catch {
			continue;
		}
		if (!isAllowed(real) && !isAllowed(candidate)) {
			return { error: `${importPath}: outside the allowed paths` };
		}
		return { contents: fs.readFileSync(real, "utf8") };
	}
	return { error: `${importPath}: file not found` };
}

const input = fs.readFileSync(0, "utf8");
const output = solc.compile(input, { import: readCallback });
process.stdout.write(output, () => process.exit(0));
