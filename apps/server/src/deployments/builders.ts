import path from "node:path";
import { packContext } from "../sources/context-tar.ts";
import { applyDockerfilePolicy, isReservedBuildArg } from "./dockerfile-policy.ts";
import { envFromJson, envToRecord } from "../services/service-input.ts";
import { withStage, type RunContext } from "./run-context.ts";

/**
 * Turns a checked-out source tree into an image tagged `tag`. Today there is one builder
 * (a Dockerfile through the engine's builder); buildpack-style builders that need no
 * Dockerfile plug in here, chosen by `builderFor`.
 */
export interface ImageBuilder {
  readonly name: string;
  build(ctx: RunContext, sourceDir: string, tag: string): Promise<void>;
}

/** Dockerfile path relative to the build context, or null when it lies outside it. PURE. */
export function dockerfileInContext(contextPath: string, dockerfilePath: string): string | null {
  const rel = path.posix.relative(path.posix.normalize(contextPath), path.posix.normalize(dockerfilePath));
  return rel === "" || rel.startsWith("..") ? null : rel;
}

export const dockerfileBuilder: ImageBuilder = {
  name: "dockerfile",
  async build(ctx, sourceDir, tag) {
    const { service, sink, deps } = ctx;
    const dockerfile = dockerfileInContext(service.contextPath, service.dockerfilePath);
    if (dockerfile === null)
      throw new Error(`The Dockerfile ${service.dockerfilePath} is not inside the build context ${service.contextPath}`);
    // Real paths, checked inside the checkout (a symlinked context or Dockerfile is refused,
    // naming the field); streamed, symlinks packed as links, .dockerignore honoured.
    // Cache mounts scoped to the team, no custom frontend, no other service's image (dockerfile-policy.ts).
    const scope = { teamId: service.project.teamId, serviceId: service.id };
    let cacheMounts = 0;
    const { tar, dockerfile: realDockerfile } = await packContext(sourceDir, service.contextPath, service.dockerfilePath, {
      rewriteDockerfile: (text) => {
        const policy = applyDockerfilePolicy(text, scope);
        cacheMounts = policy.cacheMounts;
        return policy.text;
      },
    });
    if (cacheMounts > 0) sink.system(`${cacheMounts} cache mount(s) scoped to this team's build cache`);
    sink.system(`Building ${tag} from ${service.contextPath} with ${service.dockerfilePath}`);
    // Non-secret build-time variables are build args (beside the service's own build args);
    // secret ones never are: they go to BuildKit secret mounts, served from memory over the
    // BuildKit session and masked in the log -- never a build arg (image history), the config
    // snapshot, the database, a log or a process argument.
    const { buildArgs, buildSecrets: secrets } = ctx.variables;
    if (Object.keys(secrets).length > 0)
      sink.system(`Build secrets available to RUN --mount=type=secret: ${Object.keys(secrets).join(", ")}`);
    try {
      await withStage(ctx, "build", (signal) =>
        deps.engine.buildImage({
          tag,
          tar,
          dockerfile: realDockerfile,
          buildArgs: Object.fromEntries(
            Object.entries({ ...envToRecord(envFromJson(service.buildArgs)), ...buildArgs }).filter(([name]) => !isReservedBuildArg(name)),
          ),
          secrets,
          builder: deps.env.BERTH_BUILDER,
          // No build labels: the legacy fallback builder adds one LABEL step per label.
          // The tag berth-build/<serviceId>:<deploymentId> already names the owner.
          timeoutMs: ctx.timeoutsMs.build + 5_000,
          diskBudgetBytes: Math.floor(deps.env.BERTH_BUILD_DISK_BUDGET_GB * 1024 ** 3),
          signal,
          onLine: (line, isError) => sink.write(isError ? "stderr" : "stdout", line),
        }),
      );
    } finally {
      tar.destroy();
    }
  },
};

export function builderFor(_service: RunContext["service"]): ImageBuilder {
  return dockerfileBuilder;
}
