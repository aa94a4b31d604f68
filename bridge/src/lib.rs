//! `smartnodes-bridge`: relays the Smartnodes chain's GRANDPA-finalized validator-set updates and
//! reward roots to the `RewardDistributor` on Base.
//!
//! Data enters from the chain node's JSON-RPC ([`chain::RpcChain`]: `chain_getFinalizedHead`,
//! then `smartnodes_bridgeStatus` at that block) and from Base ([`base::Base`]: the
//! distributor's views and the relayer account's nonces); it leaves as `updateValidatorSet` and
//! `submitRoot` transactions. [`decide::decide`] is the whole policy, a pure function of the two
//! reads; [`relayer::Relayer`] is the loop around it. See the crate's README.

pub mod base;
pub mod bindings;
pub mod chain;
pub mod command;
pub mod config;
pub mod decide;
pub mod error;
pub mod hashes;
pub mod metrics;
pub mod relayer;
pub mod status;

pub use error::{Error, Result};
