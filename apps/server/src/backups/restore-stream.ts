/**
 * A restore that streams the backup file into a command's stdin in the database's container
 * (pg_restore, mariadb), and what state a failure leaves: a transactional restore rolled back;
 * otherwise the part of the dump (a table) it stopped in, found from the line the client names
 * in its error ("ERROR ... at line N") or, when the file stopped coming, the last part sent.
 */
import { once } from "node:events";
import type { Readable } from "node:stream";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import type { ExecSession } from "@berth/engine";
import type { RestoreRecipe } from "../databases/database-engines.ts";
import { tailCollector, type DatabaseTarget } from "./database-target.ts";

/** Write `source` into the exec's stdin with backpressure, then close it (EOF). */
export async function feedExec(session: ExecSession, source: Readable, onChunk?: (chunk: Buffer) => void): Promise<void> {
  for await (const chunk of source) {
    onChunk?.(chunk as Buffer);
    if (!session.stdin.write(chunk)) await once(session.stdin, "drain");
  }
  session.endInput();
}

/** Where each part (a `section` line) of a dump starts, by line number, as the dump streams past. */
export function sectionTracker(section: RegExp | undefined) {
  const starts: { line: number; name: string }[] = [];
  let line = 1;
  let partial = "";
  return {
    push(chunk: Buffer) {
      if (!section) return;
      const lines = (partial + chunk.toString("latin1")).split("\n");
      partial = lines.pop() ?? "";
      for (const text of lines) {
        const m = section.exec(text);
        if (m) starts.push({ line, name: m[1] ?? text });
        line += 1;
      }
    },
    /** The part holding `line` (the last part sent when unknown). */
    at(lineNo?: number) {
      const before = lineNo === undefined ? starts : starts.filter((s) => s.line <= lineNo);
      return before.at(-1)?.name ?? null;
    },
  };
}

type StdinRestore = Extract<RestoreRecipe, { kind: "stdin" }>;

/** What a failed non-transactional restore left, in words (`part` null: it failed before the first table). */
function partialState(name: string, part: string | null): string {
  if (part === null) return `it stopped before the first table, ${name} is unchanged`;
  return `${name} is partly restored: the tables before \`${part}\` in the backup were restored, \`${part}\` may be incomplete, the tables after it (and any table not in the backup) are as they were. Restore a complete backup again to finish`;
}

export async function restoreStream(
  deps: Pick<Deps, "engine">,
  target: DatabaseTarget,
  restore: StdinRestore,
  containerId: string,
  location: string,
): Promise<string> {
  const name = target.service.name;
  const session = await deps.engine.openExec(containerId, {
    cmd: restore.argv(target.vars),
    env: target.recipe.env(target.vars),
    stdin: true,
  });
  const stderr = tailCollector();
  session.stderr.on("data", (c: Buffer) => stderr.push(c));
  session.stdout.resume();
  const parts = sectionTracker(restore.section);
  try {
    await feedExec(session, await target.store.read(location), (c) => parts.push(c));
  } catch (err) {
    // Closing mid-stream: a transactional restore sees a truncated archive and rolls back.
    session.close();
    await session.wait().catch(() => null);
    const state = restore.transactional ? `the restore was rolled back, ${name} is unchanged` : partialState(name, parts.at());
    throw new DomainError("ENGINE_FAILED", `Reading the backup failed midway (${(err as Error).message}); ${state}`);
  }
  const exitCode = await session.wait();
  const log = stderr.text();
  if (exitCode !== 0) {
    const last = log.trim().split("\n").slice(-3).join(" ");
    const atLine = /at line (\d+)/.exec(log)?.[1];
    const state = restore.transactional
      ? `was rolled back: ${name} is unchanged.`
      : `stopped: ${partialState(name, parts.at(atLine === undefined ? undefined : Number(atLine)))}.`;
    throw new DomainError("ENGINE_FAILED", `The restore failed (exit code ${exitCode}) and ${state}${last ? ` ${last}` : ""}`);
  }
  return log;
}
