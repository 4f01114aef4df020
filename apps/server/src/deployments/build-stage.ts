import { OWNED_IMAGE_PREFIX } from "@berth/engine";
import { getSettings } from "../instance/settings.ts";
import { cloneSource } from "../sources/clone.ts";
import { builderFor } from "./builders.ts";
import { checkGitHost, checkGitUrl } from "../sources/git-url.ts";
import { advance, withStage, type RunContext } from "./run-context.ts";
import { openSealed } from "../secrets/service-secrets.ts";
import { sealedBoxOf } from "../secrets/sealed-box.ts";

/** The repository holding a service's build images (one tag per deployment). */
export function buildRepository(serviceId: string): string {
  return `${OWNED_IMAGE_PREFIX}${serviceId}`;
}

export function buildTag(serviceId: string, deploymentId: string): string {
  return `${buildRepository(serviceId)}:${deploymentId}`;
}

/** cloning -> building -> releasing: clone the repository, build its image; returns the tag. */
export async function cloneAndBuild(ctx: RunContext): Promise<string> {
  const { service, sink, deps } = ctx;
  const settings = await getSettings(deps.db);
  const repo = checkGitUrl(service.gitUrl ?? "", { allowLocalSources: settings.allowLocalSources, controlPlaneHosts: [new URL(deps.env.publicUrl).hostname] });
  if ("error" in repo) throw new Error(`Repository refused: ${repo.error}`);
  // Resolved and checked now (names may have changed since the service was saved), and pinned.
  const pin = await checkGitHost(repo, { allowLocalSources: settings.allowLocalSources }).catch((err: unknown) => {
    throw new Error(`Repository refused: ${err instanceof Error ? err.message : String(err)}`);
  });
  const branch = service.gitBranch ?? "main";
  const builder = builderFor(service);
  const box = sealedBoxOf(deps.env);
  // A webhook deployment pins the pushed commit; otherwise the service's pinned commit, or the branch head.
  const commit = ctx.deployment.commitSha ?? service.gitCommit;

  sink.system(`Cloning ${repo.url} (branch ${branch}${commit ? `, commit ${commit}` : ""})`);
  const cloneStart = Date.now();
  const source = await withStage(ctx, "clone", (signal) =>
    cloneSource({
      repo,
      branch,
      commit,
      auth: { token: openSealed(box, service.gitToken), sshPrivateKey: openSealed(box, service.deployKeyPrivate), knownHosts: service.sshKnownHosts },
      pin,
      signal,
      onLine: (stream, line) => sink.write(stream, line),
    }),
  );
  try {
    sink.system(`Checked out ${source.commitSha.slice(0, 12)}: ${source.commitMessage}`);
    if (service.sshKnownHosts === null && source.knownHosts) {
      await deps.db.service.update({ where: { id: service.id }, data: { sshKnownHosts: source.knownHosts } });
      sink.system("Pinned the repository host's SSH key: later clones refuse any other key");
    }
    await advance(ctx, "cloning", "building", { commitSha: source.commitSha, commitMessage: source.commitMessage, cloneMs: Date.now() - cloneStart });

    const buildStart = Date.now();
    const tag = buildTag(service.id, ctx.deployment.id);
    await builder.build(ctx, source.dir, tag);
    sink.system(`Built ${tag}`);
    await advance(ctx, "building", "releasing", { image: tag, buildMs: Date.now() - buildStart });
    return tag;
  } finally {
    await source.cleanup();
  }
}
