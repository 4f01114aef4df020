/**
 * A build's disk budget: while a BuildKit build runs, its RUN steps' writes are measured every
 * few seconds (build-disk.ts); once they pass the budget the build is cancelled, and the cache
 * records it left are pruned. The sum is over every RUN step of the build, each at the most it
 * was seen holding (a finished step's layer stays on disk in the cache).
 */
import type { EngineApi } from "./engine-api.ts";
import { allocatedBytes, commandOf, isStepOf, runningBuildSteps } from "./build-disk.ts";
import { diskUsage } from "./disk-usage.ts";
import type { DfBuildCache } from "./reclaim-plan.ts";
import { engineMessage } from "./errors.ts";

export const DEFAULT_DISK_CHECK_MS = 2000;

/** "0.1 GB", "20 GB". PURE. */
export function formatGb(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  return `${gb >= 10 ? gb.toFixed(0) : Number(gb.toPrecision(2))} GB`;
}

/** The RUN text of a decoded BuildKit vertex line ("#5 [2/3] RUN make"), or null. PURE. */
export function runTextOf(line: string): string | null {
  return /^#\d+ \[[^\]]*\] RUN (.+)$/.exec(line)?.[1] ?? null;
}

export interface DiskBudgetWatch {
  /** Hand every build output line here: the RUN steps are recognised from them. */
  see(line: string): void;
  /** Set once the budget was passed (the build was cancelled through `onExceeded`). */
  readonly exceeded: { bytes: number; afterMs: number } | null;
  stop(): void;
  /** Prune the build-cache records this build made (after it was cancelled). */
  cleanUp(): Promise<void>;
}

export function watchDiskBudget(
  api: EngineApi,
  options: { budgetBytes: number; everyMs?: number; onExceeded: () => void; onNotice: (line: string) => void },
): DiskBudgetWatch {
  const started = Date.now();
  const runs = new Set<string>();
  const charged = new Map<string, number>();
  let exceeded: { bytes: number; afterMs: number } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let dataRoot: string | null = null;

  const check = async (): Promise<void> => {
    dataRoot ??=
      (
        await api.call("engine info", "engine", (abortSignal) =>
          api.dial<{ DockerRootDir?: string }>({
            path: "/info",
            method: "GET",
            abortSignal,
            statusCodes: { 200: true, 500: "server error" },
          }),
        )
      ).DockerRootDir ?? "/var/lib/docker";
    if (runs.size === 0) return;
    for (const step of await runningBuildSteps(dataRoot)) {
      if (![...runs].some((text) => isStepOf(step.args, text))) continue;
      charged.set(step.id, Math.max(charged.get(step.id) ?? 0, await allocatedBytes(step.upperDir)));
    }
    const bytes = [...charged.values()].reduce((a, b) => a + b, 0);
    if (bytes > options.budgetBytes && exceeded === null && !stopped) {
      exceeded = { bytes, afterMs: Date.now() - started };
      options.onExceeded();
    }
  };
  const schedule = () => {
    if (stopped || exceeded) return;
    timer = setTimeout(() => {
      check().then(schedule, (err: unknown) => {
        // Not measurable here (an engine on another host, no access to its data root): say so once.
        if (!stopped) options.onNotice(`Disk budget not enforced: its use cannot be measured here (${engineMessage(err)})`);
      });
    }, options.everyMs ?? DEFAULT_DISK_CHECK_MS);
  };
  schedule();

  return {
    see(line) {
      const text = runTextOf(line);
      if (text !== null) runs.add(text);
    },
    get exceeded() {
      return exceeded;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    async cleanUp() {
      const ours = (r: DfBuildCache) =>
        Date.parse(r.createdAt ?? "") >= started - 1000 && [...runs].some((text) => r.description?.includes(commandOf(text)));
      // The cancelled solve lets go of its records shortly after the build request ends.
      let mine: DfBuildCache[] = [];
      for (let i = 0; i < 20; i++) {
        mine = (await diskUsage(api)).buildCache.filter(ours);
        if (!mine.some((r) => r.inUse)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      // The engine takes one value per filter key: one prune per record.
      for (const record of mine.filter((r) => !r.inUse)) {
        await api.call("prune build cache", record.id, (abortSignal) =>
          api.dial({
            path: "/build/prune?",
            method: "POST",
            options: { all: true, filters: JSON.stringify({ id: [record.id] }) },
            abortSignal,
            statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
          }),
        );
      }
    },
  };
}
