import { createHash } from "node:crypto";
import { lstatSync } from "node:fs";
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import dockerignore from "@balena/dockerignore";
import { pack, type Pack } from "tar-fs";

const MAX_CONTEXT_BYTES = 500 * 1024 * 1024;
const MAX_DOCKERFILE_BYTES = 1024 * 1024;

/** A build context refused before anything is read: names the service field at fault. */
export class ContextPathError extends Error {
  constructor(
    readonly field: "contextPath" | "dockerfilePath",
    message: string,
  ) {
    super(message);
  }
}

export interface BuildContext {
  /** The tar stream of the context (read it once; destroy it if the build ends early). */
  tar: Readable;
  /** The Dockerfile's path inside the context (symlinks resolved). */
  dockerfile: string;
}

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/** The real path of `relative` under `checkout`, refused (naming `field`) when it resolves outside it. */
async function realInside(checkout: string, relative: string, field: ContextPathError["field"]): Promise<string> {
  let real: string;
  try {
    real = await realpath(path.resolve(checkout, relative));
  } catch {
    throw new ContextPathError(field, `${field} ${relative} does not exist in the repository`);
  }
  if (!inside(checkout, real))
    throw new ContextPathError(field, `${field} ${relative} resolves outside the repository (through a symbolic link or ..): refused`);
  return real;
}

/** `.dockerignore` of the context, as Docker reads it (missing: nothing ignored). */
async function ignoreRules(context: string): Promise<string[]> {
  try {
    return (await readFile(path.join(context, ".dockerignore"), "utf8")).split(/\r?\n/);
  } catch {
    return [];
  }
}

/** Fails the stream once more than `max` bytes went through it (the context is never held whole). */
function sizeLimit(max: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > max) return done(new Error(`The build context is larger than ${max / 1024 / 1024} MB`));
      done(null, chunk);
    },
  });
}

/**
 * The build context of a checked-out repository as a tar stream for the engine. The context
 * directory and the Dockerfile are resolved to their real paths and refused when they lie
 * outside the checkout (a repository's `cfg -> /etc` or `home -> ..` must not pack host files).
 * Inside, symbolic links are packed as links and never followed (the engine keeps them inside
 * the context), `.git` is skipped, `.dockerignore` is honoured (the Dockerfile and
 * `.dockerignore` are always sent, as Docker does), long paths use PAX headers, and owners are
 * root (as `docker build` sends them).
 */
export async function packContext(
  checkout: string,
  contextPath: string,
  dockerfilePath: string,
  options: { rewriteDockerfile?: (text: string) => string } = {},
): Promise<BuildContext> {
  const root = await realpath(checkout);
  const context = await realInside(root, contextPath, "contextPath");
  const dockerfileReal = await realInside(root, dockerfilePath, "dockerfilePath");
  if (!inside(context, dockerfileReal) || dockerfileReal === context) {
    throw new ContextPathError("dockerfilePath", `dockerfilePath ${dockerfilePath} is not inside the build context ${contextPath}`);
  }
  const dockerfile = path.relative(context, dockerfileReal).split(path.sep).join("/");
  // A rewritten Dockerfile travels as an extra entry of the context; the build uses it.
  let rewritten: { name: string; text: string } | null = null;
  if (options.rewriteDockerfile) {
    const original = await readFile(dockerfileReal);
    if (original.length > MAX_DOCKERFILE_BYTES)
      throw new ContextPathError("dockerfilePath", `dockerfilePath ${dockerfilePath} is larger than 1 MB`);
    const text = options.rewriteDockerfile(original.toString("utf8"));
    // Named after its content and dated 1970: an unchanged Dockerfile gives the same context
    // entry, so a rebuild stays in the builder's cache.
    rewritten = { name: `.berth-dockerfile-${createHash("sha256").update(text).digest("hex").slice(0, 12)}`, text };
  }
  const lines = await ignoreRules(context);
  const rules = dockerignore({ ignorecase: false }).add(lines);
  const alwaysSent = new Set([dockerfile, ".dockerignore"]);
  // With an exception rule (`!x`) an ignored directory may still hold kept files: walk into it.
  const hasExceptions = lines.some((line) => line.trim().startsWith("!"));

  const tar = pack(context, {
    sort: true,
    dereference: false,
    ignore: (absolute) => {
      const rel = path.relative(context, absolute).split(path.sep).join("/");
      if (rel === ".git") return true;
      if (alwaysSent.has(rel) || !rules.ignores(rel)) return false;
      return !hasExceptions || !isDirectorySync(absolute);
    },
    map: (header) => ({ ...header, uid: 0, gid: 0, uname: "", gname: "" }) as typeof header,
    finalize: rewritten === null,
    finish: (stream: Pack) => {
      if (rewritten === null) return;
      stream.entry({ name: rewritten.name, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) }, rewritten.text);
      stream.finalize();
    },
  } as Parameters<typeof pack>[1]);
  const limited = sizeLimit(MAX_CONTEXT_BYTES);
  tar.on("error", (err: Error) => limited.destroy(err));
  limited.on("close", () => tar.destroy());
  return { tar: tar.pipe(limited), dockerfile: rewritten?.name ?? dockerfile };
}

function isDirectorySync(absolute: string): boolean {
  try {
    return lstatSync(absolute).isDirectory();
  } catch {
    return false;
  }
}
