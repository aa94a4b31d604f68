#!/usr/bin/env bash
# Starts a throwaway `--dev` node, loads ACCOUNTS (default 100,000) reward accounts and times the
# in-wasm pass over them (runtime API) and the off-chain worker's table build (from its log).
set -euo pipefail
cd "$(dirname "$0")"
. ../lib/env.sh

accounts="${ACCOUNTS:-100000}"
[[ -d node_modules/@polkadot/api ]] || npm install --no-audit --no-fund --silent
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
"$SMARTNODES_NODE_BIN" --dev --base-path "$dir" --rpc-port "$port" --no-prometheus \
	--rpc-max-request-size 64 --rpc-max-response-size 256 \
	--listen-addr /ip4/127.0.0.1/tcp/0 >"$dir/node.log" 2>&1 &
node_pid=$!
trap 'kill $node_pid 2>/dev/null || true; wait $node_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 60); do
	curl -sf -H 'Content-Type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}' \
		"http://127.0.0.1:$port" >/dev/null && break
	sleep 1
done
node table-scale.mjs "ws://127.0.0.1:$port" "$accounts"
sleep 15
echo "off-chain worker (node log):"
grep -E "table of [0-9]{5,} accounts|Imported" "$dir/node.log" | grep -B1 "table of" | tail -n 4 || true
