import type { ProxyRoute } from "./caddy-config.ts";

/**
 * The upstreams no healthy release listens on: the empty half of each replica slot's pair, a
 * new release still starting (not yet health-checked) and an old one after its hand-over. The
 * watcher marks them every tick so Caddy never chooses them: a refused dial would be retried,
 * but Caddy 2.6 re-sends a retried request's body empty (a POST would fail), and a release that
 * listens before it is healthy must not get requests. Routes whose serving ports are unknown
 * (released before Berth recorded them) keep every upstream in rotation. PURE.
 */
export function idleUpstreams(routes: ProxyRoute[]): string[] {
  const idle = new Set<string>();
  for (const route of routes) {
    if (!route.serving || route.serving.length === 0) continue;
    for (const address of route.upstreams) if (!route.serving.includes(address)) idle.add(address);
  }
  return [...idle].sort();
}
