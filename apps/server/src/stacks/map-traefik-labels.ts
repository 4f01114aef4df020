/**
 * Traefik's labels (Dokploy's files and many self-hosting guides route with them). Berth's proxy
 * does not read them -- they stay on the container -- but they say the service is a site: on the
 * port the load balancer label names, else its first port. The service becomes a web service
 * there, and the warning names the hosts of its router rules: a domain is added on the
 * service's page, where Berth checks its DNS. PURE.
 */
import type { ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

type Ports = Pick<ServiceFields, "kind" | "containerPort" | "publish">;

const SERVER_PORT = /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/;
const ROUTER_RULE = /^traefik\.http\.routers\.[^.]+\.rule$/;

/** The hosts of `Host(`a`)` / `Host(`a`, `b`)` in router rules. */
function ruleHosts(labels: Record<string, string>): string[] {
  const hosts = Object.entries(labels)
    .filter(([key]) => ROUTER_RULE.test(key))
    .flatMap(([, rule]) =>
      [...rule.matchAll(/Host\(([^)]*)\)/g)].flatMap((m) => [...(m[1] ?? "").matchAll(/`([^`]+)`/g)].map((h) => h[1]!)),
    );
  return [...new Set(hosts)];
}

export function withTraefikRouting(ports: Ports, labels: Record<string, string>, kindSet: boolean, warn: Report): Ports {
  const traefik = Object.keys(labels).filter((key) => key.startsWith("traefik."));
  if (traefik.length === 0 || labels["traefik.enable"] === "false") return ports;
  const portLabel = Object.entries(labels).find(([key]) => SERVER_PORT.test(key))?.[1];
  const labelled = portLabel !== undefined && /^\d{1,5}$/.test(portLabel) && Number(portLabel) <= 65535 ? Number(portLabel) : null;
  const hosts = ruleHosts(labels);
  const domains = hosts.length > 0 ? `; add ${hosts.join(", ")} as a domain on the service's page` : "";
  if (kindSet) {
    warn("labels", `Traefik's labels are not read by Berth's proxy (x-berth-kind decides how it is served)${domains}`);
    return ports;
  }
  const port = labelled ?? ports.containerPort;
  if (port === null) {
    warn("labels", "Traefik's labels are not read by Berth's proxy, and they name no port: set x-berth-kind: web and expose: [PORT]");
    return ports;
  }
  warn("labels", `Traefik's labels are not read by Berth's proxy: served through its domain on port ${port}${domains}`);
  return { kind: "web", containerPort: port, publish: null };
}
