import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, stat, symlink, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupBed } from "../../test/backup-bed.ts";
import { finishedDeployment } from "../../test/deploy-harness.ts";
import { testDeps, waitFor } from "../../test/harness.ts";
import { createChannel } from "../notifications/channels.ts";
import { createChannelInput } from "../notifications/channel-input.ts";
import { findLiveContainer } from "../services/live-container.ts";
import { destinationInput } from "./destination-input.ts";
import { getDestination, saveDestination, testDestination } from "./destinations.ts";
import { backupsOverview, policyInput, savePolicy } from "./policy.ts";
import { restoreBackup } from "./restore-backup.ts";
import { backupNow } from "./run-backup.ts";
import { BackupScheduler } from "./scheduler.ts";
import { LAPSED_BACKUP } from "./lease.ts";
import { restoreIntoNewDatabase, restoreIntoNewInput } from "./restore-new-database.ts";
import { getRestore } from "./restore-run.ts";
import { restoreVolumeBackup } from "./restore-volume.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { TEST_IMAGE } from "../../test/harness.ts";

/** Backups of a real PostgreSQL (berth-test/postgres:15) to a host directory and to a real S3 server (s3rver), and restores. */
const deps = testDeps();
const bed = new BackupBed(deps);

let shared: Promise<{ projectId: string; serviceId: string }> | null = null;
/** One PostgreSQL for the file (keeps the run lean); the last test stops it. */
function theDatabase() {
  shared ??= bed.newDatabase("pg", "postgresql", "berth-test/postgres:15");
  return shared;
}

/** A command in the service's running container (the test's own argv). */
async function run(serviceId: string, cmd: string[]): Promise<string> {
  const live = await findLiveContainer(deps, serviceId);
  const out = await deps.engine.exec(live!.containerId, { cmd });
  if (out.exitCode !== 0) throw new Error(out.stderr);
  return out.output.trim();
}

/** psql inside the database's container (the test's own SQL, as argv). */
const sql = (serviceId: string, query: string) =>
  run(serviceId, ["psql", "-X", "-qAt", "-U", "app", "-d", "app", "-v", "ON_ERROR_STOP=1", "-c", query]);

const input = (v: Record<string, unknown>) => destinationInput.parse(v);
const s3Input = (extra: Record<string, unknown> = {}) =>
  input({
    kind: "s3",
    endpoint: bed.s3.endpoint,
    bucket: "backups",
    prefix: "berth/",
    accessKeyId: bed.s3.accessKeyId,
    secretAccessKey: bed.s3.secretAccessKey,
    ...extra,
  });

beforeAll(() => bed.setUp());
afterAll(() => bed.tearDown());

describe("database backups and restore (real PostgreSQL, real S3 server)", () => {
  it("backs up to a directory and to S3, and restores the rows after a DROP TABLE; a corrupt or truncated file changes nothing", async () => {
    const { projectId, serviceId } = await theDatabase();
    await sql(
      serviceId,
      "CREATE TABLE notes (id int primary key, body text); INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 500) g;",
    );

    // Directory destination.
    await saveDestination(deps, bed.owner, projectId, input({ kind: "directory", directory: path.join(bed.root, "shop") }));
    const onDisk = await backupNow(deps, bed.owner, serviceId);
    expect(onDisk).toMatchObject({ status: "succeeded", destinationKind: "directory", trigger: "manual" });
    const file = path.join(bed.root, "shop", onDisk.location);
    expect((await stat(file)).size).toBe(onDisk.sizeBytes);
    expect((await readFile(file)).subarray(0, 5).toString()).toBe("PGDMP");
    await sql(serviceId, "DROP TABLE notes");
    await restoreBackup(deps, bed.owner, serviceId, onDisk.id);
    expect(await sql(serviceId, "SELECT count(*) FROM notes")).toBe("500");

    // A corrupt file is refused by its checksum before anything runs.
    await sql(serviceId, "INSERT INTO notes VALUES (501, 'after the backup')");
    const whole = await readFile(file);
    await writeFile(file, Buffer.concat([whole.subarray(0, 100), Buffer.from("garbage"), whole.subarray(107)]));
    await expect(restoreBackup(deps, bed.owner, serviceId, onDisk.id)).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(/corrupt or truncated.*nothing was restored/),
    });
    // A truncated file whose recorded checksum matches (e.g. written so by a broken tool): the restore itself fails and rolls back.
    await writeFile(file, whole);
    await truncate(file, Math.floor(whole.length * 0.6));
    const { createHash } = await import("node:crypto");
    const cut = await readFile(file);
    await deps.db.databaseBackup.update({
      where: { id: onDisk.id },
      data: { sha256: createHash("sha256").update(cut).digest("hex"), sizeBytes: BigInt(cut.length) },
    });
    await expect(restoreBackup(deps, bed.owner, serviceId, onDisk.id)).rejects.toMatchObject({
      code: "ENGINE_FAILED",
      message: expect.stringMatching(/rolled back: pg is unchanged/),
    });
    expect(await sql(serviceId, "SELECT count(*) FROM notes")).toBe("501");

    // S3 destination (the secret key sealed, never returned).
    await saveDestination(deps, bed.owner, projectId, s3Input());
    const saved = await getDestination(deps, bed.owner, projectId);
    expect(saved.destination).toMatchObject({ kind: "s3", bucket: "backups", hasSecretKey: true });
    expect(JSON.stringify(saved)).not.toContain('"S3RVER"}');
    expect(saved.destination).not.toHaveProperty("secretAccessKey");
    const row = await deps.db.backupDestination.findUniqueOrThrow({ where: { projectId } });
    expect(row.secretAccessKey).toMatch(/^berth:v1:/);

    const inS3 = await backupNow(deps, bed.owner, serviceId);
    expect(inS3).toMatchObject({ status: "succeeded", destinationKind: "s3" });
    expect(inS3.sha256).toMatch(/^[0-9a-f]{64}$/);
    await sql(serviceId, "DROP TABLE notes");
    await restoreBackup(deps, bed.owner, serviceId, inS3.id);
    expect(await sql(serviceId, "SELECT body FROM notes WHERE id = 501")).toBe("after the backup");

    const audit = await deps.db.auditEvent.findMany({
      where: { targetId: serviceId, action: { in: ["backup.create", "backup.restore"] } },
    });
    expect(audit.filter((a) => a.action === "backup.restore").length).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it("restores a backup into a new database service (fresh credentials), refusing a taken name with nothing created", async () => {
    const { projectId, serviceId } = await theDatabase();
    // A prefix of their own: s3rver fails the destination check's one-key listing once a prefix holds two objects.
    await saveDestination(deps, bed.owner, projectId, s3Input({ prefix: "more/" }));
    const backup = await backupNow(deps, bed.owner, serviceId);
    await expect(
      restoreIntoNewDatabase(deps, bed.owner, serviceId, restoreIntoNewInput.parse({ backupId: backup.id, name: "pg" })),
    ).rejects.toMatchObject({ fieldErrors: { name: expect.stringContaining("already exists") } });
    expect(await deps.db.service.count({ where: { projectId } })).toBe(1);
    const started = await restoreIntoNewDatabase(
      deps,
      bed.owner,
      serviceId,
      restoreIntoNewInput.parse({ backupId: backup.id, name: "pgcopy" }),
    );
    bed.adopt(started.serviceId);
    // Followed from the source's page as the dashboard does, until it ends.
    const done = await waitFor(
      "the restore into pgcopy",
      async () => {
        const r = await getRestore(deps, bed.owner, serviceId, started.restoreId);
        return r.status !== "running" && r;
      },
      240_000,
    );
    expect(done).toMatchObject({ status: "succeeded", serviceName: "pgcopy", error: null });
    expect(done.log).toMatch(/Deploying the new database pgcopy[\s\S]*Restoring into pgcopy[\s\S]*Restored the backup of pg into pgcopy/);
    expect(await sql(started.serviceId, "SELECT count(*) FROM notes")).toBe(await sql(serviceId, "SELECT count(*) FROM notes"));
    const passwords = await deps.db.envVar.findMany({
      where: { name: "POSTGRES_PASSWORD", serviceId: { in: [serviceId, started.serviceId] } },
      select: { value: true },
    });
    const box = deps.box;
    expect(new Set(passwords.map((p) => box.open(p.value))).size).toBe(2);
    expect(await deps.db.service.findUniqueOrThrow({ where: { id: started.serviceId } })).toMatchObject({
      databaseEngine: "postgresql",
      image: "berth-test/postgres:15",
    });
    await deps.engine.removeService(started.serviceId);
  }, 300_000);

  it("backs up a plain named volume of any service and restores it, stopping and starting the service", async () => {
    const { projectId } = await theDatabase();
    const { id: web } = await createService(
      deps,
      bed.owner,
      createServiceInput.parse({
        projectId,
        name: "files",
        source: "image",
        image: TEST_IMAGE,
        kind: "tcp",
        containerPort: 8080,
        volumes: [{ name: "files-data", mountPath: "/data" }],
        deploy: false,
      }),
    );
    bed.adopt(web);
    expect(await finishedDeployment(deps, (await enqueueDeployment(deps, bed.owner, web)).deploymentId, 120_000)).toMatchObject({
      status: "succeeded",
    });
    await run(web, ["sh", "-c", "mkdir -p /data/sub && echo kept > /data/sub/a.txt && echo 2 > /data/b.txt"]);
    const backup = await backupNow(deps, bed.owner, web, "files-data");
    expect(backup).toMatchObject({ status: "succeeded", volume: "files-data", destinationKind: "s3" });
    expect(backup.sizeBytes).toBeGreaterThan(0);
    expect(backup.location).toMatch(/\/volume-files-data-.*\.tar$/);
    await run(web, ["sh", "-c", "echo changed > /data/sub/a.txt && echo new > /data/added.txt"]);
    const restored = await restoreVolumeBackup(deps, bed.owner, web, backup.id);
    expect(restored.ok).toBe(true);
    // Running again, with the backup's contents only.
    expect(await run(web, ["sh", "-c", "cat /data/sub/a.txt /data/b.txt; ls /data"])).toBe("kept\n2\nb.txt\nsub");
    const row = await getRestore(deps, bed.owner, web, restored.restoreId);
    expect(row).toMatchObject({ status: "succeeded", volume: "files-data" });
    expect(row.log).toMatch(/Stopping files[\s\S]*Replacing the contents of volume files-data[\s\S]*Starting files again/);
    // A bind mount or an unknown volume is refused at the field.
    await expect(backupNow(deps, bed.owner, web, "nope")).rejects.toMatchObject({
      fieldErrors: { volume: "files has no volume named nope" },
    });
    await deps.engine.removeService(web);
  }, 300_000);

  it("ends backups and restores whose process died (lapsed lease) with a clear error, and leaves live ones running", async () => {
    const { serviceId } = await theDatabase();
    const past = new Date(Date.now() - 60_000);
    const dead = await deps.db.databaseBackup.create({
      data: { serviceId, trigger: "manual", destinationKind: "s3", location: "x", leaseUntil: past },
    });
    const live = await deps.db.databaseBackup.create({
      data: { serviceId, trigger: "manual", destinationKind: "s3", location: "y", leaseUntil: new Date(Date.now() + 60_000) },
    });
    const good = await deps.db.databaseBackup.findFirstOrThrow({ where: { serviceId, status: "succeeded" } });
    const restore = await deps.db.backupRestore.create({
      data: { backupId: good.id, serviceId, leaseUntil: past, log: "Restoring into pg\n" },
    });
    await new BackupScheduler(deps, { timeZone: "UTC" }).tick();
    expect(await deps.db.databaseBackup.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      status: "failed",
      error: LAPSED_BACKUP,
    });
    expect(await deps.db.databaseBackup.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ status: "running" });
    expect(await getRestore(deps, bed.owner, serviceId, restore.id)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("in one transaction, so pg is as it was before it"),
    });
    await deps.db.databaseBackup.deleteMany({ where: { id: { in: [dead.id, live.id] } } });
  }, 60_000);

  it("says which S3 setting is wrong: unreachable endpoint, unknown access key, missing bucket", async () => {
    const project = await deps.db.project.create({ data: { teamId: bed.teamId, name: `s3-errors-${Date.now().toString(36)}` } });
    const fails = (extra: Record<string, unknown>) => testDestination(deps, bed.owner, project.id, s3Input(extra));
    await expect(fails({})).resolves.toMatchObject({ ok: true });
    await expect(fails({ endpoint: "http://127.0.0.1:1" })).rejects.toMatchObject({
      fieldErrors: { endpoint: expect.stringContaining("Cannot reach http://127.0.0.1:1") },
    });
    await expect(fails({ accessKeyId: "NOBODY" })).rejects.toMatchObject({
      fieldErrors: { accessKeyId: expect.stringContaining("wrong access key") },
    });
    // (s3rver does not verify SigV4 signatures, so a wrong secret key is covered in s3-problem.test.ts.)
    await expect(fails({ bucket: "no-such-bucket" })).rejects.toMatchObject({
      fieldErrors: { bucket: "Bucket no-such-bucket does not exist" },
    });
    // Refused at the field, nothing saved.
    await expect(saveDestination(deps, bed.owner, project.id, s3Input({ accessKeyId: "NOBODY" }))).rejects.toMatchObject({
      code: "INVALID",
    });
    expect(await deps.db.backupDestination.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("keeps directory destinations under BERTH_BACKUP_DIR (no .., no symlink out, no other path)", async () => {
    const project = await deps.db.project.create({ data: { teamId: bed.teamId, name: `dirs-${Date.now().toString(36)}` } });
    const refused = (directory: string) => saveDestination(deps, bed.owner, project.id, input({ kind: "directory", directory }));
    await expect(refused("/etc")).rejects.toMatchObject({ fieldErrors: { directory: `Backups may only be written under ${bed.root}` } });
    await expect(refused(`${bed.root}/../escape`)).rejects.toMatchObject({
      fieldErrors: { directory: expect.stringContaining("without . or ..") },
    });
    await expect(refused("relative/dir")).rejects.toMatchObject({ fieldErrors: { directory: expect.stringContaining("absolute path") } });
    await symlink("/tmp", path.join(bed.root, "link-out"));
    await expect(refused(path.join(bed.root, "link-out"))).rejects.toMatchObject({
      fieldErrors: { directory: expect.stringContaining("this path leads to") },
    });
    expect(await deps.db.backupDestination.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("runs a schedule once per slot (two schedulers), keeps the last N, and reports a stopped database's failed backup to the project's channels", async () => {
    const { projectId, serviceId } = await theDatabase();
    await saveDestination(deps, bed.owner, projectId, s3Input({ prefix: "sched/" }));
    await deps.db.databaseBackup.deleteMany({ where: { serviceId } });
    expect(() => policyInput.parse({ cron: "not cron", keepLast: 2 })).toThrow(/Not a valid cron expression/);
    let clock = new Date("2026-06-01T10:00:00.000Z");
    await savePolicy(deps, bed.owner, serviceId, policyInput.parse({ cron: "* * * * * *", keepLast: 2, keepDays: "" }), clock);
    const a = new BackupScheduler(deps, { now: () => clock, timeZone: "UTC" });
    const b = new BackupScheduler(deps, { now: () => clock, timeZone: "UTC" });
    for (let i = 0; i < 3; i += 1) {
      clock = new Date(clock.getTime() + 1000);
      await Promise.all([a.tick(), b.tick()]);
    }
    const overview = await backupsOverview(deps, bed.owner, serviceId);
    // Three slots ran (once each); retention kept the newest two, and removed the oldest object.
    expect(overview.backups.map((x) => [x.status, x.trigger])).toEqual([
      ["succeeded", "schedule"],
      ["succeeded", "schedule"],
    ]);
    expect(overview.backups.map((x) => x.startedAt.toISOString())).toEqual(["2026-06-01T10:00:03.000Z", "2026-06-01T10:00:02.000Z"]);
    const objects = await import("node:fs/promises").then((fs) =>
      fs.readdir(path.join(bed.s3.directory, "backups", "sched"), { recursive: true }),
    );
    expect(objects.filter((o) => o.endsWith(".pgdump._S3rver_object"))).toHaveLength(2);

    // Stopped: the next scheduled slot fails clearly and the project's webhook hears of it.
    const heard: string[] = [];
    const hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        heard.push(body);
        res.end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    try {
      await createChannel(
        deps,
        bed.owner,
        projectId,
        createChannelInput.parse({ kind: "webhook", name: "ops", target: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` }),
      );
      await deps.engine.stopService(serviceId);
      await expect(backupNow(deps, bed.owner, serviceId)).rejects.toMatchObject({
        code: "CONFLICT",
        message: "Database pg is not running: start or deploy it, then back it up",
      });
      const failed = await deps.db.databaseBackup.findFirstOrThrow({ where: { serviceId, status: "failed" } });
      expect(failed.error).toContain("is not running");
      const payload = await waitFor("the failure notification", async () => heard.find((h) => h.includes("backup.failed")));
      expect(JSON.parse(payload)).toMatchObject({
        event: "backup.failed",
        service: "pg",
        text: expect.stringContaining("Backup of database"),
      });
    } finally {
      hook.close();
    }
  }, 300_000);
});
