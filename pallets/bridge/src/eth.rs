//! The little of Ethereum JSON-RPC the off-chain worker speaks: `eth_chainId`,
//! `eth_blockNumber` and `eth_getLogs`, and the decoding of the two events it attests. Pure
//! functions, so they are tested without a node.

use alloc::{format, string::String, vec::Vec};
use serde::{de::DeserializeOwned, Deserialize};
use smartnodes_primitives::{
	bridge_key::EthAddress,
	inbound::{decision, word_of, BaseEvent, Decision, Deposit, Source},
};
use sp_core::U256;

/// Why a response or a log was not usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EthError {
	/// The body is not a JSON-RPC response of the expected shape.
	Malformed,
	/// The node answered with an error.
	Rpc(i64),
	/// A log that is not the event it was asked for (wrong address, topic or layout).
	BadLog,
	/// A log that a reorg removed.
	Removed,
}

#[derive(Deserialize)]
struct Response<T> {
	result: Option<T>,
	error: Option<ErrorObject>,
}

#[derive(Deserialize)]
struct ErrorObject {
	code: i64,
}

/// A log as `eth_getLogs` returns it (the fields read here).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Log {
	pub address: String,
	pub topics: Vec<String>,
	pub data: String,
	pub block_number: Option<String>,
	#[serde(default)]
	pub removed: bool,
}

/// A JSON-RPC 2.0 request body; `params` is the JSON text of the parameter array.
pub fn request(method: &str, params: &str) -> Vec<u8> {
	format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#).into_bytes()
}

/// The `eth_getLogs` parameters for the events of `source` at `address` with the given nonces,
/// between two blocks (inclusive).
pub fn logs_params(
	address: &EthAddress,
	source: Source,
	nonces: &[u64],
	from: u64,
	to: u64,
) -> String {
	let nonces: Vec<String> =
		nonces.iter().map(|n| format!("\"{}\"", hex0x(&word_of(*n)))).collect();
	format!(
		r#"[{{"address":"{}","fromBlock":"0x{from:x}","toBlock":"0x{to:x}","topics":["{}",[{}]]}}]"#,
		hex0x(address.as_bytes()),
		hex0x(&source.topic()),
		nonces.join(","),
	)
}

/// The result of a JSON-RPC response.
pub fn parse_response<T: DeserializeOwned>(body: &[u8]) -> Result<T, EthError> {
	let response: Response<T> = serde_json::from_slice(body).map_err(|_| EthError::Malformed)?;
	if let Some(error) = response.error {
		return Err(EthError::Rpc(error.code));
	}
	response.result.ok_or(EthError::Malformed)
}

/// `0x`-prefixed lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut out = String::with_capacity(bytes.len().saturating_mul(2).saturating_add(2));
	out.push_str("0x");
	for byte in bytes {
		for nibble in [byte >> 4, byte & 0x0f] {
			out.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
		}
	}
	out
}

/// Bytes of `0x`-prefixed hex (either case).
pub fn parse_hex(s: &str) -> Option<Vec<u8>> {
	let digits = s.strip_prefix("0x")?.as_bytes();
	if digits.len() % 2 != 0 {
		return None;
	}
	let value = |c: u8| match c {
		b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
		b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
		b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
		_ => None,
	};
	digits
		.chunks_exact(2)
		.map(|pair| match pair {
			[hi, lo] => Some((value(*hi)? << 4) | value(*lo)?),
			_ => None,
		})
		.collect()
}

/// A JSON-RPC quantity (`0x1a`).
pub fn parse_quantity(s: &str) -> Option<u64> {
	let digits = s.strip_prefix("0x")?;
	if digits.is_empty() || digits.len() > 16 {
		return None;
	}
	u64::from_str_radix(digits, 16).ok()
}

fn word(s: &str) -> Option<[u8; 32]> {
	parse_hex(s)?.try_into().ok()
}

fn u64_of(word: &[u8; 32]) -> Option<u64> {
	let (high, low) = word.split_at(24);
	if high.iter().any(|b| *b != 0) {
		return None;
	}
	Some(u64::from_be_bytes(low.try_into().ok()?))
}

/// The event `log` carries, checked against the contract that must have emitted it.
pub fn decode_log(log: &Log, source: Source, contract: &EthAddress) -> Result<BaseEvent, EthError> {
	if log.removed {
		return Err(EthError::Removed);
	}
	let address = parse_hex(&log.address).ok_or(EthError::BadLog)?;
	if address.as_slice() != contract.as_bytes() {
		return Err(EthError::BadLog);
	}
	let topics: Vec<[u8; 32]> =
		log.topics.iter().map(|t| word(t)).collect::<Option<_>>().ok_or(EthError::BadLog)?;
	let data = parse_hex(&log.data).ok_or(EthError::BadLog)?;
	let base_block =
		log.block_number.as_deref().and_then(parse_quantity).ok_or(EthError::BadLog)?;
	match (source, topics.as_slice()) {
		(Source::Deposits, [topic, nonce, from, to]) if *topic == source.topic() => {
			let amount: [u8; 32] = data.as_slice().try_into().map_err(|_| EthError::BadLog)?;
			let (padding, from) = from.split_at(12);
			if padding.iter().any(|b| *b != 0) {
				return Err(EthError::BadLog);
			}
			Ok(BaseEvent::Deposit(Deposit {
				nonce: u64_of(nonce).ok_or(EthError::BadLog)?,
				from: EthAddress::from_slice(from),
				to: *to,
				amount: U256::from_big_endian(&amount),
				base_block,
			}))
		},
		(Source::Decisions, [topic, nonce]) if *topic == source.topic() => {
			decode_decision(&data, u64_of(nonce).ok_or(EthError::BadLog)?, base_block)
		},
		_ => Err(EthError::BadLog),
	}
}

/// `abi.encode(uint8 kind, bytes payload)`: kind, offset, length, then the padded bytes. A
/// payload that is not exactly one word is attested as [`decision::MALFORMED`], so the chain
/// rejects it and moves on rather than stalling on it.
fn decode_decision(data: &[u8], nonce: u64, base_block: u64) -> Result<BaseEvent, EthError> {
	let words: Vec<[u8; 32]> = data
		.chunks(32)
		.map(|chunk| chunk.try_into().ok())
		.collect::<Option<_>>()
		.ok_or(EthError::BadLog)?;
	let (kind, offset, length) = match words.as_slice() {
		[kind, offset, length, ..] => (kind, offset, length),
		_ => return Err(EthError::BadLog),
	};
	let kind = u64_of(kind).and_then(|k| u8::try_from(k).ok()).ok_or(EthError::BadLog)?;
	let well_formed = u64_of(offset) == Some(64) && u64_of(length) == Some(32) && words.len() == 4;
	let (kind, payload) = match words.get(3) {
		Some(payload) if well_formed => (kind, *payload),
		_ => (decision::MALFORMED, [0; 32]),
	};
	Ok(BaseEvent::Decision(Decision { nonce, kind, payload, base_block }))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn deposit_log() -> Log {
		Log {
			address: "0xE7F1725E7734CE288F8367E1BB143E90BB3F0512".into(),
			topics: alloc::vec![
				hex0x(&Source::Deposits.topic()),
				hex0x(&word_of(3)),
				"0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266".into(),
				hex0x(&[7u8; 32]),
			],
			data: hex0x(&word_of(5_000)),
			block_number: Some("0x1f".into()),
			removed: false,
		}
	}

	fn distributor() -> EthAddress {
		EthAddress::from_slice(&parse_hex("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512").unwrap())
	}

	#[test]
	fn decodes_a_deposit() {
		let event = decode_log(&deposit_log(), Source::Deposits, &distributor()).unwrap();
		let BaseEvent::Deposit(d) = event else { panic!("not a deposit") };
		assert_eq!((d.nonce, d.amount, d.to, d.base_block), (3, U256::from(5_000), [7; 32], 31));
		assert_eq!(hex0x(d.from.as_bytes()), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
	}

	#[test]
	fn refuses_logs_of_another_contract_topic_or_shape() {
		let other = EthAddress::repeat_byte(1);
		assert_eq!(decode_log(&deposit_log(), Source::Deposits, &other), Err(EthError::BadLog));
		assert_eq!(
			decode_log(&deposit_log(), Source::Decisions, &distributor()),
			Err(EthError::BadLog)
		);
		let mut short = deposit_log();
		short.topics.pop();
		assert_eq!(decode_log(&short, Source::Deposits, &distributor()), Err(EthError::BadLog));
		let mut removed = deposit_log();
		removed.removed = true;
		assert_eq!(decode_log(&removed, Source::Deposits, &distributor()), Err(EthError::Removed));
		let mut pending = deposit_log();
		pending.block_number = None;
		assert_eq!(decode_log(&pending, Source::Deposits, &distributor()), Err(EthError::BadLog));
	}

	#[test]
	fn decodes_decisions_and_marks_malformed_payloads() {
		let mut data = Vec::new();
		for w in [word_of(0), word_of(64), word_of(32), word_of(600)] {
			data.extend_from_slice(&w);
		}
		let log = Log {
			address: hex0x(distributor().as_bytes()),
			topics: alloc::vec![hex0x(&Source::Decisions.topic()), hex0x(&word_of(1))],
			data: hex0x(&data),
			block_number: Some("0x2".into()),
			removed: false,
		};
		let event = decode_log(&log, Source::Decisions, &distributor()).unwrap();
		assert_eq!(
			event,
			BaseEvent::Decision(Decision {
				nonce: 1,
				kind: 0,
				payload: word_of(600),
				base_block: 2
			})
		);
		// A two-word payload.
		let mut long = Vec::new();
		for w in [word_of(1), word_of(64), word_of(64), word_of(1), word_of(2)] {
			long.extend_from_slice(&w);
		}
		let log = Log { data: hex0x(&long), ..log };
		let BaseEvent::Decision(d) = decode_log(&log, Source::Decisions, &distributor()).unwrap()
		else {
			panic!("not a decision")
		};
		assert_eq!(d.kind, decision::MALFORMED);
	}

	#[test]
	fn builds_requests_and_parses_responses() {
		let params = logs_params(&distributor(), Source::Deposits, &[1, 2], 5, 16);
		assert!(params.contains(r#""fromBlock":"0x5","toBlock":"0x10""#), "{params}");
		let body = request("eth_getLogs", &params);
		let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
		assert_eq!(value["params"][0]["topics"][1].as_array().unwrap().len(), 2);
		assert_eq!(
			parse_response::<String>(br#"{"jsonrpc":"2.0","id":1,"result":"0x10"}"#),
			Ok("0x10".into())
		);
		assert_eq!(
			parse_response::<String>(
				br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"x"}}"#
			),
			Err(EthError::Rpc(-32000))
		);
		assert_eq!(parse_response::<String>(b"<html>"), Err(EthError::Malformed));
		assert_eq!(parse_quantity("0x10"), Some(16));
		assert_eq!(parse_quantity("16"), None);
		assert_eq!(parse_hex("0xAbCd"), Some(alloc::vec![0xab, 0xcd]));
		assert_eq!(parse_hex("0xabc"), None);
	}
}
