import { z } from "zod";
import { gitSourceInput } from "../services/git-source-input.ts";
import { envList, serviceName } from "../services/service-input.ts";
import { isSafeRepoPath, isSshGitUrl } from "../sources/git-url.ts";
import { MAX_COMPOSE_BYTES } from "./parse-compose.ts";

/**
 * A compose file at a path of a git repository: public, private with an access token (https), or
 * read with a deploy key Berth generates (an ssh URL: its auth is "ssh" whatever was sent as "none").
 */
export const stackGitInput = gitSourceInput
  .pick({ url: true, branch: true, token: true })
  .extend({
    /** Empty: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml at the root. */
    composePath: z
      .string()
      .trim()
      .default("")
      .transform((v) => v.replace(/^\.\//, ""))
      .refine(
        (v) => v === "" || isSafeRepoPath(v),
        "The compose file's path must be relative to the repository's root (no .. or leading /)",
      ),
    auth: z
      .enum(["none", "token", "ssh"], {
        message: "A stack reads public repositories, private ones with an access token (https) or a deploy key (ssh)",
      })
      .default("none"),
  })
  .superRefine((git, ctx) => {
    const ssh = isSshGitUrl(git.url);
    if (ssh && (git.auth === "token" || git.token?.trim()))
      ctx.addIssue({
        code: "custom",
        path: ["token"],
        message: "An ssh URL is read with the stack's deploy key: leave the access token empty (or use the https URL)",
      });
    else if (git.auth === "token" && !git.token?.trim())
      ctx.addIssue({ code: "custom", path: ["token"], message: "Enter the access token" });
    if (git.auth === "ssh" && !ssh)
      ctx.addIssue({ code: "custom", path: ["url"], message: "A deploy key works with ssh URLs (ssh://… or git@host:owner/repo.git)" });
  })
  .transform((git) => (git.auth === "none" && isSshGitUrl(git.url) ? { ...git, auth: "ssh" as const } : git));
export type StackGitInput = z.infer<typeof stackGitInput>;

const composeText = z
  .string()
  .default("")
  .refine((text) => Buffer.byteLength(text) <= MAX_COMPOSE_BYTES, `The file is larger than ${MAX_COMPOSE_BYTES / 1024} KiB`);

const importFields = {
  /** The pasted compose file (a git-sourced stack reads it from its repository instead). */
  compose: composeText,
  /** Where the file comes from when it is not pasted. */
  git: stackGitInput.optional(),
  /** Values for the file's ${VARIABLES}: stored sealed, since they are often passwords. */
  variables: envList.default([]),
  /** Compose profiles to enable (services with other profiles are left out). */
  profiles: z
    .array(z.string().trim().min(1, "Enter a profile name").max(64, "At most 64 characters"))
    .max(20, "At most 20 profiles")
    .default([]),
  /** Deploy right after saving. */
  deploy: z.boolean().default(true),
};

const needsFile = (input: { compose: string; git?: unknown }, ctx: z.RefinementCtx) => {
  if (input.git === undefined && input.compose.trim() === "")
    ctx.addIssue({ code: "custom", path: ["compose"], message: "Paste a compose file (or read it from a git repository)" });
};

export const createStackInput = z
  .object({
    projectId: z.string().uuid("Unknown project"),
    /** The stack's name in its project (the same rules as a service name). */
    name: serviceName,
    ...importFields,
  })
  .superRefine(needsFile);
export type CreateStackInput = z.infer<typeof createStackInput>;

export const stackIdInput = z.object({ stackId: z.string().uuid("Unknown stack") });

/**
 * Re-import a stack: an edited pasted file, or its repository's branch head again (no file and
 * no `git`: the stored repository, token included; variables, profiles and the repository may
 * change too). Services the file no longer has are removed only
 * when named in `remove` (the plan lists them first); their volumes only with `deleteVolumes`.
 */
export const updateStackInput = z.object({
  stackId: z.string().uuid("Unknown stack"),
  ...importFields,
  /** Omitted: the stack's stored variables are kept (they are sealed; the form cannot show them). */
  variables: envList.optional(),
  remove: z.array(serviceName).max(100).default([]),
  deleteVolumes: z.boolean().default(false),
});
export type UpdateStackInput = z.infer<typeof updateStackInput>;

export const deleteStackInput = z.object({
  stackId: z.string().uuid("Unknown stack"),
  /** Delete the services' volumes (their data) too; kept and listed on the project page otherwise. */
  deleteVolumes: z.boolean().default(false),
});
