import { request as httpsRequest } from "node:https";

const port = Number(process.env.BERTH_E2E_PORT ?? 3100);

/** The edge proxy of this e2e run (see playwright.config.ts): its own ports and storage. */
export const proxy = {
  admin: port + 2000,
  http: port + 3000,
  https: port + 4000,
  mark: port + 5000,
  dataDir: `/tmp/berth-e2e-caddy-${port}`,
};

/**
 * Whether the run's Caddy has `hostname` anywhere in its live config (a route's host match, a
 * certificate policy), read from its admin API: what the proxy serves, whatever the upstream's state.
 */
export async function proxyConfigNames(hostname: string): Promise<boolean> {
  return (await adminConfig()).includes(JSON.stringify(hostname));
}

/**
 * Caddy's live config. Caddy restarts its admin endpoint with every config load, cutting a request
 * in flight at that moment ("other side closed"; a delete's route change is such a load): that
 * request is asked again, a few times.
 */
async function adminConfig(): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(`http://127.0.0.1:${proxy.admin}/config/`)).text();
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** GET https://<hostname>/ through the run's Caddy with SNI and Host = hostname, trusting Caddy's internal CA. */
export async function getThroughProxy(hostname: string): Promise<{ status: number; body: string }> {
  const ca = ((await (await fetch(`http://127.0.0.1:${proxy.admin}/pki/ca/local`)).json()) as { root_certificate: string })
    .root_certificate;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: "127.0.0.1", port: proxy.https, path: "/", servername: hostname, ca, headers: { host: hostname }, timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}
