import { describe, expect, it } from "vitest";
import { formatUlimits, parseUlimits } from "./ulimits-text.ts";

describe("ulimits as text", () => {
  it("reads name=soft:hard or one value for both, unlimited or -1, separated by spaces or commas; prints it back", () => {
    const parsed = parseUlimits("nofile=65535:65535, memlock=unlimited  nproc=1024:2048 core=-1");
    expect(parsed).toEqual({
      ulimits: [
        { name: "nofile", soft: 65535, hard: 65535 },
        { name: "memlock", soft: -1, hard: -1 },
        { name: "nproc", soft: 1024, hard: 2048 },
        { name: "core", soft: -1, hard: -1 },
      ],
    });
    if (!("ulimits" in parsed)) throw new Error("refused");
    expect(formatUlimits(parsed.ulimits)).toBe("nofile=65535 memlock=unlimited nproc=1024:2048 core=unlimited");
    expect(parseUlimits("")).toEqual({ ulimits: [] });
  });

  it("refuses what is not a limit, a limit that takes the CPU from other tenants, an unlimited or huge nofile, soft over hard, a repeat", () => {
    expect(parseUlimits("nofile")).toEqual({ error: expect.stringMatching(/is not name=soft:hard/) });
    expect(parseUlimits("rtprio=99")).toEqual({ error: expect.stringMatching(/^rtprio is not a limit a service may set/) });
    expect(parseUlimits("nofile=unlimited")).toEqual({ error: "nofile is 0 to 1048576 open files" });
    expect(parseUlimits("nofile=2000000")).toEqual({ error: "nofile is 0 to 1048576 open files" });
    expect(parseUlimits("nproc=10:5")).toEqual({ error: "nproc: the soft limit is at most the hard one" });
    expect(parseUlimits("memlock=-1:1024")).toEqual({ error: "memlock: the soft limit is at most the hard one" });
    expect(parseUlimits("core=0 core=1")).toEqual({ error: "core is set twice" });
  });
});
