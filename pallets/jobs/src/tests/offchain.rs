//! The off-chain worker's dispatch against a scripted worker endpoint: the order, the
//! commitment relayed into the pool, then the reveal. (The test HTTP stand-in answers every
//! request with status 200, so "still running" is an empty body here; the multi-process tests
//! cover real status codes.)

use super::*;
use frame_support::{
	pallet_prelude::Authorize,
	traits::{Hooks, UnfilteredDispatchable},
};
use smartnodes_primitives::{
	bridge_key::{eth_address, KEY_TYPE},
	dispatch::{CommitReply, Fetch, JobOrder, RevealReply, CONTENT_TYPE},
};
use sp_core::offchain::{
	testing::{PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::transaction_validity::TransactionSource;
use std::sync::Arc;

/// The mock registry attaches every worker to validator 1; this node holds its bridge key.
fn ext_with_validator_key() -> (
	sp_io::TestExternalities,
	Arc<parking_lot::RwLock<sp_core::offchain::testing::OffchainState>>,
	Arc<parking_lot::RwLock<PoolState>>,
) {
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	let key = keystore.ecdsa_generate_new(KEY_TYPE, Some("//Validator")).unwrap();
	let address = eth_address(&key.0).unwrap();
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(|| world(|w| w.validators = vec![(1, address)]));
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	(ext, state, pool_state)
}

fn expect(
	state: &Arc<parking_lot::RwLock<sp_core::offchain::testing::OffchainState>>,
	method: &str,
	uri: String,
	body: Vec<u8>,
	response: Vec<u8>,
) {
	let headers =
		if method == "POST" { vec![("Content-Type".into(), CONTENT_TYPE.into())] } else { vec![] };
	state.write().expect_request(PendingRequest {
		method: method.into(),
		uri,
		body,
		headers,
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

/// Dispatches what the off-chain worker put in the pool, checked by `authorize` first.
fn include_pool(pool: &Arc<parking_lot::RwLock<PoolState>>) -> usize {
	let txs: Vec<Vec<u8>> = pool.write().transactions.drain(..).collect();
	for tx in &txs {
		let xt = Extrinsic::decode(&mut &tx[..]).unwrap();
		let RuntimeCall::Jobs(call) = xt.function else { panic!("not ours") };
		assert!(matches!(call.authorize(TransactionSource::Local), Some(Ok(_))));
		assert_ok!(call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()));
	}
	txs.len()
}

#[test]
fn the_validator_orders_relays_the_commitment_then_the_reveal() {
	let (mut ext, state, pool) = ext_with_validator_key();
	ext.execute_with(|| {
		let (id, chosen) = running(1, 1_000);
		let worker = chosen[0];
		let job = Jobs::job(id).unwrap();
		let base = format!("http://worker-{worker}/v1/jobs");
		let order = JobOrder {
			job: id,
			worker: worker.encode(),
			network: NET,
			kind: JobKind::Wasm,
			code: Fetch { hash: job.spec.code.hash, uri: job.spec.code.uri.to_vec() },
			input: Fetch { hash: job.spec.input.hash, uri: job.spec.input.uri.to_vec() },
			limits: job.spec.limits,
			expires_at: job.replicas[0].expires_at as u32,
		};
		// First run: the order.
		expect(&state, "POST", base.clone(), order.encode(), vec![]);
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 0);

		// Next runs: nothing yet (an empty answer), then the signed commitment, relayed to the chain.
		run_to(System::block_number() + 1);
		expect(&state, "GET", format!("{base}/{id}/commit"), vec![], vec![]);
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 0);
		run_to(System::block_number() + 1);
		let c = commitment(worker, id, OUT, FUEL / 2);
		let reply = CommitReply { commitment: c, signature: sign(worker, id, c) };
		expect(&state, "GET", format!("{base}/{id}/commit"), vec![], reply.encode());
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 1);
		assert!(Jobs::job(id).unwrap().revealing);

		// The reveal: a wrong salt is not relayed, the right one completes the job.
		run_to(System::block_number() + 1);
		let bad = RevealReply { output_hash: OUT, fuel_used: FUEL / 2, salt: [0; 32] };
		expect(&state, "GET", format!("{base}/{id}/reveal"), vec![], bad.encode());
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 0);
		let good = RevealReply { output_hash: OUT, fuel_used: FUEL / 2, salt: salt(worker) };
		expect(&state, "GET", format!("{base}/{id}/reveal"), vec![], good.encode());
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 1);
		assert_eq!(
			Jobs::job(id).unwrap().status,
			JobStatus::Completed { output_hash: OUT, fuel_used: FUEL / 2 }
		);
		assert!(!Assignments::<Test>::contains_key(worker, id));

		// Nothing left to dispatch.
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 0);
	});
}

#[test]
fn a_node_without_a_validator_key_dispatches_nothing() {
	let (mut ext, _state, pool) = ext_with_validator_key();
	ext.execute_with(|| {
		world(|w| w.validators.clear());
		let _ = running(1, 1_000);
		// Any request would fail the test: none is expected.
		Jobs::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 0);
	});
}
