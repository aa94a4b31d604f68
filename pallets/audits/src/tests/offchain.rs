//! The off-chain worker: an audit handed to the node's service and reported once the service
//! wrote its outcome; a round of challenges sent to scripted workers and reported.

use super::*;
use codec::{Decode, Encode};
use frame_support::{
	pallet_prelude::Authorize,
	traits::{Hooks, UnfilteredDispatchable},
};
use smartnodes_primitives::{
	bridge_key::KEY_TYPE,
	dispatch::{challenge_answer, challenge_payload, Challenge, ChallengeReply, CONTENT_TYPE},
};
use sp_core::{
	offchain::{
		testing::{
			OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt,
		},
		OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
	},
	Pair,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::transaction_validity::TransactionSource;
use std::sync::Arc;

type State = Arc<parking_lot::RwLock<OffchainState>>;
type Pool = Arc<parking_lot::RwLock<PoolState>>;

/// This node holds the bridge key of validator `v`.
fn ext_for(v: AccountId) -> (sp_io::TestExternalities, State, Pool) {
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	let seed: String = seed(v).iter().map(|b| format!("{b:02x}")).collect();
	keystore.insert(KEY_TYPE, &format!("0x{seed}"), &bridge(v).public().0).unwrap();
	let mut ext = ExtBuilder::default().build();
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
		let RuntimeCall::Audits(call) = xt.function else { panic!("not ours") };
		assert!(matches!(call.authorize(TransactionSource::Local), Some(Ok(_))));
		assert_ok!(call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()));
	}
	txs.len()
}

fn local_get<V: Decode>(key: &[u8]) -> Option<V> {
	sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, key)
		.map(|bytes| V::decode(&mut &bytes[..]).unwrap())
}

#[test]
fn the_auditor_hands_the_job_to_its_node_and_reports_the_outcome() {
	let (mut ext, _state, pool) = ext_for(2);
	ext.execute_with(|| {
		audited(7, &[11]).unwrap();
		Audits::offchain_worker(System::block_number());
		let requests: Vec<crate::offchain::AuditRequest> =
			local_get(&crate::offchain::requests_key()).unwrap();
		assert_eq!(requests.len(), 1);
		assert_eq!(requests[0].job, 7);
		assert_eq!(requests[0].code.hash, H256::repeat_byte(1));
		assert_eq!(include_pool(&pool), 0);

		// The node's service ran it and disagrees.
		let outcome = AuditOutcome::Reproduced { output_hash: H256::repeat_byte(9), fuel_used: 1 };
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			&crate::offchain::result_key(7),
			&outcome.encode(),
		);
		Audits::offchain_worker(System::block_number());
		assert_eq!(include_pool(&pool), 1);
		assert!(matches!(events().last(), Some(Event::AuditFailed { job: 7, .. })));

		// The audit is closed: the request and the result are dropped.
		Audits::offchain_worker(System::block_number());
		let requests: Vec<crate::offchain::AuditRequest> =
			local_get(&crate::offchain::requests_key()).unwrap();
		assert!(requests.is_empty());
		assert!(local_get::<AuditOutcome>(&crate::offchain::result_key(7)).is_none());
	});
}

#[test]
fn another_validators_node_leaves_the_audit_alone() {
	let (mut ext, _state, pool) = ext_for(3);
	ext.execute_with(|| {
		audited(7, &[11]).unwrap();
		Audits::offchain_worker(System::block_number());
		let requests: Option<Vec<crate::offchain::AuditRequest>> =
			local_get(&crate::offchain::requests_key());
		assert!(requests.is_none_or(|r| r.is_empty()));
		assert_eq!(include_pool(&pool), 0);
	});
}

fn expect_challenge(state: &State, worker: AccountId, reply: Option<ChallengeReply>) {
	let seed = state.read().seed;
	let nonce = sp_io::hashing::blake2_256(&(seed, worker).encode());
	state.write().expect_request(PendingRequest {
		method: "POST".into(),
		uri: format!("http://worker-{worker}/v1/challenge"),
		body: Challenge { nonce, steps: STEPS }.encode(),
		headers: vec![("Content-Type".into(), CONTENT_TYPE.into())],
		response: Some(reply.map(|r| r.encode()).unwrap_or_default()),
		sent: true,
		..Default::default()
	});
}

fn honest_reply(state: &State, worker: AccountId) -> ChallengeReply {
	let seed = state.read().seed;
	let nonce = sp_io::hashing::blake2_256(&(seed, worker).encode());
	let key = identity(worker);
	let answer = challenge_answer(&Challenge { nonce, steps: STEPS }, &key.public().0);
	let capacity = capacity();
	let signature =
		key.sign(&challenge_payload(&System::block_hash(0), &nonce, &answer, &capacity)).0;
	ChallengeReply { answer, capacity, signature }
}

#[test]
fn a_round_of_challenges_is_sent_checked_and_reported() {
	let (mut ext, state, pool) = ext_for(1);
	ext.execute_with(|| {
		for w in [11, 12, 13, 14] {
			add_worker(w, 1);
		}
		add_worker(15, 2);
		run_to(PERIOD);
		// 11 answers well; 12 declares less capacity than registered; 13 signs with another
		// key; 14 sends nothing useful. 15 belongs to another validator.
		expect_challenge(&state, 11, Some(honest_reply(&state, 11)));
		let mut small = honest_reply(&state, 12);
		small.capacity.memory_mib = 1;
		expect_challenge(&state, 12, Some(small));
		let mut forged = honest_reply(&state, 13);
		forged.signature = honest_reply(&state, 11).signature;
		expect_challenge(&state, 13, Some(forged));
		expect_challenge(&state, 14, None);
		Audits::offchain_worker(PERIOD);
		assert_eq!(include_pool(&pool), 1);
		assert_eq!(
			events().last(),
			Some(&Event::ChallengesReported { validator: 1, round: 1, passed: 1, failed: 3 })
		);
		assert_eq!(world(|w| w.contributions.clone()), vec![(payout(11), CREDIT)]);
		// Nothing more this round.
		run_to(PERIOD + RESEND);
		Audits::offchain_worker(PERIOD + RESEND);
		assert_eq!(include_pool(&pool), 0);
	});
}

const RESEND: u64 = crate::offchain::RESEND_AFTER as u64;
