// Serves the dashboard on 127.0.0.1: the built page (dist/), its configuration (/config.json),
// and a content-addressed file host for the job code and input a user submits from the page
// (PUT /files/<blake2-256 hex>, GET /files/<hash>), which the workers fetch by URI and check.
//
//   node server.mjs [--port 8700] [--chain ws://127.0.0.1:9944] [--base http://127.0.0.1:8545]
//                   [--deployment ../contracts/deployments/84532.json] [--files <folder>]
//
// Every option can also come from the environment: SMARTNODES_DASHBOARD_PORT, SMARTNODES_CHAIN_WS,
// SMARTNODES_BASE_RPC, SMARTNODES_DEPLOYMENT, SMARTNODES_DASHBOARD_FILES.
import { createServer } from "node:http";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { blake2AsHex, cryptoWaitReady } from "@polkadot/util-crypto";

const here = dirname(fileURLToPath(import.meta.url));

/** The largest file the page may upload: the runtime's bound on a job's memory is far above it,
 * but a wasm job's code and input are small, and the host must not be a free disk. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

function option(args, name, env, fallback) {
  const at = args.indexOf(`--${name}`);
  if (at >= 0 && args[at + 1] !== undefined) return args[at + 1];
  return process.env[env] ?? fallback;
}

export function options(args = process.argv.slice(2)) {
  return {
    port: Number(option(args, "port", "SMARTNODES_DASHBOARD_PORT", "8700")),
    chainWs: option(args, "chain", "SMARTNODES_CHAIN_WS", "ws://127.0.0.1:9944"),
    baseRpc: option(args, "base", "SMARTNODES_BASE_RPC", "http://127.0.0.1:8545"),
    deployment: resolve(
      option(args, "deployment", "SMARTNODES_DEPLOYMENT", join(here, "../contracts/deployments/84532.json")),
    ),
    files: resolve(option(args, "files", "SMARTNODES_DASHBOARD_FILES", join(here, ".files"))),
    dist: resolve(option(args, "dist", "SMARTNODES_DASHBOARD_DIST", join(here, "dist"))),
  };
}

function send(res, status, body, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
}

/** The request's body, at most `limit` bytes. A longer one is read to its end and dropped, not
 * kept, so the client (which is still sending) gets the 413 rather than a reset connection. */
function readBody(req, limit) {
  return new Promise((ok, fail) => {
    let chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) chunks = null;
      else chunks?.push(chunk);
    });
    req.on("end", () =>
      chunks ? ok(Buffer.concat(chunks)) : fail(Object.assign(new Error(`larger than ${limit} bytes`), { status: 413 })),
    );
    req.on("error", fail);
  });
}

const HASH = /^0x[0-9a-f]{64}$/;

async function putFile(opts, req, res, hash) {
  if (!HASH.test(hash)) return send(res, 400, "the path must be /files/0x<blake2-256 of the body, 64 lowercase hex digits>");
  let body;
  try {
    body = await readBody(req, MAX_FILE_BYTES);
  } catch (error) {
    res.setHeader("connection", "close");
    return send(res, error.status ?? 400, `upload refused: ${error.message}`);
  }
  const actual = blake2AsHex(body, 256);
  if (actual !== hash) return send(res, 400, `the body hashes to ${actual}, not ${hash}`);
  await mkdir(opts.files, { recursive: true });
  const path = join(opts.files, hash);
  // Written under a temporary name and renamed: a reader never sees half a file.
  const partial = `${path}.${process.pid}.${Date.now()}.part`;
  await writeFile(partial, body);
  await rename(partial, path);
  send(res, 201, JSON.stringify({ hash, uri: `http://127.0.0.1:${opts.port}/files/${hash}`, bytes: body.length }), "application/json");
}

async function getFile(opts, res, hash) {
  if (!HASH.test(hash)) return send(res, 404, "no such file");
  try {
    const body = await readFile(join(opts.files, hash));
    res.writeHead(200, { "content-type": "application/octet-stream", "access-control-allow-origin": "*" }).end(body);
  } catch {
    send(res, 404, "no such file");
  }
}

async function config(opts, res) {
  let deployment;
  try {
    deployment = JSON.parse(await readFile(opts.deployment, "utf8"));
  } catch (error) {
    return send(res, 503, `no deployment at ${opts.deployment} (${error.message}): start the network with scripts/localnet`);
  }
  send(
    res,
    200,
    JSON.stringify({ chainWs: opts.chainWs, baseRpc: opts.baseRpc, deployment, files: `http://127.0.0.1:${opts.port}/files/` }),
    "application/json",
  );
}

async function asset(opts, res, pathname) {
  const path = normalize(join(opts.dist, pathname));
  if (path !== opts.dist && !path.startsWith(opts.dist + sep)) return send(res, 404, "not found");
  try {
    if ((await stat(path)).isFile()) {
      return send(res, 200, await readFile(path), TYPES[extname(path)] ?? "application/octet-stream");
    }
  } catch {
    // Not a file of the build: the page's own routes are in the fragment, so only / and
    // unknown paths land here, and both get the page.
  }
  try {
    send(res, 200, await readFile(join(opts.dist, "index.html")), TYPES[".html"]);
  } catch {
    send(res, 503, `the dashboard is not built (${opts.dist}): run npm run build in dashboard/`);
  }
}

export async function serve(opts) {
  await cryptoWaitReady();
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, "http://127.0.0.1");
      const file = pathname.match(/^\/files\/([^/]*)$/);
      if (file && req.method === "PUT") return await putFile(opts, req, res, file[1]);
      if (file && req.method === "GET") return await getFile(opts, res, file[1]);
      if (req.method !== "GET") return send(res, 405, "method not allowed");
      if (pathname === "/config.json") return await config(opts, res);
      return await asset(opts, res, decodeURIComponent(pathname));
    } catch (error) {
      send(res, 500, `internal error: ${error.message}`);
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(opts.port, "127.0.0.1", ok));
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const opts = options();
  serve(opts).then(
    () => console.log(`dashboard on http://127.0.0.1:${opts.port} (chain ${opts.chainWs}, Base ${opts.baseRpc})`),
    (error) => {
      console.error(`dashboard: cannot listen on 127.0.0.1:${opts.port}: ${error.message}`);
      process.exit(1);
    },
  );
}
