import path from "node:path";
import { getSettings } from "../instance/settings.ts";
import { cloneSource } from "../sources/clone.ts";
import { packDirectory } from "../sources/context-tar.ts";
import { checkGitUrl } from "../sources/git-url.ts";
import { envFromJson, envToRecord } from "../services/service-input.ts";
import { advance, withStage, type RunContext } from "./run-context.ts";

export function buildTag(serviceId: string, deploymentId: string): string {
  return `berth-build/${serviceId}:${deploymentId}`;
}

/** Dockerfile path relative to the build context, or null when it lies outside it. PURE. */
export function dockerfileInContext(contextPath: string, dockerfilePath: string): string | null {
  const rel = path.posix.relative(path.posix.normalize(contextPath), path.posix.normalize(dockerfilePath));
  return rel === "" || rel.startsWith("..") ? null : rel;
}

/** cloning -> building -> releasing: clone the repository, build its image; returns the tag. */
export async function cloneAndBuild(ctx: RunContext): Promise<string> {
  const { service, sink, deps } = ctx;
  const settings = await getSettings(deps.db);
  const repo = checkGitUrl(service.gitUrl ?? "", { allowLocalSources: settings.allowLocalSources, controlPlaneHosts: [new URL(deps.env.publicUrl).hostname] });
  if ("error" in repo) throw new Error(`Repository refused: ${repo.error}`);
  const branch = service.gitBranch ?? "main";
  const dockerfile = dockerfileInContext(service.contextPath, service.dockerfilePath);
  if (dockerfile === null) throw new Error(`The Dockerfile ${service.dockerfilePath} is not inside the build context ${service.contextPath}`);

  sink.system(`Cloning ${repo.url} (branch ${branch}${service.gitCommit ? `, commit ${service.gitCommit}` : ""})`);
  const cloneStart = Date.now();
  const source = await withStage(ctx, "clone", (signal) =>
    cloneSource({
      repo,
      branch,
      commit: service.gitCommit,
      auth: { token: service.gitToken, sshPrivateKey: service.deployKeyPrivate },
      signal,
      onLine: (stream, line) => sink.write(stream, line),
    }),
  );
  try {
    sink.system(`Checked out ${source.commitSha.slice(0, 12)}: ${source.commitMessage}`);
    await advance(ctx, "cloning", "building", { commitSha: source.commitSha, commitMessage: source.commitMessage, cloneMs: Date.now() - cloneStart });

    const buildStart = Date.now();
    const { tar, files } = await packDirectory(path.join(source.dir, service.contextPath));
    const tag = buildTag(service.id, ctx.deployment.id);
    sink.system(`Building ${tag} from ${files} file(s) with ${service.dockerfilePath}`);
    await withStage(ctx, "build", (signal) =>
      deps.engine.buildImage({
        tag,
        tar,
        dockerfile,
        buildArgs: envToRecord(envFromJson(service.buildArgs)),
        // No build labels: the legacy builder adds one LABEL step (a container + a layer) per
        // label. The tag berth-build/<serviceId>:<deploymentId> already names the owner.
        timeoutMs: ctx.timeoutsMs.build + 5_000,
        signal,
        onLine: (line, isError) => sink.write(isError ? "stderr" : "stdout", line),
      }),
    );
    sink.system(`Built ${tag}`);
    await advance(ctx, "building", "releasing", { image: tag, buildMs: Date.now() - buildStart });
    return tag;
  } finally {
    await source.cleanup();
  }
}
