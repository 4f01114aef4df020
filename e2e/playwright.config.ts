import path from "node:path";
import { defineConfig } from "@playwright/test";
// The edge proxy of this run: its own admin, HTTP and HTTPS ports and storage (runs beside others).
import { proxy } from "./tests/support/proxy.ts";
import { serverStateFile } from "./tests/support/server.ts";
// Second origins of this run (names mapped to 127.0.0.1 in Chromium): see tests/support/origins.ts.
import { HOST_RESOLVER_RULES, publicOrigin } from "./tests/support/origins.ts";

const port = Number(process.env.BERTH_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const repoRoot = path.resolve(import.meta.dirname, "..");

/**
 * Whole-product tests in real Chromium against the real control plane (apps/server in
 * production mode, so apps/web must have been built with `next build` first), Postgres
 * and the Docker Engine. DATABASE_URL and BERTH_SECRET are inherited from the environment.
 */
export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  workers: 1,
  retries: 0,
  reporter: "list",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  globalSetup: "./global-setup.ts",
  use: {
    baseURL,
    screenshot: "only-on-failure",
    // A failed test keeps its trace (actions, DOM snapshots, network) without the screencast: its
    // frames were ~40 % of Chromium's CPU on 2 cores (docs/architecture.md, Tests).
    trace: { mode: "retain-on-failure", screenshots: false },
    // Pulsing dots and spinners stand still (apps/web/app/globals.css): no frame every 16 ms.
    reducedMotion: "reduce",
    launchOptions: {
      executablePath: process.env.BERTH_CHROMIUM ?? "/usr/lib/chromium/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-sync",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        HOST_RESOLVER_RULES,
      ],
    },
  },
  webServer: [
    {
      command: "bash infra/proxy-run.sh",
      cwd: repoRoot,
      url: `http://127.0.0.1:${proxy.admin}/config/`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { BERTH_PROXY_ADMIN: `127.0.0.1:${proxy.admin}`, BERTH_PROXY_DATA_DIR: proxy.dataDir },
    },
    {
      // The server's own start (migrate, then node), restartable from a test (restartBerth).
      command: "node e2e/tests/support/restartable-server.mjs",
      cwd: repoRoot,
      url: `${baseURL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      // Merged over the inherited environment (DATABASE_URL, BERTH_SECRET, DOCKER_HOST ...).
      env: {
        BERTH_PORT: String(port),
        BERTH_HOST: "127.0.0.1",
        BERTH_PUBLIC_URL: baseURL,
        // A name for this host besides its loopback URL (dashboard-origins.spec.ts signs in there).
        BERTH_TRUSTED_ORIGINS: publicOrigin(port),
        NODE_ENV: "production",
        // Several accounts sign up within seconds from 127.0.0.1; the limit stays on everywhere
        // else (apps/server/src/auth/rate-limit.int.test.ts proves the default).
        BERTH_AUTH_RATE_LIMIT: "off",
        BERTH_PROXY_ADMIN: `127.0.0.1:${proxy.admin}`,
        BERTH_PROXY_HTTP_PORT: String(proxy.http),
        BERTH_PROXY_HTTPS_PORT: String(proxy.https),
        BERTH_PROXY_MARK_PORT: String(proxy.mark),
        BERTH_PROXY_BIND: "127.0.0.1",
        BERTH_PROXY_DATA_DIR: proxy.dataDir,
        // The git services' cached checkouts: beside the proxy's data, not the host's /var/lib/berth.
        BERTH_GIT_CACHE_DIR: `${proxy.dataDir}-git-cache`,
        // The cluster edge (cluster/routing/): Debian's Caddy, loaded onto the harness nodes, in place of caddy:2.
        BERTH_CLUSTER_EDGE_IMAGE: "berth-test/caddy:2",
        BERTH_E2E_SERVER_STATE: serverStateFile,
        BERTH_PROXY_UPSTREAM_PORTS: `${20000 + (port % 100) * 100}-${20000 + (port % 100) * 100 + 99}`,
      },
    },
  ],
});
