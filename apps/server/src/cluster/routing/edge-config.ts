/**
 * The cluster edge's image and port, from the environment: BERTH_CLUSTER_EDGE_IMAGE (caddy:2:
 * any image with `caddy` on PATH) and BERTH_CLUSTER_EDGE_PORT (8480: the host-mode port each
 * node serves the edge on, where the host's edge proxy sends cluster services' requests).
 */
import type { Env } from "../../config/env.ts";

export interface ClusterEdgeConfig {
  image: string;
  port: number;
}

export const DEFAULT_EDGE_CONFIG: ClusterEdgeConfig = { image: "caddy:2", port: 8480 };

export function clusterEdgeConfigOf(env: Pick<Env, "BERTH_CLUSTER_EDGE_IMAGE" | "BERTH_CLUSTER_EDGE_PORT">): ClusterEdgeConfig {
  return {
    image: env.BERTH_CLUSTER_EDGE_IMAGE ?? DEFAULT_EDGE_CONFIG.image,
    port: env.BERTH_CLUSTER_EDGE_PORT ?? DEFAULT_EDGE_CONFIG.port,
  };
}
