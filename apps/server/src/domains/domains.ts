import bcrypt from "bcryptjs";
import type { Db } from "@berth/db";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db-errors.ts";
import type { Deps } from "../deps.ts";
import { invalidField, notFound } from "../errors.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { certificateNames, certificateNamesProblem, parseCustomCertificate } from "./certificate.ts";
import { assertClaimFree, conflict } from "./domain-conflicts.ts";
import type { AddDomainInput, CertificateInput, UpdateDomainInput } from "./domain-input.ts";
import { BASIC_AUTH_USER, defaultHostname, previewHostname, parseHostname, parseIpAllowList, parsePathPrefix } from "./hostname.ts";

type DomainDeps = Pick<Deps, "db" | "log" | "proxy" | "env" | "box">;

/** Re-apply the proxy config now (the watcher would within a second anyway). Never fails the caller. */
async function refreshProxy(deps: DomainDeps): Promise<void> {
  await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
}

function must<T>(r: ({ ok: true } & T) | { ok: false; error: string }, field: string): T {
  if (!r.ok) throw invalidField(field, r.error);
  return r;
}

async function hashAuth(basicAuth: { user: string; password: string } | null | undefined) {
  if (basicAuth === undefined) return {};
  if (basicAuth === null) return { basicAuthUser: null, basicAuthHash: null };
  if (!BASIC_AUTH_USER.test(basicAuth.user)) throw invalidField("basicAuth.user", "Use letters, digits and . _ @ + - only");
  return { basicAuthUser: basicAuth.user, basicAuthHash: await bcrypt.hash(basicAuth.password, 10) };
}

export async function addDomain(deps: DomainDeps, actor: Actor, input: AddDomainInput) {
  const { service } = await loadService(deps.db, actor, input.serviceId, "member");
  const { hostname } = must(parseHostname(input.hostname), "hostname");
  const { pathPrefix } = must(parsePathPrefix(input.pathPrefix ?? ""), "pathPrefix");
  const { list } = must(parseIpAllowList(input.ipAllowList ?? []), "ipAllowList");
  const auth = await hashAuth(input.basicAuth);
  const teamId = service.project.teamId;
  let created: { id: string };
  try {
    created = await deps.db.$transaction(async (tx) => {
      await assertClaimFree(tx, { hostname, pathPrefix, redirectTwin: input.redirectTwin ?? false, teamId });
      return tx.domain.create({
        data: { serviceId: service.id, hostname, pathPrefix, redirectTwin: input.redirectTwin ?? false, ipAllowList: list, ...auth },
        select: { id: true },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("hostname", `${hostname}${pathPrefix} is already in use on this Berth instance`);
    throw err;
  }
  await recordAudit(deps.db, actor, {
    teamId,
    action: "domain.add",
    targetType: "service",
    targetId: service.id,
    detail: { hostname, pathPrefix },
  });
  await refreshProxy(deps);
  return created;
}

async function loadDomain(deps: DomainDeps, actor: Actor, serviceId: string, domainId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const domain = await deps.db.domain.findFirst({ where: { id: domainId, serviceId } });
  if (!domain) throw notFound("Domain");
  return { service, domain };
}

export async function updateDomain(deps: DomainDeps, actor: Actor, input: UpdateDomainInput) {
  const { service, domain } = await loadDomain(deps, actor, input.serviceId, input.domainId);
  const ipAllowList = input.ipAllowList === undefined ? undefined : must(parseIpAllowList(input.ipAllowList), "ipAllowList").list;
  const auth = await hashAuth(input.basicAuth);
  const redirectTwin = input.redirectTwin ?? domain.redirectTwin;
  await deps.db.$transaction(async (tx) => {
    if (redirectTwin && !domain.redirectTwin) {
      await assertClaimFree(tx, {
        hostname: domain.hostname,
        pathPrefix: domain.pathPrefix,
        redirectTwin,
        teamId: service.project.teamId,
        domainId: domain.id,
      });
    }
    await tx.domain.update({ where: { id: domain.id }, data: { redirectTwin, ...(ipAllowList ? { ipAllowList } : {}), ...auth } });
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "domain.update",
    targetType: "service",
    targetId: service.id,
    detail: { hostname: domain.hostname },
  });
  await refreshProxy(deps);
  return { ok: true as const };
}

export async function removeDomain(deps: DomainDeps, actor: Actor, input: { serviceId: string; domainId: string }) {
  const { service, domain } = await loadDomain(deps, actor, input.serviceId, input.domainId);
  await deps.db.domain.delete({ where: { id: domain.id } });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "domain.remove",
    targetType: "service",
    targetId: service.id,
    detail: { hostname: domain.hostname },
  });
  await refreshProxy(deps);
  return { ok: true as const };
}

/** Upload (or, with null, remove) a custom certificate for one domain. */
export async function setCertificate(deps: DomainDeps, actor: Actor, input: CertificateInput) {
  const { service, domain } = await loadDomain(deps, actor, input.serviceId, input.domainId);
  let data: { certPem: string | null; keyPem: string | null; certNotAfter: Date | null } = {
    certPem: null,
    keyPem: null,
    certNotAfter: null,
  };
  if (input.certificate) {
    const parsed = parseCustomCertificate(input.certificate.certPem, input.certificate.keyPem, domain.hostname);
    if (!parsed.ok) throw invalidField(parsed.field, parsed.error);
    // Every name in it must be this team's: Caddy could otherwise serve it for another team's domain.
    const teamId = service.project.teamId;
    const [own, others] = await Promise.all([
      deps.db.domain.findMany({ where: { service: { project: { teamId } } }, select: { hostname: true } }),
      deps.db.domain.findMany({ where: { service: { project: { teamId: { not: teamId } } } }, select: { hostname: true } }),
    ]);
    const problem = certificateNamesProblem(
      certificateNames(parsed.value.certPem),
      own.map((d) => d.hostname),
      others.map((d) => d.hostname),
    );
    if (problem) throw invalidField("certPem", problem);
    data = { certPem: parsed.value.certPem, keyPem: deps.box.seal(parsed.value.keyPem), certNotAfter: parsed.value.notAfter };
  }
  await deps.db.domain.update({ where: { id: domain.id }, data });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "domain.certificate",
    targetType: "service",
    targetId: service.id,
    detail: { hostname: domain.hostname, custom: input.certificate !== null },
  });
  await refreshProxy(deps);
  return { ok: true as const };
}

/**
 * Give a new service its generated domain `<service>-<project>.<base>` (base: the instance's
 * base domain, else the public IP's wildcard-DNS name `<ip-with-dashes>.sslip.io`, else
 * localhost). A name another service took gets the service id's start appended.
 */
export async function ensureDefaultDomain(
  db: Db,
  serviceId: string,
  publicIp = "",
  preview?: { prNumber: number; serviceName: string },
): Promise<void> {
  const service = await db.service.findUniqueOrThrow({
    where: { id: serviceId },
    select: { name: true, project: { select: { name: true, teamId: true } } },
  });
  const settings = await db.instanceSettings.findUnique({ where: { id: 1 }, select: { baseDomain: true } });
  const base = { serviceName: service.name, projectName: service.project.name, baseDomain: settings?.baseDomain ?? "", publicIp };
  for (const suffix of [undefined, serviceId.slice(0, 8), serviceId.replace(/-/g, "").slice(0, 16)]) {
    // A preview's hidden service answers on pr-<n>-<service>.<base> (the previewed service's name).
    const hostname = preview ? previewHostname({ ...base, ...preview, suffix }) : defaultHostname({ ...base, suffix });
    try {
      await db.$transaction(async (tx) => {
        await assertClaimFree(tx, { hostname, pathPrefix: "", redirectTwin: false, teamId: "" });
        await tx.domain.create({ data: { serviceId, hostname, isDefault: true } });
      });
      return;
    } catch (err) {
      if (!isUniqueViolation(err) && !(err instanceof Error && err.name === "DomainError")) throw err;
    }
  }
}
