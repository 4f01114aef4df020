import { z } from "zod";

/**
 * Output schemas of the procedures also served as REST (/api/v1, see http/rest-api.ts): they
 * describe the answers in /api/openapi.json and, being parsers, strip anything not listed.
 */

const id = z.string().uuid();
const deploymentStatus = z.enum([
  "queued",
  "cloning",
  "building",
  "releasing",
  "succeeded",
  "failed",
  "cancelled",
  "superseded",
  "timed_out",
]);
const teamRole = z.enum(["owner", "admin", "member", "viewer"]);

export const tokenIdentityOutput = z.object({
  team: z.object({ id, name: z.string() }),
  scope: z.enum(["read", "deploy", "admin"]),
  role: teamRole,
  user: z.object({ id, email: z.string().optional() }),
});

export const projectListOutput = z.array(
  z.object({
    id,
    teamId: id,
    name: z.string(),
    description: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
    serviceCount: z.number().int(),
  }),
);

const latestDeployment = z.object({ id, status: deploymentStatus, error: z.string().nullable(), createdAt: z.date() });

export const teamServicesOutput = z.array(
  z.object({
    id,
    name: z.string(),
    kind: z.enum(["web", "worker", "tcp"]),
    sourceType: z.enum(["image", "git"]),
    desiredState: z.enum(["running", "stopped"]),
    project: z.object({ id, name: z.string() }),
    latestDeployment: latestDeployment.nullable(),
  }),
);

/** A deployment was queued (deploy, rollback). */
export const queuedDeploymentOutput = z.object({ deploymentId: id });

export const deploymentStatusOutput = z.object({
  id,
  serviceId: id,
  status: deploymentStatus,
  error: z.string().nullable().describe("Why it failed, was cancelled or superseded"),
  trigger: z.enum(["user", "webhook", "api", "rollback", "redeploy", "deploy_hook"]),
  image: z.string(),
  commitSha: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  release: z.object({ id, number: z.number().int() }).nullable(),
});

export const deploymentLogOutput = z.array(
  z.object({ deploymentId: id, seq: z.number().int(), stream: z.enum(["stdout", "stderr", "system"]), text: z.string(), time: z.string() }),
);

export const retainedReleasesOutput = z.array(
  z.object({ id, number: z.number().int(), image: z.string(), commitSha: z.string().nullable(), createdAt: z.date(), live: z.boolean() }),
);

export const envListOutput = z.array(
  z.object({
    id,
    name: z.string(),
    secret: z.boolean(),
    buildTime: z.boolean(),
    runtime: z.boolean(),
    value: z.string().nullable().describe("null for a secret: its value is never returned"),
    updatedAt: z.date(),
  }),
);

export const envNameOutput = z.object({ name: z.string() });
export const envImportOutput = z.object({ imported: z.number().int() });

export const runtimeLogsOutput = z.object({
  running: z.boolean().describe("false when the service has no running container"),
  lines: z.array(
    z.object({
      stream: z.enum(["stdout", "stderr"]),
      time: z.string().describe("ISO time from the engine"),
      text: z.string(),
      task: z.string().optional().describe("A cluster service's line: the task that wrote it (`#2 on node-b`)"),
      taskId: z.string().optional().describe("A cluster service's line: the Swarm task id"),
    }),
  ),
});

/** A one-off run was started (its container is being made). */
export const startedRunOutput = z.object({ runId: id });
export const cancelledRunOutput = z.object({ cancelled: z.boolean().describe("False when the run had already ended") });

export const runOutputSlice = z.object({
  status: z.enum(["running", "succeeded", "failed", "cancelled", "timed_out"]),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  text: z.string().describe("The output from character `from` on"),
  len: z.number().int().describe("The whole output's length: the next `from`"),
});

/** A service's open previews (preview deployments of pull requests). */
export const previewListOutput = z.array(
  z.object({
    id,
    pullRequest: z.number().int(),
    title: z.string(),
    provider: z.string(),
    headSha: z.string(),
    headBranch: z.string(),
    fromFork: z.boolean(),
    serviceId: id,
    status: deploymentStatus,
    deploying: z.boolean(),
    error: z.string().nullable(),
    deploymentId: id.nullable(),
    url: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  }),
);

export const previewSettingsOutput = z.object({
  enabled: z.boolean(),
  allowForks: z.boolean(),
  limit: z.number().int(),
  unavailable: z.string().nullable(),
});
