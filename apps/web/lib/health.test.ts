import { describe, expect, it } from "vitest";
import { healthProblems } from "./health";

const ok = { ok: true, latencyMs: 1 };

describe("healthProblems", () => {
  it("is empty when everything answers", () => {
    expect(healthProblems({ status: "ok", database: ok, engine: ok }, true)).toEqual([]);
  });
  it("names the engine when it is down", () => {
    const problems = healthProblems(
      { status: "degraded", database: ok, engine: { ok: false, latencyMs: 3, error: "connect ENOENT" } },
      true,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Docker Engine is unreachable \(connect ENOENT\)/);
  });
  it("names the database when it is down", () => {
    const problems = healthProblems({ status: "degraded", database: { ok: false, latencyMs: 3 }, engine: ok }, true);
    expect(problems[0]).toMatch(/PostgreSQL is unreachable/);
  });
  it("counts services that should run and do not; names them only when /healthz did (a signed-in caller)", () => {
    const anonymous = healthProblems({ status: "degraded", database: ok, engine: ok, services: { shouldRun: 3, notRunning: 2 } }, true);
    expect(anonymous).toEqual(["2 services should run and do not: Berth is bringing them back; each service's events say what it did."]);
    const member = healthProblems(
      {
        status: "degraded",
        database: ok,
        engine: ok,
        services: { shouldRun: 3, notRunning: 1, notRunningServices: [{ id: "s", name: "api", teamId: "t" }] },
      },
      true,
    );
    expect(member[0]).toMatch(/^1 service should run and does not \(api\)/);
    expect(healthProblems({ status: "ok", database: ok, engine: ok, services: { shouldRun: 3, notRunning: 0 } }, true)).toEqual([]);
  });
  it("says when the server itself does not answer", () => {
    expect(healthProblems(null, false)[0]).toMatch(/not answering/);
  });
});
