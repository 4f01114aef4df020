import { describe, expect, it } from "vitest";
import { applyDockerfilePolicy, isReservedBuildArg } from "./dockerfile-policy.ts";

const scope = { teamId: "team-a", serviceId: "svc-1" };

describe("applyDockerfilePolicy", () => {
  it("scopes every cache mount to the team, keeping the rest of the file byte for byte", () => {
    const text =
      "FROM x\nRUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=secret,id=npm pip install -r r.txt\nRUN --mount=type=cache,id=shared,target=/c,sharing=locked make\nRUN echo plain\n";
    const out = applyDockerfilePolicy(text, scope);
    expect(out.cacheMounts).toBe(2);
    expect(out.text).toBe(
      "FROM x\nRUN --mount=type=cache,target=/root/.cache,id=berth-team-a//root/.cache \\\n    --mount=type=secret,id=npm pip install -r r.txt\nRUN --mount=type=cache,id=berth-team-a/shared,target=/c,sharing=locked make\nRUN echo plain\n",
    );
  });

  it("refuses a custom frontend and another service's images", () => {
    expect(() => applyDockerfilePolicy("# syntax=evil/frontend\nFROM x\n", scope)).toThrow(/syntax/);
    expect(() => applyDockerfilePolicy("FROM berth-build/svc-2:abc\n", scope)).toThrow(/another service/);
    expect(() => applyDockerfilePolicy("FROM x\nCOPY --from=berth-release/svc-2:1 /a /a\n", scope)).toThrow(/another service/);
    expect(() => applyDockerfilePolicy("FROM x\nRUN --mount=type=bind,from=docker.io/berth-build/svc-2:x,target=/m ls\n", scope)).toThrow(
      /another service/,
    );
    expect(applyDockerfilePolicy("FROM berth-build/svc-1:abc\n", scope).cacheMounts).toBe(0);
    expect(() => applyDockerfilePolicy('FROM x\nRUN --mount="type=cache,target=/c" ls\n', scope)).toThrow(/unquoted/);
  });

  it("reserves BUILDKIT_SYNTAX", () => {
    expect(isReservedBuildArg("BUILDKIT_SYNTAX")).toBe(true);
    expect(isReservedBuildArg("NODE_ENV")).toBe(false);
  });
});
