import { describe, expect, it } from "vitest";
import { EngineError } from "./errors.ts";
import { buildContainerName, displayName } from "./names.ts";

const parts = { serviceName: "api", serviceId: "cm1234567890", deploymentId: "dp-abcdefghij" };

describe("buildContainerName", () => {
  it("is berth-<name>-<8 of service id>-<8 of deployment id>", () => {
    expect(buildContainerName(parts)).toBe("berth-api-cm123456-dp-abcde");
  });

  it("keeps short ids whole and is deterministic", () => {
    expect(buildContainerName({ serviceName: "a", serviceId: "s1", deploymentId: "d_2" })).toBe("berth-a-s1-d_2");
    expect(buildContainerName(parts)).toBe(buildContainerName({ ...parts }));
  });

  it("accepts a 63-character service name and rejects 64", () => {
    const max = `a${"b".repeat(61)}c`;
    expect(buildContainerName({ ...parts, serviceName: max })).toBe(`berth-${max}-cm123456-dp-abcde`);
    expect(() => buildContainerName({ ...parts, serviceName: `${max}d` })).toThrow(EngineError);
  });

  it.each(["", "-web", "web-", "Web", "web_1", "web.1", "web 1", "web;ls", "$(id)", "`id`", "wéb", "web\n", "a".repeat(64)])(
    "rejects service name %j with INVALID",
    (serviceName) => {
      try {
        buildContainerName({ ...parts, serviceName });
        expect.unreachable("should have thrown");
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError);
        expect((err as EngineError).code).toBe("INVALID");
      }
    },
  );

  it.each(["", "a/b", "../etc", "a b", "a;b", "$(id)", "ä", "a\nb", "a.b", "x".repeat(129)])("rejects id %j in either position", (id) => {
    expect(() => buildContainerName({ ...parts, serviceId: id })).toThrow(/invalid service id/);
    expect(() => buildContainerName({ ...parts, deploymentId: id })).toThrow(/invalid deployment id/);
  });
});

describe("displayName", () => {
  it("strips the engine's leading slash", () => {
    expect(displayName("/berth-a-b-c")).toBe("berth-a-b-c");
    expect(displayName("plain")).toBe("plain");
    expect(displayName(undefined)).toBe("");
  });
});
