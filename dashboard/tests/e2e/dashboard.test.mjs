// The dashboard in headless Chromium (Debian's, driven by playwright-core) against the running
// local network (scripts/localnet): live blocks, every page, a job submitted in the page that
// completes and whose result downloads, and a claim from the page that raises an address's SNO on
// Anvil. Screenshots of each page go to $SMARTNODES_ARTIFACTS (default .localnet/artifacts).
//
//   DASHBOARD_URL=http://127.0.0.1:8700 node --test dashboard/tests/e2e/
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { createPublicClient, http, parseAbi } from "viem";
import { blake2AsHex, cryptoWaitReady } from "@polkadot/util-crypto";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const URL_ = process.env.DASHBOARD_URL ?? "http://127.0.0.1:8700";
const CHAIN = process.env.SMARTNODES_CHAIN_HTTP ?? "http://127.0.0.1:9944";
const BASE = process.env.SMARTNODES_BASE_RPC ?? "http://127.0.0.1:8545";
const LOCALNET = process.env.SMARTNODES_LOCALNET_DIR ?? join(root, ".localnet");
const ARTIFACTS = process.env.SMARTNODES_ARTIFACTS ?? join(LOCALNET, "artifacts");
const BROWSER = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TARGET = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/smartnodes/target");
// The workers' payout addresses on Base (Anvil #7..#9), as scripts/localnet registers them.
const PAYOUTS = ["0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"];

let profile;
let context;
let page;
let deployment;
const base = createPublicClient({ transport: http(BASE) });
const erc20 = parseAbi(["function balanceOf(address) view returns (uint256)", "function claimed(address) view returns (uint256)"]);

async function chainRpc(method, params = []) {
  const response = await fetch(CHAIN, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function shot(name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Opens a route and waits until its view has rendered once. */
async function open(route) {
  await page.goto(`${URL_}/#${route}`);
  await page.waitForFunction(() => document.getElementById("main").dataset.ready === "true", null, { timeout: 60_000 });
  const error = await page.$("#main > .error");
  if (error) assert.fail(`${route} shows an error: ${await error.textContent()}`);
}

before(async () => {
  await cryptoWaitReady();
  await mkdir(ARTIFACTS, { recursive: true });
  deployment = JSON.parse(await (await fetch(`${URL_}/config.json`)).text()).deployment;
  profile = await mkdtemp(join(tmpdir(), "smartnodes-chromium-"));
  // A fresh profile, headless, and no background traffic: nothing outside this machine answers.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: BROWSER,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

test("the network page loads and shows live blocks, validators and the round", async () => {
  await open("/");
  const number = async (id) => Number((await page.textContent(`#${id} .value`)).replace(/[^0-9]/g, ""));
  const first = await number("best-block");
  assert.ok(first > 0, "a best block is shown");
  await page.waitForFunction((n) => Number(document.querySelector("#best-block .value").textContent.replace(/\D/g, "")) > n, first, { timeout: 30_000 });
  const later = await number("best-block");
  assert.ok(later > first, `the best block moved on (#${first} → #${later})`);
  assert.ok((await number("finalized-block")) > 0, "a finalized block is shown");
  const heads = await page.$eval("#heads", (el) => Number(el.dataset.best));
  assert.ok(heads >= later, "the header follows the chain too");
  const validators = await page.$$eval("#validators tbody tr", (rows) => rows.map((r) => r.textContent));
  assert.equal(validators.length, 4, "the four local validators are listed");
  assert.ok(validators.filter((v) => v.includes("active")).length >= 3, "the active ones are marked");
  await shot("network");
});

test("the workers page lists the three workers with their standing, and a worker's page opens", async () => {
  await open("/workers");
  const rows = await page.$$eval("table.workers tbody tr", (r) => r.map((x) => x.textContent));
  assert.ok(rows.length >= 3, `three workers stand in network 0 (got ${rows.length})`);
  await shot("workers");
  await page.click("table.workers tbody tr:first-child a");
  await page.waitForFunction(() => document.getElementById("main").dataset.ready === "true" && document.querySelector("#worker-earned"));
  assert.match(await page.textContent("main h1"), /^Worker /);
  await shot("worker");
});

test("a job submitted in the page completes and its result downloads, hash checked", async () => {
  await open("/jobs");
  // The hash-chain example job, built from the repository by the worker binary.
  const code = join(ARTIFACTS, "hash_chain.wasm");
  execFileSync(join(TARGET, "debug/smartnodes-worker"), ["example", "hash-chain", "--out", code]);
  const input = Buffer.concat([Buffer.from([0x40, 0x0d, 0x03, 0x00]), Buffer.from(`dashboard ${Date.now()}`)]);
  await page.fill("#chain-key", "//Ferdie");
  await page.dispatchEvent("#chain-key", "change");
  await page.setInputFiles("input[name=code]", code);
  await page.setInputFiles("input[name=inputFile]", { name: "input.bin", mimeType: "application/octet-stream", buffer: input });
  await page.fill("input[name=replication]", "3");
  await page.fill("input[name=maxPayment]", "2");
  await page.waitForSelector("#estimate-total", { timeout: 30_000 });
  const total = await page.textContent("#estimate-total");
  assert.ok(Number(total.replace(/,/g, "")) >= 2, `the estimate holds at least the maximum payment (${total})`);
  await shot("jobs-estimate");
  await page.click("#submit-job");
  await page.waitForURL(/#\/job\/\d+$/, { timeout: 90_000 });
  const id = Number(page.url().match(/job\/(\d+)$/)[1]);
  await page.waitForFunction(() => ["completed", "failed", "cancelled"].includes(document.getElementById("view")?.dataset.status), null, { timeout: 300_000 });
  const job = await chainRpc("smartnodes_job", [id]);
  assert.equal(job.status, "completed", `job ${id} completed (${JSON.stringify(job.failure)})`);
  assert.equal(job.owner, "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL", "the page's account (//Ferdie) owns it");
  await shot("job");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click("#download-result")]);
  const saved = join(ARTIFACTS, `job-${id}-output.bin`);
  await download.saveAs(saved);
  const bytes = await readFile(saved);
  assert.equal(blake2AsHex(bytes, 256), job.outputHash, "the downloaded output is the one the replicas agreed on");
  await page.waitForSelector("#output-preview");
  await shot("job-result");
});

test("a claim from the page raises the address's SNO balance on Anvil", async () => {
  // An address the last root owes something that is not claimed yet: the workers were paid for
  // the demo job and earn emission, and scripts/localnet claimed only the first worker's.
  const owed = async () => {
    for (const address of PAYOUTS) {
      const proof = await chainRpc("smartnodes_rewardProof", [address]).catch(() => null);
      if (!proof?.included) continue;
      const claimed = await base.readContract({ address: deployment.distributor, abi: erc20, functionName: "claimed", args: [address] });
      const [activeRoot] = await base.readContract({
        address: deployment.distributor,
        abi: parseAbi(["function activeRoot() view returns (bytes32, uint256, uint64)"]),
        functionName: "activeRoot",
      });
      if (BigInt(proof.cumulativeAmount) > claimed && activeRoot === proof.root) return address;
    }
    return null;
  };
  let address = null;
  const until = Date.now() + 600_000;
  while (!(address = await owed()) && Date.now() < until) await new Promise((r) => setTimeout(r, 3_000));
  assert.ok(address, "some worker has rewards to claim under Base's active root");
  const before = await base.readContract({ address: deployment.token, abi: erc20, functionName: "balanceOf", args: [address] });
  await open(`/rewards?address=${address}`);
  await page.waitForSelector("#claim-button:not([disabled])", { timeout: 60_000 });
  await shot("rewards");
  await page.click("#claim-button");
  await page.waitForSelector("#claim-done, #claim-outcome .error", { timeout: 60_000 });
  const failure = await page.$("#claim-outcome .error");
  assert.equal(failure ? await failure.textContent() : null, null, "the claim went through");
  const afterBalance = await base.readContract({ address: deployment.token, abi: erc20, functionName: "balanceOf", args: [address] });
  assert.ok(afterBalance > before, `${address}'s SNO on Anvil rose (${before} → ${afterBalance})`);
  await page.waitForFunction((wei) => document.querySelector("#base-balance")?.dataset.wei === wei, afterBalance.toString(), { timeout: 30_000 });
  await shot("rewards-claimed");
  // The emission schedule charts: one bar and one point per year.
  assert.equal(await page.$$eval("#chart-per-update rect", (r) => r.length), 10);
  assert.equal(await page.$$eval("#chart-supply circle", (c) => c.length), 10);
});

test("the bridge page shows the root on both sides and the validator sets", async () => {
  await open("/bridge");
  const lastPeriod = await base.readContract({
    address: deployment.distributor,
    abi: parseAbi(["function lastPeriod() view returns (uint64)"]),
    functionName: "lastPeriod",
  });
  assert.ok(lastPeriod > 0n, "Base has a root");
  const shown = Number((await page.textContent("#base-last-period .value")).trim());
  assert.ok(shown >= Number(lastPeriod), `the page shows Base's last period (${shown} vs ${lastPeriod})`);
  assert.ok((await page.$$("#roots tbody tr")).length === 3);
  assert.match(await page.textContent("#supply"), /token total supply/);
  await shot("bridge");
});

test("the DAO page shows proposals, votes and decisions", async () => {
  await open("/dao");
  await page.waitForSelector("#dao-proposals");
  await page.waitForSelector("#dao-decisions");
  await shot("dao");
});

test("the files the page uploads are checked against their hash", async () => {
  const body = Buffer.from("not what the name says");
  const wrong = `0x${"00".repeat(32)}`;
  const refused = await fetch(`${URL_}/files/${wrong}`, { method: "PUT", body });
  assert.equal(refused.status, 400);
  assert.equal((await fetch(`${URL_}/files/${wrong}`)).status, 404, "nothing was stored");
  const hash = blake2AsHex(body, 256);
  const stored = await fetch(`${URL_}/files/${hash}`, { method: "PUT", body });
  assert.equal(stored.status, 201);
  assert.deepEqual(Buffer.from(await (await fetch(`${URL_}/files/${hash}`)).arrayBuffer()), body);
  const huge = Buffer.alloc(16 * 1024 * 1024 + 1);
  const tooLarge = await fetch(`${URL_}/files/${blake2AsHex(huge, 256)}`, { method: "PUT", body: huge });
  assert.equal(tooLarge.status, 413, "an oversize upload is refused with a clear status");
  assert.match(await tooLarge.text(), /larger than/);
  assert.ok(existsSync(ARTIFACTS));
});
