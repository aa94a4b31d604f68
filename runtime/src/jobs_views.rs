//! Jobs, networks and workers as the runtime API presents them to the `smartnodes_*` RPC.

use crate::{AccountId, Runtime};
use alloc::vec::Vec;
use pallet_jobs::{JobCount, JobsById, JobsOf, Load};
use pallet_jobs_runtime_api::{
	JobView, NetworkView, ReplicaView, StandingView, WorkerView, MAX_PAGE,
};
use pallet_registry::{MemberCount, Members, Networks, NextNetworkId, Users, Workers};
use smartnodes_primitives::compute::{JobId, NetworkId, Role};

pub fn job(id: JobId) -> Option<JobView<AccountId>> {
	let job = JobsById::<Runtime>::get(id)?;
	Some(JobView {
		id,
		owner: job.owner,
		network: job.spec.network,
		kind: job.spec.kind,
		code_hash: job.spec.code.hash,
		code_uri: job.spec.code.uri.into_inner(),
		input_hash: job.spec.input.hash,
		input_uri: job.spec.input.uri.into_inner(),
		replication: job.spec.replication,
		limits: job.spec.limits,
		deadline: job.spec.deadline.into(),
		max_payment: job.spec.max_payment,
		escrow: job.escrow,
		status: job.status,
		revealing: job.revealing,
		submitted_at: job.submitted_at.into(),
		settled_at: job.settled_at.map(Into::into),
		replicas: job
			.replicas
			.into_iter()
			.map(|r| ReplicaView {
				worker: r.worker,
				payout: r.payout,
				assigned_at: r.assigned_at.into(),
				expires_at: r.expires_at.into(),
				state: r.state,
			})
			.collect(),
	})
}

/// At most `MaxJobsPerUser` ids are read and sorted, since the map's keys are hashed.
pub fn jobs_of(user: AccountId, after: Option<JobId>, limit: u32) -> Vec<JobView<AccountId>> {
	let mut ids: Vec<JobId> = JobsOf::<Runtime>::iter_key_prefix(&user)
		.filter(|id| after.is_none_or(|after| *id > after))
		.collect();
	ids.sort_unstable();
	ids.into_iter().take(limit.min(MAX_PAGE) as usize).filter_map(job).collect()
}

pub fn networks() -> Vec<NetworkView> {
	(0..NextNetworkId::<Runtime>::get())
		.filter_map(|id| {
			Networks::<Runtime>::get(id).map(|n| NetworkView {
				id,
				name: n.name.into_inner(),
				kind: n.kind,
				min_reputation: n.min_reputation,
				min_capacity: n.min_capacity,
				price_floor: n.price_floor,
				retired: n.retired,
				members: MemberCount::<Runtime>::get(id),
			})
		})
		.collect()
}

fn worker(account: AccountId) -> Option<WorkerView<AccountId>> {
	let w = Workers::<Runtime>::get(&account)?;
	let record = pallet_reputation::Pallet::<Runtime>::standing(Role::Worker, &account);
	Some(WorkerView {
		identity: w.identity,
		endpoint: w.endpoint.into_inner(),
		capacity: w.capacity,
		payout: w.payout,
		networks: w.networks.into_inner(),
		validator: w.validator,
		paused: w.paused,
		registered_at: w.registered_at.into(),
		score: record.score,
		strikes: record.strikes,
		blacklisted: record.blacklisted_at.is_some(),
		load: Load::<Runtime>::get(&account),
		account,
	})
}

pub fn network_workers(network: NetworkId, from: u32, limit: u32) -> Vec<WorkerView<AccountId>> {
	let end = from.saturating_add(limit.min(MAX_PAGE)).min(MemberCount::<Runtime>::get(network));
	(from..end)
		.filter_map(|index| Members::<Runtime>::get(network, index))
		.filter_map(worker)
		.collect()
}

pub fn standing(who: AccountId) -> StandingView<AccountId> {
	StandingView {
		user_since: Users::<Runtime>::get(&who).map(|u| u.registered_at.into()),
		jobs: JobCount::<Runtime>::get(&who),
		worker: worker(who),
	}
}
