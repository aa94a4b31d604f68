//! How many jobs a block can take, from the runtime's benchmarked weights: the transactions of a
//! job (submission, then a commitment and a reveal per replica) against the block's normal
//! class, and its hook work (assignment and timers) against the jobs pallet's hook budget. A
//! balance transfer is printed alongside for scale. Jobs whose replicas answer in time are
//! assumed; a silent replica costs a heavy timer (its replacement draw).
//!
//!   cargo run -p smartnodes-runtime --example job_capacity     (scripts/bench runs it)

// A report printed on a workstation, not runtime code: plain arithmetic on small numbers.
#![allow(clippy::arithmetic_side_effects)]

use frame_support::dispatch::DispatchClass;
use frame_support::weights::Weight;
use pallet_balances::WeightInfo as _;
use pallet_jobs::WeightInfo as _;
use smartnodes_runtime::{configs::RuntimeBlockWeights, Runtime};

type Jobs = pallet_jobs::weights::SubstrateWeight<Runtime>;

fn ms(w: Weight) -> f64 {
	w.ref_time() as f64 / 1e9
}

fn main() {
	let block = RuntimeBlockWeights::get();
	let normal = block.get(DispatchClass::Normal);
	let base = normal.base_extrinsic;
	let room = normal.max_total.unwrap_or(block.max_block);
	let hook_budget = <Runtime as pallet_jobs::Config>::MaxHookWeight::get();
	let transfer = pallet_balances::weights::SubstrateWeight::<Runtime>::transfer_allow_death();

	println!(
		"block: {:.1} ms for normal transactions, {:.1} ms hook budget for jobs",
		ms(room),
		ms(hook_budget)
	);
	println!("base weight per transaction: {:.3} ms", ms(base));
	println!();
	println!("{:<28} {:>10}   {:>8}", "call", "ms", "x transfer");
	let row = |name: &str, w: Weight| {
		println!(
			"{name:<28} {:>10.3}   {:>8.1}",
			ms(w),
			w.ref_time() as f64 / transfer.ref_time() as f64
		);
	};
	row("balances.transfer", transfer);
	row("jobs.submit_job", Jobs::submit_job());
	for r in [1, 3, 5] {
		row(
			&format!("jobs.commit_result (r={r})"),
			Jobs::commit_result(r).saturating_add(Jobs::authorize_commit()),
		);
		row(
			&format!("jobs.reveal_result (r={r})"),
			Jobs::reveal_result(r).saturating_add(Jobs::authorize_reveal()),
		);
	}
	row("assignment (hook, per job)", Jobs::assign_job());
	row("timer, heaviest (hook)", Jobs::on_timer());
	row("timer, removal (hook)", Jobs::remove_job());
	println!();
	println!(
		"{:<12} {:>16} {:>16} {:>12} {:>14}",
		"replicas", "tx ms per job", "hook ms per job", "jobs/block", "jobs/day"
	);
	for r in [1u32, 3, 5] {
		let txs = Jobs::submit_job()
			.saturating_add(
				Jobs::commit_result(r)
					.saturating_add(Jobs::authorize_commit())
					.saturating_add(Jobs::reveal_result(r))
					.saturating_add(Jobs::authorize_reveal())
					.saturating_mul(u64::from(r)),
			)
			.saturating_add(base.saturating_mul(1 + 2 * u64::from(r)));
		// A draw, then three timers: the commit window's end and the reveal window's end (each
		// a read when every replica answered in time) and the removal after the retention.
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		let hooks =
			Jobs::assign_job().saturating_add(db.reads(2)).saturating_add(Jobs::remove_job());
		let by_txs = room.ref_time() / txs.ref_time().max(1);
		let by_hooks = hook_budget.ref_time() / hooks.ref_time().max(1);
		let per_block = by_txs.min(by_hooks);
		println!(
			"{r:<12} {:>16.2} {:>16.2} {:>12} {:>14}",
			ms(txs),
			ms(hooks),
			per_block,
			per_block * 14_400
		);
	}
}
