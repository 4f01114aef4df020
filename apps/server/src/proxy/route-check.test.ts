import { describe, expect, it } from "vitest";
import type { ProxyRoute } from "./caddy-config.ts";
import { routeProblem } from "./route-check.ts";

const base: ProxyRoute = {
  domainId: "d1",
  hostname: "app.example.com",
  pathPrefix: "",
  redirectTwin: false,
  ipAllowList: [],
  upstreams: [],
};

describe("routeProblem", () => {
  it("accepts loopback upstreams or a standalone server's address for a service route, and nodes' edges for a cluster route", () => {
    expect(routeProblem({ ...base, upstreams: ["127.0.0.1:20000"] })).toBeNull();
    expect(routeProblem({ ...base, upstreams: ["10.0.0.2:20000", "[fd00::2]:20001", "edge-1.example.com:20000"] })).toBeNull();
    for (const bad of ["{env.X}:1", "a b:1", "http://x:1", "10.0.0.2", "-x:1", "x:1/y"])
      expect(routeProblem({ ...base, upstreams: [bad] })).toMatch(/upstream address is not valid/);
    const key = "0f".repeat(32);
    expect(routeProblem({ ...base, upstreams: ["10.0.0.2:8480", "[fd00::2]:8480"], clusterKey: key })).toBeNull();
  });

  it("refuses a cluster route whose key or node address could carry anything else", () => {
    const key = "0f".repeat(32);
    expect(routeProblem({ ...base, upstreams: ["10.0.0.2:8480"], clusterKey: "{http.request.host}" })).toMatch(/route key/);
    for (const bad of ["node.example.com:8480", "10.0.0.2:8480/x", "10.0.0.256:8480", "{env.X}:1", "10.0.0.2:99999"])
      expect(routeProblem({ ...base, upstreams: [bad], clusterKey: key })).toMatch(/edge address is not valid/);
  });
});
