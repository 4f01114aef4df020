import type { Service } from "@berth/db";

/**
 * Where a git deployment's build secrets come from (id -> value, for Dockerfile
 * `RUN --mount=type=secret,id=<id>`). The service has no secret store of its own yet: the
 * encrypted secrets of issue #7 connect here by setting `Deps.buildSecrets` to a source that
 * decrypts the service's secrets marked build-time. Values stay in memory: the engine serves
 * them over the BuildKit session and masks them in the build log; they never reach build args,
 * the deployment's config snapshot, the database or a log.
 */
export type BuildSecretSource = (service: Service) => Promise<Record<string, string>>;

/** Until a source is wired, builds get no secrets. */
export const noBuildSecrets: BuildSecretSource = () => Promise.resolve({});
