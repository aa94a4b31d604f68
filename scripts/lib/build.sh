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
