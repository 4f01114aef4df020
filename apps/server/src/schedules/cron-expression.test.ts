import { describe, expect, it } from "vitest";
import { cronExpression, nextRun } from "./cron-expression.ts";

describe("cronExpression", () => {
  it("accepts 5- and 6-field expressions", () => {
    expect(cronExpression.parse(" 0 3 * * * ")).toBe("0 3 * * *");
    expect(cronExpression.safeParse("*/5 * * * * *").success).toBe(true);
  });

  it("refuses what croner cannot read, saying why", () => {
    const issue = cronExpression.safeParse("61 * * * *").error?.issues[0];
    expect(issue?.message).toMatch(/^Not a valid cron expression: .+/);
    expect(cronExpression.safeParse("every day").error?.issues[0]?.message).toMatch(/^Not a valid cron expression: /);
    expect(cronExpression.safeParse("").error?.issues[0]?.message).toBe("Not a valid cron expression: it is empty");
  });
});

describe("nextRun", () => {
  it("evaluates in the given time zone", () => {
    const after = new Date("2026-01-15T12:00:00Z");
    expect(nextRun("0 3 * * *", "UTC", after)?.toISOString()).toBe("2026-01-16T03:00:00.000Z");
    // 03:00 in Berlin (UTC+1 in January) is 02:00 UTC.
    expect(nextRun("0 3 * * *", "Europe/Berlin", after)?.toISOString()).toBe("2026-01-16T02:00:00.000Z");
  });

  it("is strictly after the given instant", () => {
    const at = new Date("2026-01-15T03:00:00Z");
    expect(nextRun("0 3 * * *", "UTC", at)?.toISOString()).toBe("2026-01-16T03:00:00.000Z");
  });
});
