/**
 * A compose service's `depends_on` (list or map form) -> the services of the stack it waits
 * for, and for what (started, healthy, completed successfully). PURE.
 */
import type { ComposeService } from "./parse-compose.ts";
import type { DependencyCondition, MapContext, StackDependency } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

export function mapDependsOn(name: string, svc: ComposeService, ctx: MapContext, err: Report, warn: Report): StackDependency[] {
  const dependsOn: StackDependency[] = [];
  const deps = svc.depends_on;
  const entries: [string, { condition?: string; required?: boolean }][] = Array.isArray(deps)
    ? deps.map((d) => [String(d), { condition: "service_started" }])
    : deps && typeof deps === "object"
      ? Object.entries(deps as Record<string, { condition?: string; required?: boolean }>)
      : [];
  for (const [dep, opts] of entries) {
    if (dep === name) {
      err("depends_on", `${name} cannot depend on itself`);
      continue;
    }
    if (!ctx.serviceNames.has(dep)) {
      if (opts.required === false) warn("depends_on", `${dep} is not part of the stack (optional dependency, left out)`);
      else
        err(
          "depends_on",
          ctx.skippedByProfile.has(dep) ? `${dep} is left out by its profile: enable the profile` : `${dep} is not a service of this stack`,
        );
      continue;
    }
    // service_completed_successfully makes `dep` a job (import-compose.ts marks it): this one waits for its exit 0.
    // By its Berth name (compose-names.ts): the stack's services are created and ordered by it.
    const berth = ctx.berthNames.get(dep)?.berth ?? dep;
    dependsOn.push({ service: berth, condition: (opts.condition ?? "service_started") as DependencyCondition });
  }
  return dependsOn;
}
