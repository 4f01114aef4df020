import { z } from "zod";
import { ENV_NAME_RULE, isValidEnvName, isValidEnvValue } from "@berth/engine";

const envName = () => z.string().trim().min(1, "Name is required").max(255, "Name is too long").refine(isValidEnvName, ENV_NAME_RULE);

/** One variable as the editor sends it. `value` may be left out to keep a saved secret's value. */
export const envVarInput = z.object({
  name: envName(),
  value: z.string().max(32_768, "Value is too long").refine(isValidEnvValue, "Value must not contain NUL characters").optional(),
  secret: z.boolean().default(false),
  buildTime: z.boolean().default(false),
  runtime: z.boolean().default(true),
});
export type EnvVarInput = z.infer<typeof envVarInput>;

/*
 * The REST-published inputs below are schema instances of their own, shared with no dashboard-only
 * procedure: trpc-to-openapi switches on zod's `coerce` in the input schemas of the procedures it
 * serves (for query strings), which would otherwise loosen those procedures too.
 */

/** One variable set by name (`berth env set`, PUT /api/v1/services/{serviceId}/env/{name}): a value is required. */
export const setEnvVarInput = z
  .object({
    name: envName(),
    value: z.string().max(32_768, "Value is too long").refine(isValidEnvValue, "Value must not contain NUL characters"),
    secret: z.boolean().default(false),
    buildTime: z.boolean().default(false),
    runtime: z.boolean().default(true),
  })
  .refine((v) => v.buildTime || v.runtime, { path: ["runtime"], message: "Use it at build time, at run time, or both" });
export type SetEnvVarInput = z.infer<typeof setEnvVarInput>;

export const unsetEnvVarInput = z.object({ name: envName() });

export const envVarList = z
  .array(envVarInput)
  .max(200, "At most 200 variables")
  .superRefine((vars, ctx) => {
    const seen = new Set<string>();
    vars.forEach((v, index) => {
      if (seen.has(v.name)) ctx.addIssue({ code: "custom", path: [index, "name"], message: `${v.name} is set twice` });
      seen.add(v.name);
      if (!v.buildTime && !v.runtime)
        ctx.addIssue({ code: "custom", path: [index, "runtime"], message: "Use it at build time, at run time, or both" });
    });
  });

export const saveEnvInput = z.object({ vars: envVarList });

const importDotenvSchema = () =>
  z.object({
    text: z.string().max(512_000, "The .env text is too long"),
    secret: z.boolean().default(false),
    buildTime: z.boolean().default(false),
    runtime: z.boolean().default(true),
  });
export const importDotenvInput = importDotenvSchema();
/** env.import's own instance (REST-published, see above). */
export const restImportDotenvInput = importDotenvSchema();
export type ImportDotenvInput = z.infer<typeof importDotenvInput>;

export const revealEnvInput = z.object({ envVarId: z.string().uuid("Unknown variable") });
