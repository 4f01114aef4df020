/**
 * The text fields of how a service's process runs -- as which user, in which directory, with
 * which ulimits, under which other names on the project network -- each typed in one field of the
 * settings form (and the API), checked with the engine's rules. Part of the runtime settings
 * (runtime-settings.ts).
 */
import { z } from "zod";
import {
  isValidNetworkAlias,
  isValidRunAsUser,
  isValidWorkingDir,
  NETWORK_ALIAS_RULE,
  RUN_AS_USER_RULE,
  WORKING_DIR_RULE,
} from "@berth/engine";
import { parseUlimits } from "./ulimits-text.ts";

/** A setting typed in one text field: trimmed, empty when left out. */
export const typed = (max: number, tooLong: string) => z.string().trim().max(max, tooLong).default("");

/** One value or nothing (empty: the image's own), checked by `valid`; `rule` is what a bad one is told. */
const optionalValue = (max: number, rule: string, valid: (value: string) => boolean) =>
  typed(max, rule)
    .transform((value) => (value === "" ? null : value))
    .refine((value) => value === null || valid(value), rule);

/** The user the process runs as (compose's `user:`); empty: the image's own USER. */
export const runAsUser = optionalValue(65, RUN_AS_USER_RULE, isValidRunAsUser);

/** The process's working directory (compose's `working_dir:`); empty: the image's WORKDIR. */
export const workingDir = optionalValue(1024, WORKING_DIR_RULE, isValidWorkingDir);

/** Resource limits of the process as typed (`nofile=65535 memlock=unlimited`; ulimits-text.ts). */
export const ulimitsText = typed(1024, "At most 1024 characters").transform((text, ctx) => {
  const parsed = parseUlimits(text);
  if ("ulimits" in parsed) return parsed.ulimits;
  ctx.addIssue({ code: "custom", message: parsed.error });
  return z.NEVER;
});

const MAX_ALIASES = 8;

/**
 * Other names the project's services reach this one by, besides its own (compose's network
 * aliases, or its compose name where that is not a Berth name: `plausible_db`), typed with spaces
 * or commas between.
 */
export const aliasesText = typed(1024, "At most 1024 characters").transform((text, ctx) => {
  const aliases = [...new Set(text.split(/[\s,]+/).filter((a) => a !== ""))];
  const bad = aliases.find((a) => !isValidNetworkAlias(a));
  if (bad !== undefined) ctx.addIssue({ code: "custom", message: `${bad.slice(0, 60)}: ${NETWORK_ALIAS_RULE}` });
  else if (aliases.length > MAX_ALIASES) ctx.addIssue({ code: "custom", message: `At most ${MAX_ALIASES} aliases` });
  return aliases;
});
