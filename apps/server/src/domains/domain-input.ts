import { z } from "zod";
import { BASIC_AUTH_USER } from "./hostname.ts";

const basicAuth = z.object({
  // Strict: the name reaches Caddy's config, where `{...}` would be a placeholder.
  user: z.string().trim().min(1, "Enter a user name").max(64).regex(BASIC_AUTH_USER, "Use letters, digits and . _ @ + - only"),
  password: z.string().min(8, "Use at least 8 characters").max(72, "At most 72 characters (bcrypt)"),
});

const ids = { serviceId: z.string().uuid("Unknown service"), domainId: z.string().uuid("Unknown domain") };

export const addDomainInput = z.object({
  serviceId: ids.serviceId,
  hostname: z.string().max(300),
  pathPrefix: z.string().max(200).optional(),
  redirectTwin: z.boolean().optional(),
  basicAuth: basicAuth.optional(),
  ipAllowList: z.array(z.string().max(64)).max(100).optional(),
});
export type AddDomainInput = z.infer<typeof addDomainInput>;

export const updateDomainInput = z.object({
  ...ids,
  redirectTwin: z.boolean().optional(),
  /** null removes basic auth. */
  basicAuth: basicAuth.nullable().optional(),
  ipAllowList: z.array(z.string().max(64)).max(100).optional(),
});
export type UpdateDomainInput = z.infer<typeof updateDomainInput>;

export const certificateInput = z.object({
  ...ids,
  /** null removes the custom certificate (the proxy issues one again). */
  certificate: z
    .object({
      certPem: z.string().min(1, "Paste the certificate").max(100_000),
      keyPem: z.string().min(1, "Paste the private key").max(100_000),
    })
    .nullable(),
});
export type CertificateInput = z.infer<typeof certificateInput>;

export const domainRefInput = z.object(ids);
