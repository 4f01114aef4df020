/**
 * A compose service's name -> its Berth name. Compose allows `plausible_db` and `Web`; a Berth
 * service name is a DNS label (it names containers, domains and URLs). `_` becomes `-` and
 * capitals small letters; the compose name, where it differs, stays a name the project's
 * services reach it by (a network alias), so `postgres://...@plausible_db:5432` in another
 * service's environment still resolves. PURE.
 */
import { isValidServiceName } from "@berth/engine";

const MAX_NAME = 40;

export interface ServiceName {
  berth: string;
  /** The compose name as a network alias, when it is not the Berth name. */
  alias: string | null;
}

/** Each compose name's Berth name, or null where none can be made (the caller reports it). */
export function berthNames(composeNames: string[]): Map<string, ServiceName | null> {
  const names = new Map<string, ServiceName | null>();
  const taken = new Map<string, string>();
  for (const compose of composeNames) {
    const berth = compose.replace(/_/g, "-").toLowerCase();
    if (!isValidServiceName(berth) || berth.length > MAX_NAME || taken.has(berth)) {
      names.set(compose, null);
      continue;
    }
    taken.set(berth, compose);
    // DNS is not case-sensitive: `Web` needs no alias beside `web`, `plausible_db` does.
    const alias = compose.toLowerCase();
    names.set(compose, { berth, alias: alias === berth ? null : alias });
  }
  return names;
}

/** Why a compose name has no Berth name. */
export function nameProblem(compose: string, names: ReadonlyMap<string, ServiceName | null>): string {
  const berth = compose.replace(/_/g, "-").toLowerCase();
  const other = [...names.entries()].find(([c, n]) => c !== compose && n?.berth === berth)?.[0];
  if (other !== undefined) return `${compose} and ${other} would both be named ${berth} in Berth (_ becomes -): rename one`;
  return `A service name must be a valid DNS label of at most ${MAX_NAME} characters: lowercase letters, digits and dashes (or _), starting and ending with a letter or digit (other services reach it by this name)`;
}
