use crate::{impls::proposers_for, mock::*, pallet::*, Error, Event, Participation};
use frame_support::{assert_noop, assert_ok, pallet_prelude::Authorize};
use frame_system::RawOrigin;
use smartnodes_primitives::{
	bridge_key::EthAddress,
	ledger::RewardsLedger,
	rewards::{recover_signer, RewardTree},
	Balance,
};
use sp_core::H256;
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionSource},
	DispatchError,
};

fn authorized() -> RuntimeOrigin {
	RawOrigin::Authorized.into()
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Coordinator(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The honest table of `period`: (root, total, leaf count).
fn honest(period: u64) -> (H256, Balance, u32) {
	let mut entries = pallet_rewards::Pallet::<Test>::reward_table(period).unwrap();
	let total = entries.iter().map(|e| e.1).sum();
	let tree = RewardTree::from_entries(&mut entries);
	(tree.root(), total, tree.len() as u32)
}

fn round() -> RoundOf<Test> {
	CurrentRound::<Test>::get().expect("a round is open")
}

/// Closes period 1 and returns its drawn proposers.
fn open_first_round() -> Vec<AccountId> {
	run_to(INTERVAL);
	round().proposers.into_inner()
}

fn propose_as(
	who: AccountId,
	period: u64,
	root: H256,
	total: Balance,
	leaves: u32,
) -> Result<(), DispatchError> {
	let commitment = Coordinator::commitment(period, root, total, 0);
	Coordinator::propose(authorized(), period, root, total, leaves, sign(who, &commitment))
		.map(|_| ())
		.map_err(|e| e.error)
}

fn vote_as(who: AccountId, period: u64, index: u32) -> Result<(), DispatchError> {
	let p = Proposals::<Test>::get(period, index).unwrap();
	let commitment = Coordinator::commitment(period, p.root, p.total, p.set_id);
	Coordinator::vote(authorized(), period, index, sign(who, &commitment))
		.map(|_| ())
		.map_err(|e| e.error)
}

fn non_proposer(proposers: &[AccountId]) -> AccountId {
	(1..=4).find(|v| !proposers.contains(v)).unwrap()
}

#[test]
fn proposer_round_sizes() {
	let expected = |n: u32| match n {
		1 => 1,
		2..=4 => 2,
		5..=9 => 3,
		_ => 5,
	};
	for n in 1..=100 {
		assert_eq!(proposers_for(n), expected(n), "set of {n}");
	}
}

#[test]
fn a_period_closes_every_interval_and_draws_proposers() {
	build_and_execute(|| {
		run_to(INTERVAL - 1);
		assert!(CurrentRound::<Test>::get().is_none());
		let proposers = open_first_round();
		assert_eq!(proposers.len(), 2);
		assert_ne!(proposers[0], proposers[1]);
		let r = round();
		assert_eq!(
			(r.period, r.opened_at, r.open_to_all_at),
			(1, INTERVAL, INTERVAL + INTERVAL / 4)
		);
		assert_eq!(events(), vec![Event::RoundOpened { period: 1, proposers }]);
		assert_eq!(NextPeriodEnd::<Test>::get(), 2 * INTERVAL);
	});
}

#[test]
fn recently_active_validators_are_drawn_first() {
	build_and_execute(|| {
		set_validators(0, 12);
		for v in [3, 7, 11] {
			Participations::<Test>::insert(
				v,
				Participation { last_active: 1, ..Default::default() },
			);
		}
		Participations::<Test>::insert(5, Participation { last_active: 1, ..Default::default() });
		let (_, members) = <MockSet as smartnodes_primitives::ledger::SigningSet<_>>::signing_set();
		let drawn = Coordinator::draw_proposers(4, &members);
		assert_eq!(drawn.len(), 5);
		let mut first: Vec<_> = drawn[..4].to_vec();
		first.sort();
		assert_eq!(first, vec![3, 5, 7, 11]);
		// Active four rounds ago no longer counts.
		assert!(!Coordinator::draw_proposers(5, &members)[..4]
			.iter()
			.all(|v| [3, 5, 7, 11].contains(v)));
	});
}

#[test]
fn propose_records_the_proposal_as_its_proposers_vote() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		let p = Proposals::<Test>::get(1, 0).unwrap();
		assert_eq!(
			(p.proposer, p.root, p.total, p.leaf_count, p.votes.len()),
			(proposers[0], root, total, leaves, 1)
		);
		assert_eq!(Voted::<Test>::get(1, proposers[0]), Some((0, 0)));
		assert_eq!(Proposed::<Test>::get(1, proposers[0]), Some(0));
		assert_eq!(
			events().last(),
			Some(&Event::Proposed { period: 1, index: 0, proposer: proposers[0], root, total })
		);
	});
}

#[test]
fn two_thirds_of_the_set_pass_a_table_with_signatures_base_accepts() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		let others: Vec<_> = (1..=4).filter(|v| *v != proposers[0]).collect();
		assert_ok!(vote_as(others[0], 1, 0));
		assert!(Passed::<Test>::get(1).is_none(), "2 of 4 is not enough");
		assert_eq!(
			events().last(),
			Some(&Event::Voted { period: 1, index: 0, voter: others[0], votes: 2 })
		);
		assert_ok!(vote_as(others[1], 1, 0));
		assert_eq!(
			events().last(),
			Some(&Event::RewardRootFinalized {
				period: 1,
				root,
				total,
				validator_set_id: 0,
				signatures: 3
			})
		);
		let passed = Passed::<Test>::get(1).unwrap();
		assert_eq!(passed.commitment.chain_id, CHAIN_ID);
		assert_eq!(passed.commitment.distributor, distributor());
		let digest = passed.commitment.digest();
		let mut signers: Vec<EthAddress> =
			passed.signatures.iter().map(|s| recover_signer(&digest, s).unwrap()).collect();
		assert_eq!(signers, passed.signers.to_vec());
		signers.sort();
		let mut expected = vec![address(proposers[0]), address(others[0]), address(others[1])];
		expected.sort();
		assert_eq!(signers, expected);
		assert!(passed.signatures.iter().all(|s| s[64] == 27 || s[64] == 28));
		assert_eq!(LastPassed::<Test>::get(), Some(1));
		// Reputation: the proposer proposed, two voted, one missed.
		assert_eq!(Participations::<Test>::get(proposers[0]).proposed, 1);
		assert_eq!(Participations::<Test>::get(others[1]).voted, 1);
		assert_eq!(Participations::<Test>::get(others[2]).missed, 1);
		// The voters' pool is paid in the next table.
		assert_eq!(
			pallet_rewards::Periods::<Test>::get(1).unwrap().pool,
			pallet_rewards::PoolState::Paid
		);
	});
}

#[test]
fn voters_are_paid_at_their_reward_addresses() {
	build_and_execute(|| {
		let cold = EthAddress::repeat_byte(0xc0);
		let proposers = open_first_round();
		set_reward_address(proposers[0], cold);
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		let mut others = (1..=4).filter(|v| *v != proposers[0]);
		let voter = others.next().unwrap();
		assert_ok!(vote_as(voter, 1, 0));
		assert_ok!(vote_as(others.next().unwrap(), 1, 0));
		run_to(2 * INTERVAL);
		let table = pallet_rewards::Pallet::<Test>::reward_table(2).unwrap();
		let paid = |a: EthAddress| table.iter().any(|(x, _)| *x == a);
		assert!(paid(cold), "the proposer's reward address is paid");
		assert!(!paid(address(proposers[0])), "not its bridge key");
		assert!(paid(address(voter)), "a voter without one is paid at its bridge key");
	});
}

#[test]
fn a_late_call_changes_nothing() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		let others: Vec<_> = (1..=4).filter(|v| *v != proposers[0]).collect();
		assert_ok!(vote_as(others[0], 1, 0));
		assert_ok!(vote_as(others[1], 1, 0));
		let passed = Passed::<Test>::get(1);
		assert_noop!(vote_as(others[2], 1, 0), Error::<Test>::AlreadyPassed);
		assert_noop!(
			propose_as(proposers[1], 1, root, total, leaves),
			Error::<Test>::AlreadyPassed
		);
		assert_eq!(Passed::<Test>::get(1), passed);
	});
}

#[test]
fn a_dishonest_table_never_passes() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		// A proposer signs a table of its own making (same total, another root).
		let forged = H256::repeat_byte(0x66);
		assert_ok!(propose_as(proposers[0], 1, forged, total, leaves));
		// The honest validators vote only for the table they computed themselves.
		assert_ok!(propose_as(proposers[1], 1, root, total, leaves));
		let honest_voters: Vec<_> = (1..=4).filter(|v| !proposers.contains(v)).collect();
		assert_ok!(vote_as(honest_voters[0], 1, 1));
		assert_ok!(vote_as(honest_voters[1], 1, 1));
		let passed = Passed::<Test>::get(1).unwrap();
		assert_eq!(passed.commitment.root, root);
		assert_eq!(Proposals::<Test>::get(1, 0).unwrap().votes.len(), 1);
		// Its own signature over the honest table would be a second vote.
		assert_noop!(vote_as(proposers[0], 1, 1), Error::<Test>::AlreadyPassed);
	});
}

#[test]
fn anyone_may_propose_after_one_and_a_quarter_intervals() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		let other = non_proposer(&proposers);
		run_to(INTERVAL + INTERVAL / 4 - 1);
		assert_noop!(propose_as(other, 1, root, total, leaves), Error::<Test>::NotProposer);
		run_to(INTERVAL + INTERVAL / 4);
		assert_ok!(propose_as(other, 1, root, total, leaves));
	});
}

#[test]
fn an_unpassed_round_is_superseded_by_the_next_period() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		run_to(2 * INTERVAL);
		assert!(events().contains(&Event::RoundSuperseded { period: 1 }));
		assert_eq!(round().period, 2);
		assert_eq!(
			pallet_rewards::Periods::<Test>::get(1).unwrap().pool,
			pallet_rewards::PoolState::Forfeited
		);
		assert_noop!(vote_as(2, 1, 0), Error::<Test>::WrongPeriod);
		// The table of period 2 owes everything of period 1 too.
		let (_, total2, _) = honest(2);
		assert!(total2 > total);
	});
}

#[test]
fn propose_fails_without_an_open_round() {
	build_and_execute(|| {
		assert_noop!(propose_as(1, 1, H256::repeat_byte(1), 1, 1), Error::<Test>::NoOpenRound);
	});
}

#[test]
fn propose_fails_for_another_period() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_noop!(propose_as(proposers[0], 2, root, total, leaves), Error::<Test>::WrongPeriod);
	});
}

#[test]
fn propose_fails_with_a_malformed_signature() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		let mut sig = sign(proposers[0], &Coordinator::commitment(1, root, total, 0));
		sig[64] = 31;
		assert_noop!(
			Coordinator::propose(authorized(), 1, root, total, leaves, sig).map_err(|e| e.error),
			Error::<Test>::BadSignature
		);
		// High s (the malleable twin of a valid signature) is refused as on Base.
		let mut high = sign(proposers[0], &Coordinator::commitment(1, root, total, 0));
		high[32..64].copy_from_slice(&[0xff; 32]);
		assert_noop!(
			Coordinator::propose(authorized(), 1, root, total, leaves, high).map_err(|e| e.error),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn propose_fails_from_outside_the_set() {
	build_and_execute(|| {
		open_first_round();
		let (root, total, leaves) = honest(1);
		assert_noop!(propose_as(9, 1, root, total, leaves), Error::<Test>::NotInSet);
	});
}

#[test]
fn propose_fails_for_a_non_proposer_early() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_noop!(
			propose_as(non_proposer(&proposers), 1, root, total, leaves),
			Error::<Test>::NotProposer
		);
	});
}

#[test]
fn propose_fails_twice() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		assert_noop!(
			propose_as(proposers[0], 1, H256::repeat_byte(9), total, leaves),
			Error::<Test>::AlreadyProposed
		);
	});
}

#[test]
fn propose_fails_after_voting() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		assert_ok!(vote_as(proposers[1], 1, 0));
		assert_noop!(
			propose_as(proposers[1], 1, H256::repeat_byte(9), total, leaves),
			Error::<Test>::AlreadyVoted
		);
	});
}

#[test]
fn propose_fails_for_a_duplicate() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		assert_noop!(
			propose_as(proposers[1], 1, root, total, leaves),
			Error::<Test>::DuplicateProposal
		);
	});
}

#[test]
fn propose_fails_when_the_round_is_full() {
	build_and_execute(|| {
		MaxValidators::set(1);
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, H256::repeat_byte(9), total, leaves));
		assert_noop!(
			propose_as(proposers[1], 1, root, total, leaves),
			Error::<Test>::TooManyProposals
		);
		MaxValidators::set(100);
	});
}

#[test]
fn propose_fails_for_an_empty_table() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (_, total, leaves) = honest(1);
		assert_noop!(
			propose_as(proposers[0], 1, H256::zero(), total, leaves),
			Error::<Test>::EmptyTable
		);
		assert_noop!(
			propose_as(proposers[0], 1, H256::repeat_byte(1), total, 0),
			Error::<Test>::EmptyTable
		);
	});
}

#[test]
fn propose_fails_with_a_total_the_record_does_not_owe() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_noop!(
			propose_as(proposers[0], 1, root, total + 1, leaves),
			Error::<Test>::TotalOutOfBounds
		);
	});
}

#[test]
fn vote_fails_twice_or_replayed() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		let voter = non_proposer(&proposers);
		let p = Proposals::<Test>::get(1, 0).unwrap();
		let sig = sign(voter, &Coordinator::commitment(1, p.root, p.total, 0));
		assert_ok!(Coordinator::vote(authorized(), 1, 0, sig));
		// The same signature again, and the proposer voting on its own proposal.
		assert_noop!(
			Coordinator::vote(authorized(), 1, 0, sig).map_err(|e| e.error),
			Error::<Test>::AlreadyVoted
		);
		assert_noop!(vote_as(proposers[0], 1, 0), Error::<Test>::AlreadyVoted);
	});
}

#[test]
fn vote_fails_with_a_signature_over_another_commitment() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		let voter = non_proposer(&proposers);
		// Signed for another distributor: recovers to an address outside the set.
		let mut other = Coordinator::commitment(1, root, total, 0);
		other.distributor = EthAddress::repeat_byte(0x99);
		assert_noop!(
			Coordinator::vote(authorized(), 1, 0, sign(voter, &other)).map_err(|e| e.error),
			Error::<Test>::NotInSet
		);
	});
}

#[test]
fn vote_fails_for_an_unknown_proposal() {
	build_and_execute(|| {
		open_first_round();
		let sig = sign(1, &Coordinator::commitment(1, H256::repeat_byte(1), 1, 0));
		assert_noop!(
			Coordinator::vote(authorized(), 1, 0, sig).map_err(|e| e.error),
			Error::<Test>::UnknownProposal
		);
	});
}

#[test]
fn vote_fails_on_a_proposal_of_an_old_set() {
	build_and_execute(|| {
		let proposers = open_first_round();
		let (root, total, leaves) = honest(1);
		assert_ok!(propose_as(proposers[0], 1, root, total, leaves));
		set_validators(1, 4);
		let sig = sign(2, &Coordinator::commitment(1, root, total, 1));
		assert_noop!(
			Coordinator::vote(authorized(), 1, 0, sig).map_err(|e| e.error),
			Error::<Test>::StaleProposal
		);
		// Under the new set, the proposer may propose again.
		let commitment = Coordinator::commitment(1, root, total, 1);
		assert_ok!(Coordinator::propose(
			authorized(),
			1,
			root,
			total,
			leaves,
			sign(proposers[0], &commitment)
		));
	});
}

#[test]
fn vote_fails_without_an_open_round() {
	build_and_execute(|| {
		let sig = sign(1, &Coordinator::commitment(1, H256::repeat_byte(1), 1, 0));
		assert_noop!(
			Coordinator::vote(authorized(), 1, 0, sig).map_err(|e| e.error),
			Error::<Test>::NoOpenRound
		);
	});
}

#[test]
fn calls_need_the_authorized_origin() {
	build_and_execute(|| {
		open_first_round();
		let sig = [0u8; 65];
		assert_noop!(
			Coordinator::vote(RuntimeOrigin::signed(1), 1, 0, sig).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Coordinator::propose(RuntimeOrigin::none(), 1, H256::zero(), 0, 0, sig)
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_pool_refuses_bad_votes_with_the_pallet_error() {
	build_and_execute(|| {
		open_first_round();
		let call = crate::Call::<Test>::vote { period: 1, index: 0, signature: [0u8; 65] };
		let code = Error::<Test>::UnknownProposal.encode_index();
		assert_eq!(
			call.authorize(TransactionSource::External),
			Some(Err(InvalidTransaction::Custom(code).into()))
		);
		let proposers = round().proposers;
		let (root, total, leaves) = honest(1);
		let signature = sign(proposers[0], &Coordinator::commitment(1, root, total, 0));
		let call =
			crate::Call::<Test>::propose { period: 1, root, total, leaf_count: leaves, signature };
		assert!(matches!(call.authorize(TransactionSource::External), Some(Ok(_))));
	});
}

#[test]
fn set_state_update_interval_works() {
	build_and_execute(|| {
		assert_ok!(Coordinator::set_state_update_interval(RuntimeOrigin::root(), 50));
		assert_eq!(StateUpdateInterval::<Test>::get(), 50);
		assert_eq!(events(), vec![Event::StateUpdateIntervalSet { blocks: 50 }]);
		// The accruing period keeps its end; the next one is 50 blocks.
		run_to(INTERVAL);
		assert_eq!(NextPeriodEnd::<Test>::get(), INTERVAL + 50);
	});
}

#[test]
fn set_state_update_interval_refuses_zero() {
	build_and_execute(|| {
		assert_noop!(
			Coordinator::set_state_update_interval(RuntimeOrigin::root(), 0),
			Error::<Test>::ZeroInterval
		);
		assert_noop!(
			Coordinator::set_state_update_interval(RuntimeOrigin::signed(1), 5),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_base_target_works() {
	build_and_execute(|| {
		let d = EthAddress::repeat_byte(3);
		assert_ok!(Coordinator::set_base_target(RuntimeOrigin::root(), 8453, d));
		assert_eq!(BaseTarget::<Test>::get(), (8453, d));
		assert_eq!(events(), vec![Event::BaseTargetSet { chain_id: 8453, distributor: d }]);
		assert_noop!(
			Coordinator::set_base_target(RuntimeOrigin::signed(1), 1, d),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn periods_pass_one_after_another_with_growing_totals() {
	build_and_execute(|| {
		for period in 1..=3u64 {
			run_to(period * INTERVAL);
			let proposers = round().proposers;
			let (root, total, leaves) = honest(period);
			assert_ok!(propose_as(proposers[0], period, root, total, leaves));
			let mut voters = (1..=4).filter(|v| *v != proposers[0]);
			assert_ok!(vote_as(voters.next().unwrap(), period, 0));
			assert_ok!(vote_as(voters.next().unwrap(), period, 0));
			assert_eq!(LastPassed::<Test>::get(), Some(period));
		}
		let totals: Vec<_> =
			(1..=3).map(|p| Passed::<Test>::get(p).unwrap().commitment.total).collect();
		assert!(totals[0] < totals[1] && totals[1] < totals[2]);
	});
}

mod offchain_worker {
	use super::*;
	use codec::Decode;
	use frame_support::traits::{Hooks, UnfilteredDispatchable};
	use smartnodes_primitives::bridge_key::KEY_TYPE;
	use sp_core::{
		offchain::{
			testing::{PoolState, TestOffchainExt, TestTransactionPoolExt},
			OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
		},
		Pair,
	};
	use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
	use std::sync::Arc;

	/// A test externality with an off-chain worker, a pool and a keystore holding the bridge
	/// keys of `validators`.
	fn ext_with_keys(
		validators: &[AccountId],
	) -> (sp_io::TestExternalities, Arc<parking_lot::RwLock<PoolState>>) {
		let (offchain, _) = TestOffchainExt::new();
		let (pool, pool_state) = TestTransactionPoolExt::new();
		let keystore = MemoryKeystore::new();
		for v in validators {
			let seed: String = crate::mock::seed(*v).iter().map(|b| format!("{b:02x}")).collect();
			keystore.insert(KEY_TYPE, &format!("0x{seed}"), &key(*v).public().0).unwrap();
		}
		let mut ext = new_test_ext();
		ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
		ext.register_extension(OffchainDbExt::new(offchain));
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.register_extension(KeystoreExt::new(keystore));
		(ext, pool_state)
	}

	/// Dispatches what the off-chain worker put in the pool, as a block would after the pool
	/// checked it; returns the calls' outcomes.
	fn include_pool(pool: &Arc<parking_lot::RwLock<PoolState>>) -> Vec<Result<(), DispatchError>> {
		let txs: Vec<Vec<u8>> = pool.write().transactions.drain(..).collect();
		txs.into_iter()
			.map(|tx| {
				let xt = Extrinsic::decode(&mut &tx[..]).unwrap();
				let RuntimeCall::Coordinator(call) = xt.function else { panic!("not ours") };
				use frame_support::pallet_prelude::Authorize;
				match call.authorize(TransactionSource::Local) {
					Some(Ok(_)) => {
						call.dispatch_bypass_filter(authorized()).map(|_| ()).map_err(|e| e.error)
					},
					Some(Err(_)) => Err(DispatchError::Other("refused by the pool")),
					None => panic!("not an authorized call"),
				}
			})
			.collect()
	}

	#[test]
	fn validators_propose_and_vote_the_table_they_compute() {
		let (mut ext, pool) = ext_with_keys(&[1, 2, 3, 4]);
		ext.execute_with(|| {
			let proposers = open_first_round();
			Coordinator::offchain_worker(INTERVAL);
			let outcomes = include_pool(&pool);
			// Both drawn proposers proposed the same table; the second is a duplicate.
			assert_eq!(outcomes.len(), 2);
			assert!(outcomes[0].is_ok());
			let first = Proposals::<Test>::get(1, 0).unwrap();
			assert!(proposers.contains(&first.proposer));
			let (root, total, leaves) = honest(1);
			assert_eq!((first.root, first.total, first.leaf_count), (root, total, leaves));
			// Next block: the others vote for it and it passes.
			System::set_block_number(INTERVAL + 1);
			Coordinator::offchain_worker(INTERVAL + 1);
			let outcomes = include_pool(&pool);
			assert!(outcomes.iter().filter(|o| o.is_ok()).count() >= 2);
			assert_eq!(Passed::<Test>::get(1).unwrap().commitment.root, root);
			// The table is kept for the RPC.
			let stored = sp_io::offchain::local_storage_get(
				sp_core::offchain::StorageKind::PERSISTENT,
				&crate::offchain::table_key(1),
			)
			.unwrap();
			let table = crate::offchain::StoredTable::decode(&mut &stored[..]).unwrap();
			assert_eq!(
				(table.root, table.total, table.entries.len() as u32),
				(root, total, leaves)
			);
			// Nothing more to do once passed.
			Coordinator::offchain_worker(INTERVAL + 2);
			assert!(pool.read().transactions.is_empty());
		});
	}

	#[test]
	fn honest_validators_do_not_vote_for_a_forged_table() {
		let (mut ext, pool) = ext_with_keys(&[1, 2, 3, 4]);
		ext.execute_with(|| {
			let proposers = open_first_round();
			let (_, total, leaves) = honest(1);
			assert_ok!(propose_as(proposers[0], 1, H256::repeat_byte(0x66), total, leaves));
			Coordinator::offchain_worker(INTERVAL);
			include_pool(&pool);
			// The forged proposal got no vote; the other drawn proposer proposed the real one.
			assert_eq!(Proposals::<Test>::get(1, 0).unwrap().votes.len(), 1);
			let honest_proposal = Proposals::<Test>::get(1, 1).unwrap();
			assert_eq!(honest_proposal.proposer, proposers[1]);
			System::set_block_number(INTERVAL + 1);
			Coordinator::offchain_worker(INTERVAL + 1);
			include_pool(&pool);
			assert_eq!(Proposals::<Test>::get(1, 0).unwrap().votes.len(), 1);
			assert_eq!(Passed::<Test>::get(1).unwrap().commitment.root, honest(1).0);
		});
	}

	#[test]
	fn a_node_without_a_set_key_does_nothing() {
		let (mut ext, pool) = ext_with_keys(&[9]);
		ext.execute_with(|| {
			open_first_round();
			Coordinator::offchain_worker(INTERVAL);
			assert!(pool.read().transactions.is_empty());
		});
	}
}

trait EncodeIndex {
	fn encode_index(&self) -> u8;
}
impl EncodeIndex for Error<Test> {
	fn encode_index(&self) -> u8 {
		codec::Encode::encode(self)[0]
	}
}
