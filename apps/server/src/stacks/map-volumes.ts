/**
 * A compose service's `volumes` -> Berth volumes: named ones declared at the file's top level,
 * anonymous ones kept as named (their data survives redeploys), host paths only where the
 * instance allows them; tmpfs and the Docker socket refused. PURE.
 */
import { readMount } from "./compose-values.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { MapContext, ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

export function mapVolumes(name: string, svc: ComposeService, ctx: MapContext, err: Report, warn: Report): ServiceFields["volumes"] {
  const volumes: ServiceFields["volumes"] = [];
  (Array.isArray(svc.volumes) ? svc.volumes : []).forEach((entry, i) => {
    const m = readMount(entry);
    if (m.type === "tmpfs" || m.type === "other")
      return err(`volumes.${i}`, `${m.type === "tmpfs" ? "tmpfs mounts are" : "This mount type is"} not supported`);
    if (m.source === "") return err(`volumes.${i}`, `The mount at ${m.target} has no source (is a variable empty?)`);
    if (m.type === "bind") {
      if (/(^|\/)docker\.sock$/.test(m.source ?? ""))
        return err(`volumes.${i}`, "Refused: mounting the Docker socket gives the container the host");
      if (!ctx.allowBindMounts)
        return err(
          `volumes.${i}`,
          `Mounting the host path ${m.source} is off on this instance (an instance owner can allow host paths in Settings)`,
        );
      if (!m.source?.startsWith("/"))
        return err(`volumes.${i}`, `A pasted stack has no directory: ${m.source} must be an absolute host path`);
      volumes.push({ name: `${name}-${slug(m.target)}`, mountPath: m.target, readOnly: m.readOnly, hostPath: m.source });
      return;
    }
    if (m.source === null) {
      // An anonymous volume: kept as a named one so its data survives redeploys, like compose keeps it.
      const volumeName = `${name}-${slug(m.target)}`;
      warn(`volumes.${i}`, `Anonymous volume at ${m.target} becomes the named volume ${volumeName}`);
      volumes.push({ name: volumeName, mountPath: m.target, readOnly: m.readOnly });
      return;
    }
    if (!(m.source in ctx.volumes))
      return err(`volumes.${i}`, `The volume ${m.source} is not declared under the file's top-level volumes:`);
    volumes.push({ name: m.source, mountPath: m.target, readOnly: m.readOnly });
  });
  return volumes;
}

/** "/var/lib/postgresql/data" -> "var-lib-postgresql-data" (a volume name part). */
function slug(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "data"
  );
}
