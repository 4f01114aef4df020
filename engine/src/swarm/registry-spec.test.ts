import { describe, expect, it } from "vitest";
import {
  buildForwarderServiceSpec,
  buildRegistryNetworkSpec,
  buildRegistrySecretName,
  buildRegistrySecretSpec,
  buildRegistryServiceSpec,
  clusterRegistryAddress,
  clusterRepository,
  type ClusterRegistrySpec,
} from "./registry-spec.ts";

const spec: ClusterRegistrySpec = {
  image: "registry:2",
  forwarderImage: "alpine/socat",
  port: 5000,
  managerNodeId: "abcdefghijklmnopqrstuvwxy",
  htpasswd: "berth:$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
};
const labels = { "io.berth.managed-by": "berth", "io.berth.scope": "cluster-registry" };

describe("cluster registry specs", () => {
  it("pins the registry to the manager, with htpasswd auth from the secret, its data in a volume, no VIP", () => {
    const built = buildRegistryServiceSpec(spec, "secret-id") as Record<string, unknown>;
    expect(built).toEqual({
      Name: "berth-registry",
      Labels: { ...labels, "io.berth.spec-hash": expect.stringMatching(/^[a-f0-9]{16}$/) },
      TaskTemplate: {
        ContainerSpec: {
          Image: "registry:2",
          Env: [
            "REGISTRY_AUTH=htpasswd",
            "REGISTRY_AUTH_HTPASSWD_REALM=Berth cluster registry",
            "REGISTRY_AUTH_HTPASSWD_PATH=/run/secrets/htpasswd",
            "REGISTRY_HTTP_ADDR=:5000",
            "REGISTRY_STORAGE_DELETE_ENABLED=true",
          ],
          Mounts: [{ Type: "volume", Source: "berth-registry-data", Target: "/var/lib/registry", VolumeOptions: { Labels: labels } }],
          Secrets: [
            {
              SecretID: "secret-id",
              SecretName: buildRegistrySecretName(spec.htpasswd),
              File: { Name: "htpasswd", UID: "0", GID: "0", Mode: 0o444 },
            },
          ],
          Labels: labels,
        },
        Placement: { Constraints: ["node.id == abcdefghijklmnopqrstuvwxy"] },
        Networks: [{ Target: "berth-registry", Aliases: ["berth-registry"] }],
        RestartPolicy: { Condition: "any", Delay: 1_000_000_000 },
      },
      Mode: { Replicated: { Replicas: 1 } },
      UpdateConfig: { Parallelism: 1, Order: "stop-first", FailureAction: "pause" },
      EndpointSpec: { Mode: "dnsrr" },
    });
  });

  it("runs one forwarder per node on a host-mode port, relaying to the registry over the overlay", () => {
    const built = buildForwarderServiceSpec({ ...spec, port: 5123 }) as Record<string, unknown>;
    expect(built).toMatchObject({
      Name: "berth-registry-forwarder",
      TaskTemplate: {
        ContainerSpec: {
          Image: "alpine/socat",
          Command: ["socat", "TCP-LISTEN:5000,fork,reuseaddr", "TCP:berth-registry:5000"],
        },
        Networks: [{ Target: "berth-registry" }],
      },
      Mode: { Global: {} },
      EndpointSpec: { Mode: "dnsrr", Ports: [{ Protocol: "tcp", TargetPort: 5000, PublishedPort: 5123, PublishMode: "host" }] },
    });
  });

  it("hashes what it runs: same spec, same hash; another password or port, another", () => {
    const hash = (s: ClusterRegistrySpec, id = "secret-id") =>
      (buildRegistryServiceSpec(s, id) as { Labels: Record<string, string> }).Labels["io.berth.spec-hash"];
    expect(hash(spec)).toBe(hash({ ...spec }));
    expect(hash({ ...spec, htpasswd: `${spec.htpasswd}x` })).not.toBe(hash(spec));
    const fwd = (s: ClusterRegistrySpec) => buildForwarderServiceSpec(s).Labels["io.berth.spec-hash"];
    expect(fwd({ ...spec, port: 5001 })).not.toBe(fwd(spec));
  });

  it("names the secret by the htpasswd line's hash and carries the line, never a password", () => {
    expect(buildRegistrySecretName(spec.htpasswd)).toMatch(/^berth-registry-htpasswd-[a-f0-9]{12}$/);
    expect(buildRegistrySecretName(`${spec.htpasswd}x`)).not.toBe(buildRegistrySecretName(spec.htpasswd));
    const secret = buildRegistrySecretSpec(spec.htpasswd) as { Data: string; Labels: unknown };
    expect(Buffer.from(secret.Data, "base64").toString()).toBe(`${spec.htpasswd}\n`);
    expect(secret.Labels).toEqual(labels);
  });

  it("makes an overlay network, encrypted only when asked", () => {
    expect(buildRegistryNetworkSpec()).toEqual({
      Name: "berth-registry",
      Driver: "overlay",
      CheckDuplicate: true,
      Attachable: false,
      Labels: labels,
    });
    expect(buildRegistryNetworkSpec(true)).toMatchObject({ Options: { encrypted: "" } });
  });

  it("addresses the registry at 127.0.0.1 on every node", () => {
    expect(clusterRegistryAddress(5000)).toBe("127.0.0.1:5000");
    expect(clusterRepository(5000, "svc/web")).toBe("127.0.0.1:5000/berth/svc/web");
  });
});
