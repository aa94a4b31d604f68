//! The validators' off-chain worker, bridge part:
//!
//! - **Set updates.** For every kept update still short of signatures, each bridge key in the
//!   node's keystore that belongs to the update's signing set signs it and submits
//!   `sign_set_update`. Members of a set that left office still sign: their node keeps the key.
//! - **Base events.** Every `POLL_EVERY` blocks, if the node holds the bridge key of an active
//!   validator and knows a Base JSON-RPC endpoint (the node's `--base-rpc-url`, kept in
//!   persistent off-chain storage under [`BASE_RPC_KEY`]), it asks Base for its chain id and
//!   head, then for the `DepositedToChain` and `ChainDecision` logs with the next
//!   `MaxPendingEvents` nonces of each stream, up to `confirmations` blocks below the head, from
//!   the Base block of the last applied event on. Each log it has not yet attested is decoded,
//!   checked (contract, topic, layout) and attested.
//!
//! What was sent is marked in local off-chain storage and sent again only if it has not landed
//! `RESEND_AFTER` blocks later. Every HTTP request has a deadline of `HTTP_TIMEOUT_MS`; a Base
//! endpoint that is down or answers nonsense costs one log line per poll and nothing else.

use crate::{eth, pallet::*, LOG_TARGET};
use alloc::{string::String, vec::Vec};
use codec::Encode;
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use smartnodes_primitives::{
	bridge_key::{self, EthAddress, KEY_TYPE},
	inbound::{BaseEvent, Source},
	ledger::SigningSet,
};
use sp_core::{ecdsa, Get, H256};
use sp_runtime::{
	offchain::{http, storage::StorageValueRef, Duration},
	SaturatedConversion,
};

/// Persistent off-chain storage key of the Base JSON-RPC URL (UTF-8), set by the node.
pub const BASE_RPC_KEY: &[u8] = b"smartnodes::base-rpc";

/// Blocks between two looks at Base.
pub const POLL_EVERY: u64 = 2;

/// Blocks before a signature or attestation that has not landed is sent again.
const RESEND_AFTER: u64 = 10;

/// Deadline of one HTTP request to Base.
const HTTP_TIMEOUT_MS: u64 = 3_000;

/// The largest response read from Base.
const MAX_RESPONSE_BYTES: usize = 1 << 20;

fn sent_key(what: &impl Encode) -> Vec<u8> {
	(b"smartnodes::bridge-sent::", what).encode()
}

/// Whether `what` may be sent at `now` (never sent, or sent `RESEND_AFTER` blocks ago); marks it.
fn claim_send(what: &impl Encode, now: u64) -> bool {
	let key = sent_key(what);
	let mark = StorageValueRef::local(&key);
	match mark.get::<u64>() {
		Ok(Some(at)) if now < at.saturating_add(RESEND_AFTER) => false,
		_ => {
			mark.set(&now);
			true
		},
	}
}

/// The Base endpoint this node was given, if any.
pub fn base_rpc_url() -> Option<String> {
	let bytes = StorageValueRef::persistent(BASE_RPC_KEY).get::<Vec<u8>>().ok()??;
	String::from_utf8(bytes).ok().filter(|url| !url.is_empty())
}

/// One JSON-RPC call to Base.
fn call<R: serde::de::DeserializeOwned>(url: &str, method: &str, params: &str) -> Option<R> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_TIMEOUT_MS));
	let pending = http::Request::post(url, alloc::vec![eth::request(method, params)])
		.add_header("Content-Type", "application/json")
		.deadline(deadline)
		.send()
		.ok()?;
	let response = match pending.try_wait(deadline) {
		Ok(Ok(response)) if response.code == 200 => response,
		other => {
			log::warn!(target: LOG_TARGET, "Base {method}: no answer ({:?})", other.map(|r| r.map(|r| r.code)));
			return None;
		},
	};
	let mut body = response.body();
	body.deadline(deadline);
	let bytes: Vec<u8> = body.by_ref().take(MAX_RESPONSE_BYTES.saturating_add(1)).collect();
	if body.error().is_some() || bytes.len() > MAX_RESPONSE_BYTES {
		log::warn!(target: LOG_TARGET, "Base {method}: response unreadable or too large");
		return None;
	}
	eth::parse_response(&bytes)
		.map_err(|e| log::warn!(target: LOG_TARGET, "Base {method}: {e:?}"))
		.ok()
}

impl<T: Config> Pallet<T> {
	pub(crate) fn offchain_worker_run(now: BlockNumberFor<T>) {
		let now: u64 = now.saturated_into();
		Self::sign_set_updates(now);
		if !now.is_multiple_of(POLL_EVERY) {
			return;
		}
		let (_, members) = T::Validators::signing_set();
		let attesters = bridge_key::local_signers(&members);
		if attesters.is_empty() {
			return;
		}
		let Some(url) = base_rpc_url() else {
			log::debug!(target: LOG_TARGET, "no Base endpoint (--base-rpc-url): not attesting");
			return;
		};
		Self::watch_base(&url, &attesters, now);
	}

	/// Signs every kept, incomplete set update the node's bridge keys belong to the signers of.
	fn sign_set_updates(now: u64) {
		let keys: Vec<(ecdsa::Public, EthAddress)> = sp_io::crypto::ecdsa_public_keys(KEY_TYPE)
			.into_iter()
			.filter_map(|key| bridge_key::eth_address(&key.0).map(|a| (key, a)))
			.collect();
		if keys.is_empty() {
			return;
		}
		let latest = LatestSetUpdate::<T>::get();
		let kept: u64 = T::SetUpdatesKept::get().into();
		for set_id in latest.saturating_sub(kept.saturating_sub(1)).max(1)..=latest {
			let Some(update) = SetUpdates::<T>::get(set_id) else { continue };
			if update.is_complete() {
				continue;
			}
			let digest = Self::set_update_digest(set_id, &update);
			for (key, address) in &keys {
				let signed = update.signatures.iter().any(|(s, _)| s == address);
				if signed
					|| !update.signer_set.contains(address)
					|| !claim_send(&(b"set", set_id, address), now)
				{
					continue;
				}
				let Some(signature) = bridge_key::sign_prehashed(key, &digest) else { continue };
				Self::submit(Call::sign_set_update { set_id, signature }, "set-update signature");
			}
		}
	}

	/// Reads the next events of both streams from Base and attests the new ones.
	fn watch_base(url: &str, attesters: &[(ecdsa::Public, T::AccountId)], now: u64) {
		let (chain_id, distributor) = T::Target::get();
		let settings = Settings::<T>::get();
		let Some(remote) = call::<String>(url, "eth_chainId", "[]") else { return };
		if eth::parse_quantity(&remote) != Some(chain_id) {
			log::error!(
				target: LOG_TARGET,
				"Base endpoint is chain {remote}, the bridge expects {chain_id}: not attesting",
			);
			return;
		}
		let Some(head) =
			call::<String>(url, "eth_blockNumber", "[]").as_deref().and_then(eth::parse_quantity)
		else {
			return;
		};
		let Some(safe) = head.checked_sub(settings.confirmations.into()) else { return };
		let genesis = Self::genesis_hash();
		for source in Source::ALL {
			let contract = match source {
				Source::Deposits => distributor,
				Source::Decisions => settings.dao,
			};
			let next = NextNonce::<T>::get(source);
			let window: u64 = T::MaxPendingEvents::get().into();
			let nonces: Vec<u64> = (next..next.saturating_add(window))
				.filter(|n| !Ready::<T>::contains_key(source, n))
				.collect();
			let from = settings.start_block.max(LastBaseBlock::<T>::get(source));
			if nonces.is_empty() || from > safe {
				continue;
			}
			let params = eth::logs_params(&contract, source, &nonces, from, safe);
			let Some(logs) = call::<Vec<eth::Log>>(url, "eth_getLogs", &params) else { continue };
			for log in logs {
				match eth::decode_log(&log, source, &contract) {
					// A provider that ignores `toBlock` must not get an unconfirmed event attested.
					Ok(event) if event.base_block() > safe => log::warn!(
						target: LOG_TARGET,
						"Base {} log at block {} is past {safe}: ignored", source.name(), event.base_block()
					),
					Ok(event) => Self::attest_once(event, &genesis, attesters, now),
					Err(error) => log::warn!(
						target: LOG_TARGET,
						"Base {} log refused: {error:?}", source.name()
					),
				}
			}
		}
	}

	/// Attests `event` with every local attester that has not yet.
	fn attest_once(
		event: BaseEvent,
		genesis: &H256,
		attesters: &[(ecdsa::Public, T::AccountId)],
		now: u64,
	) {
		let (source, nonce) = (event.source(), event.nonce());
		let candidates = Attestations::<T>::get(source, nonce);
		let digest = event.digest(genesis);
		let (_, members) = T::Validators::signing_set();
		let needed = smartnodes_primitives::rewards::threshold(members.len() as u32) as usize;
		for (key, who) in attesters {
			// Attested already, and not enough for agreement only because nobody has come since
			// the set shrank? Then attesting again applies it.
			let attested = candidates.iter().any(|c| {
				c.event == event && c.voters.contains(who) && c.member_votes(&members) < needed
			});
			if attested || !claim_send(&(b"attest", source, nonce, who, digest), now) {
				continue;
			}
			let Some(signature) = bridge_key::sign_prehashed(key, &digest) else { continue };
			log::info!(target: LOG_TARGET, "attesting {} nonce {nonce}", source.name());
			Self::submit(Call::attest { event, signature }, "attestation");
		}
	}

	fn submit(call: Call<T>, what: &str) {
		let xt =
			<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
		if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
			log::debug!(target: LOG_TARGET, "{what}: transaction not accepted");
		}
	}
}

/// What the node writes under [`BASE_RPC_KEY`] for `url`.
pub fn encode_base_rpc_url(url: &str) -> Vec<u8> {
	url.as_bytes().to_vec().encode()
}
