/**
 * A PostgreSQL cluster of the test's own (Debian's initdb and pg_ctl, into a temp dir, on a
 * free port of 127.0.0.1), migrated with the project's migrations as the test command does
 * (`npm run migrate:deploy --workspace @berth/db`): a fault test may stop it. The shared
 * Postgres other sessions use is never touched. Runs as the `postgres` system user (initdb
 * refuses root); trust authentication on loopback only.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-ports.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:PORT/berth */
  url: string;
  /** `pg_ctl stop -m fast`: the server ends every connection and stops. */
  stop(): void;
  /** Start it again on the same data directory and port; resolves once it accepts connections. */
  start(): void;
  /** Its log so far (for failure messages). */
  log(): string;
  close(): void;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("no PostgreSQL under /usr/lib/postgresql (the postgresql Debian package)");
  return path.join(root, versions[0]!, "bin");
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} system user (the postgresql Debian package makes it)`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** `migrate: false` leaves the database empty (a test of the connection alone). */
export async function startPrivatePostgres({ migrate = true } = {}): Promise<PrivatePostgres> {
  const bin = binDir();
  const user = systemUser("postgres");
  const dir = mkdtempSync(path.join(tmpdir(), "berth-pg-"));
  chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const port = await freePort();
  const run = (tool: string, args: string[]) => {
    const r = spawnSync(path.join(bin, tool), args, {
      uid: user.uid,
      gid: user.gid,
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, LANG: "C.UTF-8" },
    });
    if (r.status !== 0)
      throw new Error(`${tool} ${args.join(" ")}: ${r.stderr || r.stdout}${tool === "pg_ctl" ? `\n${log().slice(-2000)}` : ""}`);
  };
  const log = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
  const start = () =>
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      logFile,
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "start",
    ]);
  start();
  run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "berth"]);
  const url = `postgresql://postgres@127.0.0.1:${port}/berth`;
  if (migrate)
    execFileSync("npm", ["run", "migrate:deploy", "--workspace", "@berth/db"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "pipe",
    });
  let closed = false;
  return {
    url,
    log,
    start,
    stop: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    close() {
      if (closed) return;
      closed = true;
      spawnSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { uid: user.uid, gid: user.gid, cwd: dir });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
