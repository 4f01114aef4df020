/**
 * The compose keys that read the stack's repository: `build:` (Berth's git build path: the
 * context and Dockerfile relative to the compose file, build args) and `env_file` (parsed
 * with the server's one .env parser). A pasted stack has no repository: both are errors
 * saying so. PURE (the repository is read through ComposeRepo).
 */
import { parseDotenv } from "../secrets/dotenv.ts";
import { type ComposeRepo, isWithin, repoPath, RepoFileError } from "./compose-repo.ts";
import { listOrDict } from "./compose-values.ts";
import type { Report } from "./stack-issues.ts";

export interface BuildFields {
  contextPath: string;
  dockerfilePath: string;
  buildArgs: { key: string; value: string }[];
}

export const NEEDS_GIT_STACK = "needs a git-sourced stack: a pasted stack has no repository to read it from";

/** Build options that do not change what is built: ignored with a warning. */
const BUILD_IGNORED: Record<string, string> = {
  labels: "Berth labels its images itself",
  tags: "Berth tags its builds itself",
  cache_from: "Berth's builder keeps its own cache",
  cache_to: "Berth's builder keeps its own cache",
  no_cache: "Berth's builder keeps its own cache",
  pull: "base images are pulled as the builder needs them",
  platforms: "the host's platform is built",
};

export function mapBuild(
  build: unknown,
  repo: ComposeRepo | null,
  variables: Readonly<Record<string, string>>,
  err: Report,
  warn: Report,
): BuildFields | null {
  if (repo === null) {
    err("build", `build: ${NEEDS_GIT_STACK} (or push the image to a registry and use image:)`);
    return null;
  }
  const spec = (typeof build === "string" ? { context: build } : (build ?? {})) as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(spec)) {
    if (key === "context" || key === "dockerfile" || key === "args" || key.startsWith("x-")) continue;
    if (key in BUILD_IGNORED) warn(`build.${key}`, `Ignored: ${BUILD_IGNORED[key]}`);
    else {
      err(`build.${key}`, "Not supported by Berth's builder (it builds the context's Dockerfile with build args)");
      ok = false;
    }
  }
  const context = typeof spec.context === "string" && spec.context !== "" ? spec.context : ".";
  if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) {
    err("build.context", "A remote build context is not supported: the context is a directory of the stack's repository");
    return null;
  }
  const contextPath = repoPath(repo.dir, context);
  if (contextPath === null) {
    err("build.context", `${context} must be a relative path inside the repository (no leading / and not above its root)`);
    return null;
  }
  const dockerfile = typeof spec.dockerfile === "string" && spec.dockerfile !== "" ? spec.dockerfile : "Dockerfile";
  const dockerfilePath = repoPath(contextPath, dockerfile);
  if (dockerfilePath === null || !isWithin(contextPath, dockerfilePath)) {
    err("build.dockerfile", `${dockerfile} must be inside the build context ${contextPath} (Berth sends the builder the context only)`);
    return null;
  }
  const buildArgs: BuildFields["buildArgs"] = [];
  for (const [key, value] of listOrDict(spec.args)) {
    // `ARG` alone takes the stack's variable of that name, as compose takes the environment's.
    const resolved = value ?? variables[key];
    if (resolved === undefined)
      warn(`build.args.${key}`, `${key} has no value and no stack variable of that name: left to the Dockerfile's default`);
    else buildArgs.push({ key, value: resolved });
  }
  return ok ? { contextPath, dockerfilePath, buildArgs } : null;
}

interface EnvFileRef {
  path: string;
  required: boolean;
  format: unknown;
}

function envFileRefs(value: unknown): EnvFileRef[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) =>
    typeof entry === "string"
      ? { path: entry, required: true, format: undefined }
      : {
          path: String((entry as { path?: unknown }).path ?? ""),
          required: (entry as { required?: unknown }).required !== false && (entry as { required?: unknown }).required !== "false",
          format: (entry as { format?: unknown }).format,
        },
  );
}

/**
 * The variables of the service's env_files, later files overriding earlier ones (as compose reads
 * them). A file the stack does not have -- every one of a pasted stack, and one a repository
 * does not commit (`.env`, `.env.production`: most ignore them, they hold credentials) -- is
 * the stack's variables, with a warning: they are what Dokploy writes into that file, and a
 * user pastes the file's lines there. An optional one (`required: false`) is skipped.
 */
export function mapEnvFiles(
  value: unknown,
  repo: ComposeRepo | null,
  variables: Readonly<Record<string, string>>,
  err: Report,
  warn: Report,
): Map<string, string> {
  const vars = new Map<string, string>();
  const fromVariables = (why: string) => {
    const names = Object.keys(variables);
    warn("env_file", `${why}: the stack's variables stand for it${names.length === 0 ? " (none is set)" : ` (${names.join(", ")})`}`);
    for (const name of names) vars.set(name, variables[name]!);
  };
  for (const ref of envFileRefs(value)) {
    if (repo === null) {
      if (ref.required) fromVariables(`A pasted stack has no file ${ref.path}`);
      else warn("env_file", `A pasted stack has no file ${ref.path} (optional, skipped)`);
      continue;
    }
    if (ref.format !== undefined) {
      err("env_file", `format: ${String(ref.format)} is not supported (Berth reads .env syntax)`);
      continue;
    }
    const file = repoPath(repo.dir, ref.path);
    if (file === null) {
      err("env_file", `${ref.path} must be a relative path inside the repository (no leading / and not above its root)`);
      continue;
    }
    let text: string | null;
    try {
      text = repo.read(file);
    } catch (e) {
      if (!(e instanceof RepoFileError)) throw e;
      err("env_file", e.message);
      continue;
    }
    if (text === null) {
      if (ref.required) fromVariables(`${file} is not in the repository`);
      else warn("env_file", `${file} does not exist in the repository (optional, skipped)`);
      continue;
    }
    const parsed = parseDotenv(text);
    if ("errors" in parsed) {
      for (const message of parsed.errors) err("env_file", `${file}: ${message}`);
      continue;
    }
    for (const entry of parsed.entries) vars.set(entry.name, entry.value);
  }
  return vars;
}

/** The `.env` next to the compose file: default values for its ${VARIABLES}, as compose reads it. */
export function projectDotenv(repo: ComposeRepo | null): { vars: Record<string, string> } | { error: string } {
  if (repo === null) return { vars: {} };
  const file = repoPath(repo.dir, ".env") ?? ".env";
  let text: string | null;
  try {
    text = repo.read(file);
  } catch (e) {
    if (!(e instanceof RepoFileError)) throw e;
    return { error: e.message };
  }
  if (text === null) return { vars: {} };
  const parsed = parseDotenv(text);
  if ("errors" in parsed) return { error: `${file}: ${parsed.errors.join("; ")}` };
  return { vars: Object.fromEntries(parsed.entries.map((e) => [e.name, e.value])) };
}
