/**
 * Cron expressions for schedules (database backups, cron jobs), parsed by croner (5 fields, or
 * 6 with seconds first, or 7 with a year) and evaluated in a given time zone (the instance's).
 * PURE: no I/O, no timers (a Cron without a callback never schedules anything).
 */
import { Cron } from "croner";
import { z } from "zod";

function problemOf(expr: string): string | null {
  try {
    new Cron(expr, { paused: true });
    return null;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).replace(/^CronPattern: /, "");
  }
}

export const cronExpression = z
  .string()
  .trim()
  .min(1, "Not a valid cron expression: it is empty")
  .superRefine((expr, ctx) => {
    if (expr === "") return;
    const problem = problemOf(expr);
    if (problem !== null) ctx.addIssue({ code: "custom", message: `Not a valid cron expression: ${problem}` });
  });

/** The first slot strictly after `after` in `timeZone` (an IANA name), or null when there is none. */
export function nextRun(expr: string, timeZone: string, after: Date): Date | null {
  return new Cron(expr, { paused: true, timezone: timeZone }).nextRun(after);
}
