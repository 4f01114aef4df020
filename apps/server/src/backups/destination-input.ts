/** What a user sends to set a project's backup destination. PURE. */
import { z } from "zod";

// S3 bucket naming rules (3-63 lower-case letters, digits, dots and hyphens).
const bucket = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "A bucket name has 3-63 lower-case letters, digits, dots or hyphens");

export const destinationInput = z
  .object({
    kind: z.enum(["directory", "s3"], { message: "Choose directory or s3" }),
    directory: z.string().trim().optional(),
    endpoint: z.string().trim().optional(),
    region: z.string().trim().max(64).optional(),
    bucket: z.string().trim().optional(),
    prefix: z
      .string()
      .trim()
      .max(200)
      .regex(/^([A-Za-z0-9._-]+\/)*$/, "A prefix is empty or folder names each ending with / (letters, digits, . _ -)")
      .optional(),
    accessKeyId: z.string().trim().max(256).optional(),
    /** Empty or absent: keep the saved secret key. */
    secretAccessKey: z.string().max(512).optional(),
    forcePathStyle: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof v, message: string) => {
      if (!v[field]) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (v.kind === "directory") return need("directory", "Give a directory");
    need("endpoint", "Give the storage's endpoint URL");
    need("accessKeyId", "Give an access key ID");
    if (v.endpoint) {
      let url: URL | null = null;
      try {
        url = new URL(v.endpoint);
      } catch {
        url = null;
      }
      if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
        ctx.addIssue({
          code: "custom",
          path: ["endpoint"],
          message: "The endpoint is an http(s) URL like https://s3.eu-west-1.amazonaws.com",
        });
      }
    }
    const parsed = bucket.safeParse(v.bucket ?? "");
    if (!parsed.success) ctx.addIssue({ code: "custom", path: ["bucket"], message: parsed.error.issues[0]!.message });
  });
export type DestinationInput = z.infer<typeof destinationInput>;
