//! What to post next, given the chain's finalized status and what Base holds. A pure function, so
//! the whole policy is tested without nodes; the relayer reads both sides afresh before every
//! decision, which is what makes it safe to kill, restart and run several times at once.

use crate::{
	base::BaseState,
	status::{BridgeStatus, PassedRoot, SetUpdate},
};

/// One transaction to send to the distributor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Post {
	/// `updateValidatorSet` with the chain's update to the next set.
	SetUpdate(SetUpdate),
	/// `submitRoot` with the chain's newest passed root.
	Root(PassedRoot),
}

impl Post {
	/// `set` or `root`: the label of this kind of post in metrics and logs.
	pub fn kind(&self) -> &'static str {
		match self {
			Self::SetUpdate(_) => "set",
			Self::Root(_) => "root",
		}
	}
}

impl std::fmt::Display for Post {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::SetUpdate(u) => {
				write!(f, "validator set {} ({} members)", u.set_id, u.validators.len())
			},
			Self::Root(r) => {
				write!(f, "root of period {} ({}, set {})", r.period, r.root, r.validator_set_id)
			},
		}
	}
}

/// Why nothing is posted now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait {
	/// Base holds everything the chain has finalized.
	UpToDate { period: u64, set_id: u64 },
	/// The distributor is paused: nothing can be posted until the DAO unpauses.
	Paused,
	/// This relayer's own transaction is not mined yet; sending another could post twice.
	OwnTransactionPending { latest_nonce: u64, pending_nonce: u64 },
	/// A root is pending on Base inside its delay; a new one is refused until it activates.
	PendingRoot { period: u64, activates_at: u64 },
	/// The update to the next set has not collected enough signatures yet.
	SetUpdateIncomplete { set_id: u64, signatures: usize, threshold: u32 },
	/// The chain moved past Base's set but no longer retains the update Base needs next.
	SetUpdateMissing { set_id: u64, chain_set_id: u64 },
	/// The newest root was signed by a set Base has replaced; the chain's next root will do.
	RootFromReplacedSet { period: u64, set_id: u64, base_set_id: u64 },
	/// The newest root was signed by a set Base does not hold yet, and no update leads there.
	RootFromFutureSet { period: u64, set_id: u64, base_set_id: u64 },
}

impl Wait {
	/// Whether this wait means the bridge is stuck until someone acts (worth an error log).
	pub fn is_stuck(&self) -> bool {
		matches!(self, Self::SetUpdateMissing { .. } | Self::RootFromFutureSet { .. })
	}
}

impl std::fmt::Display for Wait {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::UpToDate { period, set_id } => {
				write!(f, "Base is up to date (period {period}, validator set {set_id})")
			},
			Self::Paused => write!(f, "the distributor is paused"),
			Self::OwnTransactionPending { latest_nonce, pending_nonce } => write!(
				f,
				"waiting for this relayer's own transaction(s) to be mined (nonce {latest_nonce}, \
				 pending {pending_nonce})"
			),
			Self::PendingRoot { period, activates_at } => {
				write!(f, "root of period {period} is pending until {activates_at}")
			},
			Self::SetUpdateIncomplete { set_id, signatures, threshold } => write!(
				f,
				"validator set {set_id} has {signatures} of {threshold} signatures on the chain"
			),
			Self::SetUpdateMissing { set_id, chain_set_id } => write!(
				f,
				"Base needs validator set {set_id} but the chain (at set {chain_set_id}) no longer \
				 retains its update"
			),
			Self::RootFromReplacedSet { period, set_id, base_set_id } => write!(
				f,
				"root of period {period} is signed by set {set_id}, replaced on Base by set \
				 {base_set_id}; waiting for the chain's next root"
			),
			Self::RootFromFutureSet { period, set_id, base_set_id } => write!(
				f,
				"root of period {period} is signed by set {set_id}, but Base holds set \
				 {base_set_id} and the chain offers no update to it"
			),
		}
	}
}

/// The next step: post one transaction, or wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
	Post(Post),
	Wait(Wait),
}

/// Decides the next post.
///
/// A new root signed by the set Base holds goes first: posting the next set before it would make
/// it unpostable, and its rewards would wait for the chain's next period. Otherwise the update to
/// set `base + 1` goes next, then (on later calls) the ones after it, then the root the newest
/// set signed.
pub fn decide(status: &BridgeStatus, base: &BaseState) -> Decision {
	if base.paused {
		return Decision::Wait(Wait::Paused);
	}
	let new_root = status.latest_passed.as_ref().filter(|root| root.period > base.last_period);
	if let Some(root) = new_root.filter(|root| root.validator_set_id == base.set_id) {
		if let Some(pending) = &base.pending {
			return Decision::Wait(Wait::PendingRoot {
				period: pending.period,
				activates_at: pending.activates_at,
			});
		}
		return post(base, Post::Root(root.clone()));
	}
	let next_set = base.set_id.checked_add(1);
	match status.set_updates.iter().find(|update| Some(update.set_id) == next_set) {
		Some(update) if update.complete => return post(base, Post::SetUpdate(update.clone())),
		Some(update) => {
			return Decision::Wait(Wait::SetUpdateIncomplete {
				set_id: update.set_id,
				signatures: update.signatures.len(),
				threshold: update.threshold,
			})
		},
		None if status.validator_set.set_id > base.set_id => {
			return Decision::Wait(Wait::SetUpdateMissing {
				set_id: next_set.unwrap_or(u64::MAX),
				chain_set_id: status.validator_set.set_id,
			})
		},
		None => {},
	}
	let wait = match new_root {
		Some(root) if root.validator_set_id < base.set_id => Wait::RootFromReplacedSet {
			period: root.period,
			set_id: root.validator_set_id,
			base_set_id: base.set_id,
		},
		Some(root) => Wait::RootFromFutureSet {
			period: root.period,
			set_id: root.validator_set_id,
			base_set_id: base.set_id,
		},
		None => Wait::UpToDate { period: base.last_period, set_id: base.set_id },
	};
	Decision::Wait(wait)
}

/// `post`, unless this relayer still has a transaction in flight: whatever it sent may be the
/// same post, and Base will show it once mined.
fn post(base: &BaseState, post: Post) -> Decision {
	match base.own_nonces {
		Some(nonces) if nonces.pending > nonces.latest => {
			Decision::Wait(Wait::OwnTransactionPending {
				latest_nonce: nonces.latest,
				pending_nonce: nonces.pending,
			})
		},
		_ => Decision::Post(post),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		base::{Nonces, PendingRoot},
		status::{BlockRef, ValidatorSet},
	};
	use alloy::primitives::{Address, Bytes, B256, U256};

	fn status(chain_set: u64, updates: Vec<SetUpdate>, root: Option<PassedRoot>) -> BridgeStatus {
		BridgeStatus {
			at: BlockRef { number: 100, hash: B256::repeat_byte(1) },
			chain_id: 84532,
			distributor: Address::repeat_byte(0xd1),
			validator_set: ValidatorSet { set_id: chain_set, validators: vec![] },
			set_updates: updates,
			latest_passed: root,
		}
	}

	fn update(set_id: u64, complete: bool) -> SetUpdate {
		SetUpdate {
			set_id,
			validators: vec![Address::repeat_byte(1)],
			signer_set_id: set_id.saturating_sub(1),
			signer_set: vec![Address::repeat_byte(2), Address::repeat_byte(3)],
			threshold: 2,
			signatures: vec![Bytes::from(vec![0; 65]); if complete { 2 } else { 1 }],
			signers: vec![],
			complete,
		}
	}

	fn root(period: u64, set_id: u64) -> PassedRoot {
		PassedRoot {
			period,
			root: B256::repeat_byte(7),
			total: U256::from(1000u64),
			validator_set_id: set_id,
			signatures: vec![Bytes::from(vec![0; 65])],
			signers: vec![],
			passed_at: 90,
		}
	}

	fn base(set_id: u64, last_period: u64) -> BaseState {
		BaseState {
			block: 10,
			set_id,
			last_period,
			pending: None,
			paused: false,
			own_nonces: Some(Nonces { latest: 3, pending: 3 }),
		}
	}

	#[test]
	fn posts_a_new_root_of_the_current_set() {
		let s = status(0, vec![], Some(root(5, 0)));
		assert_eq!(decide(&s, &base(0, 4)), Decision::Post(Post::Root(root(5, 0))));
	}

	#[test]
	fn up_to_date_when_base_has_the_period_or_a_later_one() {
		let s = status(0, vec![], Some(root(5, 0)));
		let up_to_date = |p| Decision::Wait(Wait::UpToDate { period: p, set_id: 0 });
		assert_eq!(decide(&s, &base(0, 5)), up_to_date(5));
		assert_eq!(decide(&s, &base(0, 6)), up_to_date(6));
		assert_eq!(decide(&status(0, vec![], None), &base(0, 0)), up_to_date(0));
	}

	#[test]
	fn nothing_while_paused() {
		let s = status(1, vec![update(1, true)], Some(root(5, 0)));
		let mut b = base(0, 0);
		b.paused = true;
		assert_eq!(decide(&s, &b), Decision::Wait(Wait::Paused));
	}

	#[test]
	fn waits_for_a_pending_root_inside_its_delay() {
		let s = status(0, vec![], Some(root(5, 0)));
		let mut b = base(0, 4);
		b.pending = Some(PendingRoot { period: 4, root: B256::ZERO, activates_at: 1000 });
		assert_eq!(
			decide(&s, &b),
			Decision::Wait(Wait::PendingRoot { period: 4, activates_at: 1000 })
		);
	}

	#[test]
	fn never_sends_while_its_own_transaction_is_unmined() {
		let mut b = base(0, 4);
		b.own_nonces = Some(Nonces { latest: 3, pending: 4 });
		let pending =
			Decision::Wait(Wait::OwnTransactionPending { latest_nonce: 3, pending_nonce: 4 });
		assert_eq!(decide(&status(0, vec![], Some(root(5, 0))), &b), pending);
		assert_eq!(decide(&status(1, vec![update(1, true)], None), &b), pending);
		// Nothing to post: nothing to wait for either.
		assert!(matches!(
			decide(&status(0, vec![], Some(root(4, 0))), &b),
			Decision::Wait(Wait::UpToDate { .. })
		));
	}

	#[test]
	fn posts_the_next_set_update_before_a_root_it_signed() {
		let s = status(2, vec![update(1, true), update(2, true)], Some(root(5, 2)));
		assert_eq!(decide(&s, &base(0, 4)), Decision::Post(Post::SetUpdate(update(1, true))));
		assert_eq!(decide(&s, &base(1, 4)), Decision::Post(Post::SetUpdate(update(2, true))));
		assert_eq!(decide(&s, &base(2, 4)), Decision::Post(Post::Root(root(5, 2))));
	}

	#[test]
	fn a_root_of_the_current_set_goes_before_the_next_set() {
		let s = status(1, vec![update(1, true)], Some(root(5, 0)));
		assert_eq!(decide(&s, &base(0, 4)), Decision::Post(Post::Root(root(5, 0))));
		assert_eq!(decide(&s, &base(0, 5)), Decision::Post(Post::SetUpdate(update(1, true))));
	}

	#[test]
	fn an_incomplete_update_is_not_posted() {
		let s = status(0, vec![update(1, false)], Some(root(5, 1)));
		assert_eq!(
			decide(&s, &base(0, 4)),
			Decision::Wait(Wait::SetUpdateIncomplete { set_id: 1, signatures: 1, threshold: 2 })
		);
	}

	#[test]
	fn skipped_or_stale_updates_are_not_posted() {
		// Only the update to base + 1 is valid; the chain no longer has it.
		let s = status(3, vec![update(3, true)], None);
		let decision = decide(&s, &base(1, 0));
		assert_eq!(decision, Decision::Wait(Wait::SetUpdateMissing { set_id: 2, chain_set_id: 3 }));
		assert!(matches!(decision, Decision::Wait(w) if w.is_stuck()));
		// Updates Base already holds are ignored.
		let s = status(1, vec![update(1, true)], None);
		assert_eq!(
			decide(&s, &base(1, 0)),
			Decision::Wait(Wait::UpToDate { period: 0, set_id: 1 })
		);
	}

	#[test]
	fn a_root_of_a_replaced_set_is_not_posted() {
		let s = status(2, vec![], Some(root(5, 1)));
		assert_eq!(
			decide(&s, &base(2, 4)),
			Decision::Wait(Wait::RootFromReplacedSet { period: 5, set_id: 1, base_set_id: 2 })
		);
	}

	#[test]
	fn a_root_of_an_unreachable_set_is_reported_stuck() {
		let s = status(0, vec![], Some(root(5, 3)));
		let decision = decide(&s, &base(0, 4));
		assert_eq!(
			decision,
			Decision::Wait(Wait::RootFromFutureSet { period: 5, set_id: 3, base_set_id: 0 })
		);
	}

	#[test]
	fn a_read_only_view_still_decides() {
		let mut b = base(0, 4);
		b.own_nonces = None;
		let s = status(0, vec![], Some(root(5, 0)));
		assert_eq!(decide(&s, &b), Decision::Post(Post::Root(root(5, 0))));
	}
}
