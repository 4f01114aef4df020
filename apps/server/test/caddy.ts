import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest, Agent } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import type { Deps } from "../src/deps.ts";
import type { TestDeps } from "./harness.ts";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { CaddyAdmin } from "../src/proxy/caddy-admin.ts";
import { EdgeProxy } from "../src/proxy/edge-proxy.ts";
import { edgeToken } from "../src/proxy/edge-request.ts";
import { clusterEdgeConfigOf } from "../src/cluster/routing/edge-config.ts";
import { caddyAdminBlock, type ProxyListen } from "../src/proxy/caddy-config.ts";
import { freePorts } from "./free-ports.ts";

/**
 * A Caddy of the test's own (Debian's /usr/bin/caddy): own ports, own storage dir, admin API on
 * 127.0.0.1. Started with a bootstrap config holding only the admin address; Berth loads the rest.
 */
export class TestCaddy {
  private child: ChildProcess | null = null;

  /** The Caddy process id (null when not running). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  readonly admin: CaddyAdmin;

  private constructor(
    readonly listen: ProxyListen,
    readonly dir: string,
  ) {
    this.admin = new CaddyAdmin(listen.adminListen, 5000);
  }

  /** `adminSocket`: the admin API on a unix socket in the test's own dir (the product default), else on a loopback port. */
  static async start(options: { adminSocket?: boolean } = {}): Promise<TestCaddy> {
    const [httpPort, httpsPort, adminPort, markPort] = (await freePorts(4)) as [number, number, number, number];
    const dir = mkdtempSync(path.join(tmpdir(), "berth-caddy-"));
    const adminListen = options.adminSocket ? `unix:${path.join(dir, "admin.sock")}` : `127.0.0.1:${adminPort}`;
    const caddy = new TestCaddy(
      { httpPort, httpsPort, bindHost: "127.0.0.1", adminListen, storageDir: path.join(dir, "storage"), markPort },
      dir,
    );
    await caddy.run();
    return caddy;
  }

  async run(): Promise<void> {
    const bootstrap = path.join(this.dir, "bootstrap.json");
    writeFileSync(bootstrap, JSON.stringify({ admin: caddyAdminBlock(this.listen.adminListen) }));
    // Like infra/proxy-run.sh: nothing of the test's environment (BERTH_SECRET, DATABASE_URL) reaches Caddy.
    const env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      XDG_DATA_HOME: this.dir,
      XDG_CONFIG_HOME: this.dir,
      NODE_ENV: "test",
    } as NodeJS.ProcessEnv;
    const out = openSync(path.join(this.dir, "caddy.log"), "a");
    this.child = spawn("caddy", ["run", "--config", bootstrap], { env, stdio: ["ignore", out, out] });
    closeSync(out);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (
        await this.admin.config().then(
          () => true,
          () => false,
        )
      )
        return;
      if (Date.now() > deadline) throw new Error("caddy did not start within 10 s");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL: no graceful shutdown, like a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    await this.kill();
    if (process.env.BERTH_KEEP_CADDY_LOGS) return;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** `dashboardUpstream`: where the dashboard domain is proxied to (a test's own control plane); default an unused address. */
  edgeProxy(deps: Pick<Deps, "db" | "env" | "box">, options: { watchMs?: number; dashboardUpstream?: string } = {}): EdgeProxy {
    return new EdgeProxy({
      db: deps.db,
      box: deps.box,
      log: pino({ level: process.env.BERTH_TEST_LOG ?? "silent" }),
      admin: this.admin,
      listen: this.listen,
      dashboard: { upstream: options.dashboardUpstream ?? "127.0.0.1:9", edgeToken: edgeToken(deps.env.BERTH_SECRET) },
      cluster: { edgePort: clusterEdgeConfigOf(deps.env).port, secret: deps.env.BERTH_SECRET },
      watchMs: options.watchMs ?? 250,
    });
  }
}

/**
 * A test Caddy, Berth's EdgeProxy watching it, and a deployment worker releasing through it,
 * wired into `deps` (its proxy) and started.
 */
export async function startProxiedWorker(deps: TestDeps, options: { watchMs: number; concurrency: number; adminSocket?: boolean }) {
  const caddy = await TestCaddy.start({ adminSocket: options.adminSocket ?? false });
  const proxy = caddy.edgeProxy(deps, { watchMs: options.watchMs });
  const worker = new DeploymentWorker(deps, { concurrency: options.concurrency, pollMs: 100 });
  deps.proxy = proxy;
  proxy.start();
  worker.start();
  return {
    caddy,
    proxy,
    async stop(): Promise<void> {
      await worker.stop();
      await proxy.stop();
      await caddy.stop();
    },
  };
}

export interface ProxyResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET https://<hostname><path> through the test Caddy, trusting its internal CA (SNI + Host = hostname). No retries. */
export function proxyGet(
  caddy: TestCaddy,
  options: {
    hostname: string;
    path?: string;
    ca: string;
    agent?: Agent;
    headers?: Record<string, string>;
    timeoutMs?: number;
    method?: string;
    body?: string;
  },
): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: caddy.listen.httpsPort,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        servername: options.hostname,
        ca: options.ca,
        agent: options.agent ?? false,
        headers: { host: options.hostname, ...options.headers },
        timeout: options.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(options.body);
  });
}
