/**
 * The order a stack deploys in: every service after the services it depends on, otherwise in
 * file order. A cycle is reported with its path. PURE.
 */
export function dependencyOrder(
  services: readonly { name: string; dependsOn: readonly { service: string }[] }[],
): { order: string[] } | { cycle: string[] } {
  const byName = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    const seen = state.get(name);
    if (seen === "done") return null;
    if (seen === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dep.service)) continue;
      const cycle = visit(dep.service);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    order.push(name);
    return null;
  };
  for (const s of services) {
    const cycle = visit(s.name);
    if (cycle) return { cycle };
  }
  return { order };
}
