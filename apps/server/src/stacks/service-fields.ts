/**
 * What a compose service maps to: the fields of Berth's own service create use case
 * (services/service-input.ts), its dependencies and labels, and what mapping reads besides
 * the service.
 */
import type { HostAccess } from "@berth/engine";
import type { BuildFields } from "./map-repo-keys.ts";
import type { ComposeRepo } from "./compose-repo.ts";
import type { ServiceName } from "./compose-names.ts";

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
  /** compose's `user:` ("" = the image's). */
  user: string;
  /** compose's `working_dir:` ("" = the image's). */
  workingDir: string;
  /** compose's `ulimits:` as the settings' text (`nofile=65535 memlock=-1`). */
  ulimits: string;
  /** Network aliases as the settings' text: its compose name where renamed, and compose's `networks.*.aliases`. */
  aliases: string;
  healthCheck: {
    type: "default" | "command";
    command?: string;
    intervalS?: number;
    timeoutS?: number;
    retries?: number;
    startPeriodS?: number;
  };
  limits: { cpus: number | null; memoryMb: number | null; pidsLimit: number | null; shmMb: number | null };
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
  /** Each service's Berth name (compose-names.ts); null where it cannot have one. */
  berthNames: ReadonlyMap<string, ServiceName | null>;
  /** Services left out because their profile is not enabled. */
  skippedByProfile: ReadonlySet<string>;
  /** The stack's repository (git-sourced stacks), null for a pasted file. */
  repo: ComposeRepo | null;
}
