// Rewards: the emission schedule as charts, the rewards of recent periods, and an address's claim
// on Base with the proof from the chain.
import { baseWallet, connect, contracts, read, rpc } from "../net.js";
import { card, fill, h, pill, short, showError, sno, table } from "../ui.js";
import { schedule } from "../emission.js";

const SVG = "http://www.w3.org/2000/svg";
const s = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};
const toSno = (v) => Number(v / 10n ** 14n) / 1e4;

/** A bar or line chart of `values` (numbers) by `labels`, 460 x 220, with a few y ticks. */
function chart({ title, labels, values, kind, id }) {
  const W = 460, H = 220, L = 70, B = 30, T = 24, R = 10;
  const max = Math.max(...values) * 1.08 || 1;
  const x = (i) => L + ((W - L - R) * (i + 0.5)) / values.length;
  const y = (v) => H - B - ((H - B - T) * v) / max;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const fmt = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0));
  const marks =
    kind === "bar"
      ? values.map((v, i) => s("rect", { x: x(i) - 14, y: y(v), width: 28, height: H - B - y(v), fill: "#2456d6" }, s("title", {}, `year ${labels[i]}: ${v.toLocaleString("en-US")} SNO`)))
      : [
          s("polyline", { points: values.map((v, i) => `${x(i)},${y(v)}`).join(" "), fill: "none", stroke: "#18794e", "stroke-width": 2 }),
          ...values.map((v, i) => s("circle", { cx: x(i), cy: y(v), r: 3, fill: "#18794e" }, s("title", {}, `end of year ${labels[i]}: ${v.toLocaleString("en-US")} SNO`))),
        ];
  return s(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, width: W, height: H, id, role: "img", "aria-label": title },
    s("text", { x: L, y: 14, style: "font-weight:600;fill:#1c2330" }, title),
    ...ticks.map((t) => s("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: "#e3e7ee" })),
    ...ticks.map((t) => s("text", { x: L - 6, y: y(t) + 4, "text-anchor": "end" }, fmt(t))),
    ...marks,
    ...labels.map((l, i) => s("text", { x: x(i), y: H - B + 16, "text-anchor": "middle" }, `y${l}`)),
  );
}

async function emission(api) {
  const [interval, status] = await Promise.all([api.query.coordinator.stateUpdateInterval(), rpc("smartnodes_bridgeStatus", [])]);
  const c = api.consts.rewards;
  const rows = schedule({
    initial: c.initialHourlyEmission.toBigInt(),
    tail: c.tailHourlyEmission.toBigInt(),
    blocksPerHour: c.blocksPerHour.toNumber(),
    blocksPerYear: c.blocksPerYear.toNumber(),
    blocksPerUpdate: interval.toNumber(),
    genesis: BigInt(status.supply.genesisIssuance),
    years: 10,
  });
  const labels = rows.map((r) => r.year);
  return [
    h("h2", {}, "Emission schedule"),
    h(
      "p",
      { class: "muted" },
      `${sno(c.initialHourlyEmission.toBigInt(), 0)} SNO an hour in the first year, x 0.6 every year, down to a tail of ${sno(c.tailHourlyEmission.toBigInt(), 0)} SNO an hour. `,
      `One state update is ${interval.toNumber()} blocks on this chain; 85% goes to workers, 10% to the validators who pass the table, 5% to the DAO treasury.`,
    ),
    h(
      "div",
      { class: "row" },
      chart({ title: "SNO per state update, by year", labels, values: rows.map((r) => toSno(r.perUpdate)), kind: "bar", id: "chart-per-update" }),
      chart({ title: "Supply at year end (chain genesis + emitted), SNO", labels, values: rows.map((r) => toSno(r.supply)), kind: "line", id: "chart-supply" }),
    ),
    table(
      [
        ["Year", (r) => r.year, "num"],
        ["SNO per hour", (r) => sno(r.hourly, 1), "num"],
        ["SNO per state update", (r) => sno(r.perUpdate, 1), "num"],
        ["SNO in the year", (r) => sno(r.perYear, 0), "num"],
        ["Supply at year end", (r) => sno(r.supply, 0), "num"],
      ],
      rows,
    ),
  ];
}

async function periods(api) {
  const accrual = await api.query.rewards.currentAccrual();
  const current = accrual.period.toNumber();
  const ids = [];
  for (let p = current - 1; p >= 1 && ids.length < 12; p--) ids.push(p);
  const records = await api.query.rewards.periods.multi(ids);
  const lastPassed = await api.query.rewards.lastPassed();
  const passed = lastPassed.isSome ? lastPassed.unwrap().period.toNumber() : 0;
  const rows = ids.map((id, i) => ({ id, r: records[i] })).filter(({ r }) => r.isSome).map(({ id, r }) => ({ id, r: r.unwrap() }));
  return [
    h("h2", {}, "Rewards per period"),
    h("p", { class: "muted" }, `Period ${current} is accruing; the last table that passed is period ${passed || "–"}.`),
    table(
      [
        ["Period", (x) => x.id, "num"],
        ["Blocks", (x) => `#${x.r.start} – #${x.r.end.toNumber() - 1}`],
        ["Emission", (x) => sno(x.r.emission.toBigInt(), 0), "num"],
        ["Workers (85%)", (x) => sno(x.r.workerPool.toBigInt(), 0), "num"],
        ["Validators (10%)", (x) => sno(x.r.validatorPool.toBigInt(), 0), "num"],
        ["Treasury", (x) => sno(x.r.treasuryShare.toBigInt(), 0), "num"],
        ["Job payments", (x) => sno(x.r.accrual.payments.toBigInt(), 4), "num"],
        ["Contributors", (x) => x.r.accrual.contributors.toNumber(), "num"],
        ["Table", (x) => (x.id <= passed ? pill("passed", "good") : pill("voting"))],
      ],
      rows,
      "no period has closed yet",
      { id: "periods" },
    ),
  ];
}

/** The claim panel: what `address` is owed under the last root, what it claimed, and a button. */
function claimPanel(initial) {
  const address = h("input", { type: "text", id: "claim-address", value: initial, size: 44, spellcheck: "false" });
  const info = h("div", { id: "claim-info" });
  const button = h("button", { id: "claim-button", disabled: true }, "Claim on Base");
  const outcome = h("div", { id: "claim-outcome" });
  let current = null;

  const look = async () => {
    current = null;
    button.disabled = true;
    const account = address.value.trim();
    if (!/^0x[0-9a-fA-F]{40}$/.test(account)) return fill(info, h("p", { class: "error" }, "Enter a Base address (0x and 40 hex digits)."));
    try {
      const [proof, claimed, balance, active] = await Promise.all([
        rpc("smartnodes_rewardProof", [account]),
        read(contracts().distributor, "claimed", [account]),
        read(contracts().token, "balanceOf", [account]),
        read(contracts().distributor, "activeRoot").catch(() => null),
      ]);
      const cumulative = BigInt(proof.cumulativeAmount);
      const claimable = cumulative > claimed ? cumulative - claimed : 0n;
      const live = active && active[0].toLowerCase() === proof.root.toLowerCase();
      // The chain's form of the address (lower case), which viem takes without a checksum.
      current = { account: proof.account, proof, claimable, live };
      button.disabled = !(live && claimable > 0n && proof.included);
      fill(
        info,
        h(
          "div",
          { class: "cards" },
          card("Earned under root of period", proof.period),
          card("Earned in all (SNO)", sno(cumulative)),
          card("Claimed on Base (SNO)", sno(claimed)),
          card("Claimable now (SNO)", sno(claimable), { id: "claimable" }),
          card("SNO balance on Base", sno(balance), { id: "base-balance", dataset: { wei: balance.toString() } }),
        ),
        live
          ? null
          : h("p", { class: "muted" }, `The chain's root of period ${proof.period} is not Base's active root yet (the relayer posts it; a pending root waits out the DAO's veto delay).`),
        proof.included ? null : h("p", { class: "muted" }, "This address has no leaf in the reward table."),
      );
    } catch (error) {
      showError(info, error);
    }
  };

  button.addEventListener("click", async () => {
    if (!current) return;
    button.disabled = true;
    fill(outcome, h("p", { class: "muted" }, "sending the claim to Base…"));
    try {
      const { publicClient } = await connect();
      const wallet = await baseWallet();
      const { proof, account } = current;
      const args = [account, BigInt(proof.cumulativeAmount), proof.proof];
      // Simulated first: a root that activated since the proof was read makes the claim revert,
      // and the page then reads the new proof instead of paying for a failed transaction.
      const { request } = await publicClient.simulateContract({ ...contracts().distributor, functionName: "claim", args, account: wallet.account });
      const hash = await wallet.writeContract(request);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`the claim ${hash} reverted; the proof is re-read below`);
      fill(outcome, h("p", { class: "good", id: "claim-done" }, `Claimed in Base block ${receipt.blockNumber} (gas ${receipt.gasUsed}): `, h("span", { class: "mono" }, short(hash, 12, 8))));
    } catch (error) {
      showError(outcome, error.shortMessage ? new Error(error.shortMessage) : error);
    }
    await look();
  });
  address.addEventListener("change", look);
  look();
  return [
    h("h2", {}, "Claim rewards on Base"),
    h("p", { class: "muted" }, "Anyone may claim for an address: the SNO goes to the address, the sender pays the gas."),
    h("p", {}, h("label", {}, "Base address ", address), " ", h("button", { type: "button", onclick: look }, "Look up")),
    info,
    button,
    outcome,
  ];
}

export async function render(main, params) {
  const { api } = await connect();
  let initial = params?.get("address") ?? "";
  if (!initial) {
    try {
      initial = (await baseWallet()).account.address;
    } catch {
      initial = "";
    }
  }
  const [charts, recent] = await Promise.all([emission(api), periods(api)]);
  fill(main, h("h1", {}, "Rewards"), claimPanel(initial), charts, recent);
}
