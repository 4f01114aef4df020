/**
 * A compose service's `healthcheck` -> Berth's health check (a command, run without a shell
 * unless the file asked for one) and the health stage's deadline. PURE.
 */
import { join as joinArgv } from "shlex";
import { durationSeconds } from "./compose-values.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";
import { DEFAULT_RUNTIME, MAX_HEALTH_RETRIES } from "../services/runtime-settings.ts";

/** Berth's own defaults (a service's settings). */
const BERTH = DEFAULT_RUNTIME.healthCheck;

export function mapHealthCheck(svc: ComposeService, err: Report, warn: Report): Pick<ServiceFields, "healthCheck" | "timeouts"> {
  const healthCheck: ServiceFields["healthCheck"] = { type: "default" };
  const hc = svc.healthcheck as
    { test?: unknown; disable?: unknown; interval?: string; timeout?: string; retries?: unknown; start_period?: string } | undefined;
  if (hc && hc.disable !== true && hc.disable !== "true") {
    const test = hc.test;
    let argv: string[] | null = null;
    if (typeof test === "string") argv = ["/bin/sh", "-c", test];
    else if (Array.isArray(test) && test[0] === "CMD") argv = test.slice(1).map(String);
    else if (Array.isArray(test) && test[0] === "CMD-SHELL") argv = ["/bin/sh", "-c", test.slice(1).join(" ")];
    else if (Array.isArray(test) && test[0] === "NONE") argv = null;
    else if (test !== undefined) err("healthcheck.test", "Starts with CMD, CMD-SHELL or NONE");
    if (argv !== null && argv.length > 0) {
      healthCheck.type = "command";
      healthCheck.command = joinArgv(argv);
    }
    const seconds = (key: "interval" | "timeout" | "start_period", field: "intervalS" | "timeoutS" | "startPeriodS") => {
      const text = hc[key];
      if (text === undefined) return;
      const s = durationSeconds(text);
      if (s === null) err(`healthcheck.${key}`, `"${text}" is not a duration (e.g. 10s, 1m30s)`);
      else healthCheck[field] = field === "startPeriodS" ? s : Math.max(1, s);
    };
    seconds("interval", "intervalS");
    seconds("timeout", "timeoutS");
    seconds("start_period", "startPeriodS");
    if (hc.retries !== undefined) healthCheck.retries = Number(hc.retries);
    if (healthCheck.type === "command") keepComposePatience(healthCheck, hc.interval === undefined, warn);
  }
  // Compose calls a container unhealthy after start_period + retries failed probes: the
  // deployment's health stage waits that long.
  const timeouts =
    healthCheck.type === "command"
      ? {
          healthTimeoutS: Math.min(
            3600,
            Math.max(
              1,
              (healthCheck.startPeriodS ?? 0) +
                ((healthCheck.intervalS ?? BERTH.intervalS) + (healthCheck.timeoutS ?? BERTH.timeoutS)) *
                  (healthCheck.retries ?? BERTH.retries),
            ),
          ),
        }
      : undefined;
  return { healthCheck, ...(timeouts ? { timeouts } : {}) };
}

/** Compose's defaults for what a healthcheck leaves out. */
const COMPOSE_INTERVAL_S = 30;
const COMPOSE_TIMEOUT_S = 30;
const COMPOSE_RETRIES = 3;

/**
 * Give the check the patience compose would: a check with only `test:` probes every 30 s in
 * compose, so a service booting for a minute (Rails, Java) is not unhealthy there. Berth probes
 * every 2 s where the file sets no interval (a healthy service passes sooner) and adds the time
 * compose's slower probes would have given as start period; failures within it do not count.
 * Unset timeout and retries take compose's defaults; retries above Berth's ceiling become start
 * period too.
 */
function keepComposePatience(healthCheck: ServiceFields["healthCheck"], noInterval: boolean, warn: Report): void {
  const retries = healthCheck.retries ?? COMPOSE_RETRIES;
  healthCheck.timeoutS ??= COMPOSE_TIMEOUT_S;
  let startPeriodS = healthCheck.startPeriodS ?? 0;
  if (noInterval) {
    healthCheck.intervalS = BERTH.intervalS;
    startPeriodS += COMPOSE_INTERVAL_S * Math.min(retries, MAX_HEALTH_RETRIES);
  }
  if (retries > MAX_HEALTH_RETRIES) {
    startPeriodS += (retries - MAX_HEALTH_RETRIES) * (healthCheck.intervalS ?? COMPOSE_INTERVAL_S);
    warn(
      "healthcheck.retries",
      `Berth counts at most ${MAX_HEALTH_RETRIES} failed probes in a row: the other ${retries - MAX_HEALTH_RETRIES} probes' time is added to the start period`,
    );
  }
  healthCheck.retries = Math.min(retries, MAX_HEALTH_RETRIES);
  healthCheck.startPeriodS = Math.min(startPeriodS, 3600);
}
