//! A network partition with real processes: Dave runs in its own network namespace, joined to
//! the other three `local` validators by a veth link. With the link cut, Alice, Bob and Charlie
//! (3 of 4, over 2/3) keep finalizing while Dave alone cannot; once the link is restored Dave
//! catches up and agrees with them block for block.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{netns::Partition, *};
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

/// The last finalized height a node logged (its RPC may be out of reach).
fn logged_finalized(node: &Node) -> u32 {
	std::fs::read_to_string(&node.log)
		.unwrap_or_default()
		.lines()
		.filter_map(|line| line.split("finalized #").nth(1))
		.filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
		.next_back()
		.unwrap_or(0)
}

#[test]
fn a_partitioned_validator_rejoins_and_finality_goes_on_without_it() {
	let test_dir = TestDir::new("smartnodes-partition-");
	let dir = test_dir.path();
	let partition = Partition::create();

	// The three on the host also listen on the link's host side, where Dave reaches them.
	let link_listen = |port: u16| {
		vec!["--listen-addr".to_string(), format!("/ip4/{}/tcp/{port}", partition.host_ip)]
	};
	let alice_link = free_port();
	let alice = Node::start_with(dir, "alice", "local", true, None, &link_listen(alice_link));
	let boot = alice.multiaddr();
	let peer = boot.rsplit('/').next().unwrap().to_string();
	let others: Vec<Node> = ["bob", "charlie"]
		.into_iter()
		.map(|name| {
			Node::start_with(dir, name, "local", true, Some(&boot), &link_listen(free_port()))
		})
		.collect();
	let boot_on_link = format!("/ip4/{}/tcp/{alice_link}/p2p/{peer}", partition.host_ip);
	let dave = Node::start_in_netns(
		dir,
		"dave",
		"local",
		Some(&boot_on_link),
		&partition.netns,
		&partition.ns_ip,
	);
	wait_until(3 * MINUTE, "all four finalize block 3", || {
		alice.finalized_number() >= 3 && dave.finalized_number() >= 3
	});

	// Cut: three of four still finalize; Dave, alone, does not.
	partition.cut();
	let at_cut = alice.finalized_number();
	wait_until(2 * MINUTE, "Alice, Bob and Charlie finalize 5 more blocks", || {
		alice.finalized_number() >= at_cut + 5
			&& others.iter().all(|n| n.finalized_number() >= at_cut + 5)
	});
	let dave_cut = logged_finalized(&dave);
	assert!(
		dave_cut < at_cut + 3,
		"a validator alone cannot finalize: Dave logged #{dave_cut} with the link cut at #{at_cut}"
	);

	// Heal: Dave catches up on the others' chain.
	partition.heal();
	let target = alice.finalized_number();
	wait_until(3 * MINUTE, "Dave catches up with the finalized chain", || {
		dave.try_rpc("system_health", serde_json::json!([])).is_ok()
			&& dave.finalized_number() >= target
	});
	for height in [1, at_cut, target] {
		assert_eq!(dave.block_hash(height), alice.block_hash(height), "block {height} differs");
	}
	let healed = alice.finalized_number();
	wait_until(2 * MINUTE, "all four finalize together again", || {
		dave.finalized_number() >= healed + 3
	});
}
