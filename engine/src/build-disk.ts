/**
 * What a BuildKit build writes while its RUN steps run. Neither the engine's `/system/df` nor
 * BuildKit's disk usage can say: BuildKit reports size 0 for a mutable record in use ("size can
 * not be determined because it is changing"), and overlay2 on a filesystem without project
 * quotas has no per-layer limit. What can be read, on the engine's own host: each running step
 * is a runc bundle `<data root>/buildkit/executor/<id>` whose `rootfs` is an overlay mount
 * (visible in /proc/self/mountinfo, with its `upperdir`: exactly the step's writes) and whose
 * `config.json` holds the step's command. A build recognises its own steps by their command
 * (the `RUN ...` its progress announced), and the bytes allocated in the upper directory
 * are what the step has written so far.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface RunningBuildStep {
  /** The runc bundle id (one per RUN execution). */
  id: string;
  /** The step's process arguments, e.g. ["/bin/sh", "-c", "make"]. */
  args: string[];
  /** Its writable layer: everything the step wrote. */
  upperDir: string;
}

/** The overlay mounts of running build steps under `executorRoot`, from mountinfo text. PURE. */
export function buildStepMounts(mountinfo: string, executorRoot: string): { id: string; upperDir: string }[] {
  const steps: { id: string; upperDir: string }[] = [];
  for (const line of mountinfo.split("\n")) {
    const [before, after] = line.split(" - ");
    const mountPoint = before?.split(" ")[4];
    if (!mountPoint || after === undefined) continue;
    const rel = path.relative(executorRoot, mountPoint).split(path.sep);
    if (rel.length !== 2 || rel[1] !== "rootfs" || rel[0]!.startsWith("..")) continue;
    const [fsType, , options = ""] = after.split(" ");
    const upper = /(?:^|,)upperdir=([^,]+)/.exec(options)?.[1];
    if (fsType === "overlay" && upper) steps.push({ id: rel[0]!, upperDir: upper });
  }
  return steps;
}

/**
 * The command of a RUN line's text as the engine describes the step ("... exec <command>"): its
 * flags (`--mount=...`, `--network=...`) left out, an exec form's arguments joined by spaces. PURE.
 */
export function commandOf(runText: string): string {
  const command = withoutFlags(runText);
  const exec = execFormOf(command);
  return exec ? exec.join(" ") : command;
}

const withoutFlags = (runText: string) => runText.replace(/^(?:--\S+\s+)*/, "");

function execFormOf(command: string): string[] | null {
  if (!command.startsWith("[")) return null;
  try {
    const parsed: unknown = JSON.parse(command);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === "string") ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Whether a running step's arguments are the command a `RUN` line announced (the text after
 * `RUN`, flags such as `--mount=...` included): shell form runs `[shell, -c, command]`, exec
 * form `RUN ["a", "b"]` runs exactly those arguments. PURE.
 */
export function isStepOf(args: string[], runText: string): boolean {
  const command = withoutFlags(runText);
  const exec = execFormOf(command);
  if (exec) return exec.length === args.length && exec.every((a, i) => a === args[i]);
  return args.length >= 3 && args.at(-2) === "-c" && args.at(-1) === command;
}

/** The RUN steps running now on this host's engine (data root `dataRoot`). */
export async function runningBuildSteps(dataRoot: string): Promise<RunningBuildStep[]> {
  const executorRoot = path.join(dataRoot, "buildkit", "executor");
  const mounts = buildStepMounts(await readFile("/proc/self/mountinfo", "utf8"), executorRoot);
  const steps: RunningBuildStep[] = [];
  for (const m of mounts) {
    try {
      const config = JSON.parse(await readFile(path.join(executorRoot, m.id, "config.json"), "utf8")) as { process?: { args?: unknown } };
      const args = config.process?.args;
      if (Array.isArray(args) && args.every((a) => typeof a === "string")) steps.push({ ...m, args });
    } catch {
      // The step ended between the two reads.
    }
  }
  return steps;
}

/** Bytes allocated on disk under `dir` (what it takes from the filesystem; sparse holes are free). */
export async function allocatedBytes(dir: string): Promise<number> {
  try {
    // du (argv, no shell): one process walks the tree far faster than stat calls from here.
    const { stdout } = await run("du", ["-s", "-x", "-B1", dir], { maxBuffer: 1 << 20 });
    return Number(stdout.split("\t")[0]) || 0;
  } catch (err) {
    // A step that ends while du walks it: what was counted still counts.
    const out = (err as { stdout?: string }).stdout ?? "";
    return Number(out.split("\t")[0]) || 0;
  }
}
