/**
 * Deployment events across processes (the worker may run in `worker-main.ts`, viewers are
 * served by `main.ts`): every publish is delivered in this process as before AND announced
 * with Postgres NOTIFY. The notification carries only ids and sequence numbers -- never log
 * text or secrets --; a process with viewers of that deployment reads the announced lines
 * from build_log_line by seq (they are stored before they are announced) and delivers them
 * locally. Each process ignores its own notifications.
 *
 * Ordering: one process sends its notifications one after another, and Postgres delivers
 * them in commit order, so announced ranges arrive in order; each deployment keeps a cursor
 * (the last seq delivered here) and reads (cursor, to], so a lost notification (a reconnect)
 * is filled in by the next one.
 */
import { randomUUID } from "node:crypto";
import { listenForNotifications, type NotificationListener } from "@berth/db";
import type { Deps } from "../deps.ts";
import { readLogLines } from "./deployment-log.ts";
import { DeploymentEvents, type DeploymentLogLine, type DeploymentStatusEvent } from "./events.ts";
import { isTerminalStatus } from "./statuses.ts";

export const DEPLOYMENT_EVENTS_CHANNEL = "berth_deployment_events";
const READ_PAGE = 5000;

type Notice =
  | { o: string; kind: "lines"; d: string; from: number; to: number }
  | { o: string; kind: "status"; d: string; s: string; t: string; st: DeploymentStatusEvent["status"] };

/** Parses a notification payload; null for anything unexpected. PURE. */
export function parseNotice(payload: string): Notice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const n = value as Record<string, unknown>;
  if (typeof n.o !== "string" || typeof n.d !== "string") return null;
  if (n.kind === "lines" && Number.isInteger(n.from) && Number.isInteger(n.to)) return n as Notice;
  if (n.kind === "status" && typeof n.s === "string" && typeof n.t === "string" && typeof n.st === "string") return n as Notice;
  return null;
}

export class PgDeploymentEvents extends DeploymentEvents {
  private readonly origin = randomUUID();
  private listener: NotificationListener | null = null;
  private sending: Promise<void> = Promise.resolve();
  /** Last seq delivered here per deployment read from the database. */
  private readonly cursors = new Map<string, number>();
  private readonly reading = new Map<string, Promise<void>>();

  constructor(private readonly deps: Pick<Deps, "db" | "log"> & { databaseUrl: string }) {
    super();
  }

  /** Start listening for the other processes' events. */
  start(): void {
    this.listener ??= listenForNotifications({
      databaseUrl: this.deps.databaseUrl,
      channel: DEPLOYMENT_EVENTS_CHANNEL,
      onNotification: (payload) => this.receive(payload),
      onError: (err) => this.deps.log.warn({ err: String(err) }, "deployment events: LISTEN connection lost; reconnecting"),
    });
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
    await this.sending;
  }

  override publishLines(deploymentId: string, lines: DeploymentLogLine[]): void {
    super.publishLines(deploymentId, lines);
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (first && last) this.announce({ o: this.origin, kind: "lines", d: deploymentId, from: first.seq, to: last.seq });
  }

  override publishStatus(event: DeploymentStatusEvent): void {
    super.publishStatus(event);
    this.announce({ o: this.origin, kind: "status", d: event.deploymentId, s: event.serviceId, t: event.teamId, st: event.status });
  }

  /** Resolves once every notification published so far was sent. */
  sent(): Promise<void> {
    return this.sending;
  }

  private announce(notice: Notice): void {
    const payload = JSON.stringify(notice);
    this.sending = this.sending.then(async () => {
      try {
        await this.deps.db.$executeRaw`SELECT pg_notify(${DEPLOYMENT_EVENTS_CHANNEL}, ${payload})`;
      } catch (err) {
        this.deps.log.warn({ deploymentId: notice.d, err: String(err) }, "deployment events: NOTIFY failed");
      }
    });
  }

  private receive(payload: string): void {
    const notice = parseNotice(payload);
    if (notice === null) {
      this.deps.log.warn({ payload: payload.slice(0, 200) }, "deployment events: unexpected notification");
      return;
    }
    if (notice.o === this.origin) return;
    if (notice.kind === "status") {
      super.publishStatus({ deploymentId: notice.d, serviceId: notice.s, teamId: notice.t, status: notice.st, remote: true });
      if (isTerminalStatus(notice.st)) this.forgetLater(notice.d);
      return;
    }
    if (!this.hasLineListeners(notice.d)) {
      this.cursors.delete(notice.d);
      return;
    }
    const previous = this.reading.get(notice.d) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(notice.d, notice.from, notice.to));
    this.reading.set(notice.d, next);
    void next.finally(() => {
      if (this.reading.get(notice.d) === next) this.reading.delete(notice.d);
    });
  }

  /** Reads (cursor, to] from the database and delivers it here, in order. */
  private async deliver(deploymentId: string, from: number, to: number): Promise<void> {
    let cursor = this.cursors.get(deploymentId) ?? from - 1;
    try {
      while (cursor < to) {
        const page = await readLogLines(this.deps.db, deploymentId, cursor, Math.min(READ_PAGE, to - cursor));
        const last = page[page.length - 1];
        if (!last) break;
        cursor = last.seq;
        super.publishLines(deploymentId, page);
      }
    } catch (err) {
      this.deps.log.warn({ deploymentId, err: String(err) }, "deployment events: could not read announced lines");
    }
    this.cursors.set(deploymentId, cursor);
  }

  /** Lines stored just before the final status may still be announced: keep the cursor a while. */
  private forgetLater(deploymentId: string): void {
    setTimeout(() => {
      if (!this.reading.has(deploymentId)) this.cursors.delete(deploymentId);
    }, 10_000).unref();
  }
}
