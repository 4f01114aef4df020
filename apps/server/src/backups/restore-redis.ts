/**
 * Restore a Redis RDB snapshot. Redis reads its snapshot only when it starts, so:
 * 1. stage: the file streams into `<dir>/.berth-restore.rdb` in the container (dd reading the
 *    exec's stdin; argv, no shell) and redis-check-rdb verifies it -- any failure removes the
 *    staged file and Redis is unchanged (it kept running throughout);
 * 2. swap: background saves are switched off (CONFIG SET save "", until the restart) so that
 *    neither a save nor the shutdown writes over the file, the staged file is renamed onto the
 *    snapshot file (one rename), and the service's containers are stopped and started: Redis
 *    loads the backup. Writes made after the restore began are lost, as a restore means.
 * A failure after the rename says so: the snapshot file is the backup and the container is
 * in the state named. Refused when Redis runs with appendonly (it would load its AOF instead).
 */
import path from "node:path";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { tailCollector, type DatabaseTarget } from "./database-target.ts";
import { feedExec } from "./restore-stream.ts";

const lastLines = (text: string) => text.trim().split("\n").slice(-2).join(" ");

export async function restoreRedisSnapshot(
  deps: Pick<Deps, "engine">,
  target: DatabaseTarget,
  containerId: string,
  location: string,
): Promise<string> {
  const name = target.service.name;
  const env = target.recipe.env(target.vars);
  const run = async (cmd: string[]) => {
    const r = await deps.engine.exec(containerId, { cmd, env });
    if (r.exitCode !== 0) throw new Error(lastLines(`${r.stderr}\n${r.output}`) || `${cmd[0]} exited with ${r.exitCode}`);
    return r.output;
  };
  // redis-cli prints a CONFIG GET answer as two lines: the name, then the value.
  const config = async (key: string) => (await run(["redis-cli", "CONFIG", "GET", key])).split("\n")[1]?.trim() ?? "";
  const unchanged = `nothing was restored, ${name} is unchanged`;

  const [appendonly, dir, dbfilename, save] = await Promise.all(["appendonly", "dir", "dbfilename", "save"].map(config)).catch(
    (err: unknown) => {
      throw new DomainError("ENGINE_FAILED", `Cannot reach Redis in ${name} (${(err as Error).message}): ${unchanged}`);
    },
  );
  if (appendonly === "yes")
    throw new DomainError("CONFLICT", `${name} runs with appendonly yes and would load its AOF file, not the snapshot: ${unchanged}`);
  const staged = path.posix.join(dir!, ".berth-restore.rdb");
  const removeStaged = () => run(["rm", "-f", "--", staged]).catch(() => undefined);

  // 1. Stage and verify.
  const session = await deps.engine.openExec(containerId, { cmd: ["dd", `of=${staged}`, "bs=1M", "status=none"], stdin: true });
  const ddErr = tailCollector();
  session.stderr.on("data", (c: Buffer) => ddErr.push(c));
  session.stdout.resume();
  try {
    await feedExec(session, await target.store.read(location));
  } catch (err) {
    session.close();
    await session.wait().catch(() => null);
    await removeStaged();
    throw new DomainError("ENGINE_FAILED", `Reading the backup failed midway (${(err as Error).message}): ${unchanged}`);
  }
  const ddExit = await session.wait();
  if (ddExit !== 0) {
    await removeStaged();
    throw new DomainError(
      "ENGINE_FAILED",
      `Copying the snapshot into ${name} failed (${lastLines(ddErr.text()) || `exit code ${ddExit}`}): ${unchanged}`,
    );
  }
  const check = await deps.engine.exec(containerId, { cmd: ["redis-check-rdb", staged] });
  if (check.exitCode !== 0) {
    await removeStaged();
    const reason = /RDB ERROR DETECTED ---\n(.*)/.exec(check.output)?.[1] ?? lastLines(check.output + check.stderr);
    throw new DomainError("INVALID", `The backup is not a valid RDB snapshot (redis-check-rdb: ${reason}): ${unchanged}`);
  }

  // 2. Swap and restart.
  try {
    await run(["redis-cli", "CONFIG", "SET", "save", ""]);
    // A background save already running would finish after the rename and write over it.
    for (let i = 0; /rdb_bgsave_in_progress:1/.test(await run(["redis-cli", "INFO", "persistence"])); i += 1) {
      if (i >= 600) throw new Error("a background save is still running");
      await new Promise((r) => setTimeout(r, 100));
    }
    await run(["mv", "-f", "--", staged, path.posix.join(dir!, dbfilename!)]);
  } catch (err) {
    await run(["redis-cli", "CONFIG", "SET", "save", save!]).catch(() => undefined);
    await removeStaged();
    throw new DomainError("ENGINE_FAILED", `Swapping in the snapshot failed (${(err as Error).message}): ${unchanged}`);
  }
  let stopped = false;
  try {
    await deps.engine.stopService(target.service.id);
    stopped = true;
    await deps.engine.startService(target.service.id);
  } catch (err) {
    const state = stopped
      ? `${name} is stopped and loads the backup when it starts (start or redeploy it)`
      : `Redis still serves the old data (saving is off) and loads the backup at its next start`;
    throw new DomainError(
      "ENGINE_FAILED",
      `${dbfilename} in ${name} is now the backup, but restarting the container failed (${(err as Error).message}): ${state}`,
    );
  }
  return check.output;
}
