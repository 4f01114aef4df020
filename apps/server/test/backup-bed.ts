/**
 * The shared frame of the backup integration files: a deployment worker, a backup root under
 * the temp directory, a real S3 server (s3rver) on 127.0.0.1, an owner, databases made through
 * the product's create path, and the cleanup of everything they made (services, volumes,
 * project networks, files).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { DockerEngine } from "@berth/engine";
import type { Deps } from "../src/deps.ts";
import { createDatabase, createDatabaseInput } from "../src/databases/create-database.ts";
import type { DatabaseEngine } from "../src/databases/database-engines.ts";
import type { Actor } from "../src/teams/access.ts";
import { allowLocalSources, deploymentWorker, finishedDeployment } from "./deploy-harness.ts";
import { requireTestImage, seedUser } from "./harness.ts";
import { startLocalS3, type LocalS3 } from "./s3-server.ts";

export class BackupBed {
  readonly worker;
  owner!: Actor;
  teamId!: string;
  root!: string;
  s3!: LocalS3;
  private readonly databases: string[] = [];
  private readonly projects: string[] = [];

  constructor(private readonly deps: Deps) {
    this.worker = deploymentWorker(deps);
  }

  async setUp(): Promise<void> {
    await requireTestImage(this.deps.engine as DockerEngine);
    this.root = await mkdtemp(path.join(tmpdir(), "berth-backups-"));
    this.deps.env.BERTH_BACKUP_DIR = this.root;
    // Initializing a data directory on a busy machine can take longer than the harness' 5 s.
    this.deps.env.BERTH_READY_TIMEOUT_S = 120;
    ({ actor: this.owner, teamId: this.teamId } = await seedUser(this.deps.db));
    await allowLocalSources(this.deps, true);
    this.s3 = await startLocalS3(["backups"]);
    this.worker.start();
  }

  async tearDown(): Promise<void> {
    const { deps } = this;
    await this.worker.stop();
    for (const id of this.databases) await deps.engine.removeService(id);
    for (const v of await deps.db.volume.findMany({ where: { serviceId: { in: this.databases } } }))
      await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
    for (const projectId of this.projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
    await this.s3?.close();
    if (this.root) await rm(this.root, { recursive: true, force: true });
    await deps.db.$disconnect();
  }

  /** A service the test made itself, removed (with its volumes) at tear-down like the databases. */
  adopt(serviceId: string): void {
    this.databases.push(serviceId);
  }

  /** A database deployed in a new project of the owner's team. */
  async newDatabase(name: string, engine: DatabaseEngine, image: string): Promise<{ projectId: string; serviceId: string }> {
    const project = await this.deps.db.project.create({ data: { teamId: this.teamId, name: `${name}-${Date.now().toString(36)}` } });
    this.projects.push(project.id);
    const db = await createDatabase(this.deps, this.owner, createDatabaseInput.parse({ projectId: project.id, name, engine, image }));
    this.databases.push(db.id);
    expect(await finishedDeployment(this.deps, db.deploymentId!, 180_000)).toMatchObject({ status: "succeeded" });
    return { projectId: project.id, serviceId: db.id };
  }
}
