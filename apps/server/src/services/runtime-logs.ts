import type { LogLine } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { secretValuesOf } from "../secrets/env-store.ts";
import { redact, redactionNeedles } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { findLiveContainer } from "./live-container.ts";

type LogDeps = Pick<Deps, "db" | "engine" | "env" | "box">;

/** The service's secret values in every form they may appear in a log line (never shown to a viewer). */
export async function logRedactionNeedles(deps: Pick<Deps, "db" | "env" | "box">, serviceId: string): Promise<string[]> {
  const service = await deps.db.service.findUnique({ where: { id: serviceId }, select: { projectId: true } });
  return service ? redactionNeedles(await secretValuesOf(deps.db, deps.box, { projectId: service.projectId, serviceId })) : [];
}

/** Longest a read waits for the engine to close a bounded (until-now) log stream. */
const READ_TIMEOUT_MS = 10_000;

/**
 * The live container's runtime log lines up to now (the last `tail`, or those since a unix time),
 * secrets redacted: what `berth logs` prints and, polled with `since`, follows.
 */
export async function readRuntimeLogs(deps: LogDeps, actor: Actor, input: { serviceId: string; since?: number | undefined; tail: number }) {
  await loadService(deps.db, actor, input.serviceId, "viewer");
  const live = await findLiveContainer(deps, input.serviceId);
  if (!live) return { running: false, lines: [] as LogLine[] };
  const needles = await logRedactionNeedles(deps, input.serviceId);
  const lines: LogLine[] = [];
  await new Promise<void>((resolve, reject) => {
    const until = Math.ceil(Date.now() / 1000);
    const options = { tail: input.tail, until, ...(input.since === undefined ? {} : { since: input.since }) };
    let timer: NodeJS.Timeout | undefined;
    deps.engine
      .followLogs(
        live.containerId,
        options,
        (line) => lines.push(needles.length > 0 ? { ...line, text: redact(line.text, needles) } : line),
        (err) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        },
      )
      .then((stop) => {
        timer = setTimeout(stop, READ_TIMEOUT_MS);
      }, reject);
  });
  return { running: true, lines };
}
