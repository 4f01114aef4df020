import { describe, expect, it } from "vitest";
import {
  buildEdgeCaddyConfig,
  buildEdgeSecretName,
  buildEdgeSecretSpec,
  buildEdgeServiceSpec,
  edgeNetworks,
  edgeRouteProblem,
  type EdgeRoute,
} from "./edge-spec.ts";

const key = "ab".repeat(32);
const route: EdgeRoute = { key, swarmService: "berth-web-1234abcd", owner: { teamId: "t1", projectId: "p1" }, port: 8080 };
const labels = { "io.berth.managed-by": "berth", "io.berth.scope": "cluster-edge" };
type AnyJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("cluster edge specs", () => {
  it("routes a request carrying a route's key to the service's tasks on its project's network, re-resolved every second", () => {
    const config = buildEdgeCaddyConfig([route]) as AnyJson;
    expect(config.admin).toEqual({ disabled: true, config: { persist: false } });
    const server = config.apps.http.servers.edge;
    expect(server).toMatchObject({ listen: [":8080"], automatic_https: { disable: true }, protocols: ["h1"] });
    expect(server.routes[0]).toEqual({
      match: [{ header: { "X-Berth-Route": [key] } }],
      handle: [
        { handler: "headers", request: { delete: ["X-Berth-Route"] } },
        {
          handler: "reverse_proxy",
          dynamic_upstreams: { source: "a", name: "tasks.berth-web-1234abcd.berth-o-p1", port: "8080", refresh: "1s" },
          flush_interval: -1,
          transport: { protocol: "http", dial_timeout: "1s" },
          load_balancing: {
            selection_policy: { policy: "round_robin" },
            try_duration: "5s",
            try_interval: "50ms",
            retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
          },
          health_checks: { passive: { fail_duration: "2s", max_fails: 1 } },
        },
      ],
      terminal: true,
    });
    // Health for the host proxy's checks, then nothing for any other request.
    expect(server.routes[1]).toEqual({
      match: [{ path: ["/.berth-edge/health"] }],
      handle: [{ handler: "static_response", status_code: 200, body: "ok\n" }],
      terminal: true,
    });
    expect(server.routes[2]).toEqual({ handle: [{ handler: "static_response", status_code: 404, body: "No route\n" }], terminal: true });
    expect(server.routes).toHaveLength(3);
  });

  it("refuses a route whose parts could reach the config as anything but data", () => {
    expect(edgeRouteProblem(route)).toBeNull();
    expect(edgeRouteProblem({ ...route, key: "{http.request.host}" })).toMatch(/not a hex key/);
    expect(edgeRouteProblem({ ...route, swarmService: "web.{env.SECRET}" })).toMatch(/not a Swarm service name/);
    expect(edgeRouteProblem({ ...route, owner: { teamId: "t1", projectId: "p1.evil" } })).toMatch(/owner/);
    expect(edgeRouteProblem({ ...route, port: 0 })).toMatch(/not a port/);
    expect(() => buildEdgeCaddyConfig([{ ...route, swarmService: "a b" }])).toThrow(/not a Swarm service name/);
    expect(() => buildEdgeCaddyConfig([route, { ...route, swarmService: "berth-other-1" }])).toThrow(/share a key/);
  });

  it("is one global service with a host-mode port, on every routed project's network, its config a secret named by its hash", () => {
    const other = { ...route, key: "cd".repeat(32), owner: { teamId: "t2", projectId: "p0" } };
    expect(edgeNetworks([route, other, { ...route, key: "ef".repeat(32) }])).toEqual(["berth-o-p0", "berth-o-p1"]);
    const json = JSON.stringify(buildEdgeCaddyConfig([route]));
    expect(buildEdgeSecretName(json)).toMatch(/^berth-edge-config-[a-f0-9]{12}$/);
    expect(buildEdgeSecretSpec(json)).toEqual({
      Name: buildEdgeSecretName(json),
      Labels: labels,
      Data: Buffer.from(json).toString("base64"),
    });
    const spec = buildEdgeServiceSpec(
      { image: "caddy:2", port: 8480, networks: ["berth-o-p0", "berth-o-p1"] },
      { id: "sec1", name: "berth-edge-config-0123456789ab" },
    ) as AnyJson;
    const update = { Parallelism: 1, Delay: 1_000_000_000, Order: "stop-first", FailureAction: "rollback", Monitor: 2_000_000_000 };
    expect(spec).toEqual({
      Name: "berth-edge",
      Labels: { ...labels, "io.berth.spec-hash": expect.stringMatching(/^[a-f0-9]{16}$/) },
      TaskTemplate: {
        ContainerSpec: {
          Image: "caddy:2",
          Command: ["caddy", "run", "--config", "/run/secrets/berth-edge.json"],
          Secrets: [
            {
              SecretID: "sec1",
              SecretName: "berth-edge-config-0123456789ab",
              File: { Name: "berth-edge.json", UID: "0", GID: "0", Mode: 0o400 },
            },
          ],
          Labels: labels,
          StopGracePeriod: 10_000_000_000,
        },
        Networks: [{ Target: "berth-o-p0" }, { Target: "berth-o-p1" }],
        RestartPolicy: { Condition: "any", Delay: 1_000_000_000 },
      },
      Mode: { Global: {} },
      UpdateConfig: update,
      RollbackConfig: { ...update, FailureAction: "pause" },
      EndpointSpec: { Mode: "dnsrr", Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 8480, PublishMode: "host" }] },
    });
    // Another config is another secret, hence another spec.
    const changed = buildEdgeServiceSpec({ image: "caddy:2", port: 8480, networks: [] }, { id: "sec2", name: "berth-edge-config-x" });
    expect(changed.Labels["io.berth.spec-hash"]).not.toBe(spec.Labels["io.berth.spec-hash"]);
  });
});
