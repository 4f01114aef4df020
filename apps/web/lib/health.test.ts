import { describe, expect, it } from "vitest";
import { healthProblems } from "./health";

const ok = { ok: true, latencyMs: 1 };

describe("healthProblems", () => {
  it("is empty when everything answers", () => {
    expect(healthProblems({ status: "ok", database: ok, engine: ok }, true)).toEqual([]);
  });
  it("names the engine when it is down", () => {
    const problems = healthProblems({ status: "degraded", database: ok, engine: { ok: false, latencyMs: 3, error: "connect ENOENT" } }, true);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Docker Engine is unreachable \(connect ENOENT\)/);
  });
  it("names the database when it is down", () => {
    const problems = healthProblems({ status: "degraded", database: { ok: false, latencyMs: 3 }, engine: ok }, true);
    expect(problems[0]).toMatch(/PostgreSQL is unreachable/);
  });
  it("says when the server itself does not answer", () => {
    expect(healthProblems(null, false)[0]).toMatch(/not answering/);
  });
});
