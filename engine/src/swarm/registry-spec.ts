/**
 * The cluster registry's Swarm objects, as data. PURE (unit-tested to the exact spec).
 *
 * One registry task pinned to a manager node (its data in a named volume there; htpasswd auth
 * from a Swarm secret), and one forwarder task per node (a global service with a host-mode
 * published port) that relays `<node>:<port>` to the registry over an overlay network. Every
 * node's engine therefore reaches the registry at `127.0.0.1:<port>`, the one kind of address
 * Docker accepts plain HTTP from without TLS or daemon configuration.
 */
import { createHash } from "node:crypto";
import { LABEL_MANAGED_BY, LABEL_SCOPE, LABEL_SPEC_HASH, MANAGED_BY_VALUE } from "../labels.ts";

export const CLUSTER_REGISTRY = {
  service: "berth-registry",
  forwarder: "berth-registry-forwarder",
  network: "berth-registry",
  volume: "berth-registry-data",
  /** The registry's own port inside its container and the forwarder's (not published). */
  containerPort: 5000,
  username: "berth",
  /** `io.berth.scope` of every object above. */
  scope: "cluster-registry",
  secretPrefix: "berth-registry-htpasswd-",
} as const;

export interface ClusterRegistrySpec {
  /** The registry image (official: `registry:2`); it must read REGISTRY_* variables. */
  image: string;
  /** An image with `socat` on PATH (e.g. `alpine/socat`): the per-node forwarder. */
  forwarderImage: string;
  /** The port every node's engine reaches the registry on, at 127.0.0.1. */
  port: number;
  /** The swarm node the registry task (and its data volume) is pinned to. */
  managerNodeId: string;
  /** One htpasswd line, `berth:<bcrypt hash>`: never the password itself. */
  htpasswd: string;
  /**
   * Encrypt the overlay network (IPsec ESP between nodes). Needs the kernel's ESP support: the
   * test machines lack it (the engine logs "function not implemented" and no traffic crosses).
   */
  encrypted?: boolean;
}

/** Where every node's engine reaches the registry. */
export function clusterRegistryAddress(port: number): string {
  return `127.0.0.1:${port}`;
}

export function registryLabels(hash?: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    [LABEL_SCOPE]: CLUSTER_REGISTRY.scope,
    ...(hash === undefined ? {} : { [LABEL_SPEC_HASH]: hash }),
  };
}

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/** Swarm secrets cannot change: a new htpasswd line is a new secret, named by its hash. */
export function buildRegistrySecretName(htpasswd: string): string {
  return `${CLUSTER_REGISTRY.secretPrefix}${createHash("sha256").update(htpasswd).digest("hex").slice(0, 12)}`;
}

export function buildRegistrySecretSpec(htpasswd: string): object {
  return {
    Name: buildRegistrySecretName(htpasswd),
    Labels: registryLabels(),
    Data: Buffer.from(`${htpasswd}\n`).toString("base64"),
  };
}

const HTPASSWD_PATH = "/run/secrets/htpasswd";

export function buildRegistryServiceSpec(spec: ClusterRegistrySpec, secretId: string): { Labels: Record<string, string> } & object {
  const secretName = buildRegistrySecretName(spec.htpasswd);
  const body = {
    Name: CLUSTER_REGISTRY.service,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Env: [
          "REGISTRY_AUTH=htpasswd",
          "REGISTRY_AUTH_HTPASSWD_REALM=Berth cluster registry",
          `REGISTRY_AUTH_HTPASSWD_PATH=${HTPASSWD_PATH}`,
          `REGISTRY_HTTP_ADDR=:${CLUSTER_REGISTRY.containerPort}`,
          "REGISTRY_STORAGE_DELETE_ENABLED=true",
        ],
        Mounts: [
          {
            Type: "volume",
            Source: CLUSTER_REGISTRY.volume,
            Target: "/var/lib/registry",
            VolumeOptions: { Labels: registryLabels() },
          },
        ],
        Secrets: [{ SecretID: secretId, SecretName: secretName, File: { Name: "htpasswd", UID: "0", GID: "0", Mode: 0o444 } }],
        Labels: registryLabels(),
      },
      // The data volume lives on one node: the registry always runs there.
      Placement: { Constraints: [`node.id == ${spec.managerNodeId}`] },
      Networks: [{ Target: CLUSTER_REGISTRY.network, Aliases: [CLUSTER_REGISTRY.service] }],
      RestartPolicy: { Condition: "any", Delay: 1_000_000_000 },
    },
    Mode: { Replicated: { Replicas: 1 } },
    // Stop the old task before starting the new one: one writer per data directory.
    UpdateConfig: { Parallelism: 1, Order: "stop-first", FailureAction: "pause" },
    // No VIP: the ingress mesh and VIPs need IPVS, absent on some kernels.
    EndpointSpec: { Mode: "dnsrr" },
  };
  return { ...body, Labels: registryLabels(hashOf(body)) };
}

export function buildForwarderServiceSpec(spec: ClusterRegistrySpec): { Labels: Record<string, string> } & object {
  const port = CLUSTER_REGISTRY.containerPort;
  const body = {
    Name: CLUSTER_REGISTRY.forwarder,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.forwarderImage,
        Command: ["socat", `TCP-LISTEN:${port},fork,reuseaddr`, `TCP:${CLUSTER_REGISTRY.service}:${port}`],
        Labels: registryLabels(),
      },
      Networks: [{ Target: CLUSTER_REGISTRY.network }],
      RestartPolicy: { Condition: "any", Delay: 1_000_000_000 },
    },
    Mode: { Global: {} },
    UpdateConfig: { Parallelism: 1, Order: "stop-first", FailureAction: "pause" },
    // Host mode: each node's own port, reachable at 127.0.0.1 there (no ingress mesh needed).
    EndpointSpec: { Mode: "dnsrr", Ports: [{ Protocol: "tcp", TargetPort: port, PublishedPort: spec.port, PublishMode: "host" }] },
  };
  return { ...body, Labels: registryLabels(hashOf(body)) };
}

export function buildRegistryNetworkSpec(encrypted = false): object {
  return {
    Name: CLUSTER_REGISTRY.network,
    Driver: "overlay",
    CheckDuplicate: true,
    Attachable: false,
    Labels: registryLabels(),
    ...(encrypted ? { Options: { encrypted: "" } } : {}),
  };
}

/** `127.0.0.1:<port>/berth/<repository>`: where an image of Berth's is pushed. */
export function clusterRepository(port: number, repository: string): string {
  return `${clusterRegistryAddress(port)}/berth/${repository}`;
}
