/**
 * A service's runtime settings: what its process is (kind, port), how it starts (command,
 * entrypoint; the user, directory, ulimits and network aliases it runs with: process-fields.ts),
 * when it is healthy, what it may use (limits), how it restarts, how many run, how a redeploy
 * replaces them, its published TCP port and its volumes. One schema for the
 * create and update use cases, the API and the form; every message is written for the person
 * at the field. Stored on the service (`runtime` JSON + columns) and snapshotted whole into
 * each release.
 */
import { isIP as netIsIp } from "node:net";
import { z } from "zod";
import { split as splitCommandLine } from "shlex";
import { isValidNetworkAlias, isValidRunAsUser, isValidWorkingDir, ulimitProblem, type Ulimit } from "@berth/engine";
import { aliasesText, runAsUser, typed, ulimitsText, workingDir } from "./process-fields.ts";

export const MAX_REPLICAS = 10;

/** A command line as the user types it, split into argv (POSIX quoting, no shell ever runs it). */
const commandLine = typed(4096, "The command is too long").transform((line, ctx) => {
  if (line === "") return null;
  try {
    const argv = splitCommandLine(line);
    if (argv.some((a) => a.includes("\0"))) throw new Error("NUL");
    return argv.length === 0 ? null : argv;
  } catch {
    ctx.addIssue({ code: "custom", message: "Close every quote (the command is split like a shell would, but never run by one)" });
    return z.NEVER;
  }
});

const seconds = (min: number, max: number, label: string) =>
  z.coerce
    .number({ message: `${label} must be a number` })
    .int(`${label} must be whole seconds`)
    .min(min, `${label}: at least ${min} s`)
    .max(max, `${label}: at most ${max} s`);

/** The most failed probes in a row a health check counts (compose files may ask more: stacks/map-healthcheck.ts). */
export const MAX_HEALTH_RETRIES = 100;

export const healthCheckInput = z.object({
  /** default: the image's HEALTHCHECK, else TCP on the port (web, tcp) or "runs N s" (worker). */
  type: z.enum(["default", "http", "tcp", "command"]).default("default"),
  path: z.string().trim().max(1024, "The path is too long").default("/"),
  /** Accepted HTTP statuses, e.g. 200 or 200-399. */
  expectStatus: z.string().trim().max(7).default("200-399"),
  command: commandLine,
  intervalS: seconds(1, 300, "Interval").default(2),
  timeoutS: seconds(1, 120, "Timeout").default(2),
  retries: z.coerce
    .number({ message: "Retries must be a number" })
    .int("Retries must be a whole number")
    .min(1, "At least 1 retry")
    .max(MAX_HEALTH_RETRIES, `At most ${MAX_HEALTH_RETRIES} retries`)
    .default(3),
  startPeriodS: seconds(0, 3600, "Start period").default(0),
});

export const volumeInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name is required")
    .max(63, "At most 63 characters")
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, "Use lowercase letters, digits, -, _ and .; start with a letter or digit"),
  mountPath: z
    .string()
    .trim()
    .min(1, "Mount path is required")
    .max(1024, "The path is too long")
    .refine((p) => p.startsWith("/"), "Must be an absolute path (e.g. /var/lib/postgresql/data)")
    .refine((p) => p === "/" || !/(^|\/)\.\.?(\/|$)|\/\/|\/$/.test(p), "Use a clean path without ., .. or a trailing /")
    .refine((p) => p !== "/", "A volume cannot be mounted on /"),
  readOnly: z.boolean().default(false),
  /** A host directory instead of a named volume (only when the instance owner allows it). */
  hostPath: z
    .string()
    .trim()
    .max(1024, "The path is too long")
    .optional()
    .transform((v) => (v ? v : null)),
});

const optionalNumber = <T extends z.ZodType<number>>(schema: T) =>
  z.preprocess((v) => (v === "" || v === undefined ? null : v), schema.nullable()).default(null);

export const limitsInput = z.object({
  cpus: optionalNumber(z.coerce.number({ message: "CPUs must be a number" }).min(0.01, "At least 0.01 CPU").max(256, "At most 256 CPUs")),
  memoryMb: optionalNumber(
    z.coerce
      .number({ message: "Memory must be a number" })
      .int("Memory is whole MiB")
      .min(6, "At least 6 MiB")
      .max(1_048_576, "At most 1 TiB"),
  ),
  pidsLimit: optionalNumber(
    z.coerce
      .number({ message: "PID limit must be a number" })
      .int("A whole number")
      .min(16, "At least 16 processes")
      .max(100_000, "At most 100000 processes"),
  ),
  /** /dev/shm (compose's shm_size); null: the engine's 64 MiB. */
  shmMb: optionalNumber(
    z.coerce
      .number({ message: "Shared memory must be a number" })
      .int("Shared memory is whole MiB")
      .min(1, "At least 1 MiB")
      .max(65_536, "At most 64 GiB"),
  ),
});

export const publishInput = z.object({
  hostPort: z.coerce
    .number({ message: "Host port must be a number" })
    .int("A whole number")
    .min(1, "Host port must be between 1 and 65535")
    .max(65535, "Host port must be between 1 and 65535"),
  /** Host address the port is bound to; loopback unless the user chooses otherwise. */
  bindAddress: z
    .string()
    .trim()
    .default("127.0.0.1")
    .refine((a) => isIpv4Address(a), "Enter an IPv4 address of this host (127.0.0.1 by default, 0.0.0.0 for every interface)"),
});

function isIpv4Address(value: string): boolean {
  // node:net's own parser (no regex of ours); the engine publishes on IPv4 addresses.
  return netIsIp(value) === 4;
}

export const restartPolicies = ["unless-stopped", "always", "on-failure", "no"] as const;
export const strategies = ["auto", "start_first", "stop_first"] as const;

const portField = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.coerce
    .number({ message: "Port must be a number" })
    .int("Port must be a whole number")
    .min(1, "Port must be between 1 and 65535")
    .max(65535, "Port must be between 1 and 65535")
    .nullable(),
);

/** Container labels (Docker's rules); the io.berth. prefix is Berth's own (ownership, routing) and refused. */
export const labelsRecord = z
  .record(z.string(), z.string().max(4096, "A label value is at most 4096 characters"))
  .superRefine((labels, ctx) => {
    const keys = Object.keys(labels);
    if (keys.length > 100) ctx.addIssue({ code: "custom", path: [], message: "At most 100 labels" });
    for (const key of keys) {
      if (key.toLowerCase().startsWith("io.berth."))
        ctx.addIssue({ code: "custom", path: [key], message: `${key}: the io.berth. prefix is reserved for Berth's own labels` });
      else if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/.test(key))
        ctx.addIssue({ code: "custom", path: [key], message: `${key} is not a label name (letters, digits, . _ / -)` });
    }
  });
const labelsInput = labelsRecord.default({});

/** The runtime fields of a service (create and update share them). */
export const runtimeFields = {
  kind: z.enum(["web", "worker", "tcp"]).default("web"),
  containerPort: portField.default(null),
  command: commandLine,
  entrypoint: commandLine,
  user: runAsUser,
  workingDir,
  aliases: aliasesText,
  /** Run before each release goes live, as a one-off from the new release (e.g. migrations). */
  releaseCommand: commandLine,
  healthCheck: healthCheckInput.prefault({}),
  /** Worker readiness without a health command: running this long without a restart. */
  workerStableS: seconds(1, 600, "Stable time").default(5),
  limits: limitsInput.prefault({}),
  ulimits: ulimitsText,
  restartPolicy: z.enum(restartPolicies).default("unless-stopped"),
  replicas: z.coerce
    .number({ message: "Replicas must be a number" })
    .int("A whole number")
    .min(1, "At least 1")
    .max(MAX_REPLICAS, `At most ${MAX_REPLICAS}`)
    .default(1),
  strategy: z.enum(strategies).default("auto"),
  publish: publishInput.nullable().default(null),
  volumes: z.array(volumeInput).max(20, "At most 20 volumes").default([]),
  labels: labelsInput,
};

const runtimeObject = z.object(runtimeFields);
export type RuntimeInput = z.infer<typeof runtimeObject>;

type Issue = { path: (string | number)[]; message: string };

/** Rules across fields, each reported at the field the person must change. PURE. */
export function runtimeIssues(input: RuntimeInput): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  if (input.kind === "worker") {
    if (input.containerPort !== null) add(["containerPort"], "A worker has no port: leave it empty, or make it a web or TCP service");
    if (input.healthCheck.type === "http" || input.healthCheck.type === "tcp")
      add(["healthCheck", "type"], "A worker has no port to probe: use a command, or the default (running without restarts)");
  } else if (input.containerPort === null) {
    add(["containerPort"], "Port is required");
  }
  if (input.publish !== null && input.replicas > 1)
    add(["replicas"], "A published host port can be bound by one container only: use 1 replica");
  if (input.healthCheck.type === "http") {
    if (!input.healthCheck.path.startsWith("/")) add(["healthCheck", "path"], "The path starts with / (e.g. /healthz)");
    if (parseStatusRange(input.healthCheck.expectStatus) === null)
      add(["healthCheck", "expectStatus"], "A status (200) or a range (200-399) between 100 and 599");
  }
  if (input.healthCheck.type === "command" && input.healthCheck.command === null)
    add(["healthCheck", "command"], "Enter the command to run (exit code 0 = healthy)");
  if (input.publish !== null && input.kind !== "tcp")
    add(["publish"], "Only TCP services publish a host port (web services are reached through their domains)");
  const strategy = resolveStrategy(input.strategy, input.volumes.length > 0, input.publish !== null);
  if (input.strategy === "start_first" && input.publish !== null)
    add(["strategy"], "A fixed host port cannot be bound by the old and the new release at once: use stop-first");
  if (input.replicas > 1 && input.volumes.length > 0 && strategy === "start_first")
    add(
      ["replicas"],
      "Several replicas with a volume and start-first would let two processes write one data directory: use stop-first or 1 replica",
    );
  const names = new Set<string>();
  const paths = new Set<string>();
  input.volumes.forEach((v, i) => {
    if (names.has(v.name)) add(["volumes", i, "name"], `Two volumes are named ${v.name}`);
    if (paths.has(v.mountPath)) add(["volumes", i, "mountPath"], `Two volumes are mounted at ${v.mountPath}`);
    if (v.hostPath !== null && !v.hostPath.startsWith("/")) add(["volumes", i, "hostPath"], "A host path is absolute (e.g. /srv/data)");
    names.add(v.name);
    paths.add(v.mountPath);
  });
  return issues;
}

/** "auto": stop-first for services with volumes or a fixed host port, else start-first. PURE. */
export function resolveStrategy(
  strategy: (typeof strategies)[number],
  hasVolumes: boolean,
  hasPublishedPort: boolean,
): "start_first" | "stop_first" {
  if (strategy !== "auto") return strategy;
  return hasVolumes || hasPublishedPort ? "stop_first" : "start_first";
}

/** "200" or "200-399" -> {min, max}; null when malformed. PURE. */
export function parseStatusRange(text: string): { min: number; max: number } | null {
  const m = /^(\d{3})(?:-(\d{3}))?$/.exec(text.trim());
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (min < 100 || max > 599 || max < min) return null;
  return { min, max };
}

/** The runtime part of a service input, with the cross-field rules. */
export const runtimeInput = runtimeObject.superRefine((input, ctx) => {
  for (const issue of runtimeIssues(input)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
});

/**
 * What is stored in `service.runtime` (JSON). Kind, port, replicas, strategy and volumes have
 * their own columns/rows.
 */
export interface StoredRuntime {
  command: string[] | null;
  entrypoint: string[] | null;
  /** null: the image's USER. */
  user: string | null;
  /** null: the image's WORKDIR. */
  workingDir: string | null;
  /** Other names it answers to on the project network. */
  aliases: string[];
  releaseCommand: string[] | null;
  healthCheck: {
    type: "default" | "http" | "tcp" | "command";
    path: string;
    expectStatus: string;
    command: string[] | null;
    intervalS: number;
    timeoutS: number;
    retries: number;
    startPeriodS: number;
  };
  workerStableS: number;
  limits: { cpus: number | null; memoryMb: number | null; pidsLimit: number | null; shmMb: number | null };
  /** Resource limits of the process ([]: the engine's). */
  ulimits: Ulimit[];
  restartPolicy: (typeof restartPolicies)[number];
  publish: { hostPort: number; bindAddress: string } | null;
  /** Extra container labels (never io.berth.*). */
  labels: Record<string, string>;
}

export const DEFAULT_RUNTIME: StoredRuntime = {
  command: null,
  entrypoint: null,
  user: null,
  workingDir: null,
  aliases: [],
  releaseCommand: null,
  healthCheck: {
    type: "default",
    path: "/",
    expectStatus: "200-399",
    command: null,
    intervalS: 2,
    timeoutS: 2,
    retries: 3,
    startPeriodS: 0,
  },
  workerStableS: 5,
  limits: { cpus: null, memoryMb: null, pidsLimit: null, shmMb: null },
  ulimits: [],
  restartPolicy: "unless-stopped",
  publish: null,
  labels: {},
};

export function toStoredRuntime(input: RuntimeInput): StoredRuntime {
  return {
    command: input.command,
    entrypoint: input.entrypoint,
    user: input.user,
    workingDir: input.workingDir,
    aliases: [...input.aliases],
    releaseCommand: input.releaseCommand,
    healthCheck: { ...input.healthCheck },
    workerStableS: input.workerStableS,
    limits: { ...input.limits },
    ulimits: input.ulimits.map((u) => ({ ...u })),
    restartPolicy: input.restartPolicy,
    publish: input.publish,
    labels: { ...input.labels },
  };
}

/** Read `service.runtime` (or a snapshot's) leniently: missing or malformed parts take defaults. PURE. */
export function readStoredRuntime(json: unknown): StoredRuntime {
  const v = json && typeof json === "object" && !Array.isArray(json) ? (json as Partial<StoredRuntime>) : {};
  const argv = (x: unknown) => (Array.isArray(x) && x.every((a) => typeof a === "string") && x.length > 0 ? (x as string[]) : null);
  const hc = { ...DEFAULT_RUNTIME.healthCheck, ...(v.healthCheck ?? {}) };
  return {
    command: argv(v.command),
    entrypoint: argv(v.entrypoint),
    user: typeof v.user === "string" && isValidRunAsUser(v.user) ? v.user : null,
    workingDir: typeof v.workingDir === "string" && isValidWorkingDir(v.workingDir) ? v.workingDir : null,
    aliases: Array.isArray(v.aliases) ? v.aliases.filter((a) => typeof a === "string" && isValidNetworkAlias(a)) : [],
    releaseCommand: argv(v.releaseCommand),
    healthCheck: { ...hc, command: argv(hc.command) },
    workerStableS: typeof v.workerStableS === "number" ? v.workerStableS : DEFAULT_RUNTIME.workerStableS,
    limits: { ...DEFAULT_RUNTIME.limits, ...(v.limits ?? {}) },
    ulimits: Array.isArray(v.ulimits) ? v.ulimits.filter((u) => u && typeof u === "object" && ulimitProblem(u) === null) : [],
    restartPolicy: restartPolicies.includes(v.restartPolicy as never)
      ? (v.restartPolicy as StoredRuntime["restartPolicy"])
      : "unless-stopped",
    publish: v.publish && typeof v.publish === "object" ? v.publish : null,
    labels:
      v.labels && typeof v.labels === "object" && !Array.isArray(v.labels)
        ? Object.fromEntries(Object.entries(v.labels).filter(([k, x]) => typeof x === "string" && !k.startsWith("io.berth.")))
        : {},
  };
}
