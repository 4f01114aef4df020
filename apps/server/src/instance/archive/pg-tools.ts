/**
 * Berth's own database in and out of an archive with PostgreSQL's client tools (pg_dump and
 * pg_restore, from the host's postgresql package). Arguments are arrays (no shell); the
 * connection, password included, travels in the PG* environment, never in argv.
 */
import { spawn } from "node:child_process";

/** The libpq environment for a postgresql:// URL, and nothing else of ours (no BERTH_SECRET). */
export function pgEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error("DATABASE_URL must be a postgresql:// URL");
  return {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    PGHOST: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    PGPORT: url.port || "5432",
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, "")),
    PGCONNECT_TIMEOUT: "10",
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-8192);
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === "ENOENT"
            ? `${command} is not installed (it comes with the postgresql-client package)`
            : `${command}: ${err.message}`,
        ),
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}: ${stderr.trim() || "no output"}`));
    });
  });
}

/** pg_dump --format=custom of the whole database into `file`. */
export function dumpDatabase(databaseUrl: string, file: string): Promise<void> {
  return run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`], pgEnvironment(databaseUrl));
}

/**
 * pg_restore of a dump into the URL's database, which the caller has emptied, in one
 * transaction: a failure leaves it as it was. Objects become the connecting role's.
 */
export function restoreDatabase(databaseUrl: string, file: string): Promise<void> {
  const env = pgEnvironment(databaseUrl);
  return run(
    "pg_restore",
    ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--dbname=${env.PGDATABASE ?? ""}`, file],
    env,
  );
}
