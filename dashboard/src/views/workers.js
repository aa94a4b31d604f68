// Workers per network (capacity, reputation, strikes, jobs done, earnings) and one worker's page.
import { connect, contracts, read, rpc } from "../net.js";
import { card, fill, h, link, pill, short, sno, table } from "../ui.js";
import { everyBlock } from "./network.js";

/** What a worker earned: its leaf under the last root on Base's terms, and what it claimed there. */
export async function earnings(payout) {
  const [proof, claimed] = await Promise.all([
    rpc("smartnodes_rewardProof", [payout]).catch(() => null),
    read(contracts().distributor, "claimed", [payout]).catch(() => null),
  ]);
  return { earned: proof ? BigInt(proof.cumulativeAmount) : null, claimed, period: proof?.period ?? null };
}

async function enrich(api, worker) {
  const [record, money] = await Promise.all([api.query.reputation.records("Worker", worker.account), earnings(worker.payout)]);
  const r = record.isSome ? record.unwrap() : null;
  return { ...worker, done: r ? r.successes.toNumber() : 0, faults: r ? r.faults.toNumber() : 0, ...money };
}

function capacity(c) {
  const gpu = c.gpus > 0 ? `, ${c.gpus} GPU (${c.gpuMemoryMib} MiB)` : "";
  return `${c.cpuCores} cores, ${c.memoryMib} MiB${gpu}`;
}

function status(w) {
  if (w.blacklisted) return pill("blacklisted", "bad");
  if (w.paused) return pill("paused");
  return pill("standing", "good");
}

export async function render(main) {
  const { api } = await connect();
  return everyBlock(async () => {
    const networks = await rpc("smartnodes_networks");
    const sections = await Promise.all(
      networks.map(async (network) => {
        const workers = await Promise.all((await rpc("smartnodes_networkWorkers", [network.id])).map((w) => enrich(api, w)));
        return [
          h("h2", {}, `Network ${network.id}: ${network.name} `, network.retired ? pill("retired", "bad") : ""),
          h(
            "p",
            { class: "muted" },
            `${network.kind} jobs · ${network.members} members · minimum reputation ${network.minReputation} · `,
            `minimum capacity ${capacity(network.minCapacity)} · price floor ${sno(network.priceFloor)} SNO per replica`,
          ),
          table(
            [
              ["Worker", (w) => link(`#/worker/${w.account}`, h("span", { class: "mono" }, short(w.account, 10, 8)))],
              ["Status", status],
              ["Capacity", (w) => capacity(w.capacity)],
              ["Reputation", (w) => w.score, "num"],
              ["Strikes", (w) => w.strikes, "num"],
              ["Jobs done", (w) => w.done, "num"],
              ["Running", (w) => w.load, "num"],
              ["Earned (SNO)", (w) => (w.earned === null ? "–" : sno(w.earned)), "num"],
              ["Claimed on Base", (w) => (w.claimed === null ? "–" : sno(w.claimed)), "num"],
            ],
            workers,
            "no worker stands for assignment",
            { class: "workers", dataset: { network: network.id } },
          ),
        ];
      }),
    );
    fill(
      main,
      h("h1", {}, "Workers"),
      h("p", { class: "muted" }, "Earned: everything the worker's payout address is owed under the last reward root (job payments and emission), claimable on Base."),
      networks.length === 0 ? h("p", { class: "muted" }, "No network yet.") : sections,
    );
  }, main);
}

export async function renderWorker(main, account) {
  const { api } = await connect();
  return everyBlock(async () => {
    const standing = await rpc("smartnodes_standing", [account]);
    const w = standing.worker;
    if (!w) {
      fill(main, h("h1", {}, "Worker"), h("p", {}, h("span", { class: "mono" }, account), " is not a registered worker."));
      return;
    }
    const [full, balance, audits] = await Promise.all([
      enrich(api, w),
      read(contracts().token, "balanceOf", [w.payout]).catch(() => null),
      api.query.audits.lastChallenged(account).catch(() => null),
    ]);
    fill(
      main,
      h("h1", {}, "Worker ", h("span", { class: "mono" }, account)),
      h(
        "div",
        { class: "cards" },
        card("Status", status(w)),
        card("Reputation", w.score),
        card("Strikes", w.strikes),
        card("Jobs done", full.done),
        card("Faults ever", full.faults),
        card("Running now", w.load),
        card("Earned (SNO)", full.earned === null ? "–" : sno(full.earned), { id: "worker-earned" }),
        card("Claimed on Base (SNO)", full.claimed === null ? "–" : sno(full.claimed)),
        card("SNO on Base", balance === null ? "–" : sno(balance)),
      ),
      h("h2", {}, "Registration"),
      table(
        [
          ["", (r) => r[0]],
          ["", (r) => r[1]],
        ],
        [
          ["Identity key (ed25519)", h("span", { class: "mono" }, w.identity)],
          ["Endpoint", h("span", { class: "mono" }, w.endpoint)],
          ["Capacity", capacity(w.capacity)],
          ["Payout address on Base", h("span", { class: "mono" }, w.payout)],
          ["Networks", w.networks.join(", ")],
          ["Attached to validator", h("span", { class: "mono" }, w.validator)],
          ["Registered at", `#${w.registeredAt}`],
          ["Last challenge reported", audits?.isSome ? `round ${audits.unwrap().toString()}` : "–"],
        ],
      ),
      h("p", {}, link(`#/rewards?address=${w.payout}`, "Claim this worker's rewards on Base →")),
    );
  }, main);
}
