/**
 * A compose service's `ports`, `expose` and `x-berth-kind` -> its kind (web behind the proxy,
 * tcp inside the project or published, worker), its one recorded port and a published port. PURE.
 */
import type { HostAccess } from "@berth/engine";
import { readPort } from "./compose-values.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

export function mapPorts(
  svc: ComposeService,
  hostAccess: HostAccess,
  err: Report,
  warn: Report,
): Pick<ServiceFields, "kind" | "containerPort" | "publish"> {
  let kind: ServiceFields["kind"] = "worker";
  let containerPort: number | null = null;
  let publish: ServiceFields["publish"] = null;
  const ports = Array.isArray(svc.ports) ? svc.ports.map(readPort) : [];
  const kindOverride = svc["x-berth-kind"];
  if (kindOverride !== undefined && kindOverride !== "web" && kindOverride !== "tcp" && kindOverride !== "worker")
    err("x-berth-kind", "One of: web, tcp, worker");
  const badPort = ports.find((p) => typeof p === "string");
  if (typeof badPort === "string") err("ports", badPort);
  const portSpecs = ports.filter((p) => typeof p !== "string");
  if (portSpecs.some((p) => p.protocol !== "tcp")) err("ports", "Only TCP ports are supported");
  const exposed = Array.isArray(svc.expose) ? svc.expose.map((e) => Number(String(e).split("/")[0])) : [];
  if (exposed.some((p) => !Number.isInteger(p))) err("expose", "Port ranges are not supported");
  const first = portSpecs[0];
  if (first) {
    containerPort = first.target;
    if (kindOverride === "tcp") {
      kind = "tcp";
      if (first.published !== null) publish = { hostPort: first.published, bindAddress: first.hostIp ?? "127.0.0.1" };
    } else {
      kind = "web";
      if (first.published !== null)
        warn(
          "ports",
          `Served through its domain by Berth's proxy: host port ${first.published} is not published (set x-berth-kind: tcp to publish a TCP port instead)`,
        );
    }
    if (portSpecs.length > 1)
      warn("ports", `Berth routes one port per service (${first.target}); the others are reachable by the stack's services only`);
  } else if (exposed.length > 0) {
    kind = "tcp";
    containerPort = exposed[0]!;
    if (exposed.length > 1)
      warn("expose", `Berth records one port per service (${containerPort}); all are reachable by the stack's services`);
  }
  if (kindOverride === "worker") {
    kind = "worker";
    containerPort = null;
  } else if (kindOverride === "web" && containerPort !== null) kind = "web";
  if (hostAccess.hostNamespaces?.includes("network") && (containerPort !== null || publish !== null)) {
    err(
      "network_mode",
      "network_mode: host joins no project network and publishes no port: remove ports and expose (the service listens on the host's own interfaces)",
    );
  }
  return { kind, containerPort, publish };
}
