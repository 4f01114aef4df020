import { describe, expect, it } from "vitest";
import { dialAddress, standaloneProblem } from "./standalone-server.ts";

describe("standalone servers", () => {
  it("only a server reached over TLS or SSH and in no cluster holds services of its own", () => {
    expect(standaloneProblem({ name: "a", kind: "tls", swarmNodeId: null })).toBeNull();
    expect(standaloneProblem({ name: "a", kind: "ssh", swarmNodeId: null })).toBeNull();
    expect(standaloneProblem({ name: "a", kind: "tls", swarmNodeId: "n1" })).toMatch(/node of the cluster/);
    expect(standaloneProblem({ name: "a", kind: "socket", swarmNodeId: null })).toMatch(/local socket/);
  });

  it("dials an IPv6 host in brackets", () => {
    expect(dialAddress("10.0.0.2", 20000)).toBe("10.0.0.2:20000");
    expect(dialAddress("fd00::2", 20000)).toBe("[fd00::2]:20000");
    expect(dialAddress("edge.example.com", 20001)).toBe("edge.example.com:20001");
  });
});
