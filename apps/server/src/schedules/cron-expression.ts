/**
 * Cron expressions for schedules (database backups, cron jobs): validated with croner and
 * evaluated in a given time zone (the instance's). 5 fields (minute precision) or 6 (with
 * seconds first), as croner reads them. PURE.
 */
import { Cron } from "croner";
import { z } from "zod";

function parse(expr: string, timeZone?: string): Cron {
  return new Cron(expr, { paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
}

export const cronExpression = z
  .string()
  .trim()
  .min(1, "Not a valid cron expression: it is empty")
  .superRefine((expr, ctx) => {
    try {
      parse(expr);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `Not a valid cron expression: ${err instanceof Error ? err.message : String(err)}` });
    }
  });

/** The first run strictly after `after`, or null when the expression never fires again. */
export function nextRun(expr: string, timeZone: string, after: Date): Date | null {
  return parse(expr, timeZone).nextRun(after);
}
