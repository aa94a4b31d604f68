# Builds the node (and with it the wasm runtime) when the sources are newer than the binary.
# Sourced by the scripts; expects scripts/lib/env.sh to be loaded.

build_node() {
	local newest
	newest=$(find "$SMARTNODES_ROOT"/{node,runtime,pallets,primitives} "$SMARTNODES_ROOT"/Cargo.{toml,lock} \
		-newer "$SMARTNODES_NODE_BIN" -type f 2>/dev/null | head -n1 || true)
	if [[ ! -x "$SMARTNODES_NODE_BIN" || -n "$newest" ]]; then
		echo "[build] cargo build -p smartnodes-node (first build takes ~25 minutes on 2 cores)"
		(cd "$SMARTNODES_ROOT" && cargo build --locked -p smartnodes-node)
	fi
}

# Builds the dashboard page (dashboard/dist) when its sources or the contracts' ABIs are newer.
build_dashboard() {
	local dash="$SMARTNODES_ROOT/dashboard" newest
	[[ -f "$SMARTNODES_ROOT/contracts/out/RewardDistributor.sol/RewardDistributor.json" ]] ||
		(cd "$SMARTNODES_ROOT/contracts" && forge build >/dev/null)
	newest=$(find "$dash"/{src,index.html,vite.config.js,package-lock.json} "$SMARTNODES_ROOT/contracts/out" \
		-newer "$dash/dist/index.html" -type f 2>/dev/null | head -n1 || true)
	if [[ ! -f "$dash/dist/index.html" || -n "$newest" ]]; then
		echo "[build] dashboard (vite build)"
		(cd "$dash" && npx --no-install vite build --logLevel warn)
	fi
}
