// Jobs: submit a wasm job from the browser with a cost estimate first, list the account's jobs,
// follow one live and download its result from a worker that was paid for it (hash checked).
import { blake2AsHex } from "@polkadot/util-crypto";
import { chainSigner, connect, rpc, submit } from "../net.js";
import { fill, h, link, parseSno, pill, short, showError, sno, table } from "../ui.js";
import { blockMillis, everyBlock } from "./network.js";

const DEFAULTS = { fuel: 1_000_000_000, memoryMib: 64, timeMs: 10_000, replication: 3, maxPayment: "3", deadlineBlocks: 100 };

function statusPill(job) {
  const kind = { completed: "good", failed: "bad", cancelled: "bad" }[job.status] ?? "";
  return pill(job.failure ? `${job.status}: ${job.failure}` : job.status, kind);
}

/** Everything the chain asks of a submission, as the runtime checks it (pallets/jobs/src/impls.rs). */
export function limitsOf(api) {
  const max = api.consts.jobs.maxLimits;
  return {
    maxFuel: max.fuel.toBigInt(),
    maxMemoryMib: max.memoryMib.toNumber(),
    maxTimeMs: max.timeMs.toNumber(),
    maxReplicas: api.consts.jobs.maxReplicas.toNumber(),
    maxDeadline: api.consts.jobs.maxDeadline.toNumber(),
    resultWindow: api.consts.jobs.resultWindow.toNumber(),
    revealWindow: api.consts.jobs.revealWindow.toNumber(),
    msPerBlock: blockMillis(api),
    jobDeposit: api.consts.jobs.jobDeposit.toBigInt(),
    userDeposit: api.consts.registry.userDeposit.toBigInt(),
  };
}

/** The blocks from the best block a job needs before its deadline: inclusion in the next block
 * (and one of margin), assignment two blocks on, the run, the reveals. */
export function minDeadlineBlocks(limits, timeMs) {
  return 4 + limits.resultWindow + Math.ceil(timeMs / Math.max(1, limits.msPerBlock)) + limits.revealWindow;
}

function readForm(form) {
  const value = (name) => form.elements[name].value.trim();
  return {
    network: Number(value("network")),
    fuel: value("fuel"),
    memoryMib: Number(value("memoryMib")),
    timeMs: Number(value("timeMs")),
    replication: Number(value("replication")),
    maxPayment: parseSno(value("maxPayment")),
    deadlineBlocks: Number(value("deadlineBlocks")),
    code: form.elements.code.files[0] ?? null,
    inputFile: form.elements.inputFile.files[0] ?? null,
    inputText: form.elements.inputText.value,
  };
}

/** What is wrong with the form for the chain's rules, or an empty list. */
function problems(f, limits, network) {
  const out = [];
  if (!f.code) out.push("pick the job's wasm module");
  if (!/^\d+$/.test(f.fuel) || BigInt(f.fuel) === 0n || BigInt(f.fuel) > limits.maxFuel) out.push(`fuel must be 1 to ${limits.maxFuel}`);
  if (!(f.memoryMib >= 1 && f.memoryMib <= limits.maxMemoryMib)) out.push(`memory must be 1 to ${limits.maxMemoryMib} MiB`);
  if (!(f.timeMs >= 1 && f.timeMs <= limits.maxTimeMs)) out.push(`time must be 1 to ${limits.maxTimeMs} ms`);
  const replicas = Math.min(limits.maxReplicas, network?.members ?? 0);
  if (!(Number.isInteger(f.replication) && f.replication >= 1 && f.replication <= replicas)) {
    out.push(`replication must be 1 to ${replicas} (the network has ${network?.members ?? 0} members)`);
  }
  if (f.maxPayment === null) out.push("the maximum payment must be an amount of SNO, like 3 or 0.25");
  else if (network && Number.isInteger(f.replication) && f.replication >= 1 && f.maxPayment / BigInt(f.replication) < BigInt(network.priceFloor)) {
    out.push(`each replica must be offered at least the price floor, ${sno(network.priceFloor)} SNO`);
  }
  const least = minDeadlineBlocks(limits, f.timeMs || 0);
  if (!(f.deadlineBlocks >= least && f.deadlineBlocks <= limits.maxDeadline)) {
    out.push(`the deadline must be ${least} to ${limits.maxDeadline} blocks away for this time limit`);
  }
  return out;
}

async function bytesOf(f) {
  const code = new Uint8Array(await f.code.arrayBuffer());
  const input = f.inputFile ? new Uint8Array(await f.inputFile.arrayBuffer()) : new TextEncoder().encode(f.inputText);
  return { code, input };
}

/** Stores `bytes` on the dashboard's file host under its hash; returns { hash, uri }. */
async function upload(bytes) {
  const hash = blake2AsHex(bytes, 256);
  const response = await fetch(`/files/${hash}`, { method: "PUT", body: bytes });
  if (!response.ok) throw new Error(`upload of ${hash} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

function specOf(f, code, input, best) {
  return {
    network: f.network,
    kind: "Wasm",
    code: { hash: code.hash, uri: code.uri },
    input: { hash: input.hash, uri: input.uri },
    replication: f.replication,
    limits: { fuel: f.fuel, memoryMib: f.memoryMib, timeMs: f.timeMs },
    deadline: best + f.deadlineBlocks,
    maxPayment: f.maxPayment,
  };
}

/** Every job of `account`, oldest first, a page of 100 at a time. */
async function jobsOf(account) {
  const all = [];
  for (;;) {
    const page = await rpc("smartnodes_jobsOf", [account, all.length ? all[all.length - 1].id : null, 100]);
    all.push(...page);
    if (page.length < 100) return all;
  }
}

export async function render(main) {
  const { api, config } = await connect();
  const limits = limitsOf(api);
  const networks = (await rpc("smartnodes_networks")).filter((n) => !n.retired && n.kind === "wasm");
  const estimate = h("div", { class: "estimate wide", id: "estimate" }, "Fill in the job to see its cost.");
  const outcome = h("div", { class: "wide", id: "submit-outcome" });
  const button = h("button", { type: "submit", id: "submit-job" }, "Submit job");
  const number = (name, value, attrs = {}) => h("input", { type: "number", name, value, min: 1, ...attrs });
  const form = h(
    "form",
    { class: "grid", id: "job-form" },
    h("label", {}, "Network"),
    h("select", { name: "network" }, networks.map((n) => h("option", { value: n.id }, `${n.id}: ${n.name} (${n.members} workers)`))),
    h("label", {}, "Wasm module"),
    h("input", { type: "file", name: "code", accept: ".wasm,application/wasm" }),
    h("label", {}, "Input file"),
    h("input", { type: "file", name: "inputFile" }),
    h("label", {}, "…or input text"),
    h("input", { type: "text", name: "inputText", placeholder: "used when no input file is picked" }),
    h("label", {}, "Fuel limit"),
    h("input", { type: "text", name: "fuel", value: DEFAULTS.fuel, inputmode: "numeric" }),
    h("label", {}, "Memory limit (MiB)"),
    number("memoryMib", DEFAULTS.memoryMib, { max: limits.maxMemoryMib }),
    h("label", {}, "Time limit (ms)"),
    number("timeMs", DEFAULTS.timeMs, { max: limits.maxTimeMs }),
    h("label", {}, "Replication"),
    number("replication", DEFAULTS.replication, { max: limits.maxReplicas }),
    h("label", {}, "Maximum payment (SNO)"),
    h("input", { type: "text", name: "maxPayment", value: DEFAULTS.maxPayment }),
    h("label", {}, "Deadline (blocks from now)"),
    number("deadlineBlocks", DEFAULTS.deadlineBlocks, { max: limits.maxDeadline }),
    estimate,
    h("div", { class: "wide" }, button),
    outcome,
  );

  let estimating = 0;
  const update = async () => {
    const mine = ++estimating;
    const f = readForm(form);
    const network = networks.find((n) => n.id === f.network);
    const wrong = problems(f, limits, network);
    button.disabled = wrong.length > 0;
    if (wrong.length > 0) return fill(estimate, h("ul", { class: "error" }, wrong.map((p) => h("li", {}, p))));
    try {
      const signer = chainSigner();
      const [{ code, input }, standing, best, free] = await Promise.all([
        bytesOf(f),
        rpc("smartnodes_standing", [signer.address]),
        api.rpc.chain.getHeader().then((x) => x.number.toNumber()),
        api.query.system.account(signer.address).then((a) => a.data.free.toBigInt()),
      ]);
      // The URIs the files will have, so the length fee is the real one.
      const file = (bytes) => ({ hash: blake2AsHex(bytes, 256), uri: `${config.files}${blake2AsHex(bytes, 256)}` });
      const spec = specOf(f, file(code), file(input), best);
      const info = await api.tx.jobs.submitJob(spec).paymentInfo(signer);
      if (mine !== estimating) return;
      const fee = info.partialFee.toBigInt();
      const registration = standing.userSince === null ? limits.userDeposit : 0n;
      const held = f.maxPayment + limits.jobDeposit + registration;
      const perReplica = f.maxPayment / BigInt(f.replication);
      fill(
        estimate,
        table(
          [
            ["Cost", (r) => r[0]],
            ["SNO", (r) => r[1], "num"],
          ],
          [
            ["Escrow: the most the job can cost (paid per replica by fuel used, the rest refunded)", sno(f.maxPayment)],
            [`Each of ${f.replication} replicas is paid at most`, sno(perReplica)],
            ["Storage deposit, returned when the job is removed", sno(limits.jobDeposit)],
            registration > 0n ? ["User registration deposit (first job only, returned on leaving)", sno(registration)] : null,
            ["Transaction fee", sno(fee, 6)],
            ["Held or spent when submitting", h("strong", { id: "estimate-total" }, sno(held + fee, 6))],
            [`Balance of ${short(signer.address, 8, 6)}`, sno(free)],
          ].filter(Boolean),
        ),
        held + fee > free ? h("p", { class: "error" }, "The account's free balance does not cover this.") : null,
        h("p", { class: "notice" }, `Code ${short(spec.code.hash, 10, 6)} (${code.length} bytes), input ${short(spec.input.hash, 10, 6)} (${input.length} bytes); deadline block #${spec.deadline}.`),
      );
    } catch (error) {
      if (mine === estimating) showError(estimate, error);
    }
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    fill(outcome, h("p", { class: "muted" }, "uploading the code and input…"));
    try {
      const f = readForm(form);
      const signer = chainSigner();
      const bytes = await bytesOf(f);
      const [code, input] = await Promise.all([upload(bytes.code), upload(bytes.input)]);
      const standing = await rpc("smartnodes_standing", [signer.address]);
      if (standing.userSince === null) {
        fill(outcome, h("p", { class: "muted" }, "registering the account as a user…"));
        await submit(api.tx.registry.registerUser(), signer);
      }
      fill(outcome, h("p", { class: "muted" }, "submitting the job…"));
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      const { events } = await submit(api.tx.jobs.submitJob(specOf(f, code, input, best)), signer);
      const submitted = events.find(({ event }) => api.events.jobs.JobSubmitted.is(event));
      if (!submitted) throw new Error("the block holds no JobSubmitted event");
      location.hash = `#/job/${submitted.event.data.id.toString()}`;
    } catch (error) {
      showError(outcome, error);
      button.disabled = false;
    }
  });

  const mine = h("div", { id: "my-jobs" });
  const stop = await everyBlock(async () => {
    let signer;
    try {
      signer = chainSigner();
    } catch (error) {
      return showError(mine, error);
    }
    const jobs = (await jobsOf(signer.address)).slice(-100);
    fill(
      mine,
      table(
        [
          ["Job", (j) => link(`#/job/${j.id}`, `#${j.id}`)],
          ["Status", statusPill],
          ["Replicas", (j) => j.replication, "num"],
          ["Max payment (SNO)", (j) => sno(j.maxPayment), "num"],
          ["Submitted", (j) => `#${j.submittedAt}`, "num"],
          ["Settled", (j) => (j.settledAt ? `#${j.settledAt}` : "–"), "num"],
        ],
        [...jobs].reverse(),
        "no jobs from this account",
      ),
    );
  }, main);
  fill(
    main,
    h("h1", {}, "Jobs"),
    h("h2", {}, "Submit a wasm job"),
    h("p", { class: "muted" }, "The module exports the job ABI (docs/jobs.md). Its code and input go to this dashboard's file host, addressed by hash; workers fetch and check them."),
    form,
    h("h2", {}, "Jobs of the chain account"),
    mine,
  );
  update();
  return stop;
}

/** Fetches job `id`'s output from a worker paid for it, checking it against the agreed hash. */
export async function fetchOutput(job) {
  const paid = job.replicas.filter((r) => r.state === "paid" && r.outputHash === job.outputHash);
  const errors = [];
  for (const replica of paid) {
    try {
      const { worker } = await rpc("smartnodes_standing", [replica.worker]);
      if (!worker) throw new Error("no longer registered");
      const url = `${worker.endpoint.replace(/\/$/, "")}/v1/jobs/${job.id}/output`;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const hash = blake2AsHex(bytes, 256);
      if (hash !== job.outputHash) throw new Error(`${url} sent bytes hashing to ${hash}, not the agreed ${job.outputHash}`);
      return bytes;
    } catch (error) {
      errors.push(`${short(replica.worker, 8, 6)}: ${error.message}`);
    }
  }
  throw new Error(`no paid worker served the output:\n${errors.join("\n")}`);
}

function preview(bytes) {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes.slice(0, 256));
  const printable = /^[\x20-\x7e\s]*$/.test(text);
  const hex = [...bytes.slice(0, 64)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return printable ? text : `0x${hex}${bytes.length > 64 ? "…" : ""}`;
}

export async function renderJob(main, id) {
  const { api } = await connect();
  const ms = blockMillis(api);
  const result = h("div", { id: "job-result" });
  let downloaded = null;
  let downloading = false;
  let completed = false;
  const download = h("button", { id: "download-result", disabled: true }, "Download result");
  download.addEventListener("click", async () => {
    downloading = true;
    download.disabled = true;
    try {
      const job = await rpc("smartnodes_job", [Number(id)]);
      downloaded ??= await fetchOutput(job);
      const a = h("a", { href: URL.createObjectURL(new Blob([downloaded])), download: `job-${id}-output.bin` });
      document.body.append(a);
      a.click();
      a.remove();
      fill(result, h("p", {}, `${downloaded.length} bytes, hash checked: `, h("span", { class: "mono", id: "output-preview" }, preview(downloaded))));
    } catch (error) {
      showError(result, error);
    } finally {
      downloading = false;
      download.disabled = !completed;
    }
  });
  const body = h("div");
  fill(main, h("h1", {}, `Job #${id}`), body, h("h2", {}, "Result"), download, result);
  return everyBlock(async () => {
    const [job, best] = await Promise.all([rpc("smartnodes_job", [Number(id)]), api.rpc.chain.getHeader()]);
    if (!job) return fill(body, h("p", {}, "No such job on chain (never submitted, or removed after its retention)."));
    const now = best.number.toNumber();
    main.dataset.status = job.status;
    completed = job.status === "completed";
    download.disabled = downloading || !completed;
    fill(
      body,
      h("p", { id: "job-status" }, statusPill(job), " ", job.revealing ? pill("revealing") : ""),
      table(
        [
          ["", (r) => r[0]],
          ["", (r) => r[1]],
        ],
        [
          ["Owner", h("span", { class: "mono" }, job.owner)],
          ["Network", job.network],
          ["Code", h("span", { class: "mono" }, `${job.codeHash} ← ${job.codeUri}`)],
          ["Input", h("span", { class: "mono" }, `${job.inputHash} ← ${job.inputUri}`)],
          ["Limits", `${job.fuel} fuel, ${job.memoryMib} MiB, ${job.timeMs} ms`],
          ["Submitted", `#${job.submittedAt}`],
          ["Deadline", `#${job.deadline}${job.settledAt ? "" : ` (in ${Math.max(0, job.deadline - now)} blocks, ~${Math.round((Math.max(0, job.deadline - now) * ms) / 1000)} s)`}`],
          ["Settled", job.settledAt ? `#${job.settledAt} (${job.settledAt - job.submittedAt} blocks after submission)` : "–"],
          ["Max payment / escrow left", `${sno(job.maxPayment)} / ${sno(job.escrow)} SNO`],
          ["Output hash", h("span", { class: "mono" }, job.outputHash ?? "–")],
          ["Fuel used", job.fuelUsed ?? "–"],
        ],
      ),
      h("h2", {}, "Replicas"),
      table(
        [
          ["Worker", (r) => link(`#/worker/${r.worker}`, h("span", { class: "mono" }, short(r.worker, 10, 8)))],
          ["State", (r) => pill(r.state, { paid: "good", wrong: "bad", missed: "bad" }[r.state] ?? "")],
          ["Assigned", (r) => `#${r.assignedAt}`, "num"],
          ["Expires", (r) => `#${r.expiresAt}`, "num"],
          ["Output", (r) => h("span", { class: "mono" }, r.outputHash ? short(r.outputHash, 10, 6) : "–")],
          ["Paid (SNO)", (r) => (r.paid ? sno(r.paid, 6) : "–"), "num"],
        ],
        job.replicas,
        "not assigned yet",
        { id: "replicas" },
      ),
    );
  }, main);
}
