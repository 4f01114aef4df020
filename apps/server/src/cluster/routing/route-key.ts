import { createHmac } from "node:crypto";

/**
 * The key of a cluster service's route on the cluster edge (engine swarm/edge-spec.ts): an HMAC
 * of the service id under BERTH_SECRET, in hex. The host's edge proxy sets it on the requests of
 * the service's own domains (replacing whatever a client sent); the edge serves a service only to
 * a request that carries its key. Nobody without BERTH_SECRET can make one, and one key opens
 * one service. Stable across restarts, so the configs do not change. PURE.
 */
export function clusterRouteKey(secret: string, serviceId: string): string {
  return createHmac("sha256", secret).update(`berth-cluster-route:v1:${serviceId}`).digest("hex");
}
