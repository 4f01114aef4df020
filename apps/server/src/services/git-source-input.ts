import { z } from "zod";
import { ENV_NAME_RULE, isValidEnvName } from "@berth/engine";
import { isSafeRepoPath, isValidBranch, isValidCommitSha } from "../sources/git-url.ts";

const buildArg = z.object({
  key: z.string().trim().min(1, "Name is required").max(255).refine(isValidEnvName, ENV_NAME_RULE),
  value: z.string().max(4096, "Value is too long"),
});

const repoPath = (what: string, fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((v) => (v === "" ? fallback : v.replace(/^\.\/(?=.)/, "")))
    .refine(isSafeRepoPath, `${what} must be a relative path inside the repository (no .. or leading /)`);

const timeout = (max: number) =>
  z.coerce.number().int("Whole seconds").min(1, "At least 1 s").max(max, `At most ${max} s`).nullable().optional();

/** Where a git service's code comes from and how it is built. URL policy is checked in the use case. */
export const gitSourceInput = z.object({
  url: z.string().trim().min(1, "Enter a repository URL").max(2048, "The URL is too long"),
  branch: z
    .string()
    .trim()
    .default("main")
    .transform((v) => v || "main")
    .refine(isValidBranch, "Not a valid branch name"),
  commit: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || isValidCommitSha(v), "A commit is 7 to 40 hexadecimal characters"),
  dockerfilePath: repoPath("The Dockerfile path", "Dockerfile"),
  contextPath: repoPath("The build context", "."),
  buildArgs: z.array(buildArg).max(100, "At most 100 build arguments").default([]),
  auth: z.enum(["none", "token", "ssh"]).default("none"),
  /** Access token for private https repositories (auth "token"). Stored; never shown again. */
  token: z.string().max(1000, "The token is too long").optional(),
});
export type GitSourceInput = z.infer<typeof gitSourceInput>;

export const stageTimeoutsInput = z.object({
  cloneTimeoutS: timeout(3600),
  buildTimeoutS: timeout(4 * 3600),
  startTimeoutS: timeout(3600),
  healthTimeoutS: timeout(3600),
});
