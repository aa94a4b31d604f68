//! The off-chain worker: set updates signed by the node's key; Base read over scripted JSON-RPC
//! and its events attested.

use super::*;
use crate::{eth, offchain::BASE_RPC_KEY};
use codec::Decode;
use frame_support::traits::{Hooks, UnfilteredDispatchable};
use smartnodes_primitives::{bridge_key::KEY_TYPE, inbound::word_of};
use sp_core::offchain::{
	testing::{OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
};
use sp_core::Pair;
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use std::sync::Arc;

type State = Arc<parking_lot::RwLock<OffchainState>>;
type Pool = Arc<parking_lot::RwLock<PoolState>>;

const URL: &str = "http://base.test";

/// This node holds the bridge key of validator `v`.
fn ext_for(v: AccountId) -> (sp_io::TestExternalities, State, Pool) {
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	let mut seed = [9u8; 32];
	seed[..8].copy_from_slice(&v.to_le_bytes());
	let suri = format!("0x{}", seed.iter().map(|b| format!("{b:02x}")).collect::<String>());
	keystore.insert(KEY_TYPE, &suri, &bridge(v).public().0).unwrap();
	let mut ext = new_test_ext();
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	(ext, state, pool_state)
}

/// Dispatches what the off-chain worker put in the pool, checked by `authorize` first.
fn include_pool(pool: &Pool) -> usize {
	let txs: Vec<Vec<u8>> = pool.write().transactions.drain(..).collect();
	for tx in &txs {
		let xt = Extrinsic::decode(&mut &tx[..]).unwrap();
		let RuntimeCall::Bridge(call) = xt.function else { panic!("not ours") };
		assert!(matches!(call.authorize(TransactionSource::Local), Some(Ok(_))));
		assert_ok!(call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()));
	}
	txs.len()
}

fn expect(state: &State, method: &str, params: &str, result: &str) {
	state.write().expect_request(PendingRequest {
		method: "POST".into(),
		uri: URL.into(),
		body: eth::request(method, params),
		headers: vec![("Content-Type".into(), "application/json".into())],
		response: Some(format!(r#"{{"jsonrpc":"2.0","id":1,"result":{result}}}"#).into_bytes()),
		sent: true,
		..Default::default()
	});
}

fn deposit_log(nonce: u64, to: AccountId, amount: u64, block: u64) -> String {
	let mut account = [0u8; 32];
	account[..8].copy_from_slice(&to.to_le_bytes());
	format!(
		r#"{{"address":"{}","topics":["{}","{}","{}","{}"],"data":"{}","blockNumber":"0x{block:x}","removed":false}}"#,
		eth::hex0x(Target::get().1.as_bytes()),
		eth::hex0x(&Source::Deposits.topic()),
		eth::hex0x(&word_of(nonce)),
		eth::hex0x(&[0u8; 32]),
		eth::hex0x(&account),
		eth::hex0x(&word_of(amount)),
	)
}

#[test]
fn the_node_signs_the_set_updates_its_key_belongs_to() {
	let (mut ext, _state, pool) = ext_for(2);
	ext.execute_with(|| {
		queue_set_one();
		Bridge::offchain_worker(1);
		assert_eq!(include_pool(&pool), 1);
		let update = SetUpdates::<Test>::get(1).unwrap();
		assert_eq!(update.signatures.iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![address(2)]);
		// Not again while it lands, nor once it has.
		Bridge::offchain_worker(2);
		Bridge::offchain_worker(20);
		assert_eq!(include_pool(&pool), 0);
	});
}

#[test]
fn a_node_outside_the_signing_set_does_not_sign() {
	let (mut ext, _state, pool) = ext_for(6);
	ext.execute_with(|| {
		queue_set_one();
		Bridge::offchain_worker(1);
		assert_eq!(include_pool(&pool), 0);
	});
}

#[test]
fn the_node_attests_confirmed_deposits_from_base() {
	let (mut ext, state, pool) = ext_for(1);
	ext.execute_with(|| {
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			BASE_RPC_KEY,
			&crate::offchain::encode_base_rpc_url(URL),
		);
		// Head 0x20 with 2 confirmations: logs up to block 0x1e.
		expect(&state, "eth_chainId", "[]", &format!("\"0x{CHAIN_ID:x}\""));
		expect(&state, "eth_blockNumber", "[]", "\"0x20\"");
		let deposits = eth::logs_params(&Target::get().1, Source::Deposits, &[1, 2, 3, 4], 0, 0x1e);
		expect(&state, "eth_getLogs", &deposits, &format!("[{}]", deposit_log(1, 7, 500, 0x11)));
		let decisions = eth::logs_params(&dao(), Source::Decisions, &[1, 2, 3, 4], 0, 0x1e);
		expect(&state, "eth_getLogs", &decisions, "[]");
		Bridge::offchain_worker(2);
		assert_eq!(include_pool(&pool), 1);
		let candidates = Attestations::<Test>::get(Source::Deposits, 1);
		assert_eq!(candidates.len(), 1);
		assert_eq!(candidates[0].voters.to_vec(), vec![1]);
		let BaseEvent::Deposit(d) = candidates[0].event else { panic!("not a deposit") };
		assert_eq!((d.amount, d.base_block), (U256::from(500), 0x11));
	});
}

#[test]
fn a_base_endpoint_of_another_chain_is_not_read() {
	let (mut ext, state, pool) = ext_for(1);
	ext.execute_with(|| {
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			BASE_RPC_KEY,
			&crate::offchain::encode_base_rpc_url(URL),
		);
		expect(&state, "eth_chainId", "[]", "\"0x1\"");
		Bridge::offchain_worker(2);
		assert_eq!(include_pool(&pool), 0);
	});
}
