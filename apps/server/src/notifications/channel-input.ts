import { z } from "zod";

export const createChannelInput = z
  .object({
    kind: z.enum(["webhook", "slack", "discord", "email"]),
    name: z.string().trim().min(1, "Name is required").max(60, "At most 60 characters"),
    target: z.string().trim().min(1, "Required").max(2048, "Too long"),
    onSuccess: z.boolean().default(true),
    onFailure: z.boolean().default(true),
  })
  .superRefine((input, ctx) => {
    if (input.kind === "email") {
      if (!z.email().safeParse(input.target).success) ctx.addIssue({ code: "custom", path: ["target"], message: "Enter an email address" });
    } else if (!/^https?:\/\//i.test(input.target) || !URL.canParse(input.target)) {
      ctx.addIssue({ code: "custom", path: ["target"], message: "Enter the incoming webhook URL (https://…)" });
    }
    if (!input.onSuccess && !input.onFailure) ctx.addIssue({ code: "custom", path: ["onFailure"], message: "Notify on success, on failure, or both" });
  });
export type CreateChannelInput = z.infer<typeof createChannelInput>;

export const channelIdInput = z.object({ channelId: z.string().uuid("Unknown channel") });

const PRIVATE_V4 = [/^127\./, /^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./, /^0\./];

/**
 * Where a notification may be sent: https to a public host; plain http and loopback or
 * private addresses only when the instance allows local sources (tests, single-box setups),
 * so a project member cannot aim Berth's requests at its own network. PURE.
 */
export function checkNotificationUrl(raw: string, allowLocal: boolean): string | null {
  const url = new URL(raw);
  if (url.username || url.password) return "Credentials in the URL are not allowed";
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const local = host === "localhost" || host.endsWith(".localhost") || host === "::1" || host.startsWith("fc") || host.startsWith("fd") || host.startsWith("fe80") || PRIVATE_V4.some((r) => r.test(host));
  if (allowLocal) return null;
  if (url.protocol !== "https:") return "Use an https:// URL";
  if (local) return "Local and private addresses are refused (an instance owner can allow local sources)";
  return null;
}
