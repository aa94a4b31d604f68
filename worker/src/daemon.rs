//! The daemon: a [`Worker`] (identity, account, store, fetcher, runner, chain) behind the HTTP
//! API, with the jobs a previous run left restored, a garbage collector, and a graceful stop.
//!
//! [`Daemon::start`] talks to the node named in the configuration; [`Daemon::start_with`] takes
//! the chain and the genesis hash from its caller.

use crate::{
	chain::{self, Chain, RpcChain},
	config::Config,
	fetch::Fetcher,
	identity,
	metrics::Metrics,
	runner::Runner,
	server,
	store::{Record, Store},
	Error, Result,
};
use parking_lot::Mutex;
use smartnodes_primitives::{
	compute::{Capacity, JobId},
	AccountId,
};
use sp_core::{crypto::Pair as _, ed25519, sr25519, H256};
use std::{
	collections::BTreeMap,
	net::SocketAddr,
	sync::{atomic::AtomicBool, Arc},
	time::Duration,
};
use tokio::{
	sync::{watch, Semaphore},
	task::JoinHandle,
};

/// How often the garbage collector runs, and how many jobs it looks at each time.
const GC_EVERY: Duration = Duration::from_secs(60);
const GC_BATCH: usize = 64;
/// How long a starting daemon waits for its node to answer.
const NODE_WAIT: Duration = Duration::from_secs(60);

/// Everything a running worker shares between its server and its jobs.
pub struct Worker {
	pub config: Config,
	pub account: AccountId,
	pub identity: [u8; 32],
	/// The chain the worker signs for.
	pub genesis: H256,
	/// This machine's capacity as measured now (what challenges are answered with).
	pub measured: Capacity,
	pub chain: Arc<dyn Chain>,
	pub store: Arc<Store>,
	pub fetcher: Arc<Fetcher>,
	pub runner: Arc<Runner>,
	pub metrics: Metrics,
	pub(crate) signer: ed25519::Pair,
	pub(crate) jobs: Mutex<BTreeMap<JobId, Record>>,
	/// Held while a job's progress is written, so writes to disk and memory keep one order.
	pub(crate) persist: tokio::sync::Mutex<()>,
	/// One permit per job run at once.
	pub(crate) permits: Arc<Semaphore>,
	pub(crate) stopping: AtomicBool,
	pub(crate) gc_cursor: Mutex<JobId>,
}

/// Runs `f` on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
	f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
	tokio::task::spawn_blocking(f)
		.await
		.map_err(|e| Error::Engine(format!("a blocking task failed: {e}")))?
}

/// The account key named in the configuration.
pub fn account(config: &Config) -> Result<sr25519::Pair> {
	let secret = config
		.account
		.as_ref()
		.ok_or_else(|| Error::Config("no account: give `account` or `account-file`".into()))?;
	smartnodes_cli::user::signer(&secret.0).map_err(|e| Error::Config(e.to_string()))
}

/// The registration the configuration describes, for `identity`.
pub fn registration(config: &Config, identity: [u8; 32]) -> Result<chain::Registration> {
	let missing = |key: &str| Error::Config(format!("registering needs `{key}`"));
	if config.networks.is_empty() {
		return Err(missing("networks"));
	}
	Ok(chain::Registration {
		identity,
		endpoint: config.endpoint.clone(),
		capacity: config.capacity,
		payout: config.payout.ok_or_else(|| missing("payout"))?,
		networks: config.networks.clone(),
		validator: config.validator.clone().ok_or_else(|| missing("validator"))?,
	})
}

/// Checks the account's registration: registers it when it is not a worker and `register` is
/// set; refuses to run with an identity key other than the registered one.
fn check_registration(config: &Config, chain: &RpcChain, register: bool) -> Result<()> {
	let signer = account(config)?;
	let who: AccountId = signer.public().into();
	let identity = identity::load_or_create(&config.data_dir)?.public().0;
	match chain.worker(&who)? {
		Some(on_chain) if on_chain.identity.0 != identity => Err(Error::Config(format!(
			"{who} is registered with identity {:?}, but this worker's key ({}) is {:?}; \
			 use the data directory holding the registered key",
			on_chain.identity,
			identity::path(&config.data_dir).display(),
			H256(identity)
		))),
		Some(on_chain) => {
			if on_chain.endpoint != config.endpoint {
				tracing::warn!(
					target: "worker::chain",
					"registered endpoint {} differs from the configured {}; \
					 validators use the registered one",
					on_chain.endpoint,
					config.endpoint
				);
			}
			Ok(())
		},
		None if register => {
			tracing::info!(target: "worker::chain", %who, "registering as a worker");
			chain::register(chain.client(), &signer, &registration(config, identity)?)?;
			tracing::info!(target: "worker::chain", %who, "registered");
			Ok(())
		},
		None => {
			tracing::warn!(
				target: "worker::chain",
				%who,
				"this account is not a registered worker: no job will be dispatched to it \
				 (run `smartnodes-worker register` or pass --register)"
			);
			Ok(())
		},
	}
}

/// A running daemon.
pub struct Daemon {
	worker: Arc<Worker>,
	addr: SocketAddr,
	stop: watch::Sender<bool>,
	server: JoinHandle<Result<()>>,
	gc: JoinHandle<()>,
}

impl Daemon {
	/// Starts with the node named in `config`: the genesis hash comes from it, and the
	/// account's registration is checked (and made first, with `register`).
	pub async fn start(config: Config, register: bool) -> Result<Self> {
		let node = config.node.clone();
		let (chain, genesis) = blocking(move || {
			let chain = RpcChain::new(&node);
			let started = std::time::Instant::now();
			// A worker started with its node (a script, a service manager) waits for it.
			let genesis = loop {
				match chain.genesis() {
					Ok(genesis) => break genesis,
					Err(e) if e.is_retryable() && started.elapsed() < NODE_WAIT => {
						tracing::info!(target: "worker::chain", "waiting for the node: {e}");
						std::thread::sleep(Duration::from_secs(1));
					},
					Err(e) => return Err(e),
				}
			};
			Ok((chain, genesis))
		})
		.await?;
		let chain = Arc::new(chain);
		let (checked, conf) = (chain.clone(), config.clone());
		// Serve before registering: the validator may challenge a worker in the very block
		// that registers it.
		let daemon = Self::start_with(config, chain, genesis).await?;
		if let Err(e) = blocking(move || check_registration(&conf, &checked, register)).await {
			let _ = daemon.stop().await;
			return Err(e);
		}
		Ok(daemon)
	}

	/// Starts reading `chain` and signing for the chain with `genesis`.
	pub async fn start_with(config: Config, chain: Arc<dyn Chain>, genesis: H256) -> Result<Self> {
		let signer = account(&config)?;
		let data_dir = config.data_dir.clone();
		let identity = blocking(move || identity::load_or_create(&data_dir)).await?;
		let metrics = Metrics::new()?;
		let store = Arc::new(Store::open(&config.data_dir)?);
		let fetcher = Arc::new(Fetcher::new(
			&config.data_dir,
			config.max_fetch_bytes,
			config.allow_file_uris,
			metrics.clone(),
		)?);
		let runner =
			Arc::new(Runner::new(config.max_output_bytes, identity, genesis, config.fault)?);
		let listener = tokio::net::TcpListener::bind(config.listen)
			.await
			.map_err(|e| Error::Server(format!("cannot listen on {}: {e}", config.listen)))?;
		let addr = listener.local_addr().map_err(|e| Error::Server(e.to_string()))?;
		let worker = Arc::new(Worker {
			account: signer.public().into(),
			identity: identity.public().0,
			genesis,
			measured: crate::config::measured_capacity(),
			chain,
			store,
			fetcher,
			runner,
			metrics,
			signer: identity,
			jobs: Mutex::new(BTreeMap::new()),
			persist: tokio::sync::Mutex::new(()),
			permits: Arc::new(Semaphore::new(config.concurrency)),
			stopping: AtomicBool::new(false),
			gc_cursor: Mutex::new(0),
			config,
		});
		worker.restore().await?;
		if worker.config.fault.is_some() {
			tracing::warn!(target: "worker::run", fault = ?worker.config.fault, "FAULT INJECTED");
		}
		tracing::info!(
			target: "worker::server",
			%addr,
			account = %worker.account,
			identity = ?H256(worker.identity),
			"worker listening"
		);
		let (stop, stopped) = watch::channel(false);
		let server = tokio::spawn(server::serve(listener, worker.clone(), stopped.clone()));
		let gc = tokio::spawn(gc_loop(worker.clone(), stopped));
		Ok(Self { worker, addr, stop, server, gc })
	}

	/// The address the API listens on.
	pub fn local_addr(&self) -> SocketAddr {
		self.addr
	}

	pub fn worker(&self) -> &Arc<Worker> {
		&self.worker
	}

	/// Stops accepting requests, gives running jobs the configured grace to finish (those
	/// that do not run again on the next start) and returns once the server closed.
	pub async fn stop(self) -> Result<()> {
		let Self { worker, stop, server, gc, .. } = self;
		worker.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
		let _ = stop.send(true);
		let grace = worker.config.shutdown_grace;
		let all = u32::try_from(worker.config.concurrency).unwrap_or(u32::MAX);
		if tokio::time::timeout(grace, worker.permits.acquire_many(all)).await.is_err() {
			tracing::warn!(
				target: "worker::run",
				"jobs still running after {grace:?}; they run again on the next start"
			);
		}
		gc.abort();
		match tokio::time::timeout(grace, server).await {
			Ok(Ok(result)) => result?,
			Ok(Err(e)) => return Err(Error::Server(e.to_string())),
			Err(_) => tracing::warn!(target: "worker::server", "requests still open at exit"),
		}
		tracing::info!(target: "worker::server", "stopped");
		Ok(())
	}

	/// Runs until SIGINT or SIGTERM, then stops gracefully.
	pub async fn run_until_signal(self) -> Result<()> {
		let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
			.map_err(|e| Error::Server(format!("cannot handle SIGTERM: {e}")))?;
		tokio::select! {
			_ = tokio::signal::ctrl_c() => {},
			_ = term.recv() => {},
		}
		tracing::info!(target: "worker::server", "stopping");
		self.stop().await
	}
}

async fn gc_loop(worker: Arc<Worker>, mut stopped: watch::Receiver<bool>) {
	loop {
		tokio::select! {
			_ = tokio::time::sleep(GC_EVERY) => {},
			_ = stopped.changed() => return,
		}
		let removed = worker.gc_pass(GC_BATCH).await;
		if removed > 0 {
			tracing::info!(target: "worker::store", removed, "garbage collected jobs");
		}
	}
}
