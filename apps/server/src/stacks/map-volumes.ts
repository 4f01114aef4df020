/**
 * A compose service's `volumes` -> Berth volumes: named ones declared at the file's top level,
 * anonymous ones kept as named (their data survives redeploys), directories beside the file as
 * named volumes (map-relative-mount.ts), host paths only where the instance allows them (the
 * host's clock zone ignored where it does not); tmpfs and the Docker socket refused. PURE.
 */
import { readMount } from "./compose-values.ts";
import { isRelativeSource, relativeMount, volumeNameOf } from "./map-relative-mount.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { MapContext, ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

export function mapVolumes(
  name: string,
  svc: ComposeService,
  raw: ComposeService | undefined,
  ctx: MapContext,
  err: Report,
  warn: Report,
): ServiceFields["volumes"] {
  const volumes: ServiceFields["volumes"] = [];
  const rawVolumes = Array.isArray(raw?.volumes) ? raw.volumes : [];
  (Array.isArray(svc.volumes) ? svc.volumes : []).forEach((entry, i) => {
    const m = readMount(entry);
    const lead = leadingVariable(readMount(rawVolumes[i]).source);
    // `$PWD/data`: the shell's directory, where compose runs -- the compose file's (a path beside it).
    if (lead?.name === "PWD" && (ctx.variables.PWD ?? "") === "") m.source = `.${lead.rest}`;
    else if (lead && (ctx.variables[lead.name] ?? "") === "")
      return err(
        `volumes.${i}`,
        `The mount's source starts with \${${lead.name}}, which is not set: give ${lead.name} a value in the stack's variables (its path would otherwise start at the host's /)`,
      );
    if (m.type === "tmpfs" || m.type === "other")
      return err(`volumes.${i}`, `${m.type === "tmpfs" ? "tmpfs mounts are" : "This mount type is"} not supported`);
    if (m.source === "") return err(`volumes.${i}`, `The mount at ${m.target} has no source (is a variable empty?)`);
    if (m.type === "bind") {
      if (/(^|\/)docker\.sock$/.test(m.source ?? ""))
        return err(`volumes.${i}`, "Refused: mounting the Docker socket gives the container the host");
      if (isRelativeSource(m.source ?? "")) {
        const volume = relativeMount({ ...m, source: m.source ?? "" }, `volumes.${i}`, ctx.repo, err, warn);
        if (volume !== null) volumes.push(volume);
        return;
      }
      if (!ctx.allowBindMounts && HOST_CLOCK.has(m.source ?? ""))
        return warn(
          `volumes.${i}`,
          `Ignored: host paths are off on this instance, so the host's ${m.source} is not mounted (containers keep UTC; set TZ under environment: for a time zone)`,
        );
      if (!ctx.allowBindMounts)
        return err(
          `volumes.${i}`,
          `Mounting the host path ${m.source} is off on this instance (an instance owner can allow host paths in Settings)`,
        );
      if (!m.source?.startsWith("/"))
        return err(`volumes.${i}`, `${m.source} must be an absolute host path (a stack has no home directory on the host)`);
      volumes.push({ name: `${name}-${volumeNameOf(m.target)}`, mountPath: m.target, readOnly: m.readOnly, hostPath: m.source });
      return;
    }
    if (m.source === null) {
      // An anonymous volume: kept as a named one so its data survives redeploys, like compose keeps it.
      const volumeName = `${name}-${volumeNameOf(m.target)}`;
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

/** `$HOME/x` or `${HOME}/x` as written (no default, no other form): the variable and what follows it. */
function leadingVariable(source: string | null): { name: string; rest: string } | null {
  const match = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))(.*)$/.exec(source ?? "");
  return match ? { name: (match[1] ?? match[2])!, rest: match[3]! } : null;
}

/** The host's time zone files, mounted read-only by many files (Immich's, Home Assistant's). */
const HOST_CLOCK = new Set(["/etc/localtime", "/etc/timezone"]);
