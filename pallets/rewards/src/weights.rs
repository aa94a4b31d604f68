// Replaced by `scripts/benchmark`.
#![allow(unused_parens, unused_imports, missing_docs)]
use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;
pub trait WeightInfo {
	fn set_treasury_address() -> Weight;
	fn set_protocol_fee() -> Weight;
	fn note_contribution() -> Weight;
	fn note_job_payment() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_treasury_address() -> Weight { Weight::zero() }
	fn set_protocol_fee() -> Weight { Weight::zero() }
	fn note_contribution() -> Weight { Weight::zero() }
	fn note_job_payment() -> Weight { Weight::zero() }
}
impl WeightInfo for () {
	fn set_treasury_address() -> Weight { Weight::zero() }
	fn set_protocol_fee() -> Weight { Weight::zero() }
	fn note_contribution() -> Weight { Weight::zero() }
	fn note_job_payment() -> Weight { Weight::zero() }
}
