/**
 * Which host paths a bind mount may never expose. A source is refused when it is, lies
 * under, or contains (is an ancestor of) one of FORBIDDEN_HOST_PATHS -- checked on the path
 * as given (pure, validate-spec.ts) and again on its realpath on the host (symlinks, e.g.
 * /var/run -> /run), where a missing path is refused too.
 */
import { realpath } from "node:fs/promises";
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import type { ReleaseSpec } from "./port-types.ts";
import type { VolumeMount } from "./spec-types.ts";

export const FORBIDDEN_HOST_PATHS: readonly string[] = [
  "/",
  "/etc",
  "/proc",
  "/sys",
  "/dev",
  "/boot",
  "/run",
  "/var/run",
  "/var/lib/docker",
  "/var/lib/containerd",
  "/var/lib/berth",
  "/root",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib64",
  "/var/run/docker.sock",
  "/run/docker.sock",
];

/**
 * Why `path` may not be bind-mounted, or null. PURE. `/` forbids only itself (everything
 * lies under it); every other entry forbids itself, what lies under it and its ancestors.
 */
export function forbiddenBindReason(path: string, forbidden: readonly string[] = FORBIDDEN_HOST_PATHS): string | null {
  for (const f of forbidden) {
    if (path === f) return `is ${f}`;
    if (f === "/") continue;
    if (path.startsWith(`${f}/`)) return `is under ${f}`;
    if (path === "/" || f.startsWith(`${path}/`)) return `contains ${f}`;
  }
  return null;
}

export interface BindCheckOptions {
  /** realpath on the host (injected for tests). */
  resolve?: (path: string) => Promise<string>;
  /** More forbidden paths, e.g. the engine's own socket. */
  extraForbidden?: string[];
}

/**
 * The first problem with the spec's bind mounts on this host (their realpaths), or null.
 * A missing source is a problem: Docker would create it as root.
 */
export async function bindSourcesProblem(volumes: VolumeMount[] | undefined, options: BindCheckOptions = {}): Promise<string | null> {
  const resolve = options.resolve ?? ((p: string) => realpath(p));
  const forbidden = [...FORBIDDEN_HOST_PATHS, ...(options.extraForbidden ?? [])];
  for (const [i, v] of (volumes ?? []).entries()) {
    if (v.type !== "bind") continue;
    const given = forbiddenBindReason(v.source, forbidden);
    if (given !== null) return `volumes[${i}].source ${v.source} ${given} and may not be bind-mounted`;
    let resolved: string;
    try {
      resolved = await resolve(v.source);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      return `volumes[${i}].source ${v.source} cannot be bind-mounted: it does not resolve on the host (${code})`;
    }
    const reason = forbiddenBindReason(resolved, forbidden);
    if (reason !== null) return `volumes[${i}].source ${v.source} resolves to ${resolved}, which ${reason} and may not be bind-mounted`;
  }
  return null;
}

/**
 * Refuse (INVALID) a spec whose bind mounts are unsafe on the engine's host. Host paths can
 * only be checked when the engine runs on this machine: a remote engine gets no bind mounts.
 */
export async function assertSafeBindMounts(
  api: Pick<EngineApi, "local" | "target">,
  spec: ReleaseSpec,
  operation: string,
  resolve?: (path: string) => Promise<string>,
): Promise<void> {
  const binds = (spec.volumes ?? []).filter((v) => v.type === "bind");
  if (binds.length === 0) return;
  const fail = (message: string): never => {
    throw new EngineError({ code: "INVALID", operation, resource: String(spec.serviceName), message: `invalid release spec: ${message}` });
  };
  if (api.local === null) fail(`bind mounts are refused on a remote engine (${api.target}): their host paths cannot be checked from here`);
  const socket = api.local?.socketPath ?? null;
  const problem = await bindSourcesProblem(spec.volumes, {
    ...(resolve === undefined ? {} : { resolve }),
    ...(socket === null ? {} : { extraForbidden: [socket] }),
  });
  if (problem !== null) fail(problem);
}
