/** A create or edit request's file -> an imported stack and the repository it came from (if any). */
import type { Stack } from "@berth/db";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { gitSourceInput } from "../services/git-source-input.ts";
import { gitSourceData } from "../services/git-source.ts";
import type { StackGitInput } from "./stack-input.ts";
import { type ImportedStack, importFromGit, importPasted } from "./stack-source.ts";

export interface StackOrigin {
  gitUrl: string | null;
  gitBranch: string | null;
  /** Sealed. */
  gitToken: string | null;
  /** Sealed (ssh repositories). */
  deployKeyPrivate: string | null;
  deployKeyPublic: string | null;
  /** The host key pinned at the first ssh clone (null: not pinned yet). */
  sshKnownHosts: string | null;
  composePath: string | null;
  webhookProvider?: string;
}

export const PASTED: StackOrigin = {
  gitUrl: null,
  gitBranch: null,
  gitToken: null,
  deployKeyPrivate: null,
  deployKeyPublic: null,
  sshKnownHosts: null,
  composePath: null,
};

type ExistingRepository = Pick<Stack, "gitUrl" | "gitToken" | "deployKeyPrivate" | "deployKeyPublic" | "sshKnownHosts">;

/** The repository a stack has stored (its branch head is read on a re-import, a pushed commit on a push). */
export function storedOrigin(stack: Stack): StackOrigin & { gitUrl: string; gitBranch: string } {
  if (stack.gitUrl === null) throw invalidField("compose", "Paste the compose file (or read it from a git repository)");
  return {
    gitUrl: stack.gitUrl,
    gitBranch: stack.gitBranch ?? "main",
    gitToken: stack.gitToken,
    deployKeyPrivate: stack.deployKeyPrivate,
    deployKeyPublic: stack.deployKeyPublic,
    sshKnownHosts: stack.sshKnownHosts,
    composePath: stack.composePath,
  };
}

/**
 * A requested repository as stack columns, by the git-service rules (URL policy, token only over
 * https, a deploy key generated for ssh and kept on an edit; an empty token keeps the stored one).
 */
export async function requestedOrigin(
  deps: Pick<Deps, "db" | "env" | "box">,
  git: StackGitInput,
  stackName: string,
  existing?: ExistingRepository,
) {
  const columns = await gitSourceData(
    deps,
    gitSourceInput.parse({ url: git.url, branch: git.branch, auth: git.auth, token: git.token }),
    stackName,
    existing,
  );
  const origin: StackOrigin = {
    gitUrl: columns.gitUrl,
    gitBranch: columns.gitBranch,
    gitToken: columns.gitToken,
    deployKeyPrivate: "deployKeyPrivate" in columns ? (columns.deployKeyPrivate ?? null) : (existing?.deployKeyPrivate ?? null),
    deployKeyPublic: "deployKeyPublic" in columns ? (columns.deployKeyPublic ?? null) : (existing?.deployKeyPublic ?? null),
    sshKnownHosts: "sshKnownHosts" in columns ? (columns.sshKnownHosts ?? null) : (existing?.sshKnownHosts ?? null),
    composePath: git.composePath || null,
    ...(columns.webhookProvider ? { webhookProvider: columns.webhookProvider } : {}),
  };
  return origin;
}

export async function importRequest(
  deps: Pick<Deps, "db" | "env" | "box">,
  request: { compose: string; git?: StackGitInput | undefined; variables: { key: string; value: string }[]; profiles: string[] },
  stackName: string,
  existing?: ExistingRepository,
): Promise<{ imported: ImportedStack; origin: StackOrigin; variables: Record<string, string> }> {
  const variables = Object.fromEntries(request.variables.map((v) => [v.key, v.value]));
  const settings = { variables, profiles: request.profiles };
  if (!request.git) return { imported: await importPasted(deps, request.compose, settings), origin: PASTED, variables };
  // A new deploy key cannot read anything until it is added to the repository: a stack is created
  // waiting for it (createStack), and an edit moving to ssh would lose the key it just made.
  if (request.git.auth === "ssh" && !existing?.deployKeyPrivate)
    throw invalidField(
      "git.url",
      "This stack has no deploy key: create a new stack for an ssh repository (it shows its key to add before the file is read)",
    );
  const origin = await requestedOrigin(deps, request.git, stackName, existing);
  const imported = await importFromGit(
    deps,
    { ...origin, gitUrl: origin.gitUrl ?? "", gitBranch: origin.gitBranch ?? "main" },
    null,
    settings,
  );
  return { imported, origin: { ...origin, composePath: imported.composePath }, variables };
}
