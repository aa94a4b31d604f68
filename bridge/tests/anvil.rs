//! The relayer against a real Anvil (chain id 84532) with the contracts deployed by the real
//! deploy script (`contracts/script/Deploy.s.sol`, `script/config/anvil.json`: Anvil accounts
//! #1-#3 are the validators, so the test signs as the chain would). The chain side is an
//! in-process [`ChainSource`] whose status the test scripts, or, for the binary, a small JSON-RPC
//! server that answers like a node.

// A panic here is a failed test, not a halted relayer.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use alloy::{
	primitives::{Address, Bytes, TxHash, B256, U256},
	providers::{DynProvider, Provider, ProviderBuilder},
	rpc::types::Filter,
	signers::local::PrivateKeySigner,
	sol_types::SolEvent,
};
use smartnodes_bridge::{
	base::Base,
	bindings::{RewardDistributor, SmartnodesToken},
	chain::ChainSource,
	hashes::{leaf, root_digest, sign_digest, validator_set_digest},
	metrics::Metrics,
	relayer::{Options, Relayer},
	status::{BlockRef, BridgeStatus, PassedRoot, SetUpdate, ValidatorSet},
};
use std::{
	future::Future,
	io::{BufRead, BufReader},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	str::FromStr,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// Anvil's accounts #0-#9 (the default mnemonic). #0 deploys, #1-#3 are the validators of
/// `anvil.json`, #4 joins them in a set update, #5 and #6 relay.
const KEYS: [&str; 10] = [
	"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
	"0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
	"0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
	"0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
	"0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
	"0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
	"0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
	"0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
	"0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];
const RELAYER: usize = 5;
const OTHER_RELAYER: usize = 6;
const CHAIN_ID: u64 = 84532;
const TIMEOUT: Duration = Duration::from_secs(60);

fn key(index: usize) -> PrivateKeySigner {
	PrivateKeySigner::from_str(KEYS[index]).unwrap()
}

fn address(index: usize) -> Address {
	key(index).address()
}

fn addresses(indexes: &[usize]) -> Vec<Address> {
	indexes.iter().map(|i| address(*i)).collect()
}

fn contracts() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts")
}

fn tool(name: &str) -> PathBuf {
	let path = contracts().join("node_modules/.bin").join(name);
	assert!(path.exists(), "{} missing: run scripts/setup", path.display());
	path
}

fn free_port() -> u16 {
	std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Polls `check` until it holds, or fails the test with `what`.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
	F: FnMut() -> Fut,
	Fut: Future<Output = bool>,
{
	let start = Instant::now();
	while !check().await {
		assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
		tokio::time::sleep(Duration::from_millis(50)).await;
	}
}

/// Anvil with the contracts deployed, and a provider that sends as the deployer.
struct Anvil {
	child: Child,
	url: String,
	/// The deployment file's text.
	deployment: String,
	distributor: Address,
	token: Address,
	provider: DynProvider,
	mining: Arc<AtomicBool>,
}

impl Drop for Anvil {
	fn drop(&mut self) {
		self.mining.store(false, Ordering::SeqCst);
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Anvil {
	/// Starts Anvil on a free loopback port and deploys with the real script, as
	/// `node/tests/common/base.rs` does.
	fn start() -> Self {
		smartnodes_bridge::config::install_tls();
		let port = free_port();
		let mut child = Command::new(tool("anvil"))
			.args(["--host", "127.0.0.1", "--port", &port.to_string(), "--chain-id", "84532"])
			.stdout(Stdio::piped())
			.stderr(Stdio::null())
			.spawn()
			.expect("anvil starts");
		let stdout = child.stdout.take().unwrap();
		let listening = BufReader::new(stdout)
			.lines()
			.map_while(Result::ok)
			.any(|l| l.starts_with("Listening on"));
		assert!(listening, "anvil did not start");
		let url = format!("http://127.0.0.1:{port}");
		// Forge may only write under contracts/deployments (foundry.toml's fs_permissions).
		let out =
			contracts().join(format!("deployments/bridge-test-{}-{port}.json", std::process::id()));
		// One forge at a time: concurrent runs share contracts/cache and broadcast/.
		static FORGE: std::sync::Mutex<()> = std::sync::Mutex::new(());
		let forge = FORGE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let deploy = Command::new(tool("forge"))
			.current_dir(contracts())
			.args(["script", "script/Deploy.s.sol", "--rpc-url", &url, "--broadcast"])
			.args(["--private-key", KEYS[0]])
			.env("DEPLOY_CONFIG", "script/config/anvil.json")
			.env("DEPLOYMENTS_OUT", &out)
			.output()
			.expect("forge runs");
		assert!(
			deploy.status.success(),
			"deployment failed: {}{}",
			String::from_utf8_lossy(&deploy.stdout),
			String::from_utf8_lossy(&deploy.stderr)
		);
		drop(forge);
		let deployment = std::fs::read_to_string(&out).expect("deployment written");
		let _ = std::fs::remove_file(&out);
		let json: serde_json::Value = serde_json::from_str(&deployment).unwrap();
		let field = |k: &str| Address::from_str(json[k].as_str().unwrap()).unwrap();
		let provider =
			ProviderBuilder::new().wallet(key(0)).connect_http(url.parse().unwrap()).erased();
		Self {
			child,
			url,
			distributor: field("distributor"),
			token: field("token"),
			deployment,
			provider,
			mining: Arc::new(AtomicBool::new(false)),
		}
	}

	/// Mines a block every 200 ms while mining is on, as Base would, so that posts gather
	/// confirmations.
	fn start_miner(&self) {
		if self.mining.swap(true, Ordering::SeqCst) {
			return;
		}
		let (mining, provider) = (self.mining.clone(), self.provider.clone());
		tokio::spawn(async move {
			while mining.load(Ordering::SeqCst) {
				let _ = provider.raw_request::<_, serde_json::Value>("evm_mine".into(), ()).await;
				tokio::time::sleep(Duration::from_millis(200)).await;
			}
		});
	}

	fn stop_miner(&self) {
		self.mining.store(false, Ordering::SeqCst);
	}

	async fn rpc(&self, method: &'static str, params: serde_json::Value) -> serde_json::Value {
		self.provider.raw_request(method.into(), params).await.unwrap()
	}

	fn distributor(&self) -> RewardDistributor::RewardDistributorInstance<DynProvider> {
		RewardDistributor::new(self.distributor, self.provider.clone())
	}

	async fn last_period(&self) -> u64 {
		self.distributor().lastPeriod().call().await.unwrap()
	}

	async fn nonces(&self, account: Address) -> (u64, u64) {
		let latest = self.provider.get_transaction_count(account).latest().await.unwrap();
		let pending = self.provider.get_transaction_count(account).pending().await.unwrap();
		(latest, pending)
	}

	/// The `RootSubmitted` events on the canonical chain: (period, transaction).
	async fn roots_submitted(&self) -> Vec<(u64, TxHash)> {
		let filter = Filter::new()
			.address(self.distributor)
			.event_signature(RewardDistributor::RootSubmitted::SIGNATURE_HASH)
			.from_block(0);
		let logs = self.provider.get_logs(&filter).await.unwrap();
		logs.iter()
			.map(|log| {
				let event = log.log_decode::<RewardDistributor::RootSubmitted>().unwrap();
				(event.inner.data.period, log.transaction_hash.unwrap())
			})
			.collect()
	}

	async fn count_roots(&self, period: u64) -> usize {
		self.roots_submitted().await.iter().filter(|(p, _)| *p == period).count()
	}

	/// A relayer that posts from Anvil account `relayer`, reading `chain`.
	fn relayer(&self, chain: &TestChain, relayer: usize) -> Arc<Relayer<TestChain, DynProvider>> {
		let signer = key(relayer);
		let sender = signer.address();
		let provider =
			ProviderBuilder::new().wallet(signer).connect_http(self.url.parse().unwrap()).erased();
		let base = Base::new(provider, self.distributor, Some(sender));
		let options = Options {
			confirmations: 3,
			poll_interval: Duration::from_millis(100),
			max_backoff: Duration::from_secs(1),
			expected_chain_id: Some(CHAIN_ID),
		};
		Arc::new(Relayer::new(chain.clone(), base, options, Metrics::new().unwrap()))
	}

	// Signed chain data, as the validators would sign it.

	fn passed_root(
		&self,
		period: u64,
		root: B256,
		total: U256,
		set_id: u64,
		signers: &[usize],
	) -> PassedRoot {
		let digest = root_digest(CHAIN_ID, self.distributor, period, root, total, set_id);
		PassedRoot {
			period,
			root,
			total,
			validator_set_id: set_id,
			signatures: signers.iter().map(|i| sign_digest(&key(*i), digest).unwrap()).collect(),
			signers: addresses(signers),
			passed_at: period * 20,
		}
	}

	fn set_update(
		&self,
		set_id: u64,
		validators: &[usize],
		signer_set: &[usize],
		signers: &[usize],
	) -> SetUpdate {
		let validators = addresses(validators);
		let digest = validator_set_digest(CHAIN_ID, self.distributor, set_id, &validators);
		let threshold = u32::try_from((2 * signer_set.len()).div_ceil(3)).unwrap();
		SetUpdate {
			set_id,
			validators,
			signer_set_id: set_id - 1,
			signer_set: addresses(signer_set),
			threshold,
			signatures: signers.iter().map(|i| sign_digest(&key(*i), digest).unwrap()).collect(),
			signers: addresses(signers),
			complete: signers.len() >= threshold as usize,
		}
	}

	fn status(
		&self,
		set: (u64, &[usize]),
		updates: Vec<SetUpdate>,
		root: Option<PassedRoot>,
	) -> BridgeStatus {
		BridgeStatus {
			at: BlockRef { number: 1000, hash: B256::repeat_byte(0xc4) },
			chain_id: CHAIN_ID,
			distributor: self.distributor,
			validator_set: ValidatorSet { set_id: set.0, validators: addresses(set.1) },
			set_updates: updates,
			latest_passed: root,
		}
	}

	/// A root for period `period` of a one-leaf tree, signed by validators #1 and #2 of set 0.
	fn simple_root(&self, period: u64) -> PassedRoot {
		let amount = U256::from(period) * U256::from(1_000_000_000_000_000_000u64);
		self.passed_root(period, leaf(Address::repeat_byte(0x42), amount), amount, 0, &[1, 2])
	}
}

/// A chain whose finalized status the test sets.
#[derive(Clone)]
struct TestChain(Arc<parking_lot::Mutex<BridgeStatus>>);

impl TestChain {
	fn new(status: BridgeStatus) -> Self {
		Self(Arc::new(parking_lot::Mutex::new(status)))
	}

	fn set(&self, status: BridgeStatus) {
		*self.0.lock() = status;
	}
}

impl ChainSource for TestChain {
	async fn status(&self) -> smartnodes_bridge::Result<BridgeStatus> {
		Ok(self.0.lock().clone())
	}
}

fn spawn(relayer: &Arc<Relayer<TestChain, DynProvider>>) -> tokio::task::JoinHandle<()> {
	let relayer = relayer.clone();
	tokio::spawn(async move { relayer.run().await.expect("no permanent error") })
}

fn count(metric: &prometheus::IntCounterVec, kind: &str) -> u64 {
	metric.with_label_values(&[kind]).get()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_root_is_posted_once_and_claimable() {
	let anvil = Anvil::start();
	assert_eq!(
		anvil.distributor().validators().call().await.unwrap(),
		addresses(&[1, 2, 3]),
		"anvil.json's validators are Anvil accounts #1-#3"
	);
	anvil.start_miner();
	let account = Address::repeat_byte(0x42);
	let amount = U256::from(1_000_000_000_000_000_000_000u128);
	let root = leaf(account, amount);
	// First signed by accounts outside the set: the simulation reverts (UnknownSigner) and
	// nothing is sent.
	let forged = anvil.passed_root(1, root, amount, 0, &[7, 8]);
	let chain = TestChain::new(anvil.status((0, &[1, 2, 3]), vec![], Some(forged)));
	let relayer = anvil.relayer(&chain, RELAYER);
	let task = spawn(&relayer);
	let metrics = relayer.metrics().clone();
	eventually("the refusal", || async { count(&metrics.failures, "refused") >= 2 }).await;
	assert_eq!(count(&metrics.sent, "root"), 0);
	assert_eq!(anvil.nonces(address(RELAYER)).await, (0, 0));

	let signed = anvil.passed_root(1, root, amount, 0, &[2, 1]);
	chain.set(anvil.status((0, &[1, 2, 3]), vec![], Some(signed)));
	eventually("the root's post", || async { count(&metrics.posts, "root") == 1 }).await;

	let distributor = anvil.distributor();
	assert_eq!(anvil.last_period().await, 1);
	let active = distributor.activeRoot().call().await.unwrap();
	assert_eq!((active.root, active.total, active.period), (root, amount, 1));
	// Anyone may claim for the account; one leaf is its own root, so the proof is empty. The gas
	// is set: the token's supply checkpoint costs more in a block of a new second than the
	// estimate (made on another block) may have seen.
	let receipt = distributor
		.claim(account, amount, vec![])
		.gas(300_000)
		.send()
		.await
		.unwrap()
		.get_receipt()
		.await
		.unwrap();
	assert!(receipt.status());
	let token = SmartnodesToken::new(anvil.token, anvil.provider.clone());
	assert_eq!(token.balanceOf(account).call().await.unwrap(), amount);

	// Up to date: it does not post again.
	tokio::time::sleep(Duration::from_millis(1000)).await;
	assert_eq!(count(&metrics.sent, "root"), 1);
	assert_eq!(anvil.count_roots(1).await, 1);
	assert_eq!(metrics.relayed_period.get(), 1);
	assert_eq!(metrics.period_lag.get(), 0);
	task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_set_update_then_a_root_signed_by_the_new_set() {
	let anvil = Anvil::start();
	anvil.start_miner();
	// Set 1 adds account #4; set 0 (#1-#3) signs it, 2 of 3 needed. An update to set 2 with too
	// few signatures must not be posted.
	let update = anvil.set_update(1, &[1, 2, 3, 4], &[1, 2, 3], &[3, 1]);
	let incomplete = anvil.set_update(2, &[1, 2, 3, 4, 5], &[1, 2, 3, 4], &[1]);
	assert!(!incomplete.complete);
	let amount = U256::from(5_000_000_000_000_000_000u128);
	let root = anvil.passed_root(1, leaf(address(7), amount), amount, 1, &[4, 2, 1]);
	let chain =
		TestChain::new(anvil.status((1, &[1, 2, 3, 4]), vec![update, incomplete], Some(root)));
	let relayer = anvil.relayer(&chain, RELAYER);
	let task = spawn(&relayer);
	let metrics = relayer.metrics().clone();
	eventually("the root after the set update", || async { count(&metrics.posts, "root") == 1 })
		.await;

	let distributor = anvil.distributor();
	assert_eq!(distributor.validatorSetId().call().await.unwrap(), 1);
	assert_eq!(distributor.validators().call().await.unwrap(), addresses(&[1, 2, 3, 4]));
	assert_eq!(anvil.last_period().await, 1);
	assert_eq!(count(&metrics.posts, "set"), 1);
	// The update came first.
	let set_logs = anvil
		.provider
		.get_logs(
			&Filter::new()
				.address(anvil.distributor)
				.event_signature(RewardDistributor::ValidatorSetUpdated::SIGNATURE_HASH)
				.from_block(0),
		)
		.await
		.unwrap();
	let root_logs = anvil.roots_submitted().await;
	assert_eq!((set_logs.len(), root_logs.len()), (2, 1), "deployment's set 0, then set 1");
	let set_block = set_logs[1].block_number.unwrap();
	let root_receipt =
		anvil.provider.get_transaction_receipt(root_logs[0].1).await.unwrap().unwrap();
	assert!(set_block < root_receipt.block_number.unwrap());
	let set_receipt = anvil
		.provider
		.get_transaction_receipt(set_logs[1].transaction_hash.unwrap())
		.await
		.unwrap()
		.unwrap();

	// The steady state: the next root (3 of the 4 new validators) activates the previous one.
	let amount = U256::from(9_000_000_000_000_000_000u128);
	let next = anvil.passed_root(2, leaf(address(7), amount), amount, 1, &[1, 3, 4]);
	chain.set(anvil.status((1, &[1, 2, 3, 4]), vec![], Some(next)));
	eventually("the second root", || async { count(&metrics.posts, "root") == 2 }).await;
	let roots = anvil.roots_submitted().await;
	assert_eq!(roots.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [1, 2]);
	let next_receipt = anvil.provider.get_transaction_receipt(roots[1].1).await.unwrap().unwrap();
	let (first_gas, next_gas) = (root_receipt.gas_used, next_receipt.gas_used);
	println!(
		"gas: updateValidatorSet 3 -> 4 validators, 2 signatures: {}; submitRoot, 4 validators, \
		 3 signatures: {first_gas} (first root: writes zero slots), {next_gas} (next root, \
		 activating the previous; GAS.md's forge figure for this case is 83635)",
		set_receipt.gas_used
	);
	assert_eq!(metrics.gas_used.with_label_values(&["root"]).get(), first_gas + next_gas);
	assert!((60_000..110_000).contains(&next_gas), "steady-state submitRoot used {next_gas}");
	assert!(count(&metrics.sent, "set") == 1, "the incomplete update was never sent");
	task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relayers_post_each_root_once() {
	let anvil = Anvil::start();
	anvil.start_miner();
	let chain = TestChain::new(anvil.status((0, &[1, 2, 3]), vec![], None));
	let first = anvil.relayer(&chain, RELAYER);
	let second = anvil.relayer(&chain, OTHER_RELAYER);
	let tasks = [spawn(&first), spawn(&second)];
	for period in 1..=4 {
		chain.set(anvil.status((0, &[1, 2, 3]), vec![], Some(anvil.simple_root(period))));
		eventually("the period on Base", || async { anvil.last_period().await == period }).await;
	}
	let posts = || count(&first.metrics().posts, "root") + count(&second.metrics().posts, "root");
	eventually("both relayers settled", || async { posts() == 4 }).await;
	tokio::time::sleep(Duration::from_millis(500)).await;
	for period in 1..=4 {
		assert_eq!(anvil.count_roots(period).await, 1, "period {period} posted once");
	}
	assert_eq!(posts(), 4);
	let sent = count(&first.metrics().sent, "root") + count(&second.metrics().sent, "root");
	let skipped =
		count(&first.metrics().skipped, "root") + count(&second.metrics().skipped, "root");
	println!(
		"two relayers: {} + {} posts, {sent} transactions sent, {skipped} posts skipped as done",
		count(&first.metrics().posts, "root"),
		count(&second.metrics().posts, "root")
	);
	for task in tasks {
		task.abort();
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relayer_killed_between_send_and_confirm_does_not_post_twice() {
	let anvil = Anvil::start();
	anvil.rpc("evm_setAutomine", serde_json::json!([false])).await;
	let chain = TestChain::new(anvil.status((0, &[1, 2, 3]), vec![], Some(anvil.simple_root(1))));
	let sender = address(RELAYER);

	let killed = anvil.relayer(&chain, RELAYER);
	let task = spawn(&killed);
	eventually("the post in the pool", || async {
		let (latest, pending) = anvil.nonces(sender).await;
		pending > latest
	})
	.await;
	task.abort();
	assert!(task.await.unwrap_err().is_cancelled());
	assert_eq!(count(&killed.metrics().sent, "root"), 1);
	assert_eq!(anvil.last_period().await, 0, "not mined yet");

	// The restarted relayer sees its account's unmined transaction and waits for it.
	let restarted = anvil.relayer(&chain, RELAYER);
	let task = spawn(&restarted);
	tokio::time::sleep(Duration::from_millis(1500)).await;
	assert_eq!(anvil.nonces(sender).await, (0, 1), "still one transaction, unmined");
	assert_eq!(count(&restarted.metrics().sent, "root"), 0);

	anvil.rpc("evm_mine", serde_json::json!([])).await;
	anvil.rpc("evm_setAutomine", serde_json::json!([true])).await;
	anvil.start_miner();
	eventually("the period on Base", || async { anvil.last_period().await == 1 }).await;
	tokio::time::sleep(Duration::from_millis(1000)).await;
	assert_eq!(count(&restarted.metrics().sent, "root"), 0, "the restarted relayer sent nothing");
	assert_eq!(anvil.nonces(sender).await, (1, 1), "one transaction in all");
	assert_eq!(anvil.count_roots(1).await, 1);
	assert_eq!(restarted.metrics().relayed_period.get(), 1);
	task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reorganized_post_is_posted_again() {
	let anvil = Anvil::start();
	let chain = TestChain::new(anvil.status((0, &[1, 2, 3]), vec![], None));
	let relayer = anvil.relayer(&chain, RELAYER);
	let metrics = relayer.metrics().clone();
	let task = spawn(&relayer);

	// Reorganized while the relayer waits for confirmations: its receipt disappears. No blocks
	// are mined after the post's own, so it stays at one confirmation until the revert.
	let snapshot = anvil.rpc("evm_snapshot", serde_json::json!([])).await;
	chain.set(anvil.status((0, &[1, 2, 3]), vec![], Some(anvil.simple_root(1))));
	eventually("the first posting", || async { anvil.last_period().await == 1 }).await;
	let first = anvil.roots_submitted().await;
	assert_eq!(first.len(), 1);
	// Let the relayer see the receipt (it polls every 100 ms) before it disappears.
	tokio::time::sleep(Duration::from_millis(500)).await;
	assert_eq!(count(&metrics.posts, "root"), 0, "one confirmation of three");
	assert_eq!(anvil.rpc("evm_revert", serde_json::json!([snapshot])).await, true);
	assert_eq!(anvil.last_period().await, 0, "the post is gone");
	assert!(anvil.provider.get_transaction_receipt(first[0].1).await.unwrap().is_none());
	anvil.start_miner();
	eventually("the post again", || async { count(&metrics.posts, "root") == 1 }).await;
	assert_eq!(anvil.last_period().await, 1);
	assert_eq!(count(&metrics.sent, "root"), 2);
	assert_eq!(count(&metrics.failures, "reorged"), 1);
	assert_eq!(anvil.count_roots(1).await, 1);

	// Reorganized after it was confirmed: the next read of Base finds it missing.
	let snapshot = anvil.rpc("evm_snapshot", serde_json::json!([])).await;
	chain.set(anvil.status((0, &[1, 2, 3]), vec![], Some(anvil.simple_root(2))));
	eventually("the second root", || async { count(&metrics.posts, "root") == 2 }).await;
	assert_eq!(anvil.rpc("evm_revert", serde_json::json!([snapshot])).await, true);
	eventually("the second root again", || async { count(&metrics.posts, "root") == 3 }).await;
	assert_eq!(anvil.last_period().await, 2);
	assert_eq!(count(&metrics.sent, "root"), 4);
	assert_eq!(anvil.count_roots(1).await, 1);
	assert_eq!(anvil.count_roots(2).await, 1);
	anvil.stop_miner();
	task.abort();
}

/// A stand-in chain node: answers `chain_getFinalizedHead`, `smartnodes_bridgeStatus`,
/// `chain_getBlockHash` and `state_getStorage` (the block time) over JSON-RPC on HTTP.
async fn fake_node(status: serde_json::Value) -> String {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("http://{}", listener.local_addr().unwrap());
	let hash = "0xc4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4";
	let app = axum::Router::new().route(
		"/",
		axum::routing::post(move |body: String| {
			let status = status.clone();
			async move {
				let request: serde_json::Value = serde_json::from_str(&body).unwrap();
				let result = match request["method"].as_str().unwrap() {
					"chain_getFinalizedHead" | "chain_getBlockHash" => serde_json::json!(hash),
					"smartnodes_bridgeStatus" => {
						assert_eq!(request["params"], serde_json::json!([hash]));
						status
					},
					"state_getStorage" => {
						let ten_seconds_ago = std::time::SystemTime::now()
							.duration_since(std::time::UNIX_EPOCH)
							.unwrap()
							.as_millis() as u64 - 10_000;
						serde_json::json!(Bytes::from(ten_seconds_ago.to_le_bytes().to_vec()))
					},
					_ => {
						let error =
							serde_json::json!({ "code": -32601, "message": "Method not found" });
						let reply = serde_json::json!({ "jsonrpc": "2.0", "id": request["id"], "error": error });
						return reply.to_string();
					},
				};
				serde_json::json!({ "jsonrpc": "2.0", "id": request["id"], "result": result })
					.to_string()
			}
		}),
	);
	tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	url
}

/// The text at `/metrics`, or nothing while the server is not up.
async fn scrape_port(port: u16) -> String {
	let url = format!("http://127.0.0.1:{port}/metrics");
	match reqwest::get(url).await {
		Ok(response) => response.text().await.unwrap_or_default(),
		Err(_) => String::new(),
	}
}

fn bridge() -> Command {
	Command::new(env!("CARGO_BIN_EXE_smartnodes-bridge"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_relays_from_a_node_and_serves_metrics() {
	let anvil = Anvil::start();
	let dir = tempfile::tempdir().unwrap();
	let deployment = dir.path().join("84532.json");
	std::fs::write(&deployment, &anvil.deployment).unwrap();
	let key_file = dir.path().join("relayer.key");
	std::fs::write(&key_file, format!("{}\n", KEYS[RELAYER])).unwrap();
	// The node's wire format, written out by hand, with a field this relayer does not know.
	let root = anvil.simple_root(1);
	let status = serde_json::json!({
		"at": { "number": 812, "hash": "0xc4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4" },
		"chainId": CHAIN_ID,
		"distributor": anvil.distributor,
		"validatorSet": { "setId": 0, "validators": addresses(&[1, 2, 3]) },
		"setUpdates": [],
		"latestPassed": {
			"period": 1, "root": root.root, "total": root.total.to_string(), "validatorSetId": 0,
			"signatures": root.signatures, "signers": root.signers, "passedAt": 20,
		},
		"pendingDeposits": [],
	});
	let node = fake_node(status).await;
	let common = |command: &mut Command| {
		command
			.args(["--chain-rpc", &node, "--base-rpc", &anvil.url, "--deployment"])
			.arg(&deployment)
			.env_remove("RUST_LOG");
	};

	let mut status = bridge();
	status.args(["status", "--json"]);
	common(&mut status);
	let output = tokio::task::spawn_blocking(move || status.output().unwrap()).await.unwrap();
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(printed["chain"]["latestPassed"]["period"], 1);
	assert_eq!(printed["base"]["lastPeriod"], 0);
	assert_eq!(printed["next"]["post"], "root");

	let metrics_port = free_port();
	let mut relay = bridge();
	relay.args(["relay", "--confirmations", "1", "--poll-interval-ms", "100", "--key-file"]);
	relay.arg(&key_file).args(["--metrics", &format!("127.0.0.1:{metrics_port}")]);
	common(&mut relay);
	let mut child = relay.stderr(Stdio::piped()).spawn().unwrap();
	eventually("the binary's post", || async { anvil.last_period().await == 1 }).await;
	let scrape = || scrape_port(metrics_port);
	eventually("the post in the metrics", || async {
		scrape().await.contains("smartnodes_bridge_posts_total{kind=\"root\"} 1")
	})
	.await;
	let text = scrape().await;
	assert!(text.contains("smartnodes_bridge_relayed_period 1"), "{text}");
	assert!(text.contains("smartnodes_bridge_chain_finalized_block 812"), "{text}");
	assert!(text.contains("smartnodes_bridge_lag_seconds 0"), "{text}");

	// SIGTERM stops it cleanly.
	let pid = child.id().to_string();
	assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
	let exited = tokio::task::spawn_blocking(move || {
		let status = child.wait().unwrap();
		let mut log = String::new();
		std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
		(status, log)
	})
	.await
	.unwrap();
	assert!(exited.0.success(), "{}", exited.1);
	assert!(exited.1.contains("posted root of period 1"), "{}", exited.1);
	assert!(!exited.1.contains(&KEYS[RELAYER][2..]), "the key is never logged");
	assert_eq!(anvil.count_roots(1).await, 1);

	// An unreachable chain node is transient: the relayer backs off and keeps trying.
	let closed = format!("http://127.0.0.1:{}", free_port());
	let metrics_port = free_port();
	let mut waiting = bridge();
	waiting
		.args(["relay", "--chain-rpc", &closed, "--base-rpc", &anvil.url, "--deployment"])
		.arg(&deployment)
		.args(["--poll-interval-ms", "100", "--key-file"])
		.arg(&key_file)
		.args(["--metrics", &format!("127.0.0.1:{metrics_port}")]);
	let mut child = waiting.stderr(Stdio::null()).spawn().unwrap();
	eventually("failures to reach the chain node", || async {
		let text = scrape_port(metrics_port).await;
		text.contains("smartnodes_bridge_failures_total{kind=\"chain-rpc\"} 3")
	})
	.await;
	assert!(child.try_wait().unwrap().is_none(), "still running");
	assert!(Command::new("kill")
		.args(["-TERM", &child.id().to_string()])
		.status()
		.unwrap()
		.success());
	let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
	assert!(status.success());

	// A permanent error (no contract at the distributor) ends the relayer with a clear message.
	let mut wrong = bridge();
	wrong
		.args(["relay", "--chain-rpc", &node, "--base-rpc", &anvil.url, "--metrics", "off"])
		.args(["--distributor", "0x000000000000000000000000000000000000dEaD", "--key-file"])
		.arg(&key_file);
	let output = tokio::task::spawn_blocking(move || wrong.output().unwrap()).await.unwrap();
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("no contract at"), "{stderr}");
}
