import type { Service } from "@berth/db";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { getSettings } from "../instance/settings.ts";
import { generateDeployKey } from "../sources/deploy-key.ts";
import { checkGitHost, checkGitUrl } from "../sources/git-url.ts";
import { unlessUnresolved } from "../net/outbound.ts";
import { providerForHost } from "../webhooks/providers.ts";
import type { GitSourceInput } from "./git-source-input.ts";
import { envToRecord } from "./service-input.ts";
import { sealNullable } from "../secrets/service-secrets.ts";

type ExistingGit = Pick<Service, "gitUrl" | "gitToken" | "deployKeyPrivate" | "deployKeyPublic">;

/**
 * Validate a git source against the instance's URL policy and turn it into service columns.
 * On an update (`existing`), an empty token keeps the stored one, an ssh source keeps its
 * deploy key, and a new repository host drops the pinned host key.
 */
export async function gitSourceData(
  deps: Pick<Deps, "db" | "env" | "box">,
  git: GitSourceInput,
  serviceName: string,
  existing?: ExistingGit,
) {
  const settings = await getSettings(deps.db);
  const parsed = checkGitUrl(git.url, {
    allowLocalSources: settings.allowLocalSources,
    controlPlaneHosts: [new URL(deps.env.publicUrl).hostname],
  });
  if ("error" in parsed) throw invalidField("git.url", parsed.error);
  // A name resolving to a non-public address is refused now; one that does not resolve yet is
  // checked again before every clone.
  await checkGitHost(parsed, { allowLocalSources: settings.allowLocalSources })
    .catch(unlessUnresolved)
    .catch((err: unknown) => {
      throw invalidField("git.url", err instanceof Error ? err.message : String(err));
    });
  if (git.auth === "ssh" && parsed.transport !== "ssh")
    throw invalidField("git.auth", "A deploy key works with ssh URLs (ssh://… or git@host:owner/repo.git)");
  if (git.auth === "token" && !["https", "http"].includes(parsed.transport))
    throw invalidField("git.auth", "An access token works with https URLs");
  const box = deps.box;
  const keepKey = git.auth === "ssh" && existing?.deployKeyPrivate && existing.deployKeyPublic;
  const key = keepKey ? null : git.auth === "ssh" ? generateDeployKey(`berth-deploy-key-${serviceName}`) : null;
  const keepToken = git.auth === "token" && !git.token?.trim() && existing?.gitToken;
  const hostOf = (url: string | null | undefined) => (url ? (/^[^:]+:\/\/([^/]+)/.exec(url)?.[1] ?? url.split(":")[0]) : null);
  const sameHost = existing !== undefined && hostOf(existing.gitUrl) === hostOf(parsed.url);
  const webhookProvider = providerForHost(parsed.host);
  return {
    ...(existing !== undefined && !sameHost ? { sshKnownHosts: null } : {}),
    gitUrl: parsed.url,
    gitBranch: git.branch,
    gitCommit: git.commit,
    dockerfilePath: git.dockerfilePath,
    contextPath: git.contextPath,
    buildArgs: envToRecord(git.buildArgs),
    // Sealed at rest (AES-256-GCM): a database dump never holds the token or the private key.
    gitToken: keepToken ? existing.gitToken : sealNullable(box, git.auth === "token" ? (git.token?.trim() ?? null) : null),
    ...(keepKey ? {} : { deployKeyPrivate: sealNullable(box, key?.privateKey ?? null), deployKeyPublic: key?.publicKey ?? null }),
    // Webhooks are accepted from the repository host's provider only (editable in the hook settings).
    ...(webhookProvider && !sameHost ? { webhookProvider } : {}),
  };
}

/** What the API shows of a service's source: never the token or the private key. PURE. */
export function sourceView(service: Service) {
  if (service.sourceType === "image") return { type: "image" as const, image: service.image };
  return {
    type: "git" as const,
    url: service.gitUrl ?? "",
    branch: service.gitBranch ?? "main",
    commit: service.gitCommit,
    dockerfilePath: service.dockerfilePath,
    contextPath: service.contextPath,
    buildArgNames: Object.keys((service.buildArgs ?? {}) as Record<string, unknown>),
    hasToken: service.gitToken !== null,
    deployKeyPublic: service.deployKeyPublic,
    sshHostKeyPinned: service.sshKnownHosts !== null,
  };
}
