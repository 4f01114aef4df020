/**
 * What the instance owner sends to form and tend the cluster. Every bad value is a zod issue at
 * its field (labels at `labels.N.key` / `labels.N.value`). PURE.
 */
import { z } from "zod";
import { parseAddress } from "../net/ip.ts";

const serverId = z.string().uuid("Choose a server");

/** Optional: blank means "the address Berth reaches the server at" (advertise-address.ts). */
const advertiseAddress = z
  .string()
  .trim()
  .max(64)
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v))
  .refine((v) => v === undefined || parseAddress(v) !== null, "Enter an IP address other nodes reach this server at, e.g. 10.0.0.2");

export const createClusterInput = z.object({ serverId, advertiseAddress });
export const joinClusterInput = z.object({ serverId, role: z.enum(["worker", "manager"]).default("worker"), advertiseAddress });
export const nodeAvailabilityInput = z.object({ serverId, availability: z.enum(["active", "drain", "pause"]) });

// Keys as placement constraints name them (node.labels.<key>); Docker's own namespaces are its.
const RESERVED = /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/;
export const labelKey = z
  .string()
  .trim()
  .min(1, "A key is required")
  .max(128, "At most 128 characters")
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, "Letters, digits, dots, dashes and underscores, e.g. zone or disk.ssd")
  .refine((k) => !RESERVED.test(k), "Docker reserves this prefix");
export const labelValue = z
  .string()
  .trim()
  .max(256, "At most 256 characters")
  .regex(/^[A-Za-z0-9._:/@+-]*$/, "Letters, digits and . _ : / @ + - (no spaces or quotes)");

export const nodeLabelsInput = z.object({
  serverId,
  labels: z
    .array(z.object({ key: labelKey, value: labelValue }))
    .max(32, "At most 32 labels")
    .superRefine((labels, ctx) => {
      const seen = new Set<string>();
      labels.forEach((l, i) => {
        if (seen.has(l.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: `${l.key} is already a label of this node` });
        seen.add(l.key);
      });
    }),
});

export type CreateClusterInput = z.infer<typeof createClusterInput>;
export type JoinClusterInput = z.infer<typeof joinClusterInput>;
export type NodeAvailabilityInput = z.infer<typeof nodeAvailabilityInput>;
export type NodeLabelsInput = z.infer<typeof nodeLabelsInput>;
