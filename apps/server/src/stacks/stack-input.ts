import { z } from "zod";
import { envList, serviceName } from "../services/service-input.ts";
import { MAX_COMPOSE_BYTES } from "./parse-compose.ts";

export const createStackInput = z.object({
  projectId: z.string().uuid("Unknown project"),
  /** The stack's name in its project (the same rules as a service name). */
  name: serviceName,
  compose: z
    .string()
    .min(1, "Paste a compose file")
    .refine((text) => Buffer.byteLength(text) <= MAX_COMPOSE_BYTES, `The file is larger than ${MAX_COMPOSE_BYTES / 1024} KiB`),
  /** Values for the file's ${VARIABLES}: stored sealed, since they are often passwords. */
  variables: envList.default([]),
  /** Compose profiles to enable (services with other profiles are left out). */
  profiles: z.array(z.string().trim().min(1, "Enter a profile name").max(64, "At most 64 characters")).max(20, "At most 20 profiles").default([]),
  /** Deploy the stack right after creating it. */
  deploy: z.boolean().default(true),
});
export type CreateStackInput = z.infer<typeof createStackInput>;

export const stackIdInput = z.object({ stackId: z.string().uuid("Unknown stack") });
