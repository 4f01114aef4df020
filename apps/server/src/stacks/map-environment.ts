/**
 * A compose service's `env_file` and `environment` -> its variables, and which of them are
 * stored as secrets. PURE (files are read through ComposeRepo).
 */
import { listOrDict } from "./compose-values.ts";
import { mapEnvFiles } from "./map-repo-keys.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { MapContext, ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

export function mapEnvironment(
  svc: ComposeService,
  raw: ComposeService | undefined,
  ctx: MapContext,
  err: Report,
  warn: Report,
): { env: ServiceFields["env"]; secretEnv: string[] } {
  // env_file first (stored as secrets: such files hold credentials), then environment over it.
  // environment: values from interpolation; `KEY` alone takes the stack's variable of that name.
  const fromFiles = svc.env_file !== undefined ? mapEnvFiles(svc.env_file, ctx.repo, ctx.variables, err, warn) : new Map<string, string>();
  const envMap = new Map(fromFiles);
  const secret = new Set(fromFiles.keys());
  const rawEnv = new Map(listOrDict(raw?.environment));
  for (const [key, value] of listOrDict(svc.environment)) {
    const resolved = value ?? ctx.variables[key];
    if (resolved === undefined) {
      if (!envMap.has(key)) warn(`environment.${key}`, `${key} has no value and no stack variable of that name: left unset`);
      continue;
    }
    envMap.set(key, resolved);
    const rawValue = rawEnv.get(key);
    if (value === null || (rawValue !== null && rawValue !== undefined && /\$(?!\$)/.test(rawValue.replaceAll("$$", "")))) secret.add(key);
    else secret.delete(key);
  }
  return { env: [...envMap].map(([key, value]) => ({ key, value })), secretEnv: [...secret] };
}
