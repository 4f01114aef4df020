/**
 * The stage progress of one deployment, clone -> build -> release (PURE): from its status, the
 * recorded durations of finished stages (cloneMs, buildMs, releaseMs) and when the current stage
 * began (stageStartedAt; with finishedAt it also times the stage a failure ended).
 */
export type StageKey = "clone" | "build" | "release";
export type StageState = "done" | "running" | "failed" | "pending" | "skipped";

export interface StageView {
  key: StageKey;
  label: string;
  state: StageState;
  /** Duration so far (running) or in total; null when not known. */
  ms: number | null;
}

export interface StageInput {
  status: string;
  cloneMs: number | null;
  buildMs: number | null;
  releaseMs: number | null;
  stageStartedAt: string | Date | null;
  finishedAt: string | Date | null;
  rollbackOfId: string | null;
}

const STAGES: { key: StageKey; label: string; status: string; ms: "cloneMs" | "buildMs" | "releaseMs" }[] = [
  { key: "clone", label: "Clone", status: "cloning", ms: "cloneMs" },
  { key: "build", label: "Build", status: "building", ms: "buildMs" },
  { key: "release", label: "Release", status: "releasing", ms: "releaseMs" },
];

const ENDED_BADLY = new Set(["failed", "timed_out", "cancelled"]);

const time = (v: string | Date | null): number | null => (v === null ? null : new Date(v).getTime());

/** `builds`: the service builds from git (an image service or a rollback only releases). */
export function deployStages(d: StageInput, options: { builds: boolean; now: number }): StageView[] {
  const builds = options.builds && d.rollbackOfId === null;
  const started = time(d.stageStartedAt);
  const finished = time(d.finishedAt);
  // The stage a failure ended: the first one that ran but recorded no duration.
  const applicable = STAGES.filter((s) => builds || s.key === "release");
  const failedAt = ENDED_BADLY.has(d.status) && started !== null ? applicable.find((s) => d[s.ms] === null)?.key : undefined;
  return STAGES.map((s): StageView => {
    const base = { key: s.key, label: s.label };
    if (!builds && s.key !== "release") return { ...base, state: "skipped", ms: null };
    const recorded = d[s.ms];
    if (recorded !== null) return { ...base, state: "done", ms: recorded };
    if (d.status === s.status) return { ...base, state: "running", ms: started === null ? null : Math.max(0, options.now - started) };
    if (failedAt === s.key)
      return { ...base, state: "failed", ms: started !== null && finished !== null ? Math.max(0, finished - started) : null };
    return { ...base, state: "pending", ms: null };
  });
}
