/**
 * What a service's Dockerfile may do on a shared builder, enforced by rewriting or refusing it
 * before the build (PURE; dockerfile-ast parses it). One dockerd has one BuildKit, whose cache
 * mounts (`RUN --mount=type=cache`) are global: their `id` (default: the target path) is all that
 * tells two apart. So every cache mount gets `id=berth-<teamId>/<the id it asked for>`: a team's
 * services share their caches, and no team reaches another's. A `# syntax=` directive is
 * refused (a custom frontend could build any mount it likes), and so is naming an image Berth
 * built for another service (`FROM` / `--from` of berth-build/ or berth-release/).
 */
import { DockerfileParser, type Flag } from "dockerfile-ast";

export class DockerfilePolicyError extends Error {}

export interface DockerfileScope {
  teamId: string;
  serviceId: string;
}

const BERTH_IMAGE = /^(?:docker\.io\/)?(berth-build|berth-release)\/([^:@/\s]+)/i;

function offsetOf(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset = text.indexOf("\n", offset) + 1;
  return offset + position.character;
}

function assertOwnImage(ref: string, scope: DockerfileScope, where: string): void {
  const m = BERTH_IMAGE.exec(ref.trim());
  if (m && m[2] !== scope.serviceId)
    throw new DockerfilePolicyError(`${where} names ${ref.trim()}, an image Berth built for another service: refused`);
}

/** The cache id a mount asked for: its `id`, else its target (BuildKit's default). */
function requestedId(options: Map<string, string>): string {
  return options.get("id") ?? options.get("target") ?? options.get("dst") ?? options.get("destination") ?? "";
}

/** The Dockerfile with every cache mount scoped to the team; throws DockerfilePolicyError. */
export function applyDockerfilePolicy(text: string, scope: DockerfileScope): { text: string; cacheMounts: number } {
  const dockerfile = DockerfileParser.parse(text);
  const syntax = dockerfile.getDirectives().find((d) => d.getName().toLowerCase() === "syntax");
  if (syntax)
    throw new DockerfilePolicyError("A # syntax= directive is not allowed: Berth builds with the engine's own Dockerfile frontend");
  const edits: { start: number; end: number; value: string }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === "FROM") assertOwnImage(instruction.getArguments()[0]?.getValue() ?? "", scope, "FROM");
    const flags: Flag[] = "getFlags" in instruction && typeof instruction.getFlags === "function" ? (instruction.getFlags() as Flag[]) : [];
    for (const flag of flags) {
      if (flag.getName() === "from") assertOwnImage(flag.getValue() ?? "", scope, `${keyword} --from`);
      if (flag.getName() !== "mount") continue;
      // Quoted or continued options could hide a cache mount from this reading: refused.
      if (/["'\n\\]/.test(flag.getValue() ?? ""))
        throw new DockerfilePolicyError(`Write ${keyword} --mount options unquoted on one line (name=value,...)`);
      const options = new Map<string, string>(flag.getOptions().map((o) => [o.getName().toLowerCase(), o.getValue() ?? ""] as const));
      if (options.has("from")) assertOwnImage(options.get("from") ?? "", scope, `${keyword} --mount from`);
      if ((options.get("type") ?? "bind").toLowerCase() !== "cache") continue;
      const range = flag.getValueRange();
      if (range === null) throw new DockerfilePolicyError(`${keyword} --mount=type=cache has no options`);
      const scoped = new Map(options);
      scoped.set("id", `berth-${scope.teamId}/${requestedId(options)}`);
      edits.push({
        start: offsetOf(text, range.start),
        end: offsetOf(text, range.end),
        value: [...scoped].map(([k, v]) => `${k}=${v}`).join(","),
      });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.value + out.slice(edit.end);
  return { text: out, cacheMounts: edits.length };
}

/** Build args the frontend itself reads (BUILDKIT_SYNTAX picks a frontend image): never from a service. */
export function isReservedBuildArg(name: string): boolean {
  return /^BUILDKIT_SYNTAX$/i.test(name);
}
