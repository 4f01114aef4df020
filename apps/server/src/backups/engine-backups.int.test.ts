import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupBed } from "../../test/backup-bed.ts";
import { testDeps, waitFor } from "../../test/harness.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import { findLiveContainer } from "../services/live-container.ts";
import { destinationInput } from "./destination-input.ts";
import { saveDestination } from "./destinations.ts";
import { restoreBackup } from "./restore-backup.ts";
import { backupNow } from "./run-backup.ts";

/**
 * MariaDB (berth-test/mariadb:11) and Redis (berth-test/redis:7) made through the product's
 * create path, backed up (MariaDB to a directory, Redis to a real S3 server), emptied and
 * restored; a truncated or broken file fails with a clear message and the data unchanged. One
 * container per engine.
 */
const deps = testDeps();
const bed = new BackupBed(deps);

async function newDatabase(name: string, engine: "mariadb" | "redis", image: string) {
  const db = await bed.newDatabase(name, engine, image);
  const env = await resolveDeployEnv(deps.db, deps.box, { projectId: db.projectId, serviceId: db.serviceId });
  return { ...db, vars: env.runtime };
}

/** A command in the database's current container (the test's own argv); throws on failure. */
async function inDb(serviceId: string, cmd: string[], env: Record<string, string> = {}): Promise<string> {
  const live = await findLiveContainer(deps, serviceId);
  const out = await deps.engine.exec(live!.containerId, { cmd, env });
  if (out.exitCode !== 0) throw new Error(`${cmd[0]}: ${out.stderr || out.output}`);
  return out.output.trim();
}

/** Give a backup file new contents and record them as its checksum (a file a broken tool wrote whole). */
async function rewriteRecorded(backupId: string, file: string, contents: Buffer) {
  await writeFile(file, contents);
  await deps.db.databaseBackup.update({
    where: { id: backupId },
    data: { sha256: createHash("sha256").update(contents).digest("hex"), sizeBytes: BigInt(contents.length) },
  });
}

beforeAll(() => bed.setUp());
afterAll(() => bed.tearDown());

describe("MariaDB and Redis backups and restore (real images)", () => {
  it("MariaDB: a dump with routines and triggers restores after DROP TABLE; a truncated dump is refused, a broken one names the table it stopped in", async () => {
    const { projectId, serviceId, vars } = await newDatabase("maria", "mariadb", "berth-test/mariadb:11");
    // The connection URL (built from references) works over the project network.
    const url = new URL(vars.DATABASE_URL!);
    expect(url).toMatchObject({ protocol: "mysql:", hostname: "maria", port: "3306", pathname: "/app", username: "app" });
    expect(decodeURIComponent(url.password)).toBe(vars.MARIADB_PASSWORD);
    const auth = { MYSQL_PWD: decodeURIComponent(url.password) };
    const sql = (query: string) =>
      inDb(
        serviceId,
        ["mariadb", `--host=${url.hostname}`, `--user=${url.username}`, "--batch", "--skip-column-names", "app", "-e", query],
        auth,
      );
    await sql(`CREATE TABLE authors (id int primary key, name text);
      CREATE TABLE notes (id int primary key, body text);
      INSERT INTO authors VALUES (1, 'ada'), (2, 'grace');
      INSERT INTO notes WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300) SELECT n, concat('note ', n) FROM s;
      CREATE TRIGGER shout BEFORE INSERT ON notes FOR EACH ROW SET NEW.body = upper(NEW.body);
      CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN 2 * x;`);

    await saveDestination(
      deps,
      bed.owner,
      projectId,
      destinationInput.parse({ kind: "directory", directory: path.join(bed.root, "maria") }),
    );
    const backup = await backupNow(deps, bed.owner, serviceId);
    expect(backup).toMatchObject({ status: "succeeded", destinationKind: "directory" });
    expect(backup.location).toMatch(/\.sql$/);
    const file = path.join(bed.root, "maria", backup.location);
    const whole = await readFile(file);
    expect(whole.subarray(-200).toString()).toContain("-- Dump completed");
    expect(whole.toString()).not.toContain(vars.MARIADB_PASSWORD!);

    await sql("DROP TABLE notes; DROP FUNCTION twice");
    await restoreBackup(deps, bed.owner, serviceId, backup.id);
    expect(await sql("SELECT count(*), twice(21) FROM notes")).toBe("300\t42");
    await sql("INSERT INTO notes VALUES (301, 'after the backup')");
    expect(await sql("SELECT body FROM notes WHERE id = 301")).toBe("AFTER THE BACKUP");

    // Truncated (with a matching checksum, as if the tool had written it so): refused before anything runs.
    await rewriteRecorded(backup.id, file, whole.subarray(0, Math.floor(whole.length * 0.7)));
    await expect(restoreBackup(deps, bed.owner, serviceId, backup.id)).rejects.toMatchObject({
      code: "INVALID",
      message: 'The backup file is truncated (its last line is not "-- Dump completed"): nothing was restored, maria is unchanged',
    });
    expect(await sql("SELECT count(*) FROM notes")).toBe("301");

    // Complete but broken inside the second table: the failure names where it stopped.
    await rewriteRecorded(
      backup.id,
      file,
      Buffer.from(whole.toString().replace("INSERT INTO `notes` VALUES", "INSERT INTO `notes` VALUES ((")),
    );
    await expect(restoreBackup(deps, bed.owner, serviceId, backup.id)).rejects.toMatchObject({
      code: "ENGINE_FAILED",
      message: expect.stringContaining(
        "maria is partly restored: the tables before `notes` in the backup were restored, `notes` may be incomplete",
      ),
    });
    expect(await sql("SELECT group_concat(name) FROM authors")).toBe("ada,grace");
  }, 360_000);

  it("Redis: an RDB snapshot to S3 restores after FLUSHALL (the container restarts with it); a corrupt snapshot changes nothing", async () => {
    const { projectId, serviceId, vars } = await newDatabase("cache", "redis", "berth-test/redis:7");
    expect(vars.REDIS_URL).toBe(`redis://default:${vars.REDIS_PASSWORD}@cache:6379`);
    const cli = (...args: string[]) => inDb(serviceId, ["redis-cli", "-u", vars.REDIS_URL!, "--no-auth-warning", ...args]);
    // The password is required, and it is in no process's arguments (redis-server, PID 1, read it on stdin).
    expect(await inDb(serviceId, ["redis-cli", "-h", "cache", "GET", "greeting"])).toMatch(/NOAUTH/);
    const pid1 = await inDb(serviceId, ["cat", "/proc/1/cmdline"]);
    expect(pid1).toContain("redis-server");
    expect(pid1).not.toContain(vars.REDIS_PASSWORD!);
    await cli("SET", "greeting", "hello");
    await cli("RPUSH", "queue", "a", "b", "c");

    await saveDestination(
      deps,
      bed.owner,
      projectId,
      destinationInput.parse({
        kind: "s3",
        endpoint: bed.s3.endpoint,
        bucket: "backups",
        prefix: "redis/",
        accessKeyId: bed.s3.accessKeyId,
        secretAccessKey: bed.s3.secretAccessKey,
      }),
    );
    const backup = await backupNow(deps, bed.owner, serviceId);
    expect(backup).toMatchObject({ status: "succeeded", destinationKind: "s3" });
    expect(backup.location).toMatch(/\.rdb$/);

    await cli("FLUSHALL");
    await restoreBackup(deps, bed.owner, serviceId, backup.id);
    const values = await waitFor(
      "Redis back with the snapshot",
      () =>
        cli("MGET", "greeting").then(
          (v) => (v === "hello" ? v : null),
          () => null,
        ),
      90_000,
    );
    expect(values).toBe("hello");
    expect(await cli("LRANGE", "queue", "0", "-1")).toBe("a\nb\nc");

    // A corrupt snapshot (recorded checksum matching): redis-check-rdb refuses it, Redis keeps running with its data.
    await cli("SET", "later", "kept");
    const objects = await readdir(path.join(bed.s3.directory, "backups"), { recursive: true });
    const object = path.join(
      bed.s3.directory,
      "backups",
      objects.find((o) => o.endsWith(".rdb._S3rver_object"))!,
    );
    const snapshot = await readFile(object);
    await rewriteRecorded(backup.id, object, Buffer.concat([snapshot.subarray(0, 40), Buffer.alloc(16, 0xff), snapshot.subarray(56)]));
    await expect(restoreBackup(deps, bed.owner, serviceId, backup.id)).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(
        /^The backup is not a valid RDB snapshot \(redis-check-rdb: .+\): nothing was restored, cache is unchanged$/,
      ),
    });
    expect(await cli("GET", "later")).toBe("kept");
    expect(await inDb(serviceId, ["ls", "-A", "/data"])).not.toContain(".berth-restore.rdb");
  }, 360_000);
});
