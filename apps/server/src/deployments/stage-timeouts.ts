/** Per-stage deadlines of a deployment: defaults, overridden per service. PURE. */

export type Stage = "clone" | "build" | "start" | "health";

export const DEFAULT_STAGE_TIMEOUTS_S: Record<Stage, number> = { clone: 120, build: 900, start: 120, health: 30 };

export interface StageTimeoutOverrides {
  cloneTimeoutS: number | null;
  buildTimeoutS: number | null;
  startTimeoutS: number | null;
  healthTimeoutS: number | null;
}

export function stageTimeoutsMs(service: StageTimeoutOverrides, defaults: Partial<Record<Stage, number>> = {}): Record<Stage, number> {
  const base = { ...DEFAULT_STAGE_TIMEOUTS_S, ...defaults };
  return {
    clone: (service.cloneTimeoutS ?? base.clone) * 1000,
    build: (service.buildTimeoutS ?? base.build) * 1000,
    start: (service.startTimeoutS ?? base.start) * 1000,
    health: (service.healthTimeoutS ?? base.health) * 1000,
  };
}
