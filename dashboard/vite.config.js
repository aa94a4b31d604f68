// The page is built into dist/ and served by server.mjs; the contracts' ABIs are read from the
// Foundry build (contracts/out), so `forge build` runs first (scripts/dashboard does).
import { defineConfig } from "vite";

export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4096 },
  server: { host: "127.0.0.1", fs: { allow: [".."] } },
  json: { namedExports: true, stringify: false },
});
