import { z } from "zod";

export const MAX_TIMEOUT_S = 24 * 3600;

export const timeoutS = z.coerce
  .number({ message: "The timeout must be a number of seconds" })
  .int("Whole seconds")
  .min(1, "At least 1 s")
  .max(MAX_TIMEOUT_S, `At most ${MAX_TIMEOUT_S} s (a day)`);

/**
 * A one-off's command: `argv` (run as given, no shell) or `shell` (one line for the image's
 * `sh -c`: the user's own command is the point; it is passed as one argument, never spliced).
 */
export const oneOffInput = z
  .object({
    argv: z
      .array(z.string().max(4096, "An argument is too long"))
      .min(1, "Give at least the program to run")
      .max(256, "At most 256 arguments")
      .optional(),
    shell: z.string().trim().max(16_384, "The command is too long").optional(),
    timeoutS: timeoutS.default(3600),
  })
  .superRefine((input, ctx) => {
    const hasArgv = input.argv !== undefined && input.argv.length > 0;
    const hasShell = input.shell !== undefined && input.shell !== "";
    if (hasArgv === hasShell)
      ctx.addIssue({
        code: "custom",
        path: ["shell"],
        message: hasArgv ? "Give either argv or a shell command, not both" : "Type a command to run",
      });
    if (input.argv?.some((a) => a.includes("\0")) || input.shell?.includes("\0"))
      ctx.addIssue({ code: "custom", path: [input.argv ? "argv" : "shell"], message: "The command cannot contain NUL characters" });
    if (hasArgv && input.argv?.[0] === "")
      ctx.addIssue({ code: "custom", path: ["argv", 0], message: "The program to run cannot be empty" });
  });

export type OneOffInput = z.infer<typeof oneOffInput>;

export function argvOf(input: { argv?: string[] | undefined; shell?: string | undefined }): string[] {
  return input.argv && input.argv.length > 0 ? input.argv : ["sh", "-c", input.shell ?? ""];
}
