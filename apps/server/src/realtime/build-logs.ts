import type { RealtimeSocket } from "./events.ts";
import { readDeploymentStatus, readLogLines } from "../deployments/deployment-log.ts";
import type { DeploymentLogLine } from "../deployments/events.ts";
import { isTerminalStatus } from "../deployments/statuses.ts";
import type { Deps } from "../deps.ts";

const PAGE = 2000;
/** Lines written after the final status change are stored within the sink's flush interval. */
const TAIL_GRACE_MS = 400;

/**
 * One socket's build-log subscriptions, one per deployment. Resume protocol: the client
 * sends the last seq it has (-1 for none); the server registers for live lines first, then
 * sends the stored lines after that seq, then the live lines it buffered meanwhile, skipping
 * any seq already sent. Every line is stored before it is published, so there is no gap, and
 * the seq filter leaves no duplicate. `build:end` follows once the deployment has finished
 * and every stored line was sent.
 */
export class SocketBuildLogs {
  private readonly subscriptions = new Map<string, () => void>();

  constructor(
    private readonly socket: RealtimeSocket,
    private readonly deps: Pick<Deps, "db" | "events" | "log">,
  ) {}

  async follow(deploymentId: string, afterSeq: number): Promise<void> {
    this.stop(deploymentId);
    let lastSent = afterSeq;
    let backfilling = true;
    let ended = false;
    let buffered: DeploymentLogLine[] = [];
    const send = (lines: DeploymentLogLine[]) => {
      const fresh = lines.filter((l) => l.seq > lastSent);
      if (fresh.length === 0) return;
      lastSent = fresh[fresh.length - 1]!.seq;
      this.socket.emit("build:lines", { deploymentId, lines: fresh });
    };
    const catchUp = async () => {
      for (;;) {
        const page = await readLogLines(this.deps.db, deploymentId, lastSent, PAGE);
        send(page);
        if (page.length < PAGE) return;
      }
    };
    const finish = async () => {
      if (ended || this.subscriptions.get(deploymentId) !== stop) return;
      ended = true;
      await catchUp();
      const status = await readDeploymentStatus(this.deps.db, deploymentId);
      this.socket.emit("build:end", { deploymentId, status: status ?? "failed", lastSeq: lastSent });
      this.stop(deploymentId);
    };
    const offLines = this.deps.events.onLines(deploymentId, (lines) => {
      if (backfilling) buffered.push(...lines);
      else send(lines);
    });
    const offStatus = this.deps.events.onStatus((e) => {
      if (e.deploymentId === deploymentId && isTerminalStatus(e.status))
        setTimeout(() => void finish().catch(this.report(deploymentId)), TAIL_GRACE_MS);
    });
    const stop = () => {
      offLines();
      offStatus();
    };
    this.subscriptions.set(deploymentId, stop);

    await catchUp();
    backfilling = false;
    send(buffered.sort((a, b) => a.seq - b.seq));
    buffered = [];
    const status = await readDeploymentStatus(this.deps.db, deploymentId);
    if (status && isTerminalStatus(status)) setTimeout(() => void finish().catch(this.report(deploymentId)), TAIL_GRACE_MS);
  }

  stop(deploymentId: string): void {
    this.subscriptions.get(deploymentId)?.();
    this.subscriptions.delete(deploymentId);
  }

  stopAll(): void {
    for (const id of [...this.subscriptions.keys()]) this.stop(id);
  }

  private report(deploymentId: string) {
    return (err: unknown) => this.deps.log.warn({ deploymentId, err: String(err) }, "build log stream failed");
  }
}
