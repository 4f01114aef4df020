/**
 * Restore an instance archive (infra/restore.sh) on a machine where Berth was brought up
 * (`npm run up`) and then stopped: the database (emptied, then pg_restore in one transaction),
 * the proxy's data and the backups directory, the live releases' images and the volumes; the
 * configuration last, merged (config-file.ts: BERTH_SECRET and the instance's settings from the
 * archive, this machine's database credentials and address kept). Nothing starts a container:
 * when Berth starts, its reconciler brings every service that should run back from its live
 * release (networks, containers, routes). The archive is read once, front to back.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { text } from "node:stream/consumers";
import { createGunzip } from "node:zlib";
import { extract as tarExtract } from "tar-stream";
import { backupRoot } from "../../backups/backup-dir.ts";
import { readEnv } from "../../config/env.ts";
import type { ArchiveDeps } from "./backup.ts";
import { mergeConfig, parseConfig } from "./config-file.ts";
import { ENTRY, type Manifest, manifestSchema } from "./manifest.ts";
import { restoreDatabase } from "./pg-tools.ts";
import { targetPath, writeEntry } from "./tar-io.ts";

export interface RestoreOptions {
  archive: string;
  /** This machine's configuration file; rewritten (0600) with the merged configuration. */
  configPath: string;
  /** This checkout's prisma/migrations: the archive's database must not be newer. */
  migrationsDir: string;
  /** Replace a database that already has accounts (otherwise refused). */
  replace: boolean;
  log: (line: string) => void;
}

export interface RestoreSummary {
  manifest: Manifest;
  /** Machine settings kept from this machine's configuration (names only). */
  keptMachineKeys: string[];
}

/** Accounts in the target database (0 when it has no tables yet). */
async function accountCount(db: ArchiveDeps["db"]): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ present: boolean }>>`SELECT to_regclass('public."user"') IS NOT NULL AS present`;
  return row?.present ? db.user.count() : 0;
}

/** Drop every table and type of the public schema, so the restore starts from nothing (what `npm run up` migrated included). */
async function emptyDatabase(db: ArchiveDeps["db"]): Promise<void> {
  await db.$executeRawUnsafe(`DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('DROP TABLE IF EXISTS public.%I CASCADE', r.tablename);
      END LOOP;
      FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = 'public' AND t.typtype IN ('e', 'c', 'd') AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid) LOOP
        EXECUTE format('DROP TYPE IF EXISTS public.%I CASCADE', r.typname);
      END LOOP;
    END $$`);
}

async function checkMigrations(manifest: Manifest, migrationsDir: string): Promise<void> {
  const known = new Set(await readdir(migrationsDir));
  const unknown = manifest.migrations.filter((m) => !known.has(m));
  if (unknown.length > 0) {
    throw new Error(
      `The archive's database has migrations this checkout lacks (${unknown.join(", ")}): it was made by a newer Berth. Update this checkout (git pull), run the up command, then restore.`,
    );
  }
}

export async function restoreInstance(deps: ArchiveDeps, options: RestoreOptions): Promise<RestoreSummary> {
  const { log } = options;
  await deps.engine.ping();
  const accounts = await accountCount(deps.db);
  if (accounts > 0 && !options.replace) {
    throw new Error(`This Berth's database already has ${accounts} account(s); restoring replaces all of it. Pass --replace to do so.`);
  }
  const current = await readFile(options.configPath, "utf8");
  const work = await mkdtemp(path.join(tmpdir(), "berth-restore-"));
  let manifest: Manifest | null = null;
  let merged: { text: string; kept: string[] } | null = null;
  let dirs: { proxy: string; backups: string } | null = null;
  const extract = tarExtract();
  const feeding = pipeline(createReadStream(options.archive), createGunzip(), extract);
  // A read or gzip error reaches the loop below through `extract`.
  feeding.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const { name, type, mode } = entry.header;
      // tar-stream's entries are streamx streams; the engine and fs want Node's.
      const body = Readable.from(entry);
      if (manifest === null) {
        if (name !== ENTRY.manifest)
          throw new Error(`${options.archive} is not a Berth instance archive (it does not start with ${ENTRY.manifest})`);
        manifest = manifestSchema.parse(JSON.parse(await text(body)));
        await checkMigrations(manifest, options.migrationsDir);
        log(
          `archive: made on ${manifest.hostname} at ${manifest.createdAt}: ${manifest.images.length} image(s), ${manifest.volumes.length} volume(s)`,
        );
      } else if (name === ENTRY.config) {
        merged = mergeConfig(await text(body), current);
        // The configuration Berth will run with must be valid before anything is changed.
        const env = readEnv({ NODE_ENV: "production", ...parseConfig(merged.text) });
        dirs = { proxy: env.BERTH_PROXY_DATA_DIR, backups: backupRoot(env) };
      } else if (dirs === null) {
        throw new Error(`${options.archive}: ${name} comes before the configuration; the archive is damaged`);
      } else if (name === ENTRY.database) {
        const dump = path.join(work, "database.pgdump");
        await pipeline(body, createWriteStream(dump, { mode: 0o600 }));
        log("database: replacing this machine's database with the archived one (pg_restore)");
        await emptyDatabase(deps.db);
        await restoreDatabase(deps.env.DATABASE_URL, dump);
        await rm(dump);
      } else if (name.startsWith(`${ENTRY.proxyDir}/`) || name.startsWith(`${ENTRY.backupDir}/`)) {
        const [prefix, root] = name.startsWith(`${ENTRY.proxyDir}/`) ? [ENTRY.proxyDir, dirs.proxy] : [ENTRY.backupDir, dirs.backups];
        const target = targetPath(root, prefix, name);
        if (target === null) throw new Error(`${options.archive}: refusing the entry ${name} (it would be written outside ${root})`);
        await writeEntry(target, type, mode, body);
      } else if (name === ENTRY.images) {
        log("images: loading the live releases' images");
        await deps.engine.loadImages(body);
      } else if (manifest.volumes.some((v) => v.entry === name)) {
        const volume = manifest.volumes.find((v) => v.entry === name)!;
        log(`volumes: restoring ${volume.name} of project ${volume.projectId}`);
        await deps.engine.importVolume({ teamId: volume.teamId, projectId: volume.projectId }, volume.name, body);
      } else {
        log(`archive: skipping ${name} (unknown to this version)`);
        body.resume();
      }
    }
    await feeding;
    if (manifest === null || merged === null) throw new Error(`${options.archive} is empty or not a Berth instance archive`);
    // Last: a failure above leaves this machine's own configuration (and secret) in place.
    const tmp = path.join(path.dirname(options.configPath), `.berth.env.restore-${process.pid}`);
    await writeFile(tmp, merged.text, { mode: 0o600 });
    await rename(tmp, options.configPath);
    log(
      `config: wrote ${options.configPath} (BERTH_SECRET from the archive${merged.kept.length > 0 ? `; kept this machine's ${merged.kept.join(", ")}` : ""})`,
    );
    return { manifest, keptMachineKeys: merged.kept };
  } finally {
    extract.destroy();
    await rm(work, { recursive: true, force: true });
  }
}
