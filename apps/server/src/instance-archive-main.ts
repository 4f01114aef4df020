/**
 * `node dist/instance-archive-main.js backup --output FILE [--with-volumes]` and
 * `... restore ARCHIVE [--replace]`: the work behind infra/backup.sh and infra/restore.sh
 * (which load the configuration into the environment and stop/start Berth around a restore).
 * BERTH_CONFIG names the configuration file (default /etc/berth/berth.env).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDb } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { readEnv } from "./config/env.ts";
import { backupInstance } from "./instance/archive/backup.ts";
import { restoreInstance } from "./instance/archive/restore.ts";

const USAGE = "usage: instance-archive-main.js backup --output FILE [--with-volumes] | restore ARCHIVE [--replace]";
const log = (line: string): void => console.log(`[berth] ${line}`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      output: { type: "string" },
      "with-volumes": { type: "boolean", default: false },
      replace: { type: "boolean", default: false },
    },
  });
  const [command, archive, ...rest] = positionals;
  const configPath = process.env.BERTH_CONFIG ?? "/etc/berth/berth.env";
  const env = readEnv();
  const deps = { env, db: createDb(env.DATABASE_URL), engine: new DockerEngine({ socketPath: env.BERTH_DOCKER_SOCKET }) };
  try {
    if (command === "backup" && values.output !== undefined && archive === undefined) {
      const { output, bytes, manifest } = await backupInstance(deps, {
        output: values.output,
        configPath,
        withVolumes: values["with-volumes"],
        log,
      });
      log(
        `backup written: ${output} (${(bytes / 1024 / 1024).toFixed(1)} MiB, mode 0600): database, configuration, proxy data, ${manifest.images.length} image(s), ${manifest.volumes.length} volume(s)`,
      );
      log(
        "It holds BERTH_SECRET, the key to every secret Berth stores, and the database password: keep it as secret as /etc/berth/berth.env.",
      );
      return 0;
    }
    if (command === "restore" && archive !== undefined && rest.length === 0) {
      // src/ and dist/ sit at the same depth in apps/server.
      const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");
      await restoreInstance(deps, { archive, configPath, migrationsDir, replace: values.replace, log });
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await deps.db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[berth] ERROR: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
