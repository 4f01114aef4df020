import { z } from "zod";
import { gitSourceInput, stageTimeoutsInput } from "./git-source-input.ts";
import { isValidEnvName, isValidEnvValue, isValidImageRef, isValidServiceName } from "@berth/engine";

/** Input schemas for service use cases; every message is written for the person at the form. */
export const serviceName = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(40, "Name must be at most 40 characters")
  .refine(isValidServiceName, "Use lowercase letters, digits and dashes; start and end with a letter or digit");

export const imageRef = z
  .string()
  .trim()
  .min(1, "Image is required")
  .max(255, "Image reference is too long")
  .refine(isValidImageRef, "Not a valid image reference (e.g. nginx:1.27 or registry.example.com/team/app:tag)");

/** An empty or missing port is "required", not "out of range". */
export const containerPort = z.preprocess(
  (v) => (v === "" || v === null || v === undefined ? undefined : typeof v === "string" ? Number(v.trim()) : v),
  z
    .number({ error: (issue) => (issue.input === undefined ? "Port is required" : "Port must be a number") })
    .int("Port must be a whole number")
    .min(1, "Port must be between 1 and 65535")
    .max(65535, "Port must be between 1 and 65535"),
);

export const envVar = z.object({
  key: z.string().trim().refine(isValidEnvName, "Use letters, digits and _ and do not start with a digit"),
  value: z.string().max(32_768, "Value is too long").refine(isValidEnvValue, "Value must not contain NUL characters"),
});

export const envList = z
  .array(envVar)
  .max(200, "At most 200 environment variables")
  .superRefine((vars, ctx) => {
    const seen = new Set<string>();
    vars.forEach((v, index) => {
      if (seen.has(v.key)) {
        ctx.addIssue({ code: "custom", path: [index, "key"], message: `${v.key} is set twice` });
      }
      seen.add(v.key);
    });
  });

export const createServiceInput = z
  .object({
    projectId: z.string().uuid("Unknown project"),
    name: serviceName,
    /** Where the code comes from: a ready image, or a git repository Berth builds. */
    source: z.enum(["image", "git"]).default("image"),
    image: z.string().optional(),
    git: gitSourceInput.optional(),
    containerPort,
    env: envList.default([]),
    timeouts: stageTimeoutsInput.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.source === "image") {
      const parsed = imageRef.safeParse(input.image ?? "");
      if (!parsed.success) ctx.addIssue({ code: "custom", path: ["image"], message: parsed.error.issues[0]?.message ?? "Image is required" });
    } else if (!input.git) {
      ctx.addIssue({ code: "custom", path: ["git", "url"], message: "Enter a repository URL" });
    } else if (input.git.auth === "token" && !input.git.token?.trim()) {
      ctx.addIssue({ code: "custom", path: ["git", "token"], message: "Enter the access token" });
    }
  })
  .transform((input) => ({ ...input, image: input.image?.trim() ?? "" }));
export type CreateServiceInput = z.infer<typeof createServiceInput>;

export const serviceIdInput = z.object({ serviceId: z.string().uuid("Unknown service") });

export function envToRecord(env: { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(env.map((v) => [v.key, v.value]));
}

export function envFromJson(json: unknown): { key: string; value: string }[] {
  if (!json || typeof json !== "object" || Array.isArray(json)) return [];
  return Object.entries(json as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) }));
}
