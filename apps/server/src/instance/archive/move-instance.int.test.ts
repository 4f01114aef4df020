import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@berth/db";
import type { Deps } from "../../deps.ts";
import { readEnv } from "../../config/env.ts";
import { enqueueDeployment } from "../../deployments/deployments.ts";
import type { DeploymentWorker } from "../../deployments/worker.ts";
import { recoverDeployments } from "../../deployments/recovery.ts";
import { Reconciler } from "../../reconcile/reconciler.ts";
import { createService } from "../../services/services.ts";
import { createServiceInput } from "../../services/service-input.ts";
import type { Actor } from "../../teams/access.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../../test/deploy-harness.ts";
import { type GitFixture, helloDockerfile, startGitFixture } from "../../../test/git-fixture.ts";
import { seedUser, TEST_IMAGE, testDeps, waitFor } from "../../../test/harness.ts";
import { engineCall, type PrivateDockerd, startPrivateDockerd } from "../../../test/private-dockerd.ts";
import { VOLUME_COPY_IMAGE } from "@berth/engine";
import { backupInstance } from "./backup.ts";
import { parseConfig } from "./config-file.ts";
import { restoreInstance } from "./restore.ts";

/**
 * Moving a whole instance (infra/backup.sh + infra/restore.sh run these same functions): an
 * instance with a git service, an image service with a sealed variable and a named volume with
 * data, on its own database and the host's engine, is backed up; the archive is restored into a
 * fresh, empty database and a private Docker Engine with nothing in it (its own data root), with
 * a configuration of another secret; boot recovery's reconciler pass then brings both services
 * back from their live releases, and the volume's data, the proxy's and backups' files and the
 * key material came along.
 */
const REPO = path.resolve(import.meta.dirname, "../../../../..");
const base = testDeps();
const suffix = randomBytes(4).toString("hex");
const srcName = `berth_move_src_${suffix}`;
const dstName = `berth_move_dst_${suffix}`;
const urlOf = (name: string) => {
  const url = new URL(base.env.DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};
const work = mkdtempSync(path.join(tmpdir(), "berth-move-"));
const dirs = { proxy: path.join(work, "caddy"), backups: path.join(work, "backups") };
const srcConfig = path.join(work, "old-berth.env");
const dstConfig = path.join(work, "new-berth.env");
const archive = path.join(work, "instance.tar.gz");

let src: Deps;
let dst: Deps | null = null;
let dockerd: PrivateDockerd | null = null;
/** The new machine's engine, started while the old instance deploys. */
let dockerdStarted: Promise<PrivateDockerd> | null = null;
let fixture: GitFixture;
let worker: DeploymentWorker;
let actor: Actor;
const services: { git: string; files: string } = { git: "", files: "" };
const projects: string[] = [];

async function get(deps: Deps, serviceId: string, urlPath: string): Promise<string | null> {
  const containers = await deps.engine.listManaged({ serviceId }).catch(() => []);
  const port = containers.find((c) => c.state === "running")?.hostPort;
  if (!port) return null;
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
  return res?.status === 200 ? res.text() : null;
}

async function deploy(serviceId: string): Promise<void> {
  const { deploymentId } = await enqueueDeployment(src, actor, serviceId);
  const { status, error } = await finishedDeployment(src, deploymentId, 180_000);
  expect({ status, error }).toEqual({ status: "succeeded", error: null });
}

beforeAll(async () => {
  dockerdStarted = startPrivateDockerd().then((d) => (dockerd = d));
  await base.db.$executeRawUnsafe(`CREATE DATABASE "${srcName}"`);
  await base.db.$executeRawUnsafe(`CREATE DATABASE "${dstName}"`);
  // The old machine's database, migrated as `npm run up` does.
  const migrate = spawnSync("npm", ["run", "migrate:deploy", "--workspace", "@berth/db"], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: urlOf(srcName) },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrate:deploy: ${migrate.stderr}`);
  src = {
    ...base,
    db: createDb(urlOf(srcName)),
    env: { ...base.env, DATABASE_URL: urlOf(srcName), BERTH_PROXY_DATA_DIR: dirs.proxy, BERTH_BACKUP_DIR: dirs.backups },
  };
  writeFileSync(
    srcConfig,
    [
      `DATABASE_URL=${urlOf(srcName)}`,
      `BERTH_SECRET=${base.env.BERTH_SECRET}`,
      "BERTH_PUBLIC_URL=http://old.example:3000",
      `BERTH_PROXY_DATA_DIR=${dirs.proxy}`,
      `BERTH_BACKUP_DIR=${dirs.backups}`,
      "BERTH_PROXY_ADMIN=off",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  // What the proxy and database backups left on the old machine.
  mkdirSync(path.join(dirs.proxy, "pki/authorities/local"), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dirs.proxy, "pki/authorities/local/root.key"), "the internal CA's key", { mode: 0o600 });
  mkdirSync(path.join(dirs.backups, "db-1234"), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dirs.backups, "db-1234/20260101.pgdump"), "a database backup");

  worker = deploymentWorker(src, 2);
  worker.start();
  let teamId: string;
  ({ actor, teamId } = await seedUser(src.db));
  await allowLocalSources(src, true);
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("built from git") });
  const git = await createGitService(src, actor, teamId, { url: fixture.url, branch: "main" });
  const project = await src.db.project.create({ data: { teamId, name: `move-${randomUUID().slice(0, 8)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: "files",
    image: TEST_IMAGE,
    containerPort: 8080,
    volumes: [{ name: "data", mountPath: "/www/data" }],
  });
  const files = await createService(src, actor, input);
  await src.db.envVar.create({
    data: {
      projectId: project.id,
      serviceId: files.id,
      scopeKey: files.id,
      name: "GREETING",
      secret: true,
      value: src.box.seal("sealed greeting"),
    },
  });
  Object.assign(services, { git: git.serviceId, files: files.id });
  projects.push(git.projectId, project.id);
  await Promise.all([deploy(git.serviceId), deploy(files.id)]);
  const [container] = await src.engine.listManaged({ serviceId: files.id });
  await src.engine.exec(container!.containerId, { cmd: ["sh", "-c", "echo kept across machines > /www/data/proof"] });
}, 400_000);

afterAll(async () => {
  await worker?.stop();
  for (const id of Object.values(services).filter(Boolean)) await removeServiceEverywhere(src, id).catch(() => undefined);
  for (const projectId of projects) {
    await src.engine.removeVolume(projectId, "data").catch(() => undefined);
    await src.engine.pruneNetworks({ projectId }).catch(() => undefined);
  }
  await engineCall("/var/run/docker.sock", "DELETE", `/images/${VOLUME_COPY_IMAGE}`).catch(() => undefined);
  await dockerdStarted?.catch(() => undefined);
  await dockerd?.close();
  await fixture?.close();
  await src?.db.$disconnect();
  await dst?.db.$disconnect();
  for (const name of [srcName, dstName])
    await base.db.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  await base.db.$disconnect();
  rmSync(work, { recursive: true, force: true });
}, 180_000);

describe("moving an instance to a new machine", () => {
  it("backs up the database, configuration, proxy data, live images and volumes into one 0600 archive, and restores it into a fresh database and engine where both services serve again with their data", async () => {
    expect(await get(src, services.files, "/data/proof")).toBe("kept across machines\n");
    const lines: string[] = [];
    const { manifest } = await backupInstance(src, {
      output: archive,
      configPath: srcConfig,
      withVolumes: true,
      log: (l) => lines.push(l),
    });
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(manifest.images).toHaveLength(2);
    expect(manifest.missingImages).toEqual([]);
    expect(manifest.volumes).toEqual([expect.objectContaining({ projectId: projects[1], name: "data" })]);
    expect(lines.join("\n")).not.toContain(base.env.BERTH_SECRET);

    // The new machine: its own (empty) database, an engine that has never seen Berth, its own config and secret.
    rmSync(dirs.proxy, { recursive: true });
    rmSync(dirs.backups, { recursive: true });
    writeFileSync(
      dstConfig,
      [
        `DATABASE_URL=${urlOf(dstName)}`,
        `BERTH_SECRET=${randomBytes(32).toString("hex")}`,
        "BERTH_PUBLIC_URL=http://new.example:3000",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    const engine = await dockerdStarted!;
    expect(JSON.parse(await engine.api("GET", "/images/json"))).toEqual([]);
    const fresh: Deps = {
      ...base,
      db: createDb(urlOf(dstName)),
      engine: engine.engine,
      env: { ...base.env, DATABASE_URL: urlOf(dstName), BERTH_DOCKER_SOCKET: engine.socketPath },
    };
    await restoreInstance(fresh, {
      archive,
      configPath: dstConfig,
      migrationsDir: path.join(REPO, "prisma/migrations"),
      replace: false,
      log: () => undefined,
    });
    await fresh.db.$disconnect();

    const restored = parseConfig(readFileSync(dstConfig, "utf8"));
    expect(restored).toMatchObject({
      BERTH_SECRET: base.env.BERTH_SECRET,
      DATABASE_URL: urlOf(dstName),
      BERTH_PUBLIC_URL: "http://new.example:3000",
      BERTH_PROXY_DATA_DIR: dirs.proxy,
    });
    expect(statSync(dstConfig).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dirs.proxy, "pki/authorities/local/root.key"), "utf8")).toBe("the internal CA's key");
    expect(statSync(path.join(dirs.proxy, "pki/authorities/local/root.key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dirs.backups, "db-1234/20260101.pgdump"), "utf8")).toBe("a database backup");

    // Berth starts on the new machine with the restored configuration: boot recovery's reconciler pass.
    const env = {
      ...readEnv({ ...parseConfig(readFileSync(dstConfig, "utf8")), NODE_ENV: "test" }),
      BERTH_DOCKER_SOCKET: engine.socketPath,
    };
    dst = { ...base, env, db: createDb(env.DATABASE_URL), engine: engine.engine };
    expect(await dst.db.service.count()).toBe(2);
    const { pass } = await recoverDeployments(dst, new Reconciler(dst, { intervalMs: 0 }), "move-test");
    // Every container is recreated from its release's snapshot (its project network made first).
    const recreated = pass.actions.filter((a) => a.kind === "recreate");
    expect(recreated.map((a) => [a.serviceId, a.outcome]).sort()).toEqual(
      [
        [services.git, "done"],
        [services.files, "done"],
      ].sort(),
    );
    const d = dst;
    expect(await waitFor("the git service to serve", () => get(d, services.git, "/"), 60_000)).toContain("built from git");
    expect(await waitFor("the image service to serve", () => get(d, services.files, "/"), 60_000)).toContain("sealed greeting");
    expect(await get(d, services.files, "/data/proof")).toBe("kept across machines\n");

    // Restoring again over an instance with accounts needs --replace, and changes nothing without it.
    const configBefore = readFileSync(dstConfig, "utf8");
    const again = restoreInstance(d, {
      archive,
      configPath: dstConfig,
      migrationsDir: path.join(REPO, "prisma/migrations"),
      replace: false,
      log: () => undefined,
    });
    await expect(again).rejects.toThrow(
      "This Berth's database already has 1 account(s); restoring replaces all of it. Pass --replace to do so.",
    );
    expect(readFileSync(dstConfig, "utf8")).toBe(configBefore);
    expect(await d.db.service.count()).toBe(2);
  });
});
