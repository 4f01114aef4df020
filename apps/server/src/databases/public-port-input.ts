/**
 * A database's published TCP port (opt-in): the input and the external connection URL. PURE.
 * The use case is public-port.ts; the checks of a host port are services/host-port-claim.ts.
 */
import { z } from "zod";

/** Loopback (this host only, the default) or every interface (reachable from the internet). */
export const BIND_ADDRESSES = ["127.0.0.1", "0.0.0.0"] as const;
export type BindAddress = (typeof BIND_ADDRESSES)[number];

export const MIN_PUBLIC_PORT = 1024;
const rangeMessage = `Choose a port between ${MIN_PUBLIC_PORT} and 65535`;

export const publicPortInput = z
  .object({
    serviceId: z.string().uuid("Unknown service"),
    enabled: z.boolean(),
    hostPort: z.preprocess(
      (v) => (v === "" || v === null ? undefined : v),
      z.coerce
        .number({ message: "The port must be a number" })
        .int("The port must be a whole number")
        .min(MIN_PUBLIC_PORT, rangeMessage)
        .max(65535, rangeMessage)
        .optional(),
    ),
    bindAddress: z.enum(BIND_ADDRESSES, { message: "Choose 127.0.0.1 (this host only) or 0.0.0.0 (all interfaces)" }).default("127.0.0.1"),
  })
  .superRefine((input, ctx) => {
    if (input.enabled && input.hostPort === undefined)
      ctx.addIssue({ code: "custom", path: ["hostPort"], message: `Enter the host port to publish (${MIN_PUBLIC_PORT}-65535)` });
  });
export type PublicPortInput = z.infer<typeof publicPortInput>;

/**
 * The URL a client outside the project uses: the internal URL (which refers to the service's
 * variables, so no password is in it) with the published host and port instead of the service's
 * name and container port. The host is the instance's public host when the port is bound on every
 * interface, else 127.0.0.1.
 */
export function externalUrl(
  internalUrl: string,
  internal: { host: string; port: number },
  published: { hostPort: number; bindAddress: string },
  publicUrl: string,
): string {
  const host = published.bindAddress === "127.0.0.1" ? "127.0.0.1" : new URL(publicUrl).hostname;
  return internalUrl.replace(`@${internal.host}:${internal.port}`, `@${host}:${published.hostPort}`);
}
