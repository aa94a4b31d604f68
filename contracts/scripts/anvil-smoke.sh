#!/usr/bin/env bash
# Deploys the contracts to a throwaway Anvil (chain id 84532 on 127.0.0.1, random port) with
# script/Deploy.s.sol and script/config/anvil.json, then drives the deployment with cast the way
# the bridge and users will: checks the wiring, submits a reward root signed by 2 of the 3
# validators over the raw commitment digest, claims on another account's behalf (first and repeat
# claim, each minting to the account), deposits to the chain, and checks that the supply is
# genesis + claimed - deposited. Prints `RECEIPT <name> gasUsed=<n>` for each transaction. Anvil is
# stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=node_modules/.bin
for tool in forge anvil cast; do
	[[ -x $bin/$tool ]] || { echo "anvil-smoke: $bin/$tool missing; run scripts/lib/setup-foundry.sh" >&2; exit 1; }
done

# Anvil's default accounts: #0 deploys (and is guardian), #1-#3 are the validators in
# script/config/anvil.json, #4 earns rewards, #5 relays.
K0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
K2=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
K4=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
K5=0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba
EARNER=0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65
RELAYER=0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc

log=$(mktemp)
out=deployments/anvil-smoke-84532.json
anvil_pid=""
cleanup() {
	[[ -n $anvil_pid ]] && kill "$anvil_pid" 2>/dev/null && wait "$anvil_pid" 2>/dev/null
	rm -f "$log" "$out"
}
trap cleanup EXIT

"$bin/anvil" --host 127.0.0.1 --port 0 --chain-id 84532 >"$log" 2>&1 &
anvil_pid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
	[[ -n $port ]] && break
	sleep 0.1
done
[[ -n $port ]] || { cat "$log" >&2; echo "anvil-smoke: anvil did not start" >&2; exit 1; }
rpc=http://127.0.0.1:$port
echo "anvil-smoke: anvil (pid $anvil_pid) on $rpc"

DEPLOY_CONFIG=script/config/anvil.json DEPLOYMENTS_OUT="$PWD/$out" \
	"$bin/forge" script script/Deploy.s.sol --rpc-url "$rpc" --broadcast --private-key "$K0" >"$log" 2>&1 ||
	{ cat "$log" >&2; exit 1; }

field() { node -p "require('./$out').$1"; }
token=$(field token)
distributor=$(field distributor)
timelock=$(field timelock)
dao=$(field dao)
echo "anvil-smoke: token $token, distributor $distributor, timelock $timelock, dao $dao"

fail() { echo "anvil-smoke: FAILED: $*" >&2; exit 1; }
expect() { # expect <what> <actual> <wanted>
	[[ ${2,,} == "${3,,}" ]] || fail "$1: got $2, wanted $3"
}
# cast annotates large numbers ("1000 [1e3]"); keep the plain value.
c() { "$bin/cast" call --rpc-url "$rpc" "$@" | sed 's/ \[[^]]*\]$//'; }
send() { # send <name> <key> <to> <sig> [args...]: prints gas used
	local name=$1 key=$2
	shift 2
	local receipt
	receipt=$("$bin/cast" send --rpc-url "$rpc" --private-key "$key" --json "$@")
	[[ $(node -p "JSON.parse(process.argv[1]).status" "$receipt") == 0x1 ]] || fail "$name reverted"
	echo "RECEIPT $name gasUsed=$(node -p "Number(JSON.parse(process.argv[1]).gasUsed)" "$receipt")"
}

expect "chain id" "$(field chainId)" 84532
expect "token name" "$(c "$token" 'name()(string)')" '"Smartnodes"'
expect "token clock" "$(c "$token" 'CLOCK_MODE()(string)')" '"mode=timestamp"'
expect "token minter" "$(c "$token" 'distributor()(address)')" "$distributor"
expect "distributor token" "$(c "$distributor" 'token()(address)')" "$token"
expect "distributor dao" "$(c "$distributor" 'dao()(address)')" "$timelock"
expect "threshold" "$(c "$distributor" 'threshold()(uint256)')" 2
expect "dao timelock" "$(c "$dao" 'timelock()(address)')" "$timelock"
expect "dao token" "$(c "$dao" 'token()(address)')" "$token"
expect "timelock delay" "$(c "$timelock" 'getMinDelay()(uint256)')" 172800
proposer=$(c "$timelock" 'PROPOSER_ROLE()(bytes32)')
expect "dao proposes" "$(c "$timelock" 'hasRole(bytes32,address)(bool)' "$proposer" "$dao")" true

genesis=10000000000000000000000000
supply() { c "$token" 'totalSupply()(uint256)'; }
add() { node -p "(BigInt('$1') + BigInt('$2') - BigInt('${3:-0}')).toString()"; }
expect "supply at genesis" "$(supply)" "$genesis"

# One-leaf cumulative trees for EARNER: root = leaf = keccak256(keccak256(abi.encode(account, amount))).
submit_root() { # submit_root <receipt name> <period> <cumulative amount>
	local leaf commitment digest sig1 sig2
	leaf=$("$bin/cast" keccak "$("$bin/cast" keccak "$("$bin/cast" abi-encode 'f(address,uint256)' "$EARNER" "$3")")")
	commitment="(84532,$distributor,$2,$leaf,$3,0)"
	digest=$(c "$distributor" 'rootCommitmentDigest((uint256,address,uint64,bytes32,uint256,uint64))(bytes32)' "$commitment")
	sig1=$("$bin/cast" wallet sign --no-hash --private-key "$K1" "$digest")
	sig2=$("$bin/cast" wallet sign --no-hash --private-key "$K2" "$digest")
	send "$1" "$K5" "$distributor" \
		'submitRoot((uint256,address,uint64,bytes32,uint256,uint64),bytes[])' "$commitment" "[$sig1,$sig2]"
	expect "active root of period $2" "$(c "$distributor" 'activeRoot()(bytes32,uint256,uint64)' | head -1)" "$leaf"
}
# Lets a minute pass, so that the next mint or burn adds a new ERC20Votes total-supply checkpoint
# instead of rewriting one from the same second: the receipts below are the dearer case.
later() { "$bin/cast" rpc --rpc-url "$rpc" evm_increaseTime 60 >/dev/null; }

first=1000000000000000000000
submit_root "submitRoot(3-validators,2-signatures,first-root)" 1 "$first"
expect "an active root mints nothing" "$(supply)" "$genesis"

later
send "claim(one-leaf,first)" "$K5" "$distributor" 'claim(address,uint256,bytes32[])' "$EARNER" "$first" '[]'
expect "earner balance" "$(c "$token" 'balanceOf(address)(uint256)' "$EARNER")" "$first"
expect "relayer balance" "$(c "$token" 'balanceOf(address)(uint256)' "$RELAYER")" 0
expect "total claimed" "$(c "$distributor" 'totalClaimed()(uint256)')" "$first"
expect "supply after the claim" "$(supply)" "$(add "$genesis" "$first")"

second=1500000000000000000000
submit_root "submitRoot(3-validators,2-signatures,next-root)" 2 "$second"
later
send "claim(one-leaf,repeat)" "$K5" "$distributor" 'claim(address,uint256,bytes32[])' "$EARNER" "$second" '[]'
expect "earner balance after the repeat claim" "$(c "$token" 'balanceOf(address)(uint256)' "$EARNER")" "$second"
expect "total claimed after the repeat claim" "$(c "$distributor" 'totalClaimed()(uint256)')" "$second"

later
chain_account=0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
deposit=400000000000000000000
send "depositToChain" "$K4" "$distributor" 'depositToChain(bytes32,uint256)' "$chain_account" "$deposit"
expect "balance after deposit" "$(c "$token" 'balanceOf(address)(uint256)' "$EARNER")" "$(add "$second" 0 "$deposit")"
expect "deposit nonce" "$(c "$distributor" 'depositNonce()(uint64)')" 1
expect "supply = genesis + claimed - deposited" "$(supply)" "$(add "$genesis" "$second" "$deposit")"
topic=$("$bin/cast" keccak 'DepositedToChain(uint64,address,bytes32,uint256)')
logs=$("$bin/cast" logs --rpc-url "$rpc" --address "$distributor" --json "$topic")
expect "deposit event chain account" "$(node -p "JSON.parse(process.argv[1])[0].topics[3]" "$logs")" "$chain_account"

echo "anvil-smoke: ok (deploy, wiring, roots, first and repeat claim, deposit)"
