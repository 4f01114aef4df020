/**
 * Back up a whole Berth instance into one archive (infra/backup.sh): its database, its
 * configuration (with BERTH_SECRET, the key every sealed value needs), the proxy's data, the
 * database backups directory, the image of every live release and, asked for, the services'
 * named volumes. The parts are gathered in a private staging directory beside the archive (an
 * entry's size must be known before it is written), then packed in the order manifest.ts gives.
 * The archive is written as `<name>.partial` (0600) and renamed only once complete.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { buildReleaseImageRef } from "@berth/engine";
import { pack as tarPack } from "tar-stream";
import type { Deps } from "../../deps.ts";
import { backupRoot } from "../../backups/backup-dir.ts";
import { observe, ownEngine } from "../../reconcile/observe.ts";
import { ARCHIVE_FORMAT, type ArchivedVolume, ENTRY, type Manifest } from "./manifest.ts";
import { dumpDatabase } from "./pg-tools.ts";
import { addBuffer, addDirectory, addFile } from "./tar-io.ts";

export type ArchiveDeps = Pick<Deps, "db" | "engine" | "env">;

export interface BackupOptions {
  /** The archive to write; refused when it exists. */
  output: string;
  /** The configuration file to archive (BERTH_CONFIG, /etc/berth/berth.env). */
  configPath: string;
  withVolumes: boolean;
  log: (line: string) => void;
}

export interface BackupSummary {
  output: string;
  bytes: number;
  manifest: Manifest;
}

async function appliedMigrations(db: ArchiveDeps["db"]): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ name: string }>>`
    SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`;
  return rows.map((r) => r.name);
}

/** The image reference of every service's live release (stopped services' too: they may be started later). */
async function liveReleaseImages(deps: ArchiveDeps): Promise<string[]> {
  const { services } = await observe(deps, ownEngine(deps));
  return services.flatMap((s) => (s.live === null ? [] : [buildReleaseImageRef(s.id, s.live.deploymentId).ref])).sort();
}

/** Berth's volumes of the projects this database knows (another Berth sharing the engine keeps its own). */
async function instanceVolumes(deps: ArchiveDeps): Promise<Array<Omit<ArchivedVolume, "entry">>> {
  const projects = new Map((await deps.db.project.findMany({ select: { id: true, teamId: true } })).map((p) => [p.id, p.teamId]));
  const volumes = await deps.engine.listVolumes({});
  return volumes.flatMap((v) => {
    const teamId = projects.get(v.projectId);
    return teamId === undefined ? [] : [{ teamId, projectId: v.projectId, name: v.name }];
  });
}

export async function backupInstance(deps: ArchiveDeps, options: BackupOptions): Promise<BackupSummary> {
  const output = path.resolve(options.output);
  if (existsSync(output)) throw new Error(`${output} exists; choose another file name`);
  const partial = `${output}.partial`;
  const staging = await mkdtemp(path.join(path.dirname(output), ".berth-backup-"));
  const { log } = options;
  try {
    const config = await readFile(options.configPath);
    const migrations = await appliedMigrations(deps.db);
    log("database: dumping (pg_dump, custom format)");
    const dump = path.join(staging, "database.pgdump");
    await dumpDatabase(deps.env.DATABASE_URL, dump);

    const refs = await liveReleaseImages(deps);
    log(`images: saving ${refs.length} live release image(s)`);
    const saved = await deps.engine.saveImages(refs);
    const imagesFile = path.join(staging, "images.tar");
    if (saved.tar !== null) await pipeline(saved.tar, createWriteStream(imagesFile, { mode: 0o600 }));
    for (const ref of saved.missing) log(`images: WARNING ${ref} is not on the engine; its service needs a new deploy after a restore`);

    const volumes: ArchivedVolume[] = [];
    if (options.withVolumes) {
      await mkdir(path.join(staging, "volumes"));
      for (const v of await instanceVolumes(deps)) {
        const entry = `volumes/${volumes.length}.tar`;
        log(`volumes: copying ${v.name} of project ${v.projectId} (read while its services run)`);
        await deps.engine.exportVolume(v.projectId, v.name, (tar) =>
          pipeline(tar, createWriteStream(path.join(staging, entry), { mode: 0o600 })),
        );
        volumes.push({ ...v, entry });
      }
    }

    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      hostname: hostname(),
      migrations,
      images: refs.filter((r) => !saved.missing.includes(r)),
      missingImages: saved.missing,
      volumes,
    };
    log(`archive: writing ${output}`);
    const pack = tarPack();
    const written = pipeline(pack, createGzip(), createWriteStream(partial, { mode: 0o600, flags: "wx" }));
    const packing = (async () => {
      await addBuffer(pack, ENTRY.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      await addBuffer(pack, ENTRY.config, config);
      await addFile(pack, ENTRY.database, dump);
      // Never the archive itself or its staging, should they lie inside a directory archived here.
      const skip = (file: string) => file === partial || file === output || file === staging;
      for (const [prefix, dir] of [
        [ENTRY.proxyDir, deps.env.BERTH_PROXY_DATA_DIR],
        [ENTRY.backupDir, backupRoot(deps.env)],
      ] as const) {
        if (!existsSync(dir)) continue;
        const leftOut = await addDirectory(pack, prefix, dir, skip);
        for (const file of leftOut) log(`archive: left out ${file} (not a regular file or directory)`);
      }
      if (saved.tar !== null) await addFile(pack, ENTRY.images, imagesFile);
      for (const v of volumes) await addFile(pack, v.entry, path.join(staging, v.entry));
      pack.finalize();
    })();
    // Either side failing fails the backup (the other is then torn down with the pipeline).
    await Promise.all([
      written,
      packing.catch((err: unknown) => {
        pack.destroy(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }),
    ]);
    await chmod(partial, 0o600);
    await rename(partial, output);
    const { size } = await stat(output);
    return { output, bytes: size, manifest };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
