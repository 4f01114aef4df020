/**
 * A compose service's `ports`, `expose` and `x-berth-kind` -> its kind (web behind the proxy,
 * tcp inside the project or published, worker), its one recorded port and a published port. PURE.
 */
import type { HostAccess } from "@berth/engine";
import { readPort } from "./compose-values.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

/**
 * Ports no HTTP server listens on by convention (databases, queues, mail, SSH): a service whose
 * first port is one of them is a TCP service reached by name, not a site behind the proxy. Files
 * publish them for a developer's convenience (outline's postgres and redis do); routed as HTTP
 * they would answer nothing, and published they would face the network.
 */
const NOT_HTTP: Readonly<Record<number, string>> = {
  22: "SSH",
  25: "SMTP",
  53: "DNS",
  110: "POP3",
  143: "IMAP",
  465: "SMTP",
  587: "SMTP",
  993: "IMAP",
  995: "POP3",
  1433: "SQL Server",
  1521: "Oracle",
  1883: "MQTT",
  2181: "ZooKeeper",
  3306: "MySQL",
  4222: "NATS",
  4369: "Erlang's port mapper",
  5432: "PostgreSQL",
  5671: "AMQP",
  5672: "AMQP",
  6379: "Redis",
  7687: "Neo4j Bolt",
  8883: "MQTT",
  9042: "Cassandra",
  9092: "Kafka",
  11211: "Memcached",
  25672: "Erlang distribution",
  27017: "MongoDB",
  61613: "STOMP",
};

/**
 * Servers of a well-known image listen on their port without the file saying so (a database
 * service rarely has `ports:` or `expose:`): such a service is a TCP service on that port,
 * so its page shows the address the stack reaches it at and its health check connects to it.
 */
const IMAGE_PORTS: Readonly<Record<string, number>> = {
  postgres: 5432,
  postgis: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  valkey: 6379,
  mongo: 27017,
  memcached: 11211,
};

/** "ghcr.io/immich-app/postgres:14" -> "postgres". PURE. */
function imageBase(image: string): string {
  const path = image.split("@")[0]!;
  const last = path.slice(path.lastIndexOf("/") + 1);
  return last.split(":")[0]!.toLowerCase();
}

export function mapPorts(
  svc: ComposeService,
  image: string,
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
  // The port routed is the first that may be HTTP (RabbitMQ lists 4369 and 5672 before 15672).
  const first = (kindOverride === undefined ? portSpecs.find((p) => NOT_HTTP[p.target] === undefined) : undefined) ?? portSpecs[0];
  if (first) {
    containerPort = first.target;
    if (kindOverride === "tcp") {
      kind = "tcp";
      if (first.published !== null) publish = { hostPort: first.published, bindAddress: first.hostIp ?? "127.0.0.1" };
    } else if (kindOverride !== "web" && NOT_HTTP[first.target] !== undefined) {
      kind = "tcp";
      warn(
        "ports",
        `${NOT_HTTP[first.target]}'s port ${first.target} is not HTTP: a TCP service the stack's services reach by its name` +
          (first.published === null ? "" : `; host port ${first.published} is not published (set x-berth-kind: tcp to publish it)`),
      );
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
  } else if (kindOverride === undefined && IMAGE_PORTS[imageBase(image)] !== undefined) {
    kind = "tcp";
    containerPort = IMAGE_PORTS[imageBase(image)]!;
    warn("(image)", `${imageBase(image)} listens on ${containerPort}: a TCP service the stack's services reach by its name there`);
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
