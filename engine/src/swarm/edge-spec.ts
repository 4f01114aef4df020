/**
 * The cluster edge's Swarm objects, as data. PURE (unit-tested to the exact spec).
 *
 * One Caddy task per node (a global service with a host-mode published port: no ingress mesh,
 * no VIP, so no IPVS needed), attached to the overlay network of every project with a routed
 * cluster service. Each route matches only a request that carries the route's key in
 * EDGE_ROUTE_HEADER (the host's edge proxy sets it per domain; a key is an HMAC only Berth can
 * make), and proxies it to the service's tasks by DNS on that project's own network
 * (`tasks.<swarm service>.<network>`: Docker's resolver looks the name up on that network only),
 * re-resolved every second, so tasks a rolling update starts or stops join and leave rotation
 * without a config change. The config is a Swarm secret (it holds the keys), named by its hash.
 */
import { createHash } from "node:crypto";
import { EngineError } from "../errors.ts";
import { LABEL_MANAGED_BY, LABEL_SCOPE, LABEL_SPEC_HASH, MANAGED_BY_VALUE } from "../labels.ts";
import { isValidId } from "../validate.ts";
import { buildOverlayNetworkName } from "./service-spec.ts";

export const CLUSTER_EDGE = {
  service: "berth-edge",
  /** The port Caddy listens on inside its container (published in host mode as the edge port). */
  containerPort: 8080,
  /** `io.berth.scope` of the service and its config secrets. */
  scope: "cluster-edge",
  secretPrefix: "berth-edge-config-",
  /** Where the config secret is mounted in the task. */
  configPath: "/run/secrets/berth-edge.json",
  /** Answered 200 by every edge task whatever the route (the host proxy's active health check). */
  healthPath: "/.berth-edge/health",
} as const;

/** The request header that selects a route; removed before the request reaches the service. */
export const EDGE_ROUTE_HEADER = "X-Berth-Route";

export interface EdgeRoute {
  /** The route's key (hex): only a request carrying it in EDGE_ROUTE_HEADER reaches the service. */
  key: string;
  /** The Swarm service name (`berth-<service>-<sid8>`). */
  swarmService: string;
  /** The service's project: the edge joins its overlay network (`berth-o-<projectId>`). */
  owner: { teamId: string; projectId: string };
  /** The port the service's tasks listen on. */
  port: number;
}

export interface ClusterEdgeSpec {
  /** An image with `caddy` on PATH (official: `caddy:2`). */
  image: string;
  /** The host-mode port every node serves the edge on. */
  port: number;
  routes: EdgeRoute[];
}

const KEY = /^[a-f0-9]{32,128}$/;
/** Docker object names Berth makes: no dots, braces or spaces reach the DNS name or Caddy's placeholders. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/i;

function invalid(message: string): EngineError {
  return new EngineError({ code: "INVALID", operation: "ensure cluster edge", resource: CLUSTER_EDGE.service, message });
}

/** Why a route must not reach the edge's config (null: it may). Its parts are refused, never escaped. */
export function edgeRouteProblem(r: EdgeRoute): string | null {
  if (!KEY.test(r.key)) return `the route key of ${r.swarmService} is not a hex key`;
  if (!NAME.test(r.swarmService)) return `${JSON.stringify(r.swarmService)} is not a Swarm service name`;
  if (!isValidId(r.owner.projectId) || !isValidId(r.owner.teamId)) return `the owner of ${r.swarmService} is not valid`;
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) return `port ${r.port} of ${r.swarmService} is not a port`;
  return null;
}

export function assertValidEdgeRoutes(routes: ReadonlyArray<EdgeRoute>): void {
  for (const r of routes) {
    const problem = edgeRouteProblem(r);
    if (problem !== null) throw invalid(`cluster edge: ${problem}`);
  }
  if (new Set(routes.map((r) => r.key)).size !== routes.length) throw invalid("cluster edge: two routes share a key");
}

export function edgeLabels(hash?: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    [LABEL_SCOPE]: CLUSTER_EDGE.scope,
    ...(hash === undefined ? {} : { [LABEL_SPEC_HASH]: hash }),
  };
}

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

function serviceRoute(r: EdgeRoute): object {
  return {
    match: [{ header: { [EDGE_ROUTE_HEADER]: [r.key] } }],
    handle: [
      { handler: "headers", request: { delete: [EDGE_ROUTE_HEADER] } },
      {
        handler: "reverse_proxy",
        dynamic_upstreams: {
          source: "a",
          name: `tasks.${r.swarmService}.${buildOverlayNetworkName(r.owner.projectId)}`,
          port: String(r.port),
          refresh: "1s",
        },
        flush_interval: -1,
        transport: { protocol: "http", dial_timeout: "1s" },
        // A task that just stopped may still be in the last answer: its refused dial is retried on
        // another task, and an idempotent request it cut is sent again.
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
  };
}

/** The edge Caddy's whole config (JSON as objects; no admin endpoint: nothing can change it at run time). */
export function buildEdgeCaddyConfig(routes: ReadonlyArray<EdgeRoute>): object {
  assertValidEdgeRoutes(routes);
  const sorted = [...routes].sort((a, b) => a.key.localeCompare(b.key));
  return {
    // Never written to the task's disk either (Caddy autosaves a loaded config by default).
    admin: { disabled: true, config: { persist: false } },
    apps: {
      http: {
        servers: {
          edge: {
            listen: [`:${CLUSTER_EDGE.containerPort}`],
            automatic_https: { disable: true },
            protocols: ["h1"],
            routes: [
              ...sorted.map(serviceRoute),
              {
                match: [{ path: [CLUSTER_EDGE.healthPath] }],
                handle: [{ handler: "static_response", status_code: 200, body: "ok\n" }],
                terminal: true,
              },
              // No key, or a key of no route: nothing of any service.
              { handle: [{ handler: "static_response", status_code: 404, body: "No route\n" }], terminal: true },
            ],
          },
        },
      },
    },
  };
}

/** Swarm secrets cannot change: a new config is a new secret, named by its hash. */
export function buildEdgeSecretName(configJson: string): string {
  return `${CLUSTER_EDGE.secretPrefix}${createHash("sha256").update(configJson).digest("hex").slice(0, 12)}`;
}

export function buildEdgeSecretSpec(configJson: string): object {
  return { Name: buildEdgeSecretName(configJson), Labels: edgeLabels(), Data: Buffer.from(configJson).toString("base64") };
}

/** The networks the edge joins: one per project with a routed service, sorted. */
export function edgeNetworks(routes: ReadonlyArray<EdgeRoute>): string[] {
  return [...new Set(routes.map((r) => buildOverlayNetworkName(r.owner.projectId)))].sort();
}

export function buildEdgeServiceSpec(
  spec: Omit<ClusterEdgeSpec, "routes"> & { networks: string[] },
  secret: { id: string; name: string },
): { Labels: Record<string, string> } & object {
  const update = { Parallelism: 1, Delay: 1_000_000_000, Order: "stop-first", FailureAction: "rollback", Monitor: 2_000_000_000 };
  const body = {
    Name: CLUSTER_EDGE.service,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Command: ["caddy", "run", "--config", CLUSTER_EDGE.configPath],
        Secrets: [
          {
            SecretID: secret.id,
            SecretName: secret.name,
            File: { Name: CLUSTER_EDGE.configPath.slice("/run/secrets/".length), UID: "0", GID: "0", Mode: 0o400 },
          },
        ],
        Labels: edgeLabels(),
        // Caddy finishes the requests in flight on SIGTERM.
        StopGracePeriod: 10_000_000_000,
      },
      Networks: spec.networks.map((Target) => ({ Target })),
      RestartPolicy: { Condition: "any", Delay: 1_000_000_000 },
    },
    Mode: { Global: {} },
    // A host-mode port cannot be bound twice on a node: each node's task stops before its
    // successor starts; the host proxy sends requests to the other nodes meanwhile.
    UpdateConfig: update,
    RollbackConfig: { ...update, FailureAction: "pause" },
    EndpointSpec: {
      Mode: "dnsrr",
      Ports: [{ Protocol: "tcp", TargetPort: CLUSTER_EDGE.containerPort, PublishedPort: spec.port, PublishMode: "host" }],
    },
  };
  return { ...body, Labels: edgeLabels(hashOf(body)) };
}
