# Shared environment for the project's scripts. The build lives outside the checkout so that a
# fresh work tree, and CI on the same machine, reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/smartnodes/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Incremental caches of every profile and feature set grow to tens of GiB and help little in the
# scripts' builds: off unless asked for.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
SMARTNODES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SMARTNODES_ROOT
export SMARTNODES_NODE_BIN="$CARGO_TARGET_DIR/debug/smartnodes-node"
