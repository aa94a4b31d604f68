// Replaced by `scripts/benchmark`.
#![allow(unused_parens, unused_imports, missing_docs)]
use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;
pub trait WeightInfo {
	fn close_period(n: u32, ) -> Weight;
	fn propose(n: u32, ) -> Weight;
	fn vote(n: u32, ) -> Weight;
	fn set_state_update_interval() -> Weight;
	fn set_base_target() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn close_period(_n: u32, ) -> Weight { Weight::zero() }
	fn propose(_n: u32, ) -> Weight { Weight::zero() }
	fn vote(_n: u32, ) -> Weight { Weight::zero() }
	fn set_state_update_interval() -> Weight { Weight::zero() }
	fn set_base_target() -> Weight { Weight::zero() }
}
impl WeightInfo for () {
	fn close_period(_n: u32, ) -> Weight { Weight::zero() }
	fn propose(_n: u32, ) -> Weight { Weight::zero() }
	fn vote(_n: u32, ) -> Weight { Weight::zero() }
	fn set_state_update_interval() -> Weight { Weight::zero() }
	fn set_base_target() -> Weight { Weight::zero() }
}
