import { describe, expect, it } from "vitest";
import { cronExpression, nextRun } from "./cron-expression.ts";

describe("cronExpression", () => {
  it("accepts five fields, and six with seconds", () => {
    expect(cronExpression.parse(" */5 * * * * ")).toBe("*/5 * * * *");
    expect(cronExpression.parse(" 0 3 * * * ")).toBe("0 3 * * *");
    expect(cronExpression.safeParse("* * * * * *").success).toBe(true);
  });

  it("refuses a bad one with croner's reason, and an empty one", () => {
    expect(cronExpression.safeParse("61 * * * *").error?.issues[0]?.message).toBe(
      "Not a valid cron expression: Invalid value for minute: 61",
    );
    expect(cronExpression.safeParse("every day").error?.issues[0]?.message).toMatch(
      /^Not a valid cron expression: invalid configuration format/,
    );
    expect(cronExpression.safeParse("").error?.issues.map((i) => i.message)).toEqual(["Not a valid cron expression: it is empty"]);
  });
});

describe("nextRun", () => {
  it("is evaluated in the given time zone", () => {
    const after = new Date("2026-01-15T12:00:00Z");
    expect(nextRun("0 9 * * *", "UTC", after)?.toISOString()).toBe("2026-01-16T09:00:00.000Z");
    // 12:00 UTC is 07:00 in New York: 09:00 there is still ahead today.
    expect(nextRun("0 9 * * *", "America/New_York", after)?.toISOString()).toBe("2026-01-15T14:00:00.000Z");
    // 03:00 in Berlin (UTC+1 in January) is 02:00 UTC.
    expect(nextRun("0 3 * * *", "Europe/Berlin", after)?.toISOString()).toBe("2026-01-16T02:00:00.000Z");
    expect(nextRun("0 0 31 2 *", "UTC", after)).toBeNull();
  });

  it("is strictly after the given instant", () => {
    expect(nextRun("0 3 * * *", "UTC", new Date("2026-01-15T03:00:00Z"))?.toISOString()).toBe("2026-01-16T03:00:00.000Z");
  });
});
