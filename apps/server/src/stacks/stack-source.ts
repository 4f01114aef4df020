/**
 * A stack's compose file and what it imports as: pasted text, or the file at a path of a git
 * repository (cloned like a git service's source, at the branch head or a pushed commit),
 * whose build contexts, env_files and `.env` are read from that checkout. A refused file
 * throws one error listing every problem (nothing is written by this module).
 */
import path from "node:path";
import { readFile } from "node:fs/promises";
import { canonicalJson } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { getSettings } from "../instance/settings.ts";
import { cloneStoredSource, treeIdOf } from "../sources/checked-clone.ts";
import { checkoutRepo, MAX_REPO_FILE_BYTES } from "./compose-repo.ts";
import { importCompose, type StackPlan } from "./import-compose.ts";
import type { MappedService } from "./service-fields.ts";
import { refusal } from "./stack-refusal.ts";

/** The files compose looks for when no path is given, in its order. */
export const DEFAULT_COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

const CLONE_TIMEOUT_MS = 5 * 60_000;

export interface StackGitSource {
  gitUrl: string;
  gitBranch: string;
  /** null: the first of DEFAULT_COMPOSE_FILES that exists. */
  composePath: string | null;
  /** Sealed. */
  gitToken: string | null;
  /** Sealed (ssh repositories). */
  deployKeyPrivate: string | null;
  /** The pinned host key (null: accepted at this clone and returned as `knownHosts`). */
  sshKnownHosts: string | null;
}

export interface ImportedStack {
  compose: string;
  /** Where the file was found in the repository (git-sourced stacks). */
  composePath: string | null;
  /** The commit it was read from (git-sourced stacks). */
  commitSha: string | null;
  /** The ssh host key this clone met (to pin when the stack has none yet). */
  knownHosts: string | null;
  plan: StackPlan;
  /** Per service: what it was imported as (canonical JSON; compared on a re-import). */
  specs: Map<string, string>;
}

export interface ImportSettings {
  variables: Record<string, string>;
  profiles: string[];
}

/** What a service is, for telling whether a re-import changed it: its fields, and for a build its context's tree. */
function specOf(m: MappedService, tree: string | null): string {
  return canonicalJson({ fields: m.fields, secretEnv: [...m.secretEnv].sort(), labels: m.labels, tree });
}

export async function importPasted(deps: Pick<Deps, "db">, compose: string, settings: ImportSettings): Promise<ImportedStack> {
  const { allowBindMounts, allowHostAccess } = await getSettings(deps.db);
  const plan = importCompose(compose, { ...settings, allowBindMounts, allowHostAccess });
  if (!plan.ok) throw refusal(plan.errors);
  return {
    compose,
    composePath: null,
    commitSha: null,
    knownHosts: null,
    plan,
    specs: new Map(plan.services.map((m) => [m.fields.name, specOf(m, null)])),
  };
}

/** Clone (the branch head, or `commit`), read the compose file and import it with its repository. */
export async function importFromGit(
  deps: Pick<Deps, "db" | "env" | "box">,
  git: StackGitSource,
  commit: string | null,
  settings: ImportSettings,
): Promise<ImportedStack> {
  const { allowBindMounts, allowHostAccess } = await getSettings(deps.db);
  const signal = AbortSignal.timeout(CLONE_TIMEOUT_MS);
  let source;
  try {
    source = await cloneStoredSource(deps, git, { commit, signal, onLine: () => undefined });
  } catch (err) {
    throw invalidField("git.url", `The repository could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const candidates = git.composePath ? [git.composePath] : DEFAULT_COMPOSE_FILES;
    let found: { path: string; text: string } | null = null;
    for (const candidate of candidates) {
      const text = await readFile(path.join(source.dir, candidate), "utf8").catch(() => null);
      if (text !== null) {
        found = { path: candidate, text };
        break;
      }
    }
    if (!found)
      throw invalidField(
        "git.composePath",
        git.composePath
          ? `${git.composePath} does not exist on ${git.gitBranch}`
          : `No ${DEFAULT_COMPOSE_FILES.join(", ")} at the root of ${git.gitBranch}: enter the compose file's path`,
      );
    if (Buffer.byteLength(found.text) > MAX_REPO_FILE_BYTES)
      throw invalidField("git.composePath", `${found.path} is larger than ${MAX_REPO_FILE_BYTES / 1024} KiB`);
    const repo = checkoutRepo(source.dir, found.path);
    const plan = importCompose(found.text, { ...settings, allowBindMounts, allowHostAccess, repo });
    if (!plan.ok) throw refusal(plan.errors);
    const specs = new Map<string, string>();
    for (const m of plan.services) {
      const tree = m.fields.git ? await treeIdOf(source.dir, m.fields.git.contextPath, signal) : null;
      if (m.fields.git && tree === null)
        throw refusal([
          { service: m.fields.name, key: "build.context", message: `${m.fields.git.contextPath} is not a directory of the repository` },
        ]);
      specs.set(m.fields.name, specOf(m, tree));
    }
    return { compose: found.text, composePath: found.path, commitSha: source.commitSha, knownHosts: source.knownHosts, plan, specs };
  } finally {
    await source.cleanup();
  }
}
