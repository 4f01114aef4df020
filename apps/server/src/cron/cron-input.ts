import { z } from "zod";
import { timeoutS } from "../one-offs/one-off-input.ts";
import { cronExpression } from "../schedules/cron-expression.ts";

/** A cron job as the form sends it; every problem is reported at its field. */
export const cronJobInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(63, "At most 63 characters"),
  schedule: cronExpression,
  command: z
    .string()
    .trim()
    .min(1, "Type the command to run")
    .max(16_384, "The command is too long")
    .refine((c) => !c.includes("\0"), "The command cannot contain NUL characters"),
  timeoutS: timeoutS.default(3600),
  enabled: z.boolean().default(true),
});
export type CronJobInput = z.infer<typeof cronJobInput>;
