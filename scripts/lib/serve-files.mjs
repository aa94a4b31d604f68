// Serves the files of a folder over HTTP on 127.0.0.1 (job code and input for the local network's
// workers, which fetch by URI and check the hash): node serve-files.mjs <folder> <port>
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";

const [folder, port] = process.argv.slice(2);
createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (req.method !== "GET" || path.includes("..")) {
    res.writeHead(405).end();
    return;
  }
  try {
    const body = await readFile(join(folder, path));
    res.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}).listen(Number(port), "127.0.0.1");
