/**
 * The service settings form between the API and the inputs: the form's state (strings, as the
 * inputs hold them) from `services.get`, the `services.update` input from that state, where the
 * server's field errors go, and the sentences the form shows. PURE.
 */
import type { EnvPair } from "./env-file";
import { parseEnvFile } from "./env-file";

export type Kind = "web" | "worker" | "tcp";
export type Strategy = "auto" | "start_first" | "stop_first";
export type RestartPolicy = "unless-stopped" | "always" | "on-failure" | "no";
export type HealthType = "default" | "http" | "tcp" | "command";
export type GitAuth = "none" | "token" | "ssh";

/** What `services.get` answers that the form is filled from (a structural subset). */
export interface SettingsSource {
  name: string;
  image: string;
  source:
    | { type: "image" }
    | {
        type: "git";
        url: string;
        branch: string;
        commit: string | null;
        dockerfilePath: string;
        contextPath: string;
        hasToken: boolean;
        deployKeyPublic: string | null;
      };
  settings: {
    kind: Kind;
    containerPort: number | null;
    command: string;
    entrypoint: string;
    user: string;
    workingDir: string;
    ulimits: string;
    aliases: string;
    releaseCommand: string;
    healthCheck: {
      type: HealthType;
      path: string;
      expectStatus: string;
      command: string;
      intervalS: number;
      timeoutS: number;
      retries: number;
      startPeriodS: number;
    };
    workerStableS: number;
    limits: { cpus: number | null; memoryMb: number | null; pidsLimit: number | null; shmMb: number | null };
    restartPolicy: RestartPolicy;
    replicas: number;
    strategy: Strategy;
    publish: { hostPort: number; bindAddress: string } | null;
    volumes: { name: string; mountPath: string; readOnly: boolean; hostPath: string }[];
    buildArgs: EnvPair[];
    timeouts: Record<TimeoutKey, number | null>;
  };
}

export type TimeoutKey = "cloneTimeoutS" | "buildTimeoutS" | "startTimeoutS" | "healthTimeoutS";

export interface VolumeRow {
  /** Stable across edits: React keys and error placement. */
  id: number;
  name: string;
  mountPath: string;
  readOnly: boolean;
  hostPath: string;
  /** Saved on the server (removing it detaches the volume; its data stays). */
  saved: boolean;
}

export interface SettingsForm {
  name: string;
  source: "image" | "git";
  image: string;
  git: {
    url: string;
    branch: string;
    commit: string;
    dockerfilePath: string;
    contextPath: string;
    auth: GitAuth;
    token: string;
    buildArgs: string;
  };
  kind: Kind;
  containerPort: string;
  command: string;
  entrypoint: string;
  user: string;
  workingDir: string;
  ulimits: string;
  aliases: string;
  releaseCommand: string;
  healthCheck: {
    type: HealthType;
    path: string;
    expectStatus: string;
    command: string;
    intervalS: string;
    timeoutS: string;
    retries: string;
    startPeriodS: string;
  };
  workerStableS: string;
  limits: { cpus: string; memoryMb: string; pidsLimit: string; shmMb: string };
  restartPolicy: RestartPolicy;
  replicas: string;
  strategy: Strategy;
  publish: { enabled: boolean; hostPort: string; bindAddress: string };
  volumes: VolumeRow[];
  timeouts: Record<TimeoutKey, string>;
}

let nextVolumeId = 1;

export function newVolumeRow(v: Partial<Omit<VolumeRow, "id">> = {}): VolumeRow {
  return { id: nextVolumeId++, name: "", mountPath: "", readOnly: false, hostPath: "", saved: false, ...v };
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

/** A build argument value as a .env line keeps it (quoted when spaces, quotes, # or newlines would not survive). */
function envLine({ key, value }: EnvPair): string {
  const plain = value === value.trim() && !/[\n\r"'#\\]/.test(value);
  return plain ? `${key}=${value}` : `${key}="${value.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}

export function formFromService(service: SettingsSource): SettingsForm {
  const s = service.settings;
  const git = service.source.type === "git" ? service.source : null;
  return {
    name: service.name,
    source: service.source.type,
    image: service.source.type === "image" ? service.image : "",
    git: {
      url: git?.url ?? "",
      branch: git?.branch ?? "main",
      commit: git?.commit ?? "",
      dockerfilePath: git?.dockerfilePath ?? "Dockerfile",
      contextPath: git?.contextPath ?? ".",
      auth: git?.hasToken ? "token" : git?.deployKeyPublic ? "ssh" : "none",
      token: "",
      buildArgs: s.buildArgs.map(envLine).join("\n"),
    },
    kind: s.kind,
    containerPort: text(s.containerPort),
    command: s.command,
    entrypoint: s.entrypoint,
    user: s.user,
    workingDir: s.workingDir,
    ulimits: s.ulimits,
    aliases: s.aliases,
    releaseCommand: s.releaseCommand,
    healthCheck: {
      type: s.healthCheck.type,
      path: s.healthCheck.path,
      expectStatus: s.healthCheck.expectStatus,
      command: s.healthCheck.command,
      intervalS: text(s.healthCheck.intervalS),
      timeoutS: text(s.healthCheck.timeoutS),
      retries: text(s.healthCheck.retries),
      startPeriodS: text(s.healthCheck.startPeriodS),
    },
    workerStableS: text(s.workerStableS),
    limits: {
      cpus: text(s.limits.cpus),
      memoryMb: text(s.limits.memoryMb),
      pidsLimit: text(s.limits.pidsLimit),
      shmMb: text(s.limits.shmMb),
    },
    restartPolicy: s.restartPolicy,
    replicas: text(s.replicas),
    strategy: s.strategy,
    publish: { enabled: s.publish !== null, hostPort: text(s.publish?.hostPort), bindAddress: s.publish?.bindAddress ?? "127.0.0.1" },
    volumes: s.volumes.map((v) => newVolumeRow({ ...v, saved: true })),
    timeouts: {
      cloneTimeoutS: text(s.timeouts.cloneTimeoutS),
      buildTimeoutS: text(s.timeouts.buildTimeoutS),
      startTimeoutS: text(s.timeouts.startTimeoutS),
      healthTimeoutS: text(s.timeouts.healthTimeoutS),
    },
  };
}

/** Empty: null (the default); anything else goes as typed and the server says what is wrong with it. */
const optional = (value: string) => (value.trim() === "" ? null : value.trim());
const isBlankVolume = (v: VolumeRow) => v.name.trim() === "" && v.mountPath.trim() === "" && v.hostPath.trim() === "";

/**
 * The `services.update` input for the form (numbers stay strings: the schema coerces them and
 * answers at the field), and, per sent volume index, the row it came from. Build args that are
 * not valid .env text answer at their field here, before anything is sent.
 */
export function updateInputOf(form: SettingsForm, serviceId: string, deploy: boolean) {
  const volumes = form.volumes.filter((v) => !isBlankVolume(v));
  const { buildArgs: argsText, token, commit, ...git } = form.git;
  const buildArgs = form.source === "git" ? parseEnvFile(argsText) : { pairs: [] };
  if ("error" in buildArgs) return { fieldErrors: { "git.buildArgs": buildArgs.error } };
  const worker = form.kind === "worker";
  const input = {
    serviceId,
    deploy,
    name: form.name.trim(),
    source: form.source,
    ...(form.source === "image"
      ? { image: form.image.trim() }
      : {
          git: { ...git, commit: commit.trim() || undefined, token: git.auth === "token" ? token : undefined, buildArgs: buildArgs.pairs },
        }),
    kind: form.kind,
    containerPort: worker ? null : optional(form.containerPort),
    command: form.command,
    entrypoint: form.entrypoint,
    user: form.user,
    workingDir: form.workingDir,
    ulimits: form.ulimits,
    aliases: form.aliases,
    releaseCommand: form.releaseCommand,
    healthCheck: { ...form.healthCheck },
    workerStableS: form.workerStableS,
    limits: {
      cpus: optional(form.limits.cpus),
      memoryMb: optional(form.limits.memoryMb),
      pidsLimit: optional(form.limits.pidsLimit),
      shmMb: optional(form.limits.shmMb),
    },
    restartPolicy: form.restartPolicy,
    replicas: form.replicas,
    strategy: form.strategy,
    publish:
      form.kind === "tcp" && form.publish.enabled
        ? { hostPort: form.publish.hostPort, bindAddress: form.publish.bindAddress.trim() || "127.0.0.1" }
        : null,
    volumes: volumes.map((v) => ({
      name: v.name.trim(),
      mountPath: v.mountPath.trim(),
      readOnly: v.readOnly,
      hostPath: v.hostPath.trim() || undefined,
    })),
    timeouts: Object.fromEntries(Object.entries(form.timeouts).map(([k, v]) => [k, v.trim() === "" ? null : Number(v)])) as Record<
      TimeoutKey,
      number | null
    >,
  };
  return { input, volumeRowIds: volumes.map((v) => v.id) };
}

/** Field errors `volumes.<index>.<field>` placed on the row sent at that index. */
export function volumeErrorsByRow(
  fields: Record<string, string>,
  rowIds: number[],
): Map<number, Partial<Record<"name" | "mountPath" | "hostPath" | "readOnly", string>>> {
  const byRow = new Map<number, Partial<Record<"name" | "mountPath" | "hostPath" | "readOnly", string>>>();
  for (const [path, message] of Object.entries(fields)) {
    const match = /^volumes\.(\d+)(?:\.(name|mountPath|hostPath|readOnly))?$/.exec(path);
    const rowId = match ? rowIds[Number(match[1])] : undefined;
    if (!match || rowId === undefined) continue;
    const entry = byRow.get(rowId) ?? {};
    entry[(match[2] as "name" | "mountPath" | "hostPath" | "readOnly" | undefined) ?? "name"] ??= message;
    byRow.set(rowId, entry);
  }
  return byRow;
}

/** The keys of field errors the settings form shows at an input (the rest go above the buttons). */
export function isSettingsField(key: string): boolean {
  return /^(name|image|kind|containerPort|command|entrypoint|user|workingDir|ulimits|aliases|workerStableS|restartPolicy|replicas|strategy|publish(\.(hostPort|bindAddress))?|healthCheck\.\w+|limits\.\w+|volumes(\.\d+(\.\w+)?)?|git\.\w+(\.\d+(\.\w+)?)?|timeouts\.\w+)$/.test(
    key,
  );
}

/** Names of saved volumes the form no longer lists (they will be detached, their data kept). */
export function detachedVolumeNames(form: SettingsForm, saved: { name: string }[]): string[] {
  const kept = new Set(form.volumes.filter((v) => !isBlankVolume(v)).map((v) => v.name.trim()));
  return saved.map((v) => v.name).filter((n) => !kept.has(n));
}

export const STRATEGY_COSTS: Record<Strategy, string> = {
  auto: "Automatic: stop-first when the service has volumes or a published host port, start-first otherwise.",
  start_first: "Start-first: zero downtime, but needs room for two copies while the new one starts.",
  stop_first: "Stop-first: a short gap while the new copy starts, but never two processes on one volume.",
};

/** The strategy a deploy would use now, as the server resolves "auto". */
export function effectiveStrategy(form: Pick<SettingsForm, "strategy" | "volumes" | "publish" | "kind">): "start_first" | "stop_first" {
  if (form.strategy !== "auto") return form.strategy;
  const volumes = form.volumes.some((v) => !isBlankVolume(v));
  const published = form.kind === "tcp" && form.publish.enabled;
  return volumes || published ? "stop_first" : "start_first";
}

/** A bind address that listens on every interface (reachable from other machines). */
export function isPublicBind(address: string): boolean {
  const a = address.trim();
  return a === "0.0.0.0" || a === "::" || a === "[::]";
}

/** Whether the form differs from its initial state (the "unsaved changes" line). */
export function isDirty(form: SettingsForm, initial: SettingsForm): boolean {
  const strip = (f: SettingsForm) => ({ ...f, volumes: f.volumes.map(({ id: _id, saved: _saved, ...v }) => v) });
  return JSON.stringify(strip(form)) !== JSON.stringify(strip(initial));
}
