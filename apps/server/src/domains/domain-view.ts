import type { Deps } from "../deps.ts";
import { isLocalName, servesPlainHttp } from "../proxy/caddy-config.ts";
import { loadTlsSettings } from "../proxy/desired-routes.ts";
import { probeCertificate } from "../proxy/certificate-probe.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { checkDns, expectedRecord, publicIpOf, systemResolver, type DnsResolver } from "./dns-check.ts";

type ViewDeps = Pick<Deps, "db" | "env" | "proxy"> & { dns?: DnsResolver };

/** The address a viewer opens: https, or plain http where the proxy serves the name without a redirect (servesPlainHttp). */
function urlOf(env: Deps["env"], route: { hostname: string; pathPrefix: string; plainHttp: boolean }): string {
  const [scheme, port, standard] = route.plainHttp ? ["http", env.BERTH_PROXY_HTTP_PORT, 80] : ["https", env.BERTH_PROXY_HTTPS_PORT, 443];
  return `${scheme}://${route.hostname}${port === standard ? "" : `:${port}`}${route.pathPrefix || "/"}`;
}

/** A service's domains with the DNS record each needs (never the basic-auth hash or a key). */
export async function listDomains(deps: ViewDeps, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  const rows = await deps.db.domain.findMany({ where: { serviceId }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] });
  const ip = publicIpOf(deps.env);
  const skipped = deps.proxy?.status().skipped ?? [];
  const tls = await loadTlsSettings(deps.db);
  return rows.map((d) => ({
    id: d.id,
    hostname: d.hostname,
    pathPrefix: d.pathPrefix,
    isDefault: d.isDefault,
    redirectTwin: d.redirectTwin,
    basicAuthUser: d.basicAuthUser,
    ipAllowList: d.ipAllowList,
    customCertificate: d.certPem ? { notAfter: d.certNotAfter?.toISOString() ?? null } : null,
    url: urlOf(deps.env, {
      ...d,
      plainHttp: servesPlainHttp({ hostname: d.hostname, customCert: d.certPem ? { certPem: d.certPem, keyPem: "" } : undefined }, tls),
    }),
    dnsRecord: expectedRecord(d.hostname, ip),
    /** Why the proxy leaves this domain out (its stored settings are not valid), if it does. */
    proxyError: skipped.find((s) => s.domainId === d.id)?.error ?? null,
  }));
}

/** Live checks per domain: DNS now (node:dns, or the injected resolver) and the certificate the proxy serves. */
export async function checkDomains(deps: ViewDeps, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  const rows = await deps.db.domain.findMany({
    where: { serviceId },
    select: { id: true, hostname: true, certPem: true, certNotAfter: true },
  });
  const resolver = deps.dns ?? systemResolver();
  const ip = publicIpOf(deps.env);
  const proxyUp = deps.proxy?.status().state === "up";
  const domains = await Promise.all(
    rows.map(async (d) => {
      const dns = await checkDns(resolver, d.hostname, ip);
      const served = proxyUp
        ? await probeCertificate({
            host: deps.env.BERTH_PROXY_BIND || "127.0.0.1",
            port: deps.env.BERTH_PROXY_HTTPS_PORT,
            hostname: d.hostname,
          })
        : null;
      const source = d.certPem ? "custom" : isLocalName(d.hostname) ? "internal" : "automatic";
      return { id: d.id, dns, certificate: { source, served, status: served ? "active" : proxyUp ? "pending" : "proxy down" } };
    }),
  );
  return { proxy: proxyStatus(deps), domains };
}

/** Proxy state for the dashboard: up/down and the last refused config, if any. */
export function proxyStatus(deps: Pick<Deps, "proxy">): { managed: boolean; state: "up" | "down" | "unmanaged"; error?: string } {
  if (!deps.proxy) return { managed: false, state: "unmanaged" };
  const s = deps.proxy.status();
  return { managed: true, state: s.state, ...(s.error ? { error: s.error } : {}) };
}
