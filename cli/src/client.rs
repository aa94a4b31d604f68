//! A blocking JSON-RPC client for one node: signed transactions built exactly as wallets build
//! them, their inclusion and outcome, and the `smartnodes_*` queries.

use crate::{Error, Result};
use codec::{Decode, Encode};
use serde_json::{json, Value};
use smartnodes_runtime::{
	AccountId, Runtime, RuntimeCall, RuntimeEvent, SignedPayload, TxExtension, UncheckedExtrinsic,
};
use sp_core::{crypto::Pair as _, sr25519, H256};
use sp_runtime::{generic::Era, DispatchError, MultiAddress, MultiSignature};
use std::time::{Duration, Instant};

/// Blocks to wait for a submitted transaction.
const INCLUSION_BLOCKS: u32 = 20;

/// What a transaction did, once included.
#[derive(Debug)]
pub struct Included {
	pub block: H256,
	pub events: Vec<RuntimeEvent>,
}

pub struct Client {
	url: String,
	agent: ureq::Agent,
}

pub fn from_hex(s: &str) -> Option<Vec<u8>> {
	hex::decode(s.trim_start_matches("0x")).ok()
}

impl Client {
	pub fn new(url: impl Into<String>) -> Self {
		let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
		Self { url: url.into(), agent }
	}

	pub fn rpc(&self, method: &str, params: Value) -> Result<Value> {
		let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let response: Value = self
			.agent
			.post(&self.url)
			.send_json(body)
			.map_err(|e| Error::Unreachable { url: self.url.clone(), source: Box::new(e) })?
			.into_json()
			.map_err(|e| Error::BadAnswer { method: method.into(), detail: e.to_string() })?;
		match response.get("error") {
			Some(error) => Err(Error::Rpc {
				method: method.into(),
				message: error
					.get("message")
					.and_then(Value::as_str)
					.map_or_else(|| error.to_string(), String::from),
			}),
			None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
		}
	}

	/// A method's result decoded from JSON.
	pub fn call<T: serde::de::DeserializeOwned>(&self, method: &str, params: Value) -> Result<T> {
		let value = self.rpc(method, params)?;
		serde_json::from_value(value)
			.map_err(|e| Error::BadAnswer { method: method.into(), detail: e.to_string() })
	}

	fn hash_at(&self, number: Option<u32>) -> Result<H256> {
		let value = self.rpc("chain_getBlockHash", json!([number]))?;
		value
			.as_str()
			.and_then(from_hex)
			.filter(|b| b.len() == 32)
			.map(|b| H256::from_slice(&b))
			.ok_or_else(|| Error::BadAnswer {
				method: "chain_getBlockHash".into(),
				detail: value.to_string(),
			})
	}

	pub fn genesis_hash(&self) -> Result<H256> {
		self.hash_at(Some(0))
	}

	pub fn best_number(&self) -> Result<u32> {
		let header = self.rpc("chain_getHeader", json!([]))?;
		header
			.get("number")
			.and_then(Value::as_str)
			.and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| Error::BadAnswer {
				method: "chain_getHeader".into(),
				detail: header.to_string(),
			})
	}

	/// Signs `call` as `signer` with the next nonce and submits it; returns the extrinsic.
	pub fn submit(&self, signer: &sr25519::Pair, call: RuntimeCall) -> Result<UncheckedExtrinsic> {
		let who: AccountId = signer.public().into();
		let nonce: u32 = self.call("system_accountNextIndex", json!([who.to_string()]))?;
		let version = self.rpc("state_getRuntimeVersion", json!([]))?;
		let field = |name: &str| {
			version.get(name).and_then(Value::as_u64).map(|v| v as u32).ok_or_else(|| {
				Error::BadAnswer {
					method: "state_getRuntimeVersion".into(),
					detail: format!("no {name}"),
				}
			})
		};
		let xt = signed_extrinsic(
			signer,
			call,
			nonce,
			self.genesis_hash()?,
			field("specVersion")?,
			field("transactionVersion")?,
		);
		self.submit_extrinsic(&xt)?;
		Ok(xt)
	}

	pub fn submit_extrinsic(&self, xt: &UncheckedExtrinsic) -> Result<String> {
		let hash =
			self.rpc("author_submitExtrinsic", json!([format!("0x{}", hex::encode(xt.encode()))]))?;
		Ok(hash.as_str().unwrap_or_default().to_string())
	}

	/// Waits for `xt` in a best block and returns its events; a failed dispatch is an error
	/// naming the pallet error.
	pub fn wait_included(&self, xt: &UncheckedExtrinsic) -> Result<Included> {
		let encoded = format!("0x{}", hex::encode(xt.encode()));
		let mut next = self.best_number()?;
		let last = next.saturating_add(INCLUSION_BLOCKS);
		let started = Instant::now();
		while next <= last {
			if self.best_number()? < next {
				if started.elapsed() > Duration::from_secs(u64::from(INCLUSION_BLOCKS) * 12) {
					break;
				}
				std::thread::sleep(Duration::from_millis(500));
				continue;
			}
			let hash = self.hash_at(Some(next))?;
			let block = self.rpc("chain_getBlock", json!([hash]))?;
			let found = block
				.pointer("/block/extrinsics")
				.and_then(Value::as_array)
				.and_then(|xts| xts.iter().position(|x| x.as_str() == Some(encoded.as_str())));
			if let Some(index) = found {
				return self.outcome(hash, index as u32);
			}
			next = next.saturating_add(1);
		}
		Err(Error::NotIncluded {
			hash: format!("0x{}", hex::encode(sp_io::hashing::blake2_256(&xt.encode()))),
			blocks: INCLUSION_BLOCKS,
		})
	}

	/// Looks for `xts` in the best chain's blocks from `from` to the best block, and notes in
	/// `found` (one slot per extrinsic) the block and index of each it finds. Returns the block
	/// to look from next time, so a caller polling for many extrinsics reads each block once.
	pub fn find_included(
		&self,
		from: u32,
		xts: &[UncheckedExtrinsic],
		found: &mut [Option<(H256, u32)>],
	) -> Result<u32> {
		let wanted: std::collections::HashMap<String, usize> = xts
			.iter()
			.enumerate()
			.map(|(i, xt)| (format!("0x{}", hex::encode(xt.encode())), i))
			.collect();
		let best = self.best_number()?;
		for number in from..=best {
			let hash = self.hash_at(Some(number))?;
			let block = self.rpc("chain_getBlock", json!([hash]))?;
			let extrinsics = block.pointer("/block/extrinsics").and_then(Value::as_array);
			for (index, xt) in extrinsics.into_iter().flatten().enumerate() {
				let at = xt.as_str().and_then(|xt| wanted.get(xt));
				if let Some(slot) = at.and_then(|i| found.get_mut(*i)) {
					*slot = Some((hash, index as u32));
				}
			}
		}
		Ok(best.saturating_add(1).max(from))
	}

	/// The events of the extrinsic at `index` in `block`; a failed dispatch is an error naming
	/// the pallet error.
	pub fn outcome(&self, block: H256, index: u32) -> Result<Included> {
		// `System::Events`, whose storage type frame-system keeps private.
		let key =
			[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
		let raw =
			self.rpc("state_getStorage", json!([format!("0x{}", hex::encode(key)), block]))?;
		let bytes = raw.as_str().and_then(from_hex).unwrap_or_default();
		let records =
			Vec::<frame_system::EventRecord<RuntimeEvent, H256>>::decode(&mut &bytes[..]).map_err(
				|e| Error::BadAnswer { method: "state_getStorage".into(), detail: e.to_string() },
			)?;
		let events: Vec<RuntimeEvent> = records
			.into_iter()
			.filter(|r| r.phase == frame_system::Phase::ApplyExtrinsic(index))
			.map(|r| r.event)
			.collect();
		for event in &events {
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = event
			{
				return Err(Error::Dispatch(describe(dispatch_error)));
			}
		}
		Ok(Included { block, events })
	}
}

/// A dispatch error with the pallet error's name, decoded with the runtime's own types.
pub fn describe(error: &DispatchError) -> String {
	let DispatchError::Module(module) = error else { return format!("{error:?}") };
	let bytes = &module.error[..];
	let name = match module.index {
		15 => pallet_registry::Error::<Runtime>::decode(&mut &bytes[..])
			.map(|e| format!("registry.{e:?}")),
		16 => pallet_jobs::Error::<Runtime>::decode(&mut &bytes[..]).map(|e| format!("jobs.{e:?}")),
		_ => return format!("{error:?}"),
	};
	name.unwrap_or_else(|_| format!("{error:?}"))
}

/// Builds a signed, immortal extrinsic exactly as wallets do.
pub fn signed_extrinsic(
	signer: &sr25519::Pair,
	call: RuntimeCall,
	nonce: u32,
	genesis: H256,
	spec_version: u32,
	tx_version: u32,
) -> UncheckedExtrinsic {
	let extension: TxExtension = (
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
	);
	// AuthorizeCall and the weight and payment checks sign nothing of their own.
	let implicit = ((), (), spec_version, tx_version, genesis, genesis, (), (), ());
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let who: AccountId = signer.public().into();
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(who),
		MultiSignature::Sr25519(signature),
		extension,
	)
}
