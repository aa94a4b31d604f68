// The DAO on Base: its proposals with their state and votes, a token holder's voting power and
// vote, and the decisions it sent to the chain with whether the chain applied them.
import { decodeAbiParameters, formatUnits } from "viem";
import { baseWallet, connect, contracts, read, rpc } from "../net.js";
import { card, fill, h, pill, short, showError, sno, table } from "../ui.js";

const STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];
const KINDS = ["state update interval", "validator collateral", "protocol fee", "runtime upgrade"];

function describe(kind, payload) {
  try {
    switch (kind) {
      case 0: return `interval = ${decodeAbiParameters([{ type: "uint32" }], payload)[0]} blocks`;
      case 1: return `collateral = ${sno(decodeAbiParameters([{ type: "uint128" }], payload)[0])} SNO`;
      case 2: return `protocol fee = ${decodeAbiParameters([{ type: "uint16" }], payload)[0]} bps`;
      case 3: return `code hash ${short(decodeAbiParameters([{ type: "bytes32" }], payload)[0], 12, 8)}`;
      default: return `unknown kind ${kind}`;
    }
  } catch {
    return `malformed payload ${short(payload, 12, 6)}`;
  }
}

async function holder(outcome) {
  const { dao, token } = contracts();
  try {
    const wallet = await baseWallet();
    const me = wallet.account.address;
    const [balance, votes, delegate] = await Promise.all([read(token, "balanceOf", [me]), read(token, "getVotes", [me]), read(token, "delegates", [me])]);
    const delegateButton = h("button", { type: "button" }, "Delegate to myself");
    delegateButton.addEventListener("click", () => send(outcome, () => wallet.writeContract({ ...token, functionName: "delegate", args: [me], account: wallet.account, chain: wallet.chain })));
    return [
      h("div", { class: "cards" }, card("Your SNO on Base", sno(balance)), card("Your voting power", sno(votes)), card("Delegated to", short(delegate, 8, 6))),
      votes === 0n && balance > 0n ? h("p", {}, "Votes count from delegated balances: ", delegateButton) : null,
      h("p", { class: "notice" }, `Acting as ${me} (the Base key above). Proposal threshold ${formatUnits(await read(dao, "proposalThreshold"), 18)} SNO.`),
    ];
  } catch (error) {
    return h("p", { class: "error" }, error.message);
  }
}

async function send(outcome, write) {
  const { publicClient } = await connect();
  fill(outcome, h("p", { class: "muted" }, "sending to Base…"));
  try {
    const hash = await write();
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    fill(outcome, h("p", { class: "good" }, `Done in Base block ${receipt.blockNumber}.`));
  } catch (error) {
    showError(outcome, error.shortMessage ? new Error(error.shortMessage) : error);
  }
}

export async function render(main) {
  const { publicClient } = await connect();
  const { dao } = contracts();
  const outcome = h("div");
  const draw = async () => {
    const [created, cast, decisions, status] = await Promise.all([
      publicClient.getContractEvents({ ...dao, eventName: "ProposalCreated", fromBlock: 0n }),
      publicClient.getContractEvents({ ...dao, eventName: "VoteCast", fromBlock: 0n }),
      publicClient.getContractEvents({ ...dao, eventName: "ChainDecision", fromBlock: 0n }),
      rpc("smartnodes_bridgeStatus", []),
    ]);
    const proposals = await Promise.all(
      created.map(async (e) => {
        const id = e.args.proposalId;
        const [state, votes] = await Promise.all([read(dao, "state", [id]), read(dao, "proposalVotes", [id])]);
        return { id, e, state: STATES[state] ?? String(state), against: votes[0], for: votes[1], abstain: votes[2] };
      }),
    );
    const wallet = await baseWallet().catch(() => null);
    const vote = (p, support, label) => {
      const b = h("button", { type: "button" }, label);
      b.addEventListener("click", () =>
        send(outcome, () => wallet.writeContract({ ...dao, functionName: "castVote", args: [p.id, support], account: wallet.account, chain: wallet.chain })).then(draw),
      );
      return b;
    };
    fill(
      main,
      h("h1", {}, "DAO"),
      await holder(outcome),
      outcome,
      h("h2", {}, "Proposals"),
      table(
        [
          ["Proposal", (p) => h("span", { class: "mono", title: p.id.toString() }, short(p.id.toString(), 8, 6))],
          ["Description", (p) => p.e.args.description],
          ["Proposer", (p) => h("span", { class: "mono" }, short(p.e.args.proposer, 8, 6))],
          ["State", (p) => pill(p.state, { Executed: "good", Defeated: "bad", Canceled: "bad", Expired: "bad" }[p.state] ?? "")],
          ["For", (p) => sno(p.for, 0), "num"],
          ["Against", (p) => sno(p.against, 0), "num"],
          ["Abstain", (p) => sno(p.abstain, 0), "num"],
          ["Vote", (p) => (p.state === "Active" && wallet ? [vote(p, 1, "For"), " ", vote(p, 0, "Against")] : "")],
        ],
        [...proposals].reverse(),
        "no proposals yet",
        { id: "dao-proposals" },
      ),
      h("h2", {}, "Votes"),
      table(
        [
          ["Voter", (e) => h("span", { class: "mono" }, short(e.args.voter, 8, 6))],
          ["Proposal", (e) => h("span", { class: "mono" }, short(e.args.proposalId.toString(), 8, 6))],
          ["Support", (e) => ["against", "for", "abstain"][e.args.support] ?? e.args.support],
          ["Weight (SNO)", (e) => sno(e.args.weight, 0), "num"],
        ],
        [...cast].reverse().slice(0, 50),
        "no votes yet",
      ),
      h("h2", {}, "Decisions sent to the chain"),
      table(
        [
          ["Nonce", (e) => e.args.nonce.toString(), "num"],
          ["Decision", (e) => KINDS[e.args.kind] ?? `kind ${e.args.kind}`],
          ["Value", (e) => describe(e.args.kind, e.args.payload)],
          ["Base block", (e) => e.blockNumber.toString(), "num"],
          ["On the chain", (e) => (Number(e.args.nonce) < status.decisions.nextNonce ? pill("reached the chain", "good") : pill("waiting for attestations"))],
        ],
        [...decisions].reverse(),
        "no decisions yet",
        { id: "dao-decisions" },
      ),
    );
  };
  await draw();
  const timer = setInterval(() => draw().catch((error) => showError(outcome, error)), 4_000);
  return () => clearInterval(timer);
}
