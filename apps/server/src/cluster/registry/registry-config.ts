/**
 * What the cluster registry runs and where nodes reach it, from the environment:
 * BERTH_REGISTRY_IMAGE (registry:2), BERTH_REGISTRY_FORWARDER_IMAGE (alpine/socat: any image
 * with socat on PATH), BERTH_REGISTRY_PORT (5000: 127.0.0.1:<port> on every node; fixed when the
 * registry is first made, kept in the cluster row), BERTH_REGISTRY_ENCRYPTED (off: an encrypted
 * overlay needs the kernel's IPsec ESP, which some kernels lack).
 */
import type { Env } from "../../config/env.ts";

export interface ClusterRegistryConfig {
  image: string;
  forwarderImage: string;
  port: number;
  encrypted: boolean;
}

export const DEFAULT_REGISTRY_CONFIG: ClusterRegistryConfig = {
  image: "registry:2",
  forwarderImage: "alpine/socat",
  port: 5000,
  encrypted: false,
};

export function registryConfigOf(
  env: Pick<Env, "BERTH_REGISTRY_IMAGE" | "BERTH_REGISTRY_FORWARDER_IMAGE" | "BERTH_REGISTRY_PORT" | "BERTH_REGISTRY_ENCRYPTED">,
): ClusterRegistryConfig {
  return {
    image: env.BERTH_REGISTRY_IMAGE ?? DEFAULT_REGISTRY_CONFIG.image,
    forwarderImage: env.BERTH_REGISTRY_FORWARDER_IMAGE ?? DEFAULT_REGISTRY_CONFIG.forwarderImage,
    port: env.BERTH_REGISTRY_PORT ?? DEFAULT_REGISTRY_CONFIG.port,
    encrypted: (env.BERTH_REGISTRY_ENCRYPTED ?? "off") === "on",
  };
}
