/**
 * The compose keys with power over the host (privileged, cap_add, devices, security_opt), read
 * into the engine's HostAccess once the instance owner allowed them. The schema already checked
 * their JSON types; this checks what the engine would refuse, at the key. PURE.
 */
import { type HostAccess, isCapabilityName, isCleanAbsolutePath, isDevicePermissions } from "@berth/engine";

/** Adds the key's value to `access`; false (with `fail` called) when it cannot be applied. */
export function readHostKey(key: string, value: unknown, access: HostAccess, fail: (message: string) => void): boolean {
  const strings = Array.isArray(value) ? value.map(String) : [];
  switch (key) {
    case "privileged":
      // map-service.ts ignores `privileged: false` before it gets here.
      access.privileged = true;
      return true;
    case "cap_add": {
      const bad = strings.find((c) => !isCapabilityName(c.toUpperCase()));
      if (bad !== undefined) return (fail(`"${bad}" is not a kernel capability name (e.g. NET_ADMIN)`), false);
      access.capAdd = strings.map((c) => c.toUpperCase());
      return true;
    }
    case "security_opt":
      access.securityOpt = strings;
      return true;
    case "devices": {
      const devices = (Array.isArray(value) ? value : []).map(readDevice);
      const bad = devices.findIndex((d) => d === null);
      if (bad !== -1)
        return (
          fail(`devices.${bad}: give HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]] with absolute paths and permissions of r, w, m`),
          false
        );
      access.devices = devices as NonNullable<HostAccess["devices"]>;
      return true;
    }
    default:
      return (fail("Not supported by Berth"), false);
  }
}

function readDevice(entry: unknown): { hostPath: string; containerPath: string; permissions: string } | null {
  let parts: (string | undefined)[];
  if (typeof entry === "string") parts = entry.split(":");
  else if (entry && typeof entry === "object") {
    const o = entry as { source?: string; target?: string; permissions?: string };
    parts = [o.source, o.target, o.permissions];
  } else return null;
  if (parts.length > 3) return null;
  const hostPath = parts[0] ?? "";
  const containerPath = parts[1] || hostPath;
  const permissions = parts[2] || "rwm";
  if (!isCleanAbsolutePath(hostPath) || !isCleanAbsolutePath(containerPath) || !isDevicePermissions(permissions)) return null;
  return { hostPath, containerPath, permissions };
}
