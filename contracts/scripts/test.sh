#!/usr/bin/env bash
# Every Solidity check, from a fresh checkout: installs the toolchain if needed
# (scripts/lib/setup-foundry.sh, a no-op when already installed), then checks that the shared
# test vectors are what script/gen-vectors.mjs generates, `forge fmt --check`, `forge build` (which
# also lints src/ and script/), `forge test` (unit, fuzz, invariant, vectors, gas), and a real
# deployment to a throwaway Anvil driven with cast (scripts/anvil-smoke.sh).
# Ends with a line "contracts: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1;34m[contracts]\033[0m %s\n' "$*"; }

bash ../scripts/lib/setup-foundry.sh >/dev/null
bin=node_modules/.bin

step "test vectors match script/gen-vectors.mjs"
node script/gen-vectors.mjs --check

step "forge fmt --check"
"$bin/forge" fmt --check

step "forge build (with lint)"
"$bin/forge" build

step "forge test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$bin/forge" test 2>&1 | tee "$log" || status=$?
summary=$(grep -E '^Ran [0-9]+ test suites? in .*tests passed' "$log" | tail -n1 || true)
passed=$(sed -nE 's/.*: ([0-9]+) tests passed, ([0-9]+) failed.*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*: ([0-9]+) tests passed, ([0-9]+) failed.*/\2/p' <<<"$summary")

smoke=0
if ((status == 0)); then
	step "deploy to Anvil and drive it with cast"
	scripts/anvil-smoke.sh || smoke=1
fi

echo
echo "contracts: $((${passed:-0} + (status == 0 && smoke == 0 ? 1 : 0))) passed, $((${failed:-0} + (smoke || (status && !${failed:-0}) ? 1 : 0))) failed"
((status == 0 && smoke == 0))
