/** A create or edit request's file -> an imported stack and the repository it came from (if any). */
import type { Deps } from "../deps.ts";
import { gitSourceInput } from "../services/git-source-input.ts";
import { gitSourceData } from "../services/git-source.ts";
import type { StackGitInput } from "./stack-input.ts";
import { type ImportedStack, importFromGit, importPasted } from "./stack-source.ts";

export interface StackOrigin {
  gitUrl: string | null;
  gitBranch: string | null;
  /** Sealed. */
  gitToken: string | null;
  composePath: string | null;
  webhookProvider?: string;
}

export const PASTED: StackOrigin = { gitUrl: null, gitBranch: null, gitToken: null, composePath: null };

export async function importRequest(
  deps: Pick<Deps, "db" | "env">,
  request: { compose: string; git?: StackGitInput | undefined; variables: { key: string; value: string }[]; profiles: string[] },
  stackName: string,
  existing?: { gitUrl: string | null; gitToken: string | null },
): Promise<{ imported: ImportedStack; origin: StackOrigin; variables: Record<string, string> }> {
  const variables = Object.fromEntries(request.variables.map((v) => [v.key, v.value]));
  const settings = { variables, profiles: request.profiles };
  if (!request.git) return { imported: await importPasted(deps, request.compose, settings), origin: PASTED, variables };
  const git = request.git;
  // The service rules for a repository (URL policy, token only over https); an empty token keeps the stored one.
  const columns = await gitSourceData(deps, gitSourceInput.parse({ url: git.url, branch: git.branch, auth: git.auth, token: git.token }), stackName, existing && { ...existing, deployKeyPrivate: null, deployKeyPublic: null });
  const source = { gitUrl: columns.gitUrl, gitBranch: columns.gitBranch, gitToken: columns.gitToken, composePath: git.composePath || null };
  const imported = await importFromGit(deps, source, null, settings);
  return { imported, origin: { ...source, composePath: imported.composePath, ...(columns.webhookProvider ? { webhookProvider: columns.webhookProvider } : {}) }, variables };
}
