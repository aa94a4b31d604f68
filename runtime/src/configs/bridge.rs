//! Configuration of the bridge pallet, and what DAO decisions do on the chain.

use super::MAX_VALIDATORS;
use crate::*;
use frame_support::{
	dispatch::GetDispatchInfo,
	parameter_types,
	traits::{ConstU32, UnfilteredDispatchable},
	weights::Weight,
};
use smartnodes_primitives::{bridge_key::EthAddress, inbound::decision};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult};

parameter_types! {
	/// Base's chain id and the reward distributor: the coordinator's target.
	pub BridgeTarget: (u64, EthAddress) = pallet_coordinator::BaseTarget::<Runtime>::get();
	/// Withdrawals below 1 SNO would only grow the reward tree.
	pub const MinWithdrawal: Balance = SNO;
}

impl pallet_bridge::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Validators = Validators;
	type Target = BridgeTarget;
	type Transfers = Rewards;
	type Decisions = DaoDecisions;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MaxPendingEvents = ConstU32<16>;
	/// A set change per session at most: 256 cover days of a relayer's absence.
	type SetUpdatesKept = ConstU32<256>;
	type MinWithdrawal = MinWithdrawal;
	type UnsignedPriority = super::CoordinatorPriority;
	type WeightInfo = pallet_bridge::weights::SubstrateWeight<Runtime>;
}

/// The DAO's decisions, each a root call of the pallet that owns the parameter.
pub struct DaoDecisions;

/// The unsigned integer in a big-endian word, if it fits `bytes` bytes.
fn uint(payload: &[u8; 32], bytes: usize) -> Option<u128> {
	let (high, low) = payload.split_at(32usize.checked_sub(bytes)?);
	if high.iter().any(|b| *b != 0) || low.len() > 16 {
		return None;
	}
	Some(low.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b)))
}

impl DaoDecisions {
	fn call_of(kind: u8, payload: &[u8; 32]) -> Result<RuntimeCall, DispatchError> {
		let malformed = DispatchError::Other("malformed decision payload");
		let call = match kind {
			decision::STATE_UPDATE_INTERVAL => {
				let blocks = uint(payload, 4).ok_or(malformed)?;
				RuntimeCall::Coordinator(pallet_coordinator::Call::set_state_update_interval {
					blocks: u32::try_from(blocks).map_err(|_| malformed)?,
				})
			},
			decision::COLLATERAL => {
				let amount = uint(payload, 16).ok_or(malformed)?;
				RuntimeCall::Validators(pallet_validators::Call::set_collateral_amount { amount })
			},
			decision::PROTOCOL_FEE => {
				let bps = uint(payload, 2).ok_or(malformed)?;
				RuntimeCall::Rewards(pallet_rewards::Call::set_protocol_fee {
					bps: u16::try_from(bps).map_err(|_| malformed)?,
				})
			},
			decision::AUTHORIZE_UPGRADE => {
				let code_hash = H256(*payload);
				if code_hash.is_zero() {
					return Err(malformed);
				}
				RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash })
			},
			_ => return Err(DispatchError::Other("unknown decision kind")),
		};
		Ok(call)
	}
}

impl pallet_bridge::DecisionHandler for DaoDecisions {
	fn apply(kind: u8, payload: &[u8; 32]) -> DispatchResult {
		let call = Self::call_of(kind, payload)?;
		call.dispatch_bypass_filter(RuntimeOrigin::root()).map(|_| ()).map_err(|e| e.error)
	}

	fn max_weight() -> Weight {
		let one = {
			let mut word = [0u8; 32];
			word[31] = 1;
			word
		};
		[
			decision::STATE_UPDATE_INTERVAL,
			decision::COLLATERAL,
			decision::PROTOCOL_FEE,
			decision::AUTHORIZE_UPGRADE,
		]
		.into_iter()
		.filter_map(|kind| Self::call_of(kind, &one).ok())
		.map(|call| call.get_dispatch_info().call_weight)
		.fold(Weight::zero(), |a, b| a.max(b))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn payload_words_are_read_big_endian_and_bounded() {
		let mut word = [0u8; 32];
		word[30] = 1;
		word[31] = 2;
		assert_eq!(uint(&word, 4), Some(258));
		word[27] = 1;
		assert_eq!(uint(&word, 4), None);
		assert_eq!(uint(&word, 16), Some((1u128 << 32) + 258));
	}
}
