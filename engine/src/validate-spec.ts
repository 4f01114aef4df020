/**
 * Validation of a release's optional parts (spec-types.ts). Pure; throws EngineError INVALID
 * naming the field, before any engine call. Paths, names and labels travel as data, but a
 * few values are refused outright because of what they would do on the host.
 */
import { forbiddenBindReason } from "./bind-sources.ts";
import { EngineError } from "./errors.ts";
import {
  isValidRunAsUser,
  isValidWorkingDir,
  memlockProblem,
  RUN_AS_USER_RULE,
  ulimitProblem,
  WORKING_DIR_RULE,
} from "./process-identity.ts";
import type { HostAccess, ReleaseSpec } from "./port-types.ts";
import type { HealthCheckSpec, NetworkSpec, PortMapping, ResourceLimits, RestartPolicySpec, Ulimit, VolumeMount } from "./spec-types.ts";

export const MAX_REPLICAS = 20;
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
export const MIN_PIDS_LIMIT = 16;
export const MAX_PIDS_LIMIT = 100_000;
const MIB = 1024 * 1024;
/** The largest /dev/shm a spec may ask for (64 GiB; its pages count against the memory limit). */
export const MAX_SHM_BYTES = 64 * 1024 * MIB;
/** Longest stable period / start period a health check may ask for (10 min). */
export const MAX_HEALTH_PERIOD_MS = 600_000;
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;
const LABEL_KEY = /^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

type Fail = (message: string) => never;

function isPort(n: unknown): boolean {
  return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;
}

function isWhole(n: unknown, min: number, max: number): boolean {
  return Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
}

/** An absolute, normalised path: no `..` or `.` segments, no NUL, no empty segments. */
export function isCleanAbsolutePath(path: string): boolean {
  if (typeof path !== "string" || !path.startsWith("/") || path.includes("\0") || path.length > 4096) return false;
  if (path === "/") return true;
  if (path.endsWith("/")) return false;
  return path
    .slice(1)
    .split("/")
    .every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

function checkArgv(argv: unknown, field: string, fail: Fail): void {
  if (!Array.isArray(argv) || argv.length === 0) fail(`${field} must be a non-empty array of arguments`);
  if ((argv as unknown[]).some((a) => typeof a !== "string" || a.includes("\0"))) fail(`${field} arguments must be strings without NUL`);
}

function checkPorts(ports: PortMapping[], replicas: number, fail: Fail): void {
  const seen = new Set<string>();
  for (const [i, p] of ports.entries()) {
    if (!isPort(p.containerPort)) fail(`ports[${i}].containerPort must be 1-65535`);
    const protocol = p.protocol ?? "tcp";
    if (protocol !== "tcp" && protocol !== "udp") fail(`ports[${i}].protocol must be tcp or udp`);
    if (p.hostIp !== undefined && !IPV4.test(p.hostIp)) fail(`ports[${i}].hostIp must be an IPv4 address`);
    if (p.hostPort !== undefined && !isPort(p.hostPort)) fail(`ports[${i}].hostPort must be 1-65535`);
    if (p.hostPort !== undefined && replicas > 1) fail(`ports[${i}].hostPort: a fixed host port cannot be shared by ${replicas} replicas`);
    const key = `${p.containerPort}/${protocol}`;
    if (seen.has(key)) fail(`ports[${i}]: ${key} is listed twice`);
    seen.add(key);
  }
}

function checkVolumes(volumes: VolumeMount[], fail: Fail): void {
  const targets = new Set<string>();
  for (const [i, v] of volumes.entries()) {
    if (!isCleanAbsolutePath(v.target) || v.target === "/")
      fail(`volumes[${i}].target must be an absolute path other than / without . or .. segments`);
    if (targets.has(v.target)) fail(`volumes[${i}].target ${v.target} is mounted twice`);
    targets.add(v.target);
    if (v.type === "volume") {
      if (typeof v.name !== "string" || !VOLUME_NAME.test(v.name)) fail(`volumes[${i}].name must match ${VOLUME_NAME.source}`);
    } else if (v.type === "bind") {
      if (!isCleanAbsolutePath(v.source)) fail(`volumes[${i}].source must be an absolute host path without . or .. segments`);
      const forbidden = forbiddenBindReason(v.source);
      if (forbidden !== null) fail(`volumes[${i}].source ${v.source} ${forbidden} and may not be bind-mounted`);
    } else {
      fail(`volumes[${i}].type must be volume or bind`);
    }
  }
}

function checkResources(r: ResourceLimits, fail: Fail): void {
  if (r.cpus !== undefined && !(Number.isFinite(r.cpus) && r.cpus >= 0.01 && r.cpus <= 256)) fail("resources.cpus must be 0.01-256");
  if (r.memoryBytes !== undefined && !(Number.isSafeInteger(r.memoryBytes) && r.memoryBytes >= MIN_MEMORY_BYTES)) {
    fail(`resources.memoryBytes must be a whole number of bytes, at least ${MIN_MEMORY_BYTES}`);
  }
  if (r.pidsLimit !== undefined && !isWhole(r.pidsLimit, MIN_PIDS_LIMIT, MAX_PIDS_LIMIT))
    fail(`resources.pidsLimit must be ${MIN_PIDS_LIMIT}-${MAX_PIDS_LIMIT}`);
}

function checkRestart(r: RestartPolicySpec, fail: Fail): void {
  if (!["no", "always", "unless-stopped", "on-failure"].includes(r.name))
    fail("restartPolicy.name must be no, always, unless-stopped or on-failure");
  if (r.name === "on-failure" && r.maxRetries !== undefined && !isWhole(r.maxRetries, 0, 1000))
    fail("restartPolicy.maxRetries must be 0-1000");
}

function checkHealth(h: HealthCheckSpec, containerPort: number | undefined, fail: Fail): void {
  if (!["http", "tcp", "command", "running"].includes(h.type)) fail("healthCheck.type must be http, tcp, command or running");
  if (h.type === "running") {
    if (!isWhole(h.stableMs, 0, MAX_HEALTH_PERIOD_MS)) fail(`healthCheck.stableMs must be 0-${MAX_HEALTH_PERIOD_MS}`);
    return;
  }
  if (h.type === "command") checkArgv(h.command, "healthCheck.command", fail);
  else {
    if (h.port !== undefined && !isPort(h.port)) fail("healthCheck.port must be 1-65535");
    if (h.port === undefined && containerPort === undefined)
      fail(`healthCheck.port: a ${h.type} check needs a port when the release has no containerPort`);
  }
  if (h.startPeriodMs !== undefined && !isWhole(h.startPeriodMs, 0, MAX_HEALTH_PERIOD_MS))
    fail(`healthCheck.startPeriodMs must be 0-${MAX_HEALTH_PERIOD_MS}`);
  if (h.intervalMs !== undefined && !isWhole(h.intervalMs, 10, 60_000)) fail("healthCheck.intervalMs must be 10-60000");
  if (h.timeoutMs !== undefined && !isWhole(h.timeoutMs, 10, 60_000)) fail("healthCheck.timeoutMs must be 10-60000");
  if (h.retries !== undefined && !isWhole(h.retries, 1, 100)) fail("healthCheck.retries must be 1-100");
  if (h.type === "http") {
    // A path and query only: it goes into a request line, so no spaces or control characters.
    if (typeof h.path !== "string" || !/^\/[\x21-\x7e]{0,2047}$/.test(h.path))
      fail("healthCheck.path must start with / and contain no spaces or control characters");
    const s = h.expectStatus;
    if (s !== undefined && !(isWhole(s.min, 100, 599) && isWhole(s.max, s.min, 599)))
      fail("healthCheck.expectStatus must be a range within 100-599");
  }
}

const ALIAS_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** What a network alias that fails the rule is told, at its field. */
export const NETWORK_ALIAS_RULE = "A host name: lowercase letters, digits, - and _, in dot-separated parts (e.g. db or primary_db)";

/**
 * A name a container answers to on its network: a DNS name whose labels may also hold `_`, as
 * compose service names do (`plausible_db`; Docker's resolver answers them).
 */
export function isValidNetworkAlias(name: string): boolean {
  return typeof name === "string" && name.length > 0 && name.length <= 253 && name.split(".").every((label) => ALIAS_LABEL.test(label));
}

function checkNetwork(n: NetworkSpec, fail: Fail): void {
  if (n.scope !== "project" && n.scope !== "service") fail("network.scope must be project or service");
  if (n.aliases === undefined) return;
  if (!Array.isArray(n.aliases) || n.aliases.length > 32) fail("network.aliases must be an array of at most 32 names");
  for (const [i, alias] of n.aliases.entries()) {
    if (!isValidNetworkAlias(alias)) fail(`network.aliases[${i}] ${JSON.stringify(alias)}: ${NETWORK_ALIAS_RULE}`);
  }
}

function checkPrimaryPorts(spec: ReleaseSpec, replicas: number, fail: Fail): void {
  const fixed = spec.primaryHostPort !== undefined || spec.primaryHostPorts !== undefined;
  if (fixed && spec.containerPort === undefined) fail("primaryHostPort(s): a release without a containerPort publishes nothing");
  if (spec.primaryHostPort !== undefined && spec.primaryHostPorts !== undefined) fail("primaryHostPort and primaryHostPorts are exclusive");
  if (spec.primaryHostPort !== undefined) {
    if (!isPort(spec.primaryHostPort)) fail("primaryHostPort must be 1-65535");
    if (replicas > 1) fail(`primaryHostPort: a fixed host port cannot be shared by ${replicas} replicas (use primaryHostPorts)`);
  }
  if (spec.primaryHostPorts !== undefined) {
    const ports = spec.primaryHostPorts;
    if (!Array.isArray(ports) || ports.length !== replicas) fail(`primaryHostPorts must list one port per replica (${replicas})`);
    if (ports.some((p) => !isPort(p))) fail("primaryHostPorts must be 1-65535");
    if (new Set(ports).size !== ports.length) fail("primaryHostPorts must be distinct");
  }
  if (spec.publishHostIp !== undefined && !IPV4.test(spec.publishHostIp)) fail("publishHostIp must be an IPv4 address");
}

function checkLabels(labels: Record<string, string>, fail: Fail): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key)) fail(`label ${JSON.stringify(key)}: keys are lowercase letters, digits, . _ -`);
    if (key.startsWith("io.berth.")) fail(`label ${key}: the io.berth. prefix is reserved`);
    if (typeof value !== "string" || value.includes("\0") || value.length > 4096)
      fail(`label ${key}: value must be a string without NUL, at most 4096 characters`);
  }
}

function checkUlimits(ulimits: Ulimit[], fail: Fail): void {
  if (!Array.isArray(ulimits) || ulimits.length > 16) fail("ulimits must be a list of at most 16");
  const names = new Set<string>();
  for (const u of ulimits) {
    const problem = u && typeof u === "object" ? ulimitProblem(u) : "a ulimit is { name, soft, hard }";
    if (problem !== null) fail(`ulimit ${problem}`);
    if (names.has(u.name)) fail(`ulimit ${u.name} is set twice`);
    names.add(u.name);
  }
}

/** Everything optional in a ReleaseSpec (validate.ts checks the required parts). */
export function assertValidReleaseExtras(spec: ReleaseSpec, operation: string): void {
  const fail: Fail = (message) => {
    throw new EngineError({ code: "INVALID", operation, resource: String(spec.serviceName), message: `invalid release spec: ${message}` });
  };
  const replicas = spec.replicas ?? 1;
  if (!isWhole(replicas, 1, MAX_REPLICAS)) fail(`replicas must be 1-${MAX_REPLICAS}`);
  if (spec.entrypoint !== undefined) checkArgv(spec.entrypoint, "entrypoint", fail);
  if (spec.user !== undefined && !isValidRunAsUser(spec.user)) fail(`user ${JSON.stringify(spec.user)}: ${RUN_AS_USER_RULE}`);
  if (spec.shmSizeBytes !== undefined && !isWhole(spec.shmSizeBytes, MIB, MAX_SHM_BYTES))
    fail("shm size must be 1 MiB to 64 GiB, whole bytes");
  if (spec.ulimits !== undefined) {
    checkUlimits(spec.ulimits, fail);
    const memlock = memlockProblem(spec.ulimits, spec.resources?.memoryBytes);
    if (memlock !== null) fail(memlock);
  }
  if (spec.workingDir !== undefined && !isValidWorkingDir(spec.workingDir))
    fail(`working directory ${JSON.stringify(spec.workingDir)}: ${WORKING_DIR_RULE}`);
  if (spec.ports !== undefined) checkPorts(spec.ports, replicas, fail);
  checkPrimaryPorts(spec, replicas, fail);
  // The primary port may be published a second time (e.g. a database on 0.0.0.0:5432), but
  // only on a fixed host port: a second random one would be pointless.
  if (spec.ports?.some((p) => p.containerPort === spec.containerPort && (p.protocol ?? "tcp") === "tcp" && p.hostPort === undefined)) {
    fail(
      `ports: ${spec.containerPort}/tcp is the primary port and is always published on 127.0.0.1; list it again only with a fixed hostPort`,
    );
  }
  if (spec.volumes !== undefined) checkVolumes(spec.volumes, fail);
  if (spec.resources !== undefined) checkResources(spec.resources, fail);
  if (spec.restartPolicy !== undefined) checkRestart(spec.restartPolicy, fail);
  if (spec.healthCheck !== undefined) checkHealth(spec.healthCheck, spec.containerPort, fail);
  if (spec.labels !== undefined) checkLabels(spec.labels, fail);
  if (spec.network !== undefined) checkNetwork(spec.network, fail);
  if (spec.hostAccess !== undefined) checkHostAccess(spec, spec.hostAccess, fail);
  if (spec.placementConstraints !== undefined) checkConstraints(spec.placementConstraints, fail);
}

/**
 * A Swarm placement constraint Berth writes: `node.labels.KEY`, `node.hostname`, `node.id` or
 * `node.role`, then `==` or `!=`, then a value without spaces, quotes or commas.
 */
export const PLACEMENT_CONSTRAINT = /^node\.(labels\.[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}|hostname|id|role)(==|!=)[^\s"',=!]{1,200}$/;

function checkConstraints(constraints: string[], fail: Fail): void {
  if (!Array.isArray(constraints) || constraints.length > 32) fail("placementConstraints: at most 32");
  for (const [i, c] of constraints.entries()) {
    if (typeof c !== "string" || !PLACEMENT_CONSTRAINT.test(c))
      fail(`placementConstraints[${i}]: expected node.labels.KEY==VALUE, node.hostname==NAME or node.role==manager (== or !=)`);
  }
}

/** A kernel capability as the engine takes it: NET_ADMIN, CAP_NET_ADMIN or ALL. */
export function isCapabilityName(name: string): boolean {
  return /^(ALL|(CAP_)?[A-Z][A-Z_]{1,31})$/.test(name);
}

/** A device's cgroup permissions: some of r, w and m. */
export function isDevicePermissions(permissions: string): boolean {
  return /^[rwm]{1,3}$/.test(permissions);
}

const NAMESPACES = ["network", "pid", "ipc", "uts"];

function checkHostAccess(spec: ReleaseSpec, a: HostAccess, fail: Fail): void {
  if (a.privileged !== undefined && typeof a.privileged !== "boolean") fail("hostAccess.privileged must be a boolean");
  (a.capAdd ?? []).forEach((c, i) => isCapabilityName(c) || fail(`hostAccess.capAdd[${i}] ${JSON.stringify(c)} is not a capability name`));
  (a.devices ?? []).forEach((d, i) => {
    if (!isCleanAbsolutePath(d.hostPath) || !isCleanAbsolutePath(d.containerPath))
      fail(`hostAccess.devices[${i}] needs absolute host and container paths`);
    if (!isDevicePermissions(d.permissions)) fail(`hostAccess.devices[${i}].permissions must be made of r, w and m`);
  });
  (a.securityOpt ?? []).forEach(
    (o, i) =>
      (typeof o === "string" && o.length > 0 && o.length <= 256 && !o.includes("\0")) ||
      fail(`hostAccess.securityOpt[${i}] must be a non-empty string`),
  );
  (a.hostNamespaces ?? []).forEach(
    (n, i) => NAMESPACES.includes(n) || fail(`hostAccess.hostNamespaces[${i}] must be one of ${NAMESPACES.join(", ")}`),
  );
  if (
    a.hostNamespaces?.includes("network") &&
    (spec.network !== undefined || spec.containerPort !== undefined || (spec.ports ?? []).length > 0)
  ) {
    fail("host networking joins no Berth network and publishes no port (a worker without network)");
  }
}
