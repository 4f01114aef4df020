/**
 * The mapped fields through Berth's own service input schema (the one the form and the API
 * use), so a stack's service obeys every rule a single service does; each issue is reported at
 * the compose key it came from. PURE.
 */
import { createServiceInput } from "../services/service-input.ts";
import type { ServiceFields } from "./service-fields.ts";
import type { StackIssue } from "./stack-issues.ts";

const COMPOSE_KEY: Record<string, string> = {
  name: "(name)",
  image: "image",
  containerPort: "ports",
  publish: "ports",
  command: "command",
  entrypoint: "entrypoint",
  user: "user",
  workingDir: "working_dir",
  ulimits: "ulimits",
  aliases: "networks",
  healthCheck: "healthcheck",
  limits: "deploy.resources.limits",
  restartPolicy: "restart",
  replicas: "deploy.replicas",
  volumes: "volumes",
  env: "environment",
  kind: "x-berth-kind",
  git: "build",
  labels: "labels",
};

// Any well-formed id: the schema only checks its shape; the real project is checked on create.
const SHAPE_ONLY_PROJECT_ID = "00000000-0000-4000-8000-000000000000";
// Likewise the repository: a built service's URL is the stack's, checked when the stack is.
const SHAPE_ONLY_REPOSITORY = "https://repository.invalid/stack.git";

/** The fields as createServiceInput reads them, a built service's git source from the stack's repository. */
export function serviceInputOf(
  fields: ServiceFields,
  repository: { url: string; branch: string; commit: string | null; auth: "none" | "token" },
) {
  const { git, ...rest } = fields;
  return {
    ...rest,
    ...(git
      ? {
          git: {
            url: repository.url,
            branch: repository.branch,
            commit: repository.commit ?? undefined,
            auth: repository.auth,
            contextPath: git.contextPath,
            dockerfilePath: git.dockerfilePath,
            buildArgs: git.buildArgs,
          },
        }
      : {}),
  };
}

export function berthFieldIssues(fields: ServiceFields): StackIssue[] {
  const parsed = createServiceInput.safeParse({
    projectId: SHAPE_ONLY_PROJECT_ID,
    ...serviceInputOf(fields, { url: SHAPE_ONLY_REPOSITORY, branch: "main", commit: null, auth: "none" }),
  });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const [head, ...rest] = issue.path.map(String);
    const base = COMPOSE_KEY[head ?? ""] ?? head ?? "(service)";
    const key =
      head === "env" && rest[0] !== undefined
        ? `environment.${fields.env[Number(rest[0])]?.key ?? rest[0]}`
        : head === "volumes" && rest[0] !== undefined
          ? `volumes.${rest[0]}`
          : head === "limits" && rest[0] === "shmMb"
            ? "shm_size"
            : base;
    return { service: fields.name, key, message: issue.message };
  });
}
