// The page: a header with live block heights, a key bar, and one view per route (#/..., so the
// server needs no routes of its own).
import { baseKey, chainKey, connect, setBaseKey, setChainKey } from "./net.js";
import { fill, h, showError } from "./ui.js";
import * as network from "./views/network.js";
import * as workers from "./views/workers.js";
import * as jobs from "./views/jobs.js";
import * as rewards from "./views/rewards.js";
import * as bridge from "./views/bridge.js";
import * as dao from "./views/dao.js";

const routes = [
  [/^\/?$/, "network", network.render],
  [/^\/workers$/, "workers", workers.render],
  [/^\/worker\/(\w+)$/, "workers", workers.renderWorker],
  [/^\/jobs$/, "jobs", jobs.render],
  [/^\/job\/(\d+)$/, "jobs", jobs.renderJob],
  [/^\/rewards$/, "rewards", rewards.render],
  [/^\/bridge$/, "bridge", bridge.render],
  [/^\/dao$/, "dao", dao.render],
];

const main = document.getElementById("main");
let cleanup = () => {};
let generation = 0;

async function route() {
  cleanup();
  cleanup = () => {};
  const mine = ++generation;
  const [path, query = ""] = (location.hash.replace(/^#/, "") || "/").split("?");
  const found = routes.map(([re, name, view]) => [path.match(re), name, view]).find(([m]) => m);
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === found?.[1]));
  if (!found) return fill(main, h("h1", {}, "Not found"), h("p", {}, `No page at ${path}.`));
  const [match, name, view] = found;
  // Each view draws into a container of its own: a refresh of a page the user left, still under
  // way, then draws into a detached node instead of over the new page.
  const container = h("div", { id: "view", dataset: { view: name } }, h("p", { class: "muted" }, "loading…"));
  fill(main, container);
  main.dataset.view = name;
  main.dataset.ready = "false";
  try {
    const stop = await view(container, ...match.slice(1), new URLSearchParams(query));
    // A view that finished after the user moved on stops at once.
    if (mine !== generation) stop?.();
    else cleanup = stop ?? (() => {});
  } catch (error) {
    if (mine === generation) showError(main, error);
  } finally {
    if (mine === generation) main.dataset.ready = "true";
  }
}

function keyBar() {
  const chain = h("input", { type: "text", id: "chain-key", value: chainKey(), spellcheck: "false", onchange: (e) => setChainKey(e.target.value) });
  const base = h("input", { type: "text", id: "base-key", value: baseKey(), spellcheck: "false", onchange: (e) => setBaseKey(e.target.value) });
  fill(
    document.getElementById("keys"),
    h("label", {}, "Chain account (secret URI) ", chain),
    h("label", {}, "Base key ", base),
    h("span", { class: "notice" }, "Development keys for the local network; leave the Base key empty to use a browser wallet."),
  );
}

async function start() {
  keyBar();
  const heads = document.getElementById("heads");
  try {
    const { api } = await connect();
    let best = "…";
    let finalized = "…";
    const show = () => {
      heads.dataset.best = best;
      heads.dataset.finalized = finalized;
      fill(heads, `block #${best} · finalized #${finalized}`);
    };
    await api.rpc.chain.subscribeNewHeads((header) => {
      best = header.number.toNumber();
      show();
    });
    await api.rpc.chain.subscribeFinalizedHeads((header) => {
      finalized = header.number.toNumber();
      show();
    });
  } catch (error) {
    fill(heads, "not connected");
    showError(main, error);
    return;
  }
  window.addEventListener("hashchange", route);
  await route();
}

start();
