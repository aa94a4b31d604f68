//! A network namespace joined to the host by a veth pair, to cut one validator off the others
//! and join it again: `ip netns` and `ip link` (iproute2, installed by `scripts/setup`; root).

use std::process::Command;

fn ip(args: &[&str]) {
	let out = Command::new("ip").args(args).output().expect("iproute2's `ip` runs");
	assert!(
		out.status.success(),
		"ip {}: {} (the partition test needs root and iproute2)",
		args.join(" "),
		String::from_utf8_lossy(&out.stderr)
	);
}

/// `netns` with a link to the host: the host side is `host_ip`, the namespace side `ns_ip`.
pub struct Partition {
	pub netns: String,
	host_if: String,
	pub host_ip: String,
	pub ns_ip: String,
}

impl Partition {
	pub fn create() -> Self {
		let id = std::process::id() % 250;
		let netns = format!("sn-part-{}", std::process::id());
		let host_if = format!("snh{id}");
		let ns_if = format!("snp{id}");
		let (host_ip, ns_ip) = (format!("10.77.{id}.1"), format!("10.77.{id}.2"));
		ip(&["netns", "add", &netns]);
		let partition = Self { netns: netns.clone(), host_if: host_if.clone(), host_ip, ns_ip };
		ip(&["link", "add", &host_if, "type", "veth", "peer", "name", &ns_if]);
		ip(&["link", "set", &ns_if, "netns", &netns]);
		ip(&["addr", "add", &format!("{}/30", partition.host_ip), "dev", &host_if]);
		ip(&["link", "set", &host_if, "up"]);
		let inside = |args: &[&str]| {
			let mut all = vec!["netns", "exec", &netns, "ip"];
			all.extend_from_slice(args);
			ip(&all);
		};
		inside(&["addr", "add", &format!("{}/30", partition.ns_ip), "dev", &ns_if]);
		inside(&["link", "set", &ns_if, "up"]);
		inside(&["link", "set", "lo", "up"]);
		partition
	}

	/// Cuts the link: nothing passes either way.
	pub fn cut(&self) {
		ip(&["link", "set", &self.host_if, "down"]);
	}

	/// Restores the link.
	pub fn heal(&self) {
		ip(&["link", "set", &self.host_if, "up"]);
	}
}

impl Drop for Partition {
	fn drop(&mut self) {
		// Deleting the namespace deletes the veth pair with it.
		let _ = Command::new("ip").args(["netns", "del", &self.netns]).output();
		let _ = Command::new("ip").args(["link", "del", &self.host_if]).output();
	}
}
