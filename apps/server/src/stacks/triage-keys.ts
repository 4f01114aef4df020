/**
 * The first pass over a compose service's keys: each is mapped later (by map-service.ts), ignored
 * with a warning, refused, or -- for the keys with power over the host -- read into the engine's
 * HostAccess when the instance owner allows it. PURE.
 */
import type { HostAccess } from "@berth/engine";
import type { ComposeService } from "./parse-compose.ts";
import { readHostKey } from "./map-host-access.ts";
import type { Report } from "./stack-issues.ts";

/** Keys that would give the container power over the host: refused unless the instance owner allows host access. */
const DANGEROUS: Record<string, string> = {
  privileged: "gives the container full access to the host",
  cap_add: "adds kernel capabilities to the container",
  devices: "gives the container host devices",
  security_opt: "changes the container's security profile",
};

/** Never, whatever the instance allows: the Docker API is the whole host (and Berth's own engine). */
const NEVER: Record<string, string> = {
  use_api_socket: "Refused: gives the container the Docker API, i.e. the host and Berth's own containers",
  device_cgroup_rules: "Not supported by Berth: list the devices under devices:",
};

/** Unsupported keys whose refusal says why (the rest: "Not supported by Berth"). */
const UNSUPPORTED: Record<string, string> = {
  extra_hosts: "Not supported: Berth does not edit containers' /etc/hosts (services reach each other by name on the project's network)",
  tmpfs: "Not supported: tmpfs mounts (use a volume, or leave the path in the container's own filesystem)",
  read_only: "Not supported: a read-only root filesystem (remove read_only, or set it to false)",
  volumes_from: "Not supported: mount the same named volume instead",
};

/** `no-new-privileges` only takes a power away: without host access it is ignored, not refused. */
const onlyTightens = (value: unknown) =>
  Array.isArray(value) && value.length > 0 && value.every((o) => /^no-new-privileges([:=]true)?$/.test(String(o)));

const HOST_NAMESPACES = ["network_mode", "pid", "ipc", "uts", "userns_mode", "cgroup"] as const;
/** Host namespaces a service may share where allowed (userns and cgroup: never). */
const SHAREABLE: Record<string, NonNullable<HostAccess["hostNamespaces"]>[number]> = {
  network_mode: "network",
  pid: "pid",
  ipc: "ipc",
  uts: "uts",
};

export interface KnownKeys {
  /** Keys map-service.ts maps. */
  mapped: ReadonlySet<string>;
  /** Harmless keys Berth does not apply, with the reason given in the warning. */
  ignored: Readonly<Record<string, string>>;
  /** The instance owner's host-access switch. */
  allowHostAccess: boolean;
}

/** Reports every key that is not mapped; returns the host access the allowed keys grant. */
export function triageKeys(name: string, svc: ComposeService, known: KnownKeys, err: Report, warn: Report): HostAccess {
  const hostAccess: HostAccess = {};
  const hostKeys: string[] = [];
  const refuseHost = (key: string, what: string) =>
    err(
      key,
      `Refused: services.${name}.${key} ${what}. Only the instance owner can allow keys with power over the host (Settings, "Host access for compose stacks")`,
    );
  for (const key of Object.keys(svc)) {
    if (known.mapped.has(key) || key.startsWith("x-")) continue;
    if (key in known.ignored) warn(key, `Ignored: ${known.ignored[key]}`);
    else if (key in NEVER) err(key, NEVER[key]!);
    else if (
      key in DANGEROUS &&
      (svc[key] === false || svc[key] === "false" || (Array.isArray(svc[key]) && (svc[key] as unknown[]).length === 0))
    )
      warn(key, "Ignored: it grants nothing");
    else if (key === "read_only" && (svc[key] === false || svc[key] === "false")) warn(key, "Ignored: it changes nothing");
    else if (key === "security_opt" && !known.allowHostAccess && onlyTightens(svc[key]))
      warn(
        key,
        "Ignored: no-new-privileges is not applied (Berth applies security options only where the instance owner allows host access)",
      );
    else if (key in DANGEROUS) {
      if (!known.allowHostAccess) refuseHost(key, DANGEROUS[key]!);
      else if (readHostKey(key, svc[key], hostAccess, (message) => err(key, message))) hostKeys.push(key);
    } else if ((HOST_NAMESPACES as readonly string[]).includes(key)) {
      const value = String(svc[key]);
      const shared = SHAREABLE[key];
      if (value !== "host" || shared === undefined)
        err(
          key,
          value === "host"
            ? `Not supported by Berth: ${key}: host`
            : "Not supported by Berth: every service of a stack runs on the project's network in its own namespaces",
        );
      else if (!known.allowHostAccess) refuseHost(key, "shares the host's namespace with the container");
      else {
        hostAccess.hostNamespaces = [...(hostAccess.hostNamespaces ?? []), shared];
        hostKeys.push(key);
      }
    } else err(key, UNSUPPORTED[key] ?? "Not supported by Berth");
  }
  if (hostKeys.length > 0)
    warn(
      hostKeys[0]!,
      `Allowed by the instance owner: ${hostKeys.join(", ")} give${hostKeys.length === 1 ? "s" : ""} this service power over the host`,
    );
  return hostAccess;
}
