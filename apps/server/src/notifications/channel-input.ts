import { z } from "zod";
import { looksLikeAddress, parseAddress } from "../net/ip.ts";
import { addressProblem } from "../net/outbound.ts";

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
    if (!input.onSuccess && !input.onFailure)
      ctx.addIssue({ code: "custom", path: ["onFailure"], message: "Notify on success, on failure, or both" });
  });
export type CreateChannelInput = z.infer<typeof createChannelInput>;

export const channelIdInput = z.object({ channelId: z.string().uuid("Unknown channel") });

/**
 * Where a notification may be sent, judged on the URL alone: https (plain http only when the
 * instance allows local sources), no credentials, and a literal address must be public
 * (ipaddr.js: loopback, private, link-local, unique-local, unspecified and IPv4-mapped forms are
 * refused). Names are resolved and checked when the channel is saved and at every send
 * (`net/outbound.ts`). PURE.
 */
export function checkNotificationUrl(raw: string, allowLocal: boolean): string | null {
  const url = new URL(raw);
  if (url.username || url.password) return "Credentials in the URL are not allowed";
  if (allowLocal) return null;
  if (url.protocol !== "https:") return "Use an https:// URL";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const local =
    host === "localhost" ||
    host.endsWith(".localhost") ||
    (looksLikeAddress(host) && (parseAddress(host) === null || addressProblem(host) !== null));
  if (local) return "Local and private addresses are refused (an instance owner can allow local sources)";
  return null;
}
