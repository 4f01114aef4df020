import { z } from "zod";
import { gitSourceInput, stageTimeoutsInput } from "./git-source-input.ts";
import { labelsRecord, runtimeFields, runtimeIssues } from "./runtime-settings.ts";
import { ENV_NAME_RULE, isValidEnvName, isValidEnvValue, isValidImageRef, isValidServiceName } from "@berth/engine";

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

export const envVar = z.object({
  key: z.string().trim().refine(isValidEnvName, ENV_NAME_RULE),
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

type SourceFields = { source: "image" | "git"; image?: string | undefined; git?: { auth: string; token?: string | undefined } | undefined };
type Ctx = { addIssue: (issue: { code: "custom"; path: (string | number)[]; message: string }) => void };

/** Image or git source: the fields the chosen source needs. `keepsToken`: an update may leave the token empty to keep it. */
function checkSource(input: SourceFields, ctx: Ctx, keepsToken: boolean): void {
  if (input.source === "image") {
    const parsed = imageRef.safeParse(input.image ?? "");
    if (!parsed.success) ctx.addIssue({ code: "custom", path: ["image"], message: parsed.error.issues[0]?.message ?? "Image is required" });
  } else if (!input.git) {
    ctx.addIssue({ code: "custom", path: ["git", "url"], message: "Enter a repository URL" });
  } else if (input.git.auth === "token" && !input.git.token?.trim() && !keepsToken) {
    ctx.addIssue({ code: "custom", path: ["git", "token"], message: "Enter the access token" });
  }
}

const serviceFields = {
  name: serviceName,
  /** Where the code comes from: a ready image, or a git repository Berth builds. */
  source: z.enum(["image", "git"]).default("image"),
  image: z.string().optional(),
  git: gitSourceInput.optional(),
  ...runtimeFields,
  timeouts: stageTimeoutsInput.optional(),
  /** Queue a deployment right after saving ("Save and deploy"; a new service by default in the UI). */
  deploy: z.boolean().default(false),
};

export const createServiceInput = z
  .object({ projectId: z.string().uuid("Unknown project"), ...serviceFields, env: envList.default([]) })
  .superRefine((input, ctx) => {
    checkSource(input, ctx, false);
    for (const issue of runtimeIssues(input)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .transform((input) => ({ ...input, image: input.image?.trim() ?? "" }));

/** Everything editable after creation; the service's variables, domains and hooks stay as they are. */
export const updateServiceInput = z
  // Labels left out keep the stored ones (the settings form has no label editor; compose sets them).
  .object({ serviceId: z.string().uuid("Unknown service"), ...serviceFields, labels: labelsRecord.optional() })
  .superRefine((input, ctx) => {
    checkSource(input, ctx, true);
    for (const issue of runtimeIssues({ ...input, labels: input.labels ?? {} }))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .transform((input) => ({ ...input, image: input.image?.trim() ?? "" }));
export type UpdateServiceInput = z.infer<typeof updateServiceInput>;
export type CreateServiceInput = z.infer<typeof createServiceInput>;

export const serviceIdInput = z.object({ serviceId: z.string().uuid("Unknown service") });

export function envToRecord(env: { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(env.map((v) => [v.key, v.value]));
}

export function envFromJson(json: unknown): { key: string; value: string }[] {
  if (!json || typeof json !== "object" || Array.isArray(json)) return [];
  return Object.entries(json as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) }));
}
