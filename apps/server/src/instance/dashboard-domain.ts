import type { Db } from "@berth/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.ts";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { parseBareHostname } from "../domains/hostname.ts";
import { twinOf } from "../proxy/caddy-config.ts";
import type { Actor } from "../teams/access.ts";
import { dashboardOrigin, forgetDashboardDomain, readDashboardDomain } from "./dashboard-origin.ts";

/**
 * The dashboard at its own domain: the edge proxy serves https://<domain> (certificate from the
 * instance's issuer, HTTP redirected) to the control plane, the origin is trusted for sign-in,
 * and the links Berth hands out (webhooks, deploy hooks, invitations) use it. Stored in
 * `instance_settings.dashboardDomain` ("" = none); BERTH_DASHBOARD_DOMAIN (the up command)
 * writes it at start and then owns it.
 */
export const setDashboardDomainInput = z.object({ dashboardDomain: z.string().max(300, "A hostname has at most 253 characters") });
export type SetDashboardDomainInput = z.infer<typeof setDashboardDomainInput>;

type DashboardDeps = Pick<Deps, "db" | "env" | "log" | "proxy">;

export interface DashboardView {
  /** "" = no dashboard domain. */
  domain: string;
  /** Where the dashboard is reached: https://<domain>[:port], else BERTH_PUBLIC_URL. */
  url: string;
  /** Set by BERTH_DASHBOARD_DOMAIN: read-only here. */
  fromEnv: boolean;
  /** Whether Berth drives an edge proxy at all (BERTH_PROXY_ADMIN not off): without one, nothing serves the domain. */
  proxy: boolean;
}

/** The URL the dashboard's links are built on (webhooks, deploy hooks, invitations, notifications). */
export async function dashboardUrl(deps: Pick<Deps, "db" | "env">): Promise<string> {
  const domain = await readDashboardDomain(deps.db);
  return domain ? dashboardOrigin(domain, deps.env.BERTH_PROXY_HTTPS_PORT) : deps.env.publicUrl;
}

/** A link the server built on BERTH_PUBLIC_URL (better-auth's password reset), moved onto the dashboard's URL. */
export async function onDashboardUrl(deps: Pick<Deps, "db" | "env">, link: string): Promise<string> {
  const base = new URL(await dashboardUrl(deps));
  const moved = new URL(link);
  moved.protocol = base.protocol;
  moved.host = base.host;
  return moved.toString();
}

export async function getDashboard(deps: Pick<Deps, "db" | "env" | "proxy">): Promise<DashboardView> {
  const domain = await readDashboardDomain(deps.db);
  return {
    domain,
    url: domain ? dashboardOrigin(domain, deps.env.BERTH_PROXY_HTTPS_PORT) : deps.env.publicUrl,
    fromEnv: Boolean(deps.env.BERTH_DASHBOARD_DOMAIN),
    proxy: Boolean(deps.proxy),
  };
}

/** Store the domain unless a service's domain (or its www/apex redirect) already uses the name. */
async function storeDashboardDomain(db: Db, domain: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // The same lock as domain claims (domain-conflicts.ts): neither side can slip past the other.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('berth.domains'))`;
    if (domain) {
      const taken = await tx.domain.findFirst({
        where: { OR: [{ hostname: domain }, { hostname: twinOf(domain), redirectTwin: true }] },
        select: { id: true },
      });
      if (taken) {
        const message = `${domain} is already a service's domain on this instance; choose another name for the dashboard`;
        throw new DomainError("CONFLICT", message, { dashboardDomain: message });
      }
    }
    await tx.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, dashboardDomain: domain }, update: { dashboardDomain: domain } });
  });
  forgetDashboardDomain(db);
}

/** Only the instance owner gets here (instanceOwnerProcedure checks before the handler). */
export async function setDashboardDomain(deps: DashboardDeps, actor: Actor, input: SetDashboardDomainInput): Promise<DashboardView> {
  if (deps.env.BERTH_DASHBOARD_DOMAIN) {
    throw invalidField("dashboardDomain", "Set by BERTH_DASHBOARD_DOMAIN in the server's configuration: change it there and restart Berth");
  }
  let domain = "";
  if (input.dashboardDomain.trim() !== "") {
    const parsed = parseBareHostname(input.dashboardDomain);
    if (!parsed.ok) throw invalidField("dashboardDomain", parsed.error);
    domain = parsed.hostname;
  }
  await storeDashboardDomain(deps.db, domain);
  await recordAudit(deps.db, actor, {
    teamId: null,
    action: "instance.settings",
    detail: { fields: ["dashboardDomain"], dashboardDomain: domain },
  });
  await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
  return getDashboard(deps);
}

/** At start: BERTH_DASHBOARD_DOMAIN (given to the up command) becomes the stored dashboard domain. */
export async function applyDashboardDomainFromEnv(deps: Pick<Deps, "db" | "env" | "log">): Promise<void> {
  const domain = deps.env.BERTH_DASHBOARD_DOMAIN;
  if (!domain || (await readDashboardDomain(deps.db)) === domain) return;
  try {
    await storeDashboardDomain(deps.db, domain);
    deps.log.info({ dashboardDomain: domain }, "dashboard domain set from BERTH_DASHBOARD_DOMAIN");
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    deps.log.error({ dashboardDomain: domain }, `BERTH_DASHBOARD_DOMAIN not applied: ${err.message}`);
  }
}
