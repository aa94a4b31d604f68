#!/usr/bin/env bash
# Installs the Solidity toolchain of contracts/ from the npm registry, pinned by
# contracts/package-lock.json: forge, anvil and cast (the @foundry-rs packages ship the native
# binaries as per-platform optional dependencies), the solc compiler as the `solc` package (solcjs,
# run by contracts/scripts/solc.cjs, so forge never downloads a compiler), OpenZeppelin Contracts,
# and ethers for the test-vector generator.
#
# Run it (`bash scripts/lib/setup-foundry.sh`) or source it from scripts/setup; sourcing also
# exports SMARTNODES_FOUNDRY_BIN and puts it on PATH, and exports FOUNDRY_SOLC (the wrapper's
# absolute path) because foundry.toml's relative `solc` path only resolves when forge runs inside
# contracts/, not with `--root contracts`. Idempotent: when node_modules already matches the lock
# file, a run only checks the binaries (well under a second).
#
# The binaries end up in contracts/node_modules/.bin (forge, anvil, cast: symlinks to the native
# executables, so a signal reaches the tool itself rather than a Node.js launcher).

_smartnodes_setup_foundry() (
	set -euo pipefail
	local root contracts bin stamp want
	root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	contracts="$root/contracts"
	bin="$contracts/node_modules/.bin"
	stamp="$contracts/node_modules/.smartnodes-lock.sha256"

	log() { printf '\033[1;34m[setup-foundry]\033[0m %s\n' "$*"; }

	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		log "installing Node.js and npm (Debian packages)"
		local sudo=""
		[[ $(id -u) -ne 0 ]] && sudo="sudo"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
	fi

	want="$(sha256sum "$contracts/package-lock.json" | cut -d' ' -f1)"
	if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
		log "installing contracts/ npm packages from package-lock.json"
		# `npm install` rather than `npm ci`: the registry serves the @foundry-rs binaries for only
		# some platforms, so the lock file lacks the others' optional packages, which `npm ci`
		# rejects; `npm install` still installs exactly the locked versions. --ignore-scripts: the
		# @foundry-rs postinstall only downloads a binary when the platform package is missing.
		(cd "$contracts" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
		sha256sum "$contracts/package-lock.json" | cut -d' ' -f1 >"$stamp"
	fi

	local arch os tool native
	case "$(uname -m)" in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) echo "setup-foundry: unsupported architecture $(uname -m)" >&2 && return 1 ;;
	esac
	case "$(uname -s)" in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	*) echo "setup-foundry: unsupported OS $(uname -s)" >&2 && return 1 ;;
	esac
	for tool in forge anvil cast; do
		native="$contracts/node_modules/@foundry-rs/$tool-$os-$arch/bin/$tool"
		if [[ ! -x $native ]]; then
			echo "setup-foundry: $native is missing; delete contracts/node_modules and run again" >&2
			return 1
		fi
		if [[ $(readlink "$bin/$tool" 2>/dev/null) != "$native" ]]; then
			ln -sfn "$native" "$bin/$tool"
		fi
	done
	chmod +x "$contracts/scripts/solc.cjs"

	log "forge: $bin/forge ($("$bin/forge" --version | head -n1))"
	log "anvil: $bin/anvil ($("$bin/anvil" --version | head -n1))"
	log "cast:  $bin/cast ($("$bin/cast" --version | head -n1))"
	log "solc:  $contracts/scripts/solc.cjs ($("$contracts/scripts/solc.cjs" --version | tail -n1))"
)

if [[ ${BASH_SOURCE[0]} != "$0" ]]; then
	_smartnodes_setup_foundry || return
	SMARTNODES_FOUNDRY_BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../contracts/node_modules/.bin" && pwd)"
	export SMARTNODES_FOUNDRY_BIN
	FOUNDRY_SOLC="$(cd "$SMARTNODES_FOUNDRY_BIN/../.." && pwd)/scripts/solc.cjs"
	export FOUNDRY_SOLC
	case ":$PATH:" in
	*":$SMARTNODES_FOUNDRY_BIN:"*) ;;
	*) export PATH="$SMARTNODES_FOUNDRY_BIN:$PATH" ;;
	esac
	unset -f _smartnodes_setup_foundry
else
	_smartnodes_setup_foundry
fi
