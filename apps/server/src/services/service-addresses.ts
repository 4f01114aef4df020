/**
 * The names services answer to on their project's network: each service's name and its network
 * aliases. Docker answers a name shared by two containers with both addresses (round robin), so
 * `postgres://db` would reach the cache now and then: an alias that is another service's name or
 * alias, or a name that is another service's alias, is refused at its field. DNS is not
 * case-sensitive, so neither is the comparison. Two services' names are the database's to refuse
 * (a unique name per project).
 */
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { readStoredRuntime } from "./runtime-settings.ts";

export interface Addressed {
  name: string;
  aliases: readonly string[];
}

export interface AddressClash {
  /** The planned service the clash is reported at. */
  service: string;
  field: "name" | "aliases";
  message: string;
}

interface Owner {
  service: string;
  as: "name" | "alias";
  planned: number | null;
}

/**
 * The clashes of `planned` services (created or saved now) with the project's `existing` ones and
 * with each other. PURE. Between two planned services a clash is reported once: at the alias (not
 * at the other's name), and at the later of two equal aliases.
 */
export function addressClashes(existing: readonly Addressed[], planned: readonly Addressed[]): AddressClash[] {
  const owners = new Map<string, Owner[]>();
  const own = (address: string, owner: Owner) => {
    const key = address.toLowerCase();
    owners.set(key, [...(owners.get(key) ?? []), owner]);
  };
  const add = (service: Addressed, planned: number | null) => {
    own(service.name, { service: service.name, as: "name", planned });
    for (const alias of aliasesBesidesName(service)) own(alias, { service: service.name, as: "alias", planned });
  };
  existing.forEach((s) => add(s, null));
  planned.forEach((s, i) => add(s, i));

  const clashes: AddressClash[] = [];
  planned.forEach((service, index) => {
    const others = (address: string) => (owners.get(address.toLowerCase()) ?? []).filter((o) => o.service !== service.name);
    const takenBy = others(service.name).find((o) => o.as === "alias" && o.planned === null);
    if (takenBy)
      clashes.push({
        service: service.name,
        field: "name",
        message: `"${service.name}" is a network alias of the service "${takenBy.service}" in this project: remove that alias first`,
      });
    for (const alias of aliasesBesidesName(service)) {
      const other = others(alias).find((o) => o.as === "name" || o.planned === null || o.planned < index);
      if (!other) continue;
      const what = other.as === "name" ? "the name" : "a network alias";
      clashes.push({
        service: service.name,
        field: "aliases",
        message: `"${alias}" is already ${what} of the service "${other.service}" in this project: both would answer to it`,
      });
    }
  });
  return clashes;
}

function aliasesBesidesName(service: Addressed): string[] {
  return service.aliases.filter((alias) => alias.toLowerCase() !== service.name.toLowerCase());
}

/** The names and aliases of a project's services, but those in `exceptIds` (the ones being saved). */
export async function projectAddresses(db: Deps["db"], projectId: string, exceptIds: readonly string[]): Promise<Addressed[]> {
  const rows = await db.service.findMany({
    where: { projectId, id: { notIn: [...exceptIds] } },
    select: { name: true, runtime: true },
  });
  return rows.map((row) => ({ name: row.name, aliases: readStoredRuntime(row.runtime).aliases }));
}

/** One service created or saved: its first clash, at its field. */
export async function assertAddressesFree(
  db: Deps["db"],
  where: { projectId: string; serviceId: string | null },
  service: Addressed,
): Promise<void> {
  const existing = await projectAddresses(db, where.projectId, where.serviceId === null ? [] : [where.serviceId]);
  const [clash] = addressClashes(existing, [service]);
  if (clash) throw invalidField(clash.field, clash.message);
}
