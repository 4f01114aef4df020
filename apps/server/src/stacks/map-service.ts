/**
 * One compose service -> the input of Berth's own service create use case (the same schema
 * the form and the API use: services/service-input.ts), its dependencies and labels. Every
 * key is either mapped, ignored with a warning (harmless), or reported as an error naming the
 * key. PURE.
 */
import { join as joinArgv } from "shlex";
import { type HostAccess, isValidImageRef, isValidServiceName } from "@berth/engine";
import type { ComposeService } from "./parse-compose.ts";
import type { StackIssue } from "./stack-issues.ts";
import { durationSeconds, listOrDict, readMount, readPort, sizeMiB } from "./compose-values.ts";
import { triageKeys } from "./triage-keys.ts";
import type { ComposeRepo } from "./compose-repo.ts";
import { type BuildFields, mapBuild, mapEnvFiles } from "./map-repo-keys.ts";

export const DEPENDENCY_CONDITIONS = ["service_started", "service_healthy", "service_completed_successfully"] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

export interface StackDependency {
  service: string;
  condition: DependencyCondition;
}

/** What createServiceInput accepts (minus projectId and deploy), as plain data. */
export interface ServiceFields {
  name: string;
  source: "image" | "git";
  image: string;
  /** A `build:` service: built from the stack's repository (its URL and commit come from the stack). */
  git?: BuildFields;
  kind: "web" | "tcp" | "worker";
  containerPort: number | null;
  command: string;
  entrypoint: string;
  healthCheck: {
    type: "default" | "command";
    command?: string;
    intervalS?: number;
    timeoutS?: number;
    retries?: number;
    startPeriodS?: number;
  };
  limits: { cpus: number | null; memoryMb: number | null; pidsLimit: number | null };
  restartPolicy: "unless-stopped" | "always" | "on-failure" | "no";
  replicas: number;
  publish: { hostPort: number; bindAddress: string } | null;
  volumes: { name: string; mountPath: string; readOnly: boolean; hostPath?: string }[];
  labels: Record<string, string>;
  env: { key: string; value: string }[];
  /** The health stage's deadline, from the compose healthcheck's own patience. */
  timeouts?: { healthTimeoutS: number };
  /** A run-to-completion job (others depend on it with service_completed_successfully). */
  job?: true;
  /** Powers over the host the file gave it (only where the instance owner allows them). */
  hostAccess?: HostAccess;
}

export interface MappedService {
  fields: ServiceFields;
  dependsOn: StackDependency[];
  labels: Record<string, string>;
  /** Variables whose value came from the user's variables (stored sealed, as secrets). */
  secretEnv: string[];
}

export interface MapContext {
  /** The instance lets services mount host paths (Settings). */
  allowBindMounts: boolean;
  /** The instance owner allows compose keys with power over the host (Settings). */
  allowHostAccess: boolean;
  /** The user's variables (for `environment: [KEY]` entries with no value). */
  variables: Readonly<Record<string, string>>;
  /** The file's top-level volumes. */
  volumes: Record<string, unknown>;
  /** Services of the stack (after profiles). */
  serviceNames: ReadonlySet<string>;
  /** Services left out because their profile is not enabled. */
  skippedByProfile: ReadonlySet<string>;
  /** The stack's repository (git-sourced stacks), null for a pasted file. */
  repo: ComposeRepo | null;
}

/** Keys mapped below. */
const MAPPED = new Set([
  "image",
  "build",
  "env_file",
  "command",
  "entrypoint",
  "environment",
  "ports",
  "expose",
  "volumes",
  "networks",
  "depends_on",
  "healthcheck",
  "restart",
  "deploy",
  "labels",
  "profiles",
  "mem_limit",
  "cpus",
  "pids_limit",
  "links",
]);

/** Harmless keys: ignored, with a warning saying why. */
const IGNORED: Record<string, string> = {
  container_name: "Berth names containers itself; other services reach this one by its service name",
  hostname: "the container's hostname is Berth's; other services reach this one by its service name",
  logging: "Berth collects the logs itself (see the service's logs)",
  stop_signal: "Berth stops containers with SIGTERM",
  stop_grace_period: "Berth's stop timeout applies",
  tty: "not needed by a service",
  stdin_open: "not needed by a service",
  init: "not applied",
  pull_policy: "Berth pulls the image at each deployment",
  platform: "the host's platform is used",
  develop: "compose watch is a development tool",
  attach: "logs are always collected",
  annotations: "not applied",
  mem_reservation: "reservations are not applied (limits are)",
  scale: "use deploy.replicas",
};

export function mapService(
  name: string,
  svc: ComposeService,
  raw: ComposeService | undefined,
  ctx: MapContext,
): { mapped: MappedService | null; errors: StackIssue[]; warnings: StackIssue[] } {
  const errors: StackIssue[] = [];
  const warnings: StackIssue[] = [];
  const err = (key: string, message: string) => errors.push({ service: name, key, message });
  const warn = (key: string, message: string) => warnings.push({ service: name, key, message });

  if (!isValidServiceName(name) || name.length > 40) {
    err(
      "(name)",
      "A service name must be a valid DNS label of at most 40 characters: lowercase letters, digits and dashes, starting and ending with a letter or digit (other services reach it by this name)",
    );
  }

  const hostAccess = triageKeys(name, svc, { mapped: MAPPED, ignored: IGNORED, allowHostAccess: ctx.allowHostAccess }, err, warn);

  // image
  const image = typeof svc.image === "string" ? svc.image.trim() : "";
  const build = svc.build !== undefined ? mapBuild(svc.build, ctx.repo, ctx.variables, err, warn) : null;
  if (svc.build !== undefined) {
    if (image !== "") warn("image", `Ignored: the service is built from the repository (Berth tags its builds itself, not as ${image})`);
  } else if (image === "") err("image", "Every service needs an image (or, in a git-sourced stack, a build:)");
  else if (!isValidImageRef(image)) err("image", `"${image}" is not a valid image reference`);

  // command, entrypoint: compose splits a string like a shell would, but runs no shell.
  const argvText = (key: "command" | "entrypoint"): string => {
    const v = svc[key];
    if (Array.isArray(v)) return v.length === 0 ? "" : joinArgv(v.map(String));
    return typeof v === "string" ? v : "";
  };

  // ports / expose -> kind, port, published port
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

  // volumes
  const volumes: ServiceFields["volumes"] = [];
  (Array.isArray(svc.volumes) ? svc.volumes : []).forEach((entry, i) => {
    const m = readMount(entry);
    if (m.type === "tmpfs" || m.type === "other")
      return err(`volumes.${i}`, `${m.type === "tmpfs" ? "tmpfs mounts are" : "This mount type is"} not supported`);
    if (m.source === "") return err(`volumes.${i}`, `The mount at ${m.target} has no source (is a variable empty?)`);
    if (m.type === "bind") {
      if (/(^|\/)docker\.sock$/.test(m.source ?? ""))
        return err(`volumes.${i}`, "Refused: mounting the Docker socket gives the container the host");
      if (!ctx.allowBindMounts)
        return err(
          `volumes.${i}`,
          `Mounting the host path ${m.source} is off on this instance (an instance owner can allow host paths in Settings)`,
        );
      if (!m.source?.startsWith("/"))
        return err(`volumes.${i}`, `A pasted stack has no directory: ${m.source} must be an absolute host path`);
      volumes.push({ name: `${name}-${slug(m.target)}`, mountPath: m.target, readOnly: m.readOnly, hostPath: m.source });
      return;
    }
    if (m.source === null) {
      // An anonymous volume: kept as a named one so its data survives redeploys, like compose keeps it.
      const volumeName = `${name}-${slug(m.target)}`;
      warn(`volumes.${i}`, `Anonymous volume at ${m.target} becomes the named volume ${volumeName}`);
      volumes.push({ name: volumeName, mountPath: m.target, readOnly: m.readOnly });
      return;
    }
    if (!(m.source in ctx.volumes))
      return err(`volumes.${i}`, `The volume ${m.source} is not declared under the file's top-level volumes:`);
    volumes.push({ name: m.source, mountPath: m.target, readOnly: m.readOnly });
  });

  // networks: one project network
  if (svc.networks !== undefined) {
    const nets = svc.networks;
    const detailed =
      nets && typeof nets === "object" && !Array.isArray(nets)
        ? Object.values(nets).some((v) => v && typeof v === "object" && Object.keys(v).length > 0)
        : false;
    if (detailed) err("networks", "Network aliases and addresses are not supported: services reach each other by their service names");
    else warn("networks", "Every service of the project shares the project's network (services reach each other by name)");
  }
  if (svc.links !== undefined) warn("links", "Not needed: services reach each other by name on the project's network");

  // depends_on
  const dependsOn: StackDependency[] = [];
  const deps = svc.depends_on;
  const entries: [string, { condition?: string; required?: boolean }][] = Array.isArray(deps)
    ? deps.map((d) => [String(d), { condition: "service_started" }])
    : deps && typeof deps === "object"
      ? Object.entries(deps as Record<string, { condition?: string; required?: boolean }>)
      : [];
  for (const [dep, opts] of entries) {
    if (dep === name) {
      err("depends_on", `${name} cannot depend on itself`);
      continue;
    }
    if (!ctx.serviceNames.has(dep)) {
      if (opts.required === false) warn("depends_on", `${dep} is not part of the stack (optional dependency, left out)`);
      else
        err(
          "depends_on",
          ctx.skippedByProfile.has(dep) ? `${dep} is left out by its profile: enable the profile` : `${dep} is not a service of this stack`,
        );
      continue;
    }
    // service_completed_successfully makes `dep` a job (import-compose.ts marks it): this one waits for its exit 0.
    dependsOn.push({ service: dep, condition: (opts.condition ?? "service_started") as DependencyCondition });
  }

  // healthcheck
  const healthCheck: ServiceFields["healthCheck"] = { type: "default" };
  const hc = svc.healthcheck as
    { test?: unknown; disable?: unknown; interval?: string; timeout?: string; retries?: unknown; start_period?: string } | undefined;
  if (hc && hc.disable !== true && hc.disable !== "true") {
    const test = hc.test;
    let argv: string[] | null = null;
    if (typeof test === "string") argv = ["/bin/sh", "-c", test];
    else if (Array.isArray(test) && test[0] === "CMD") argv = test.slice(1).map(String);
    else if (Array.isArray(test) && test[0] === "CMD-SHELL") argv = ["/bin/sh", "-c", test.slice(1).join(" ")];
    else if (Array.isArray(test) && test[0] === "NONE") argv = null;
    else if (test !== undefined) err("healthcheck.test", "Starts with CMD, CMD-SHELL or NONE");
    if (argv !== null && argv.length > 0) {
      healthCheck.type = "command";
      healthCheck.command = joinArgv(argv);
    }
    const seconds = (key: "interval" | "timeout" | "start_period", field: "intervalS" | "timeoutS" | "startPeriodS") => {
      const text = hc[key];
      if (text === undefined) return;
      const s = durationSeconds(text);
      if (s === null) err(`healthcheck.${key}`, `"${text}" is not a duration (e.g. 10s, 1m30s)`);
      else healthCheck[field] = field === "startPeriodS" ? s : Math.max(1, s);
    };
    seconds("interval", "intervalS");
    seconds("timeout", "timeoutS");
    seconds("start_period", "startPeriodS");
    if (hc.retries !== undefined) healthCheck.retries = Number(hc.retries);
  }
  // Compose calls a container unhealthy after start_period + retries failed probes: the
  // deployment's health stage waits that long (Berth's defaults where the file sets none).
  const timeouts =
    healthCheck.type === "command"
      ? {
          healthTimeoutS: Math.min(
            3600,
            Math.max(
              1,
              (healthCheck.startPeriodS ?? 0) + ((healthCheck.intervalS ?? 2) + (healthCheck.timeoutS ?? 2)) * (healthCheck.retries ?? 3),
            ),
          ),
        }
      : undefined;

  // restart
  let restartPolicy: ServiceFields["restartPolicy"] = "unless-stopped";
  if (typeof svc.restart === "string") {
    const [policy, max] = svc.restart.split(":");
    if (policy === "no" || policy === "always" || policy === "on-failure" || policy === "unless-stopped") restartPolicy = policy;
    else err("restart", "One of: no, always, on-failure, unless-stopped");
    if (max !== undefined) warn("restart", `The retry limit ${max} is not applied`);
  }

  // deploy
  let replicas = 1;
  const limits: ServiceFields["limits"] = { cpus: null, memoryMb: null, pidsLimit: null };
  const deploy = (svc.deploy ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(deploy)) {
    if (key === "replicas") replicas = Number(deploy.replicas);
    else if (key === "resources") {
      const res = deploy.resources as { limits?: { cpus?: unknown; memory?: string; pids?: unknown }; reservations?: unknown };
      if (res.reservations !== undefined) warn("deploy.resources.reservations", "Reservations are not applied (limits are)");
      if (res.limits?.cpus !== undefined) limits.cpus = Number(res.limits.cpus);
      if (res.limits?.memory !== undefined) limits.memoryMb = memory(res.limits.memory, "deploy.resources.limits.memory");
      if (res.limits?.pids !== undefined) limits.pidsLimit = Number(res.limits.pids);
    } else if (!key.startsWith("x-"))
      warn(`deploy.${key}`, "Ignored: Berth runs the stack on this host (no swarm placement, update or restart settings)");
  }
  if (svc.cpus !== undefined && limits.cpus === null) limits.cpus = Number(svc.cpus);
  if (svc.mem_limit !== undefined && limits.memoryMb === null) limits.memoryMb = memory(svc.mem_limit as string | number, "mem_limit");
  if (svc.pids_limit !== undefined && limits.pidsLimit === null)
    limits.pidsLimit = Number(svc.pids_limit) === -1 ? null : Number(svc.pids_limit);
  function memory(value: string | number, key: string): number | null {
    const mib = sizeMiB(value);
    if (mib === null) err(key, `"${value}" is not a size (e.g. 512m, 1g)`);
    return mib;
  }

  // env_file first (stored as secrets: such files hold credentials), then environment over it.
  // environment: values from interpolation; `KEY` alone takes the stack's variable of that name.
  const fromFiles = svc.env_file !== undefined ? mapEnvFiles(svc.env_file, ctx.repo, err, warn) : new Map<string, string>();
  const envMap = new Map(fromFiles);
  const secret = new Set(fromFiles.keys());
  const rawEnv = new Map(listOrDict(raw?.environment));
  for (const [key, value] of listOrDict(svc.environment)) {
    const resolved = value ?? ctx.variables[key];
    if (resolved === undefined) {
      if (!envMap.has(key)) warn(`environment.${key}`, `${key} has no value and no stack variable of that name: left unset`);
      continue;
    }
    envMap.set(key, resolved);
    const rawValue = rawEnv.get(key);
    if (value === null || (rawValue !== null && rawValue !== undefined && /\$(?!\$)/.test(rawValue.replaceAll("$$", "")))) secret.add(key);
    else secret.delete(key);
  }
  const env: ServiceFields["env"] = [...envMap].map(([key, value]) => ({ key, value }));
  const secretEnv = [...secret];

  // Applied to the containers; Berth's own io.berth.* labels prove ownership and are never the user's.
  const labels = Object.fromEntries(listOrDict(svc.labels).map(([k, v]) => [k, v ?? ""]));
  for (const key of Object.keys(labels))
    if (key.toLowerCase().startsWith("io.berth.")) err(`labels.${key}`, "Refused: the io.berth. prefix is reserved for Berth's own labels");

  if (errors.length > 0) return { mapped: null, errors, warnings };
  return {
    mapped: {
      fields: {
        name,
        ...(build ? { source: "git" as const, image: "", git: build } : { source: "image" as const, image }),
        kind,
        containerPort,
        command: argvText("command"),
        entrypoint: argvText("entrypoint"),
        healthCheck,
        limits,
        restartPolicy,
        replicas,
        publish,
        volumes,
        env,
        labels,
        ...(timeouts ? { timeouts } : {}),
        ...(Object.keys(hostAccess).length > 0 ? { hostAccess } : {}),
      },
      dependsOn,
      labels,
      secretEnv,
    },
    errors,
    warnings,
  };
}

/** "/var/lib/postgresql/data" -> "var-lib-postgresql-data" (a volume name part). */
function slug(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "data"
  );
}

/**
 * A service another depends on with `service_completed_successfully` runs to completion once per
 * stack deployment: a worker with one container, no restart and no health check (its exit code
 * is its outcome). What the file set that cannot apply to a job is dropped with a warning.
 */
export function asJob(mapped: MappedService, warn: (key: string, message: string) => void): MappedService {
  const f = mapped.fields;
  if (f.containerPort !== null)
    warn("ports", "Ignored: a job (others wait for it to complete) is not routed; the stack's services can still reach it while it runs");
  if (f.replicas !== 1) warn("deploy.replicas", "Ignored: a job runs once per stack deployment");
  if (f.restartPolicy !== "no" && f.restartPolicy !== "unless-stopped")
    warn("restart", "Ignored: a job is never restarted (its exit code is its outcome)");
  if (f.healthCheck.type !== "default") warn("healthcheck", "Ignored: a job is done when it exits");
  const { timeouts: _t, ...rest } = f;
  return {
    ...mapped,
    fields: {
      ...rest,
      kind: "worker",
      containerPort: null,
      publish: null,
      replicas: 1,
      restartPolicy: "no",
      healthCheck: { type: "default" },
      job: true,
    },
  };
}
