import { describe, expect, it } from "vitest";
import type { ProxyRoute } from "./caddy-config.ts";
import { idleUpstreams } from "./idle-upstreams.ts";

function route(upstreams: string[], serving?: string[]): ProxyRoute {
  return {
    domainId: "d",
    hostname: "a.example.com",
    pathPrefix: "",
    redirectTwin: false,
    ipAllowList: [],
    upstreams,
    ...(serving ? { serving } : {}),
  };
}

describe("idleUpstreams", () => {
  it("is every upstream of a route that the healthy release does not listen on", () => {
    const block = ["127.0.0.1:20000", "127.0.0.1:20001", "127.0.0.1:20002", "127.0.0.1:20003"];
    expect(idleUpstreams([route(block, ["127.0.0.1:20001", "127.0.0.1:20003"])])).toEqual(["127.0.0.1:20000", "127.0.0.1:20002"]);
  });

  it("leaves a route alone while its serving ports are unknown (released before they were recorded)", () => {
    expect(idleUpstreams([route(["127.0.0.1:20000", "127.0.0.1:20001"]), route(["127.0.0.1:20004", "127.0.0.1:20005"], [])])).toEqual([]);
  });

  it("lists an address once when two domains of a service share it", () => {
    const block = ["127.0.0.1:20000", "127.0.0.1:20001"];
    expect(idleUpstreams([route(block, ["127.0.0.1:20000"]), route(block, ["127.0.0.1:20000"])])).toEqual(["127.0.0.1:20001"]);
  });
});
