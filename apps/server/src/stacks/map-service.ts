/**
 * One compose service -> the input of Berth's own service create use case (the same schema
 * the form and the API use: services/service-input.ts), its dependencies and labels. Every
 * key is either mapped, ignored with a warning (harmless), or reported as an error naming the
 * key. PURE.
 */
import { join as joinArgv } from "shlex";
import { isValidImageRef, isValidNetworkAlias } from "@berth/engine";
import { nameProblem } from "./compose-names.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { Report, StackIssue } from "./stack-issues.ts";
import { listOrDict } from "./compose-values.ts";
import { triageKeys } from "./triage-keys.ts";
import { mapBuild } from "./map-repo-keys.ts";
import { mapPorts } from "./map-ports.ts";
import { withTraefikRouting } from "./map-traefik-labels.ts";
import { mapVolumes } from "./map-volumes.ts";
import { mapDependsOn } from "./map-depends-on.ts";
import { mapHealthCheck } from "./map-healthcheck.ts";
import { mapResources } from "./map-resources.ts";
import { mapEnvironment } from "./map-environment.ts";
import type { MapContext, MappedService } from "./service-fields.ts";

/** Keys mapped below. */
const MAPPED = new Set([
  "image",
  "build",
  "env_file",
  "command",
  "entrypoint",
  "user",
  "working_dir",
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
  "shm_size",
  "ulimits",
  "links",
  "container_name",
]);

/** Harmless keys: ignored, with a warning saying why. */
const IGNORED: Record<string, string> = {
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

/**
 * compose's `ulimits` (`nofile: 65535` or `{ soft, hard }`) as the settings' text; Berth's schema
 * checks each (ulimits-text.ts).
 */
function ulimitsText(ulimits: unknown): string {
  if (ulimits === null || typeof ulimits !== "object") return "";
  return Object.entries(ulimits as Record<string, unknown>)
    .filter(([name]) => !name.startsWith("x-"))
    .map(([name, v]) => {
      if (v !== null && typeof v === "object") {
        const { soft, hard } = v as { soft?: unknown; hard?: unknown };
        return `${name}=${String(soft)}:${String(hard)}`;
      }
      return `${name}=${String(v)}`;
    })
    .join(" ");
}

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

  const named = ctx.berthNames.get(name) ?? null;
  if (named === null) err("(name)", nameProblem(name, ctx.berthNames));
  else if (named.alias !== null)
    warn("(name)", `Named ${named.berth} in Berth (a service name is a DNS label); the stack's services still reach it as ${named.alias}`);

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

  const ports = mapPorts(svc, image, hostAccess, err, warn);
  const volumes = mapVolumes(name, svc, raw, ctx, err, warn);

  // networks: one project network; their aliases are names it answers to there.
  const aliases = named?.alias ? [named.alias] : [];
  // Docker's DNS answers a container's name too: files reach services by it (Supabase's kong.yml).
  if (svc.container_name !== undefined) {
    const containerName = String(svc.container_name).toLowerCase();
    const otherNames = [...ctx.berthNames].flatMap(([compose, n]) => (compose !== name && n ? [n.berth, n.alias] : []));
    const reachable = containerName !== named?.berth && isValidNetworkAlias(containerName) && !otherNames.includes(containerName);
    if (reachable) aliases.push(containerName);
    warn(
      "container_name",
      reachable
        ? `Ignored: Berth names containers itself; the stack's services still reach this one as ${containerName} (a network alias)`
        : "Ignored: Berth names containers itself; other services reach this one by its service name",
    );
  }
  if (svc.networks !== undefined) {
    const nets = svc.networks;
    const attached = nets && typeof nets === "object" && !Array.isArray(nets) ? Object.values(nets) : [];
    const addressed = attached.some((v) => v && typeof v === "object" && Object.keys(v).some((k) => k !== "aliases"));
    for (const v of attached)
      if (v && typeof v === "object" && Array.isArray((v as { aliases?: unknown }).aliases))
        aliases.push(...(v as { aliases: unknown[] }).aliases.map((a) => String(a).toLowerCase()));
    if (addressed) err("networks", "Network addresses and options are not supported: services reach each other by name (and its aliases)");
    else warn("networks", "Every service of the project shares the project's network (services reach each other by name)");
  }
  if (svc.links !== undefined) warn("links", "Not needed: services reach each other by name on the project's network");

  const dependsOn = mapDependsOn(name, svc, ctx, err, warn);
  const health = mapHealthCheck(svc, err, warn);
  const { restartPolicy, replicas, limits } = mapResources(svc, err, warn);
  const { env, secretEnv } = mapEnvironment(svc, raw, ctx, err, warn);

  // Applied to the containers; Berth's own io.berth.* labels prove ownership and are never the user's.
  const labels = Object.fromEntries(listOrDict(svc.labels).map(([k, v]) => [k, v ?? ""]));
  for (const key of Object.keys(labels))
    if (key.toLowerCase().startsWith("io.berth.")) err(`labels.${key}`, "Refused: the io.berth. prefix is reserved for Berth's own labels");
  // (A service on the host's network is reached on the host's interfaces, never routed.)
  const { kind, containerPort, publish } = hostAccess.hostNamespaces?.includes("network")
    ? ports
    : withTraefikRouting(ports, labels, svc["x-berth-kind"] !== undefined, warn);

  if (errors.length > 0) return { mapped: null, errors, warnings };
  return {
    mapped: {
      fields: {
        name: named?.berth ?? name,
        ...(build ? { source: "git" as const, image: "", git: build } : { source: "image" as const, image }),
        kind,
        containerPort,
        command: argvText("command"),
        entrypoint: argvText("entrypoint"),
        // A string (the compose schema's type); Berth's schema checks its form (name or id, :group).
        user: typeof svc.user === "string" ? svc.user : "",
        workingDir: typeof svc.working_dir === "string" ? svc.working_dir : "",
        ulimits: ulimitsText(svc.ulimits),
        aliases: [...new Set(aliases)].join(" "),
        ...health,
        limits,
        restartPolicy,
        replicas,
        publish,
        volumes,
        env,
        labels,
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

/**
 * A service another depends on with `service_completed_successfully` runs to completion once per
 * stack deployment: a worker with one container, no restart and no health check (its exit code
 * is its outcome). What the file set that cannot apply to a job is dropped with a warning.
 */
export function asJob(mapped: MappedService, warn: Report): MappedService {
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
