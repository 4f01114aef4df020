import { OWNED_IMAGE_PREFIX } from "@berth/engine";
import { checkedRepository, cloneStoredSource } from "../sources/checked-clone.ts";
import { gitCacheDir } from "../sources/git-cache.ts";
import { builderFor } from "./builders.ts";
import { advance, withStage, type RunContext } from "./run-context.ts";

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
  const checked = await checkedRepository(deps, service.gitUrl);
  const branch = service.gitBranch ?? "main";
  const builder = builderFor(service);
  // A webhook deployment pins the pushed commit; otherwise the service's pinned commit, or the branch head.
  const commit = ctx.deployment.commitSha ?? service.gitCommit;

  sink.system(`Cloning ${checked.repo.url} (branch ${branch}${commit ? `, commit ${commit}` : ""})`);
  const cloneStart = Date.now();
  // The service's cached checkout: a redeploy fetches only what is new, and the working tree it
  // builds from keeps its unchanged files (sources/cached-checkout.ts).
  const cacheDir = gitCacheDir(deps.env, service.id);
  const source = await withStage(ctx, "clone", (signal) =>
    cloneStoredSource(deps, service, { commit, signal, onLine: (stream, line) => sink.write(stream, line), checked, cacheDir }),
  );
  try {
    const how = { reused: "into the cached checkout", new: "into a new cached checkout", busy: "into a fresh clone (the cache is in use)" };
    sink.system(`Checked out ${source.commitSha.slice(0, 12)}${source.cache ? ` ${how[source.cache]}` : ""}: ${source.commitMessage}`);
    if (service.sshKnownHosts === null && source.knownHosts) {
      await deps.db.service.update({ where: { id: service.id }, data: { sshKnownHosts: source.knownHosts } });
      sink.system("Pinned the repository host's SSH key: later clones refuse any other key");
    }
    await advance(ctx, "cloning", "building", {
      commitSha: source.commitSha,
      commitMessage: source.commitMessage,
      cloneMs: Date.now() - cloneStart,
    });

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
