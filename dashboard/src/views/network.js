// The network: heights, the period and the next state update, the validators, and the open round
// with its proposers, proposals and votes. Refreshed at every new block.
import { connect, rpc } from "../net.js";
import { card, duration, fill, h, pill, short, sno, table } from "../ui.js";

/** Refreshes `draw` at every new best block until the returned function is called. */
export async function everyBlock(draw, el) {
  const { api } = await connect();
  let busy = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    if (busy) return void (again = true);
    busy = true;
    try {
      await draw();
    } finally {
      busy = false;
      if (again) {
        again = false;
        run().catch((error) => failed(error));
      }
    }
  };
  // A refresh that fails after the first draw leaves the page as it was, saying why on top.
  const failed = (error) => {
    console.error(error);
    if (el && !stopped) el.dataset.error = error?.message ?? String(error);
  };
  await run();
  const unsubscribe = await api.rpc.chain.subscribeNewHeads(() => run().catch(failed));
  return () => {
    stopped = true;
    unsubscribe();
  };
}

export function blockMillis(api) {
  return api.consts.jobs.millisecsPerBlock.toNumber();
}

/** A reputation record as of block `now`, decayed as `pallet_reputation::decayed` does. */
export function decayed(api, record, now) {
  const period = api.consts.reputation.decayPeriod.toNumber();
  const step = api.consts.reputation.decayStep.toNumber();
  const initial = api.consts.reputation.initialScore.toNumber();
  let score = record.score.toNumber();
  let strikes = record.strikes.toNumber();
  const periods = period > 0 ? Math.floor(Math.max(0, now - record.updatedAt.toNumber()) / period) : 0;
  if (periods > 0) {
    score = score > initial ? Math.max(initial, score - periods * step) : Math.min(initial, score + periods * step);
    if (record.blacklistedAt?.isNone ?? true) strikes = Math.max(0, strikes - periods);
  }
  return { score, strikes };
}

async function validators(api, round, now) {
  const [candidates, active] = await Promise.all([api.query.validators.candidates(), api.query.validators.activeSet()]);
  const activeSet = new Set(active.map(String));
  const accounts = [...new Set([...active.map(String), ...candidates.map(String)])];
  const voters = new Set((round?.proposals ?? []).flatMap((p) => p.voters));
  const proposers = new Set(round?.proposers ?? []);
  return Promise.all(
    accounts.map(async (account) => {
      const [bond, record, participation] = await Promise.all([
        api.query.validators.ledger(account),
        api.query.reputation.records("Validator", account),
        api.query.coordinator.participations(account),
      ]);
      return {
        account,
        bond: bond.isSome ? bond.unwrap().amount.toBigInt() : 0n,
        unbonding: bond.isSome && bond.unwrap().unbondingAt.isSome,
        ...(record.isSome ? decayed(api, record.unwrap(), now) : { score: null, strikes: 0 }),
        voted: participation.voted.toNumber(),
        proposed: participation.proposed.toNumber(),
        missed: participation.missed.toNumber(),
        active: activeSet.has(account),
        proposer: proposers.has(account),
        votedNow: voters.has(account),
      };
    }),
  );
}

export async function render(main) {
  const { api } = await connect();
  const ms = blockMillis(api);
  const initialScore = api.consts.reputation.initialScore.toNumber();
  return everyBlock(async () => {
    const [header, finalized, round, interval, accrual] = await Promise.all([
      api.rpc.chain.getHeader(),
      api.rpc.chain.getFinalizedHead().then((hash) => api.rpc.chain.getHeader(hash)),
      rpc("smartnodes_currentPeriod"),
      api.query.coordinator.stateUpdateInterval(),
      api.query.rewards.currentAccrual(),
    ]);
    const best = header.number.toNumber();
    const nextEnd = (await api.query.coordinator.nextPeriodEnd()).toNumber();
    const vals = await validators(api, round, best);
    const activeCount = vals.filter((v) => v.active).length;
    fill(
      main,
      h("h1", {}, "Network"),
      h(
        "div",
        { class: "cards" },
        card("Best block", `#${best}`, { id: "best-block" }),
        card("Finalized block", `#${finalized.number.toNumber()}`, { id: "finalized-block" }),
        card("Period accruing", accrual.period.toString()),
        card("Next state update", `#${nextEnd}`),
        card("Time to next update", duration(((nextEnd - best) * ms) / 1000)),
        card("Interval", `${interval.toNumber()} blocks (${duration((interval.toNumber() * ms) / 1000)})`),
        card("Active validators", `${activeCount} of ${vals.length}`),
      ),
      h("h2", {}, "Validators"),
      table(
        [
          ["Account", (v) => h("span", { class: "mono", title: v.account }, short(v.account, 10, 8))],
          ["Status", (v) => (v.active ? pill("active", "good") : v.unbonding ? pill("leaving", "bad") : pill("candidate"))],
          ["Bond (SNO)", (v) => sno(v.bond, 0), "num"],
          ["Reputation", (v) => (v.score === null ? `${initialScore} (new)` : v.score), "num"],
          ["Strikes", (v) => v.strikes, "num"],
          ["Tables proposed", (v) => v.proposed, "num"],
          ["Votes for passed tables", (v) => v.voted, "num"],
          ["Missed", (v) => v.missed, "num"],
          ["This round", (v) => [v.proposer ? pill("proposer") : "", " ", v.votedNow ? pill("voted", "good") : ""]],
        ],
        vals,
        "no validators",
        { id: "validators" },
      ),
      h("h2", {}, "Current round"),
      round === null
        ? h("p", { class: "muted" }, "No round is open yet: the first period has not closed.")
        : [
            h(
              "p",
              {},
              `Period ${round.period}, opened at #${round.openedAt}; open to every validator from #${round.openToAllAt}. `,
              `Set ${round.setId}: ${round.threshold} of ${round.setSize} votes pass a table. `,
              round.passed ? pill("passed", "good") : pill("voting"),
            ),
            h("p", {}, "Proposers: ", round.proposers.map((p) => h("span", { class: "mono", title: p }, short(p, 10, 8), " "))),
            table(
              [
                ["#", (p) => p.index, "num"],
                ["Proposer", (p) => h("span", { class: "mono", title: p.proposer }, short(p.proposer, 10, 8))],
                ["Root", (p) => h("span", { class: "mono" }, short(p.root, 12, 8))],
                ["Total (SNO)", (p) => sno(p.total, 2), "num"],
                ["Leaves", (p) => p.leafCount, "num"],
                ["Votes", (p) => `${p.votes} / ${round.threshold}`, "num"],
                ["Voters", (p) => p.voters.map((v) => h("div", { class: "mono", title: v }, short(v, 10, 8)))],
              ],
              round.proposals,
              "no proposal yet",
              { id: "proposals" },
            ),
          ],
    );
  }, main);
}
