import type { OneOffEndPayload, RealtimeSocket } from "./events.ts";
import type { Deps } from "../deps.ts";
import { readRunOutput } from "../one-offs/read-output.ts";
import type { Actor } from "../teams/access.ts";

const POLL_MS = 300;

/**
 * One socket's one-off output follows. The output is read from Postgres (whichever process runs
 * the container: the web server for one-offs, the worker for cron) from the character offset the
 * client has, every 300 ms; each read re-authorizes the caller against the service's team, so a
 * removed member's follow ends. `oneoff:output` {runId, offset, next, text} ... `oneoff:end`.
 */
export class SocketOneOffOutput {
  private readonly follows = new Map<string, NodeJS.Timeout | null>();

  constructor(
    private readonly socket: RealtimeSocket,
    private readonly deps: Pick<Deps, "db" | "log">,
    private readonly actor: Actor,
  ) {}

  follow(serviceId: string, runId: string, offset: number): void {
    this.stop(runId);
    let sent = offset;
    this.follows.set(runId, null);
    const tick = async (): Promise<void> => {
      if (!this.follows.has(runId)) return;
      try {
        const run = await readRunOutput(this.deps, this.actor, serviceId, runId, sent);
        if (!run) return this.end(runId, { runId, status: "failed", error: "Run not found" });
        if (run.text !== "") {
          this.socket.emit("oneoff:output", { runId, offset: sent, next: run.len, text: run.text });
          sent = run.len;
        }
        if (run.status !== "running")
          return this.end(runId, { runId, status: run.status, exitCode: run.exitCode, error: run.error, durationMs: run.durationMs });
      } catch (err) {
        return this.end(runId, { runId, status: "unknown", error: err instanceof Error ? err.message : "The output stream stopped" });
      }
      if (this.follows.has(runId))
        this.follows.set(
          runId,
          setTimeout(() => void tick(), POLL_MS),
        );
    };
    void tick();
  }

  stop(runId: string): void {
    const timer = this.follows.get(runId);
    if (timer) clearTimeout(timer);
    this.follows.delete(runId);
  }

  stopAll(): void {
    for (const id of [...this.follows.keys()]) this.stop(id);
  }

  private end(runId: string, payload: OneOffEndPayload): void {
    this.stop(runId);
    this.socket.emit("oneoff:end", payload);
  }
}
