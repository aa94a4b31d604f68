//! Contract bindings, generated from the Foundry artifacts (`contracts/out`, built by `build.rs`)
//! so the ABI has one source of truth.

#![allow(missing_docs, clippy::too_many_arguments)]

pub use distributor::{IRewardDistributor, RewardDistributor};
pub use token::SmartnodesToken;

mod distributor {
	alloy::sol!(
		#[sol(rpc, all_derives)]
		RewardDistributor,
		"../contracts/out/RewardDistributor.sol/RewardDistributor.json"
	);
}

mod token {
	alloy::sol!(
		#[sol(rpc)]
		SmartnodesToken,
		"../contracts/out/SmartnodesToken.sol/SmartnodesToken.json"
	);
}
