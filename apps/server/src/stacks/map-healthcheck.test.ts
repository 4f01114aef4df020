import { describe, expect, it } from "vitest";
import { importCompose } from "./import-compose.ts";
import { planOf } from "../../test/compose-results.ts";

const mapped = (healthcheck: string) => {
  const plan = planOf(importCompose(`services:\n  app:\n    image: nginx\n    healthcheck: ${healthcheck}\n`));
  return { ...plan.services[0]!.fields, warnings: plan.warnings };
};

describe("a compose healthcheck keeps compose's patience", () => {
  it("with only test: probes every 2 s, and what compose's 30 s probes would allow is start period (Mastodon's, a Rails boot)", () => {
    const app = mapped(`{ test: ["CMD-SHELL", "curl -f localhost:3000/health"] }`);
    expect(app.healthCheck).toEqual({
      type: "command",
      command: "/bin/sh -c 'curl -f localhost:3000/health'",
      intervalS: 2,
      timeoutS: 30,
      retries: 3,
      startPeriodS: 90,
    });
    // start period + (interval + timeout) x retries.
    expect(app.timeouts).toEqual({ healthTimeoutS: 90 + (2 + 30) * 3 });
  });

  it("adds that time to the file's own start period (Plausible's start_period: 1m)", () => {
    expect(mapped(`{ test: wget -q --spider localhost:8000, start_period: 1m }`).healthCheck).toMatchObject({
      intervalS: 2,
      startPeriodS: 60 + 90,
    });
  });

  it("keeps the file's interval and retries, taking compose's timeout where it sets none", () => {
    const app = mapped(`{ test: [CMD, pg_isready], interval: 10s, retries: 5 }`);
    expect(app.healthCheck).toMatchObject({ intervalS: 10, timeoutS: 30, retries: 5, startPeriodS: 0 });
    expect(app.timeouts).toEqual({ healthTimeoutS: (10 + 30) * 5 });
  });

  it("turns retries above Berth's 100 into start period, with a warning (Ghost's retries: 120)", () => {
    const app = mapped(`{ test: [CMD, mysqladmin, ping], interval: 1s, timeout: 5s, retries: 120 }`);
    expect(app.healthCheck).toMatchObject({ intervalS: 1, timeoutS: 5, retries: 100, startPeriodS: 20 });
    expect(app.warnings).toEqual([
      { service: "app", key: "healthcheck.retries", message: expect.stringMatching(/at most 100 failed probes in a row: the other 20/) },
    ]);
  });
});
