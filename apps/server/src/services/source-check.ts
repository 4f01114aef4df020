/**
 * "Check at creation": before a service is created, whether its image is on this host or can be
 * pulled, or whether its git repository and branch answer with the given credentials
 * (`git ls-remote` through sources/git.ts: argv only, no shell, credentials in the child's env).
 * Three answers: ok, failed (it would fail at deploy: fix it), or unavailable (the check could
 * not run -- registry or host unreachable, a deploy key that does not exist yet: create anyway).
 */
import { rm } from "node:fs/promises";
import { z } from "zod";
import { isEngineError } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { getSettings } from "../instance/settings.ts";
import { registryProblem } from "./registry-problem.ts";
import { explainGitFailure } from "../sources/clone.ts";
import { buildGitEnv, GitError, prepareGitHome, runGit } from "../sources/git.ts";
import { checkGitUrl, isValidBranch } from "../sources/git-url.ts";
import { type Actor, loadProject } from "../teams/access.ts";

export const checkSourceInput = z.object({
  projectId: z.string().uuid("Unknown project"),
  source: z.enum(["image", "git"]),
  image: z.string().trim().max(512, "The image reference is too long").optional(),
  git: z
    .object({
      url: z.string().trim().min(1, "Enter a repository URL").max(2048, "The URL is too long"),
      branch: z
        .string()
        .trim()
        .default("main")
        .transform((v) => v || "main")
        .refine(isValidBranch, "Not a valid branch name"),
      auth: z.enum(["none", "token", "ssh"]).default("none"),
      token: z.string().max(1000, "The token is too long").optional(),
    })
    .optional(),
});
export type CheckSourceInput = z.infer<typeof checkSourceInput>;

export interface SourceCheck {
  status: "ok" | "failed" | "unavailable";
  message: string;
}

const IMAGE_TIMEOUT_MS = 20_000;
const GIT_TIMEOUT_MS = 15_000;

/** A pull failure: the image is not there (or refused to us) vs the registry could not be asked. PURE. */
export function classifyPullFailure(reason: string): SourceCheck["status"] {
  if (
    /not found|does not exist|manifest unknown|name unknown|pull access denied|unauthorized|authentication required|denied|invalid reference/i.test(
      reason,
    )
  )
    return "failed";
  return "unavailable";
}

async function checkImage(deps: Pick<Deps, "engine">, image: string): Promise<SourceCheck> {
  if (!image) throw invalidField("image", "Enter an image");
  try {
    await deps.engine.ensureImage(image, { timeoutMs: IMAGE_TIMEOUT_MS });
    return { status: "ok", message: `The image ${image} is on this host` };
  } catch (err) {
    if (isEngineError(err, "INVALID")) throw invalidField("image", err.message);
    const reason = err instanceof Error ? err.message : String(err);
    if (isEngineError(err, "IMAGE_UNAVAILABLE") && classifyPullFailure(reason) === "failed") {
      return {
        status: "failed",
        message: `The image ${image} is not on this host and the registry refused it: it does not exist, or it is private (${reason})`,
      };
    }
    return { status: "unavailable", message: `Could not check the image: ${registryProblem(reason)}` };
  }
}

async function checkGit(deps: Pick<Deps, "db" | "env">, git: NonNullable<CheckSourceInput["git"]>): Promise<SourceCheck> {
  const settings = await getSettings(deps.db);
  const repo = checkGitUrl(git.url, {
    allowLocalSources: settings.allowLocalSources,
    controlPlaneHosts: [new URL(deps.env.publicUrl).hostname],
  });
  if ("error" in repo) throw invalidField("git.url", repo.error);
  // The deploy key is generated with the service: nothing can prove access before it exists.
  if (git.auth === "ssh")
    return { status: "unavailable", message: "The deploy key is created with the service: add it to the repository, then deploy" };
  const auth = { token: git.auth === "token" ? (git.token?.trim() ?? null) : null };
  const { home } = await prepareGitHome(auth);
  try {
    const env = buildGitEnv({ home, protocols: repo.transport, auth });
    const refs = await runGit(["ls-remote", "--heads", "--", repo.url, `refs/heads/${git.branch}`], {
      cwd: home,
      env,
      signal: AbortSignal.timeout(GIT_TIMEOUT_MS),
      onLine: () => undefined,
    });
    if (refs.length === 0)
      return { status: "failed", message: `The repository answered, but the branch "${git.branch}" does not exist in it` };
    return { status: "ok", message: `The repository answered and has the branch "${git.branch}"` };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    const explained = explainGitFailure(err.output, git.branch);
    const reachable = !/could not be reached|git failed/.test(explained) && err.exitCode !== null;
    return reachable
      ? { status: "failed", message: explained }
      : { status: "unavailable", message: `Could not check the repository: ${explained === "git failed" ? err.message : explained}` };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Check a new service's source before it is created (project members; nothing is stored). */
export async function checkSource(deps: Pick<Deps, "db" | "env" | "engine">, actor: Actor, input: CheckSourceInput): Promise<SourceCheck> {
  await loadProject(deps.db, actor, input.projectId, "member");
  if (input.source === "image") return checkImage(deps, input.image ?? "");
  if (!input.git) throw invalidField("git.url", "Enter a repository URL");
  return checkGit(deps, input.git);
}
