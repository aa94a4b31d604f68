//! The bridge with real processes: four `local` validators reading Base from their off-chain
//! workers (`--base-rpc-url`), Anvil as Base with the contracts deployed, a worker earning
//! rewards, and `smartnodes-bridge` relayers.
//!
//! - A period passes on the chain and its root is claimable on Base; two relayers at once post it
//!   once; the worker claims with the proof from `smartnodes_rewardProof`.
//! - A DAO decision (a full Governor proposal through the timelock) changes the state-update
//!   interval on the chain.
//! - A deposit on Base arrives once on the chain, not before its confirmations; a replayed
//!   attestation is refused.
//! - A relayer killed between sending and confirming, restarted, finishes without a double post.
//! - A reorg on Anvil drops a posting: it is posted again.
//! - A validator leaves: the new set, signed by the old, is mirrored on Base, and a root signed
//!   by the old set is then refused.
//! - A withdrawal on the chain is claimed on Base.
//! - At every step: SNO on the chain and on Base add up.
//!
//! Prints the latency from a period's finalization to its root on Base, and the gas of a root.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use codec::Encode;
use common::{
	base::Base,
	worker::{open_network_and_fund, Worker},
	*,
};
use serde_json::{json, Value};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	inbound::{BaseEvent, Deposit},
	rewards::{eth_signature, RewardCommitment},
};
use smartnodes_runtime::{AccountId, Runtime, RuntimeCall, SNO};
use sp_core::{crypto::Pair as _, ecdsa, H256, U256};
use std::{
	path::{Path, PathBuf},
	process::{Child, Command},
	time::{Duration, Instant},
};

const MINUTE: Duration = Duration::from_secs(60);
const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];
/// What the deployment gives Anvil's first account.
const BASE_GENESIS: u128 = 10_000_000 * SNO;

fn bridge_bin() -> PathBuf {
	let dir = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf();
	let bin = dir.join("smartnodes-bridge");
	assert!(bin.exists(), "{} missing: cargo build -p smartnodes-bridge", bin.display());
	bin
}

/// A `smartnodes-bridge relay` process.
struct Relayer {
	args: Vec<String>,
	log: PathBuf,
	child: Option<Child>,
}

impl Relayer {
	fn start(dir: &Path, name: &str, chain: &Node, base: &Base, key: &str) -> Self {
		let args = [
			"relay",
			"--chain-rpc",
			&format!("http://127.0.0.1:{}", chain.rpc_port),
			"--base-rpc",
			&base.rpc,
			"--distributor",
			&base.distributor,
			"--key",
			key,
			"--confirmations",
			"2",
			"--poll-interval-ms",
			"1000",
			"--metrics",
			"off",
		]
		.into_iter()
		.map(String::from)
		.collect();
		let mut relayer = Relayer { args, log: dir.join(format!("{name}.log")), child: None };
		relayer.spawn();
		relayer
	}

	fn spawn(&mut self) {
		let log = std::fs::File::options().create(true).append(true).open(&self.log).unwrap();
		let child = Command::new(bridge_bin())
			.args(&self.args)
			.env("RUST_LOG", "info")
			.stdout(log.try_clone().unwrap())
			.stderr(log)
			.spawn()
			.expect("the bridge binary starts");
		self.child = Some(child);
	}

	/// SIGKILL: a crash, whatever it was doing.
	fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	fn restart(&mut self) {
		self.kill();
		self.spawn();
	}
}

impl Drop for Relayer {
	fn drop(&mut self) {
		self.kill();
	}
}

fn status(node: &Node) -> Value {
	node.rpc("smartnodes_bridgeStatus", json!([]))
}

fn amount(v: &Value) -> u128 {
	v.as_str().unwrap().parse().unwrap()
}

fn free_balance(node: &Node, who: &AccountId) -> u128 {
	node.storage::<frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>>(
		&frame_system::Account::<Runtime>::hashed_key_for(who),
	)
	.map(|a| a.data.free)
	.unwrap_or(0)
}

/// Periods with a `RootSubmitted` log on Base, one entry per log (so a double post shows twice).
fn posted_periods(base: &Base) -> Vec<u64> {
	base.logs(&base.distributor, "RootSubmitted(uint64,bytes32,uint256,uint64)")
		.iter()
		.map(|log| {
			let topic = log["topics"][1].as_str().unwrap();
			u64::from_str_radix(topic.trim_start_matches("0x"), 16).unwrap()
		})
		.collect()
}

fn base_period(base: &Base) -> u64 {
	base.uint(&base.distributor, "lastPeriod()(uint64)", &[]) as u64
}

/// SNO adds up on both sides: the chain's issuance is its genesis plus deposits minted, less
/// withdrawals, job payments and burns; Base's supply is its genesis plus claims less deposits;
/// every SNO burnt on Base for the chain is minted there (or owed back) once attested; and no
/// more is claimed than the chain's latest passed root owes, which is at most what was emitted
/// and moved to Base.
fn assert_supply(node: &Node, base: &Base, deposited_on_base: u128, in_flight: u128, step: &str) {
	let s = status(node);
	let supply = &s["supply"];
	assert_eq!(
		amount(&supply["issuance"]),
		amount(&supply["expectedIssuance"]),
		"{step}: chain issuance {supply}"
	);
	let claimed = base.uint(&base.distributor, "totalClaimed()(uint256)", &[]);
	let base_supply = base.uint(&base.token, "totalSupply()(uint256)", &[]);
	assert_eq!(base_supply, BASE_GENESIS + claimed - deposited_on_base, "{step}: Base supply");
	assert_eq!(
		deposited_on_base,
		amount(&supply["deposited"]) + amount(&supply["refunded"]) + in_flight,
		"{step}: deposits"
	);
	let passed_total = s["latestPassed"]["total"].as_str().map_or(0, |t| t.parse().unwrap());
	assert!(claimed <= passed_total, "{step}: claimed {claimed} > passed {passed_total}");
	let owed = amount(&supply["emitted"])
		+ amount(&supply["jobPayments"])
		+ amount(&supply["withdrawn"])
		+ amount(&supply["refunded"]);
	assert!(passed_total <= owed, "{step}: a root owes {passed_total} > {owed} moved to Base");
	eprintln!(
		"[supply] {step}: chain {} + Base {base_supply}, claimed {claimed} of {passed_total}",
		amount(&supply["issuance"])
	);
}

/// Claims `account`'s cumulative amount on Base with the node's proof, once Base has a root
/// that includes it. Returns the amount. (A new root may land between reading the proof and the
/// claim's block, which makes the proof stale: then it claims again with the new one.)
fn claim(node: &Node, base: &Base, account: &str) -> u128 {
	let mut proof = Value::Null;
	wait_until(4 * MINUTE, &format!("{account} is in a root on Base"), || {
		node.try_rpc("smartnodes_rewardProof", json!([account])).map(|p| proof = p).is_ok_and(
			|_| {
				proof["included"] == json!(true)
					&& base_period(base) >= proof["period"].as_u64().unwrap()
			},
		)
	});
	let mut claimed = None;
	wait_until(2 * MINUTE, &format!("{account} claims with the node's proof"), || {
		proof = node.rpc("smartnodes_rewardProof", json!([account]));
		let active =
			base.call_lines(&base.distributor, "activeRoot()(bytes32,uint256,uint64)", &[]);
		if active.first().map(String::as_str) != proof["root"].as_str() {
			return false;
		}
		let cumulative = proof["cumulativeAmount"].as_str().unwrap().to_string();
		let siblings: Vec<&str> =
			proof["proof"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
		let sent = base.send(
			&base.distributor,
			"claim(address,uint256,bytes32[])",
			&[account, &cumulative, &format!("[{}]", siblings.join(","))],
		);
		match sent {
			Ok(()) => claimed = Some(cumulative.parse().unwrap()),
			Err(e) => eprintln!("claim for {account} missed its root: {e}"),
		}
		claimed.is_some()
	});
	claimed.unwrap()
}

/// A full DAO proposal: the genesis holder delegates to itself, proposes
/// `setStateUpdateInterval(blocks)`, votes, and it is queued and executed through the timelock.
fn dao_sets_interval(base: &Base, blocks: u32) {
	let dao = &base.dao;
	base.send(&base.token, "delegate(address)", &[base::DEPLOYER]).unwrap();
	// Votes count from the second after delegation (the clock is the timestamp).
	base.warp(2);
	let calldata = {
		let out = Command::new(contracts_tool("cast"))
			.args(["calldata", "setStateUpdateInterval(uint32)", &blocks.to_string()])
			.output()
			.unwrap();
		String::from_utf8(out.stdout).unwrap().trim().to_string()
	};
	let description = format!("Set the state-update interval to {blocks} blocks");
	let desc_hash =
		format!("0x{}", hex::encode(sp_io::hashing::keccak_256(description.as_bytes())));
	let targets = format!("[{dao}]");
	let calldatas = format!("[{calldata}]");
	base.send(
		dao,
		"propose(address[],uint256[],bytes[],string)",
		&[&targets, "[0]", &calldatas, &description],
	)
	.unwrap();
	let id = base.call(
		dao,
		"hashProposal(address[],uint256[],bytes[],bytes32)(uint256)",
		&[&targets, "[0]", &calldatas, &desc_hash],
	);
	base.warp(86_400 + 1);
	base.send(dao, "castVote(uint256,uint8)", &[&id, "1"]).unwrap();
	base.warp(432_000 + 1);
	base.send(
		dao,
		"queue(address[],uint256[],bytes[],bytes32)",
		&[&targets, "[0]", &calldatas, &desc_hash],
	)
	.unwrap();
	base.warp(172_800 + 1);
	base.send(
		dao,
		"execute(address[],uint256[],bytes[],bytes32)",
		&[&targets, "[0]", &calldatas, &desc_hash],
	)
	.unwrap();
}

fn contracts_tool(name: &str) -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/node_modules/.bin").join(name)
}

fn bridge_pair(name: &str) -> ecdsa::Pair {
	ecdsa::Pair::from_string(&format!("//{name}"), None).unwrap()
}

#[test]
fn the_bridge_carries_roots_sets_deposits_and_decisions() {
	let test_dir = TestDir::new("smartnodes-bridge-");
	let dir = test_dir.path().to_path_buf();

	// Base mines a block a second, as an L2 does.
	let base = Base::start_with_block_time(Some(1));
	let flag = vec!["--base-rpc-url".to_string(), base.rpc.clone()];
	let alice = Node::start_with(&dir, "alice", "local", true, None, &flag);
	let boot = alice.multiaddr();
	let others: Vec<Node> = VALIDATORS[1..]
		.iter()
		.map(|name| Node::start_with(&dir, name, "local", true, Some(&boot), &flag))
		.collect();
	let genesis = status(&alice);
	assert_eq!(genesis["dao"].as_str().unwrap(), base.dao, "the chain reads the deployed DAO");

	open_network_and_fund(&alice, &["Ferdie"]);
	let ferdie = Worker::start(&dir, "Ferdie", &alice, "Alice", false);
	let payout = format!("0x{}", hex::encode(ferdie.payout()));
	assert_supply(&alice, &base, 0, 0, "genesis");

	// Two relayers at once.
	let mut relay_a = Relayer::start(&dir, "relayer-a", &alice, &base, base::RELAYER_KEYS[0]);
	let mut relay_b = Relayer::start(&dir, "relayer-b", &others[0], &base, base::RELAYER_KEYS[1]);

	// Period 1 passes and both relayers see it: it is posted once.
	wait_until(5 * MINUTE, "period 1 passes and is finalized", || {
		status(&alice)["latestPassed"]["period"].as_u64().is_some_and(|p| p >= 1)
	});
	let passed_at = Instant::now();
	wait_until(2 * MINUTE, "period 1's root is on Base", || base_period(&base) >= 1);
	let latency = passed_at.elapsed();
	base.mine(3);
	assert_eq!(posted_periods(&base).iter().filter(|p| **p == 1).count(), 1, "posted once");
	let post = base.logs(&base.distributor, "RootSubmitted(uint64,bytes32,uint256,uint64)")[0]
		["transactionHash"]
		.clone();
	let receipt = base.rpc("eth_getTransactionReceipt", json!([post]));
	let gas =
		u64::from_str_radix(receipt["gasUsed"].as_str().unwrap().trim_start_matches("0x"), 16)
			.unwrap();
	eprintln!("[measure] finalized period 1 -> root on Base: {:.1} s", latency.as_secs_f32());
	eprintln!("[measure] submitRoot gas with 4 validators (3 signatures): {gas}");
	assert_supply(&alice, &base, 0, 0, "period 1 on Base");

	// The DAO halves the interval (from 20 blocks to 10); validators attest the decision.
	dao_sets_interval(&base, 10);
	let interval_key = pallet_coordinator::StateUpdateInterval::<Runtime>::hashed_key();
	wait_until(2 * MINUTE, "the DAO's interval reaches the chain and is finalized", || {
		alice.storage::<u32>(&interval_key) == Some(10)
			&& status(&alice)["decisions"]["nextNonce"] == json!(2)
	});

	// A deposit without its confirmations does not arrive; with them it arrives once.
	let eve = dev_pair("Eve");
	let eve_account: AccountId = eve.public().into();
	let eve_before = free_balance(&alice, &eve_account);
	base.rpc("evm_setIntervalMining", json!([0]));
	base.rpc("evm_setAutomine", json!([true]));
	let chain_account = format!("0x{}", hex::encode(eve_account.encode()));
	base.send(
		&base.distributor,
		"depositToChain(bytes32,uint256)",
		&[&chain_account, &(7 * SNO).to_string()],
	)
	.unwrap();
	base.rpc("evm_setAutomine", json!([false]));
	let deposited_on_base = 7 * SNO;
	let waited_from = alice.best_number();
	wait_until(MINUTE, "four chain blocks pass", || alice.best_number() >= waited_from + 4);
	assert_eq!(free_balance(&alice, &eve_account), eve_before, "unconfirmed: not minted");
	assert_eq!(status(&alice)["deposits"]["nextNonce"], json!(1));
	assert_supply(&alice, &base, deposited_on_base, 7 * SNO, "deposit in flight");
	base.rpc("evm_setIntervalMining", json!([1]));
	wait_until(2 * MINUTE, "the deposit is minted on the chain and finalized", || {
		free_balance(&alice, &eve_account) == eve_before + 7 * SNO
			&& status(&alice)["deposits"]["nextNonce"] == json!(2)
	});
	let settled = alice.best_number();
	wait_until(MINUTE, "six more chain blocks pass", || alice.best_number() >= settled + 6);
	assert_eq!(free_balance(&alice, &eve_account), eve_before + 7 * SNO, "minted once");
	assert_eq!(status(&alice)["deposits"]["nextNonce"], json!(2));
	// Replaying an attestation of it is refused by the pool.
	let deposit = status(&alice);
	let event = BaseEvent::Deposit(Deposit {
		nonce: 1,
		from: EthAddress::from_slice(&from_hex(base::DEPLOYER)),
		to: eve_account.clone().into(),
		amount: U256::from(7 * SNO),
		base_block: deposit["deposits"]["lastBaseBlock"].as_u64().unwrap(),
	});
	let genesis_hash = H256::from_slice(&from_hex(&alice.block_hash(0).unwrap()));
	let signature =
		eth_signature(bridge_pair("Alice").sign_prehashed(&event.digest(&genesis_hash).0).0);
	// Built as Alice's off-chain worker builds it at the best block (the era starts there).
	let best = alice.best_number();
	let replay = sp_io::TestExternalities::default().execute_with(|| {
		frame_system::Pallet::<Runtime>::set_block_number(best);
		<Runtime as frame_system::offchain::CreateAuthorizedTransaction<
			pallet_bridge::Call<Runtime>,
		>>::create_authorized_transaction(RuntimeCall::Bridge(pallet_bridge::Call::attest {
			event,
			signature,
		}))
	});
	let refused = alice
		.try_rpc("author_submitExtrinsic", json!([format!("0x{}", hex::encode(replay.encode()))]));
	assert!(refused.is_err(), "a replayed attestation is refused: {refused:?}");
	assert_supply(&alice, &base, deposited_on_base, 0, "deposit minted");

	// Eve withdraws 3 SNO to an address of hers on Base.
	let eve_on_base = "0x00000000000000000000000000000000000e7e00";
	alice.submit(
		&eve,
		RuntimeCall::Bridge(pallet_bridge::Call::withdraw {
			to: EthAddress::from_slice(&from_hex(eve_on_base)),
			amount: 3 * SNO,
		}),
	);

	// A relayer killed between sending and confirming.
	relay_b.kill();
	// The root relayer A sends next is the latest the chain passed, which may already be
	// passed now: any period past Base's current one will do.
	let before = base_period(&base);
	base.rpc("evm_setIntervalMining", json!([0]));
	wait_until(3 * MINUTE, "relayer A sent the next root, unmined", || {
		let pool = base.rpc("txpool_status", json!([]));
		u64::from_str_radix(pool["pending"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
			>= 1
	});
	relay_a.kill();
	relay_a.restart();
	std::thread::sleep(Duration::from_secs(8));
	let pool = base.rpc("txpool_status", json!([]));
	assert_eq!(pool["pending"], json!("0x1"), "the restarted relayer waits for its transaction");
	base.rpc("evm_setIntervalMining", json!([1]));
	wait_until(MINUTE, "the root is on Base", || base_period(&base) > before);
	std::thread::sleep(Duration::from_secs(5));
	let posted = posted_periods(&base);
	for p in 1..=base_period(&base) {
		assert!(posted.iter().filter(|q| **q == p).count() <= 1, "period {p} posted twice");
	}

	// A reorg drops a posting: it is posted again.
	relay_a.kill();
	let latest = status(&alice)["latestPassed"]["period"].as_u64().unwrap();
	wait_until(3 * MINUTE, "a new period passes while no relayer runs", || {
		status(&alice)["latestPassed"]["period"].as_u64().unwrap() > latest.max(base_period(&base))
	});
	let snapshot = base.rpc("evm_snapshot", json!([]));
	let on_base = base_period(&base);
	relay_a.restart();
	wait_until(MINUTE, "the new root is on Base", || base_period(&base) > on_base);
	let reposted = base_period(&base);
	base.mine(3);
	assert_eq!(base.rpc("evm_revert", json!([snapshot])), json!(true));
	assert_eq!(base_period(&base), on_base, "the reorg dropped the root");
	wait_until(MINUTE, "the relayer posts it again", || base_period(&base) >= reposted);

	// Dave leaves: set 1 (Alice, Bob, Charlie), signed by set 0, is mirrored on Base.
	alice.submit(&dev_pair("Dave"), RuntimeCall::Validators(pallet_validators::Call::leave {}));
	wait_until(4 * MINUTE, "set 1 is on Base", || {
		base.uint(&base.distributor, "validatorSetId()(uint64)", &[]) == 1
	});
	let set = status(&alice);
	let update = &set["setUpdates"][0];
	assert_eq!(update["setId"], json!(1));
	assert_eq!(update["validators"].as_array().unwrap().len(), 3);
	// Set 1 takes office a session after Base has it, and a round must then open and pass under
	// it: a minute or two, more on a loaded machine.
	wait_until(5 * MINUTE, "a root signed by set 1 is on Base", || {
		let s = status(&alice);
		s["latestPassed"]["validatorSetId"] == json!(1)
			&& base_period(&base) >= s["latestPassed"]["period"].as_u64().unwrap()
	});
	// The old set's signatures no longer count.
	let stale = RewardCommitment {
		chain_id: 84_532,
		distributor: EthAddress::from_slice(&from_hex(&base.distributor)),
		period: base_period(&base) + 1,
		root: H256::repeat_byte(0x42),
		total: u128::MAX >> 8,
		validator_set_id: 0,
	};
	let signatures: Vec<String> = ["Alice", "Bob", "Charlie", "Dave"]
		.iter()
		.map(|n| {
			format!(
				"0x{}",
				hex::encode(eth_signature(bridge_pair(n).sign_prehashed(&stale.digest().0).0))
			)
		})
		.collect();
	let commitment = format!(
		"({},{},{},{:?},{},0)",
		stale.chain_id, base.distributor, stale.period, stale.root, stale.total
	);
	let refused = base
		.send(
			&base.distributor,
			"submitRoot((uint256,address,uint64,bytes32,uint256,uint64),bytes[])",
			&[&commitment, &format!("[{}]", signatures.join(","))],
		)
		.unwrap_err();
	assert!(refused.contains("InvalidValidatorSetId"), "{refused}");

	// Claims: the worker's rewards and Eve's withdrawal.
	let earned = claim(&alice, &base, &payout);
	assert!(earned > 0);
	assert_eq!(base.uint(&base.token, "balanceOf(address)(uint256)", &[&payout]), earned);
	let withdrawn = claim(&alice, &base, eve_on_base);
	assert_eq!(withdrawn, 3 * SNO);
	assert_eq!(base.uint(&base.token, "balanceOf(address)(uint256)", &[eve_on_base]), 3 * SNO);
	assert_supply(&alice, &base, deposited_on_base, 0, "after claims");

	drop(ferdie);
	drop(others);
}
