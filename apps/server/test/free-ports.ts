import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { alive } from "./private-dockerd.ts";

/**
 * Ports handed to this machine's test processes: one lock file per port, its owner's pid in it,
 * removed when the owner exits normally; one whose owner is gone (killed, as a run's test workers
 * are at its end) is taken over. (Two processes taking over the same stale lock at the same
 * instant could both win: a window of microseconds, on a port no live process holds.) The kernel alone does not keep
 * two processes apart: a port one released is free for the next `listen(0)`. And Caddy binds its
 * listeners with SO_REUSEPORT: two test Caddys given one port both listen on it and the kernel
 * splits the connections between them, so a test met the other file's Caddy now and then (a TLS
 * "internal error", no certificate for its host; a 200 with another body).
 */
const LOCKS = path.join(tmpdir(), "berth-test-ports");
const mine = new Set<number>();
let exitHook = false;

function ownerOf(file: string): number {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return 0;
  }
}

/** Claims `port` for this process until it exits; false when this or another live process has it. */
function claim(port: number): boolean {
  if (mine.has(port)) return false;
  mkdirSync(LOCKS, { recursive: true });
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const p of mine) rmSync(path.join(LOCKS, String(p)), { force: true });
    });
  }
  const file = path.join(LOCKS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      mine.add(port);
      return true;
    } catch {
      const owner = ownerOf(file);
      if (owner > 0 && alive(owner)) return false;
      rmSync(file, { force: true }); // its process is gone
    }
  }
  return false;
}

/** `count` ports the kernel has free on 127.0.0.1, all held at once (so distinct), then released. */
async function kernelPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const srv = createServer();
          srv.once("error", reject);
          srv.listen(0, "127.0.0.1", () => resolve(srv));
        }),
    ),
  );
  const ports = servers.map((srv) => {
    const address = srv.address();
    if (typeof address !== "object" || address === null) throw new Error("no port");
    return address.port;
  });
  await Promise.all(servers.map((srv) => new Promise((resolve) => srv.close(resolve))));
  return ports;
}

/**
 * `count` distinct free TCP ports on 127.0.0.1, none handed to another test process (or earlier
 * to this one) while it lives. Asked one after another, a port released by the first ask could
 * come back from the next (a Caddy once got the same port for two of its listeners).
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    for (const port of await kernelPorts(count - ports.length)) if (claim(port)) ports.push(port);
  }
  return ports;
}

/** A free TCP port on 127.0.0.1 (see freePorts). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}
