// The bridge: the reward root on each side and the lag, the validator set on both sides, the
// deposits from Base and where they are on the chain, and the SNO supply on both sides.
import { encodeAddress } from "@polkadot/util-crypto";
import { connect, contracts, read, rpc } from "../net.js";
import { card, duration, fill, h, pill, short, sno, table } from "../ui.js";
import { blockMillis, everyBlock } from "./network.js";

const same = (a, b) => a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i].toLowerCase());

export async function render(main) {
  const { api, publicClient } = await connect();
  const ms = blockMillis(api);
  const { distributor, token } = contracts();
  return everyBlock(async () => {
    const [status, best, lastPeriod, setId, validators, threshold, active, pending, supply, claimed, deposits] = await Promise.all([
      rpc("smartnodes_bridgeStatus", []),
      api.rpc.chain.getHeader().then((x) => x.number.toNumber()),
      read(distributor, "lastPeriod"),
      read(distributor, "validatorSetId"),
      read(distributor, "validators"),
      read(distributor, "threshold"),
      read(distributor, "activeRoot").catch(() => null),
      read(distributor, "pendingRoot").catch(() => null),
      read(token, "totalSupply"),
      read(distributor, "totalClaimed"),
      publicClient.getContractEvents({ ...distributor, eventName: "DepositedToChain", fromBlock: 0n }),
    ]);
    const passed = status.latestPassed;
    const lag = passed ? passed.period - Number(lastPeriod) : 0;
    const setsMatch = Number(setId) === status.validatorSet.setId && same(validators, status.validatorSet.validators);
    // Deposit nonces start at 1 on both sides: every nonce below the chain's next one is minted.
    const minted = status.deposits.nextNonce;
    const hasActive = active !== null && BigInt(active[0]) !== 0n;
    fill(
      main,
      h("h1", {}, "Bridge"),
      h(
        "div",
        { class: "cards" },
        card("Root passed on chain (period)", passed ? passed.period : "–"),
        card("Last period on Base", lastPeriod.toString(), { id: "base-last-period" }),
        card("Lag", passed ? (lag <= 0 ? "none" : `${lag} period${lag > 1 ? "s" : ""}, ${duration(((best - passed.passedAt) * ms) / 1000)}`) : "–", { id: "bridge-lag" }),
        card("Validator set", setsMatch ? `set ${setId} on both sides` : `chain ${status.validatorSet.setId}, Base ${setId}`),
        card("Deposits minted on chain", `${minted - 1} of ${deposits.length}`),
      ),
      h("h2", {}, "Reward roots"),
      table(
        [
          ["", (r) => r[0]],
          ["Period", (r) => r[1], "num"],
          ["Root", (r) => h("span", { class: "mono" }, r[2])],
          ["Total (SNO)", (r) => r[3], "num"],
        ],
        [
          ["Passed on the chain", passed?.period ?? "–", passed?.root ?? "–", passed ? sno(passed.total) : "–"],
          ["Active on Base", hasActive ? active[2].toString() : "–", hasActive ? active[0] : "–", hasActive ? sno(active[1]) : "–"],
          ["Pending on Base", pending && pending[3] > 0n ? `${pending[2]} (activates ${new Date(Number(pending[3]) * 1000).toLocaleTimeString()})` : "–", pending && pending[3] > 0n ? pending[0] : "–", pending && pending[3] > 0n ? sno(pending[1]) : "–"],
        ],
        "",
        { id: "roots" },
      ),
      h("h2", {}, "Validator set"),
      h(
        "div",
        { class: "row" },
        h("div", {}, h("p", {}, `Chain: set ${status.validatorSet.setId}`, status.queuedSetId !== status.validatorSet.setId ? ` (set ${status.queuedSetId} queued)` : ""), table([["Bridge key address", (a) => h("span", { class: "mono" }, a)]], status.validatorSet.validators)),
        h("div", {}, h("p", {}, `Base: set ${setId}, ${threshold} signatures needed `, setsMatch ? pill("in step", "good") : pill("catching up")), table([["Validator address", (a) => h("span", { class: "mono" }, a)]], validators)),
      ),
      h("h2", {}, "Set updates signed on the chain"),
      table(
        [
          ["Set", (u) => u.setId, "num"],
          ["Signed by set", (u) => u.signerSetId, "num"],
          ["Signatures", (u) => `${u.signatures.length} / ${u.threshold}`, "num"],
          ["", (u) => (u.complete ? pill("complete", "good") : pill("signing"))],
        ],
        [...status.setUpdates].reverse(),
        "no set change yet",
      ),
      h("h2", {}, "Deposits from Base"),
      table(
        [
          ["Nonce", (e) => e.args.nonce.toString(), "num"],
          ["From (Base)", (e) => h("span", { class: "mono" }, short(e.args.from, 10, 8))],
          ["To (chain)", (e) => h("span", { class: "mono" }, short(encodeAddress(e.args.chainAccount, 42), 10, 8))],
          ["SNO", (e) => sno(e.args.amount), "num"],
          ["Base block", (e) => e.blockNumber.toString(), "num"],
          ["On chain", (e) => (Number(e.args.nonce) < minted ? pill("minted", "good") : status.deposits.attesting.some(([n]) => n === Number(e.args.nonce)) ? pill("attesting") : pill("waiting for confirmations"))],
        ],
        [...deposits].reverse().slice(0, 20),
        "no deposits yet",
        { id: "deposits" },
      ),
      h("h2", {}, "SNO supply"),
      table(
        [
          ["", (r) => r[0]],
          ["SNO", (r) => r[1], "num"],
        ],
        [
          ["Chain: issuance", sno(status.supply.issuance)],
          ["Chain: expected (genesis + deposited − withdrawn − job payments − burned)", sno(status.supply.expectedIssuance)],
          ["Chain: emitted by closed periods (minted on Base when claimed)", sno(status.supply.emitted)],
          ["Base: token total supply", sno(supply)],
          ["Base: claimed from the distributor", sno(claimed)],
        ],
        "",
        { id: "supply" },
      ),
    );
  }, main);
}
