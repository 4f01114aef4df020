import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { DomainError } from "../errors.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { OTHER_KEY_PEM, TEST_CERT_PEM, TEST_KEY_PEM } from "./certificate-fixtures.ts";
import { checkDomains, listDomains } from "./domain-view.ts";
import { addDomain, removeDomain, setCertificate, updateDomain } from "./domains.ts";

const deps = { ...testDeps(), dns: { resolve4: async (host: string) => (host.endsWith(".example.test") ? ["203.0.113.7"] : []) } };
deps.env.BERTH_PROXY_PUBLIC_IP = "203.0.113.7";
const tag = randomUUID().slice(0, 8);

afterAll(async () => {
  await deps.db.domain.deleteMany({ where: { hostname: { contains: tag } } });
  await deps.db.$disconnect();
});

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("domains (real Postgres)", () => {
  it("a new service gets <service>-<project>.<base domain, else the public IP's sslip.io name>; a clash takes the service id's start", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const project = await deps.db.project.create({ data: { teamId, name: `Shop ${tag}` } });
    const input = createServiceInput.parse({
      projectId: project.id,
      name: "web",
      image: "berth-test/hello:latest",
      containerPort: 8080,
      env: [],
    });
    // Other test files may set the instance's base domain meanwhile (without one it is the
    // public IP's wildcard-DNS name): the generated name must use the base read just before or after.
    const baseNow = async () => (await deps.db.instanceSettings.findUnique({ where: { id: 1 } }))?.baseDomain || "203-0-113-7.sslip.io";
    const before = await baseNow();
    const { id } = await createService(deps, actor, input);
    const [domain] = await listDomains(deps, actor, id);
    const base = [before, await baseNow()].find((b) => domain?.hostname === `web-shop-${tag}.${b}`);
    expect(base, `generated ${domain?.hostname}`).toBeDefined();
    // The wildcard-IP name is served over plain HTTP while the internal CA is the issuer.
    const scheme = base?.endsWith(".sslip.io") ? "http" : "https";
    expect(domain).toMatchObject({ hostname: `web-shop-${tag}.${base}`, isDefault: true, url: `${scheme}://web-shop-${tag}.${base}/` });

    const other = await seedUser(deps.db);
    const twin = await deps.db.project.create({ data: { teamId: other.teamId, name: `Shop ${tag}` } });
    const second = await createService(deps, other.actor, { ...input, projectId: twin.id });
    const [taken] = await listDomains(deps, other.actor, second.id);
    expect([base, await baseNow()].map((b) => `web-shop-${tag}-${second.id.slice(0, 8)}.${b}`)).toContain(taken?.hostname);
  });

  it("refuses an invalid hostname (INVALID at the field) and a taken one (CONFLICT) without naming the other team", async () => {
    const a = await seedUser(deps.db);
    const b = await seedUser(deps.db);
    const sa = await seedService(deps.db, a.teamId);
    const sb = await seedService(deps.db, b.teamId);
    const bad = await refusal(addDomain(deps, a.actor, { serviceId: sa.serviceId, hostname: "not a host.example.com" }));
    expect(bad.code).toBe("INVALID");
    expect(bad.fieldErrors?.hostname).toMatch(/not a valid DNS label/);

    const hostname = `app-${tag}.example.test`;
    await addDomain(deps, a.actor, { serviceId: sa.serviceId, hostname });
    const taken = await refusal(
      addDomain(deps, b.actor, { serviceId: sb.serviceId, hostname: hostname.toUpperCase(), pathPrefix: "/other" }),
    );
    expect(taken.code).toBe("CONFLICT");
    expect(taken.message).toBe(`${hostname} is already in use on this Berth instance`);
    const teamName = (await deps.db.team.findUniqueOrThrow({ where: { id: a.teamId } })).name;
    expect(JSON.stringify({ m: taken.message, f: taken.fieldErrors })).not.toContain(teamName);

    const same = await refusal(addDomain(deps, a.actor, { serviceId: sa.serviceId, hostname }));
    expect(same.code).toBe("CONFLICT");
    // The same team may route a path of the host to another of its services.
    const sa2 = await seedService(deps.db, a.teamId);
    await addDomain(deps, a.actor, { serviceId: sa2.serviceId, hostname, pathPrefix: "/api/" });
    // A www twin taken by another team's redirect is refused too.
    const twin = await refusal(
      addDomain(deps, b.actor, { serviceId: sb.serviceId, hostname: `other-${tag}.example.test`, redirectTwin: true }).then(() =>
        addDomain(deps, a.actor, { serviceId: sa.serviceId, hostname: `www.other-${tag}.example.test` }),
      ),
    );
    expect(twin.code).toBe("CONFLICT");
    expect(await deps.db.domain.count({ where: { hostname: { contains: tag }, service: { project: { teamId: b.teamId } } } })).toBe(1);
  });

  it("sets basic auth as a bcrypt hash and an IP allow-list; never returns the hash", async () => {
    const a = await seedUser(deps.db);
    const s = await seedService(deps.db, a.teamId);
    const { id } = await addDomain(deps, a.actor, { serviceId: s.serviceId, hostname: `auth-${tag}.example.test` });
    await updateDomain(deps, a.actor, {
      serviceId: s.serviceId,
      domainId: id,
      basicAuth: { user: "alice", password: "long enough" },
      ipAllowList: ["10.0.0.0/8"],
    });
    const row = await deps.db.domain.findUniqueOrThrow({ where: { id } });
    expect(row.basicAuthHash).toMatch(/^\$2b\$10\$/);
    expect(row.ipAllowList).toEqual(["10.0.0.0/8"]);
    const listed = await listDomains(deps, a.actor, s.serviceId);
    expect(JSON.stringify(listed)).not.toContain(row.basicAuthHash);
    expect(listed[0]).toMatchObject({
      basicAuthUser: "alice",
      dnsRecord: { type: "A", name: `auth-${tag}.example.test`, value: "203.0.113.7" },
    });
    const bad = await refusal(updateDomain(deps, a.actor, { serviceId: s.serviceId, domainId: id, ipAllowList: ["nope"] }));
    expect(bad.fieldErrors?.ipAllowList).toMatch(/not an IP/);
  });

  it("uploads a custom certificate (validated, key never returned) and checks DNS through the injected resolver", async () => {
    const a = await seedUser(deps.db);
    const s = await seedService(deps.db, a.teamId);
    await deps.db.domain.deleteMany({ where: { hostname: "app.example.test" } });
    const { id } = await addDomain(deps, a.actor, { serviceId: s.serviceId, hostname: "app.example.test" });
    const wrongKey = await refusal(
      setCertificate(deps, a.actor, {
        serviceId: s.serviceId,
        domainId: id,
        certificate: { certPem: TEST_CERT_PEM, keyPem: OTHER_KEY_PEM },
      }),
    );
    expect(wrongKey.fieldErrors?.keyPem).toMatch(/does not belong/);
    await setCertificate(deps, a.actor, {
      serviceId: s.serviceId,
      domainId: id,
      certificate: { certPem: TEST_CERT_PEM, keyPem: TEST_KEY_PEM },
    });
    const [listed] = await listDomains(deps, a.actor, s.serviceId);
    expect(listed?.customCertificate?.notAfter).toMatch(/^2036-11-25/);
    expect(JSON.stringify(listed)).not.toContain("PRIVATE KEY");
    // The key is sealed at rest and opens to exactly what was uploaded.
    const stored = await deps.db.domain.findUniqueOrThrow({ where: { id } });
    expect(stored.keyPem).not.toContain("PRIVATE KEY");
    expect(deps.box.open(stored.keyPem!)).toBe(TEST_KEY_PEM.trim() + "\n");
    const check = await checkDomains(deps, a.actor, s.serviceId);
    expect(check.proxy).toEqual({ managed: false, state: "unmanaged" });
    expect(check.domains[0]).toMatchObject({ dns: { status: "ok", found: ["203.0.113.7"] }, certificate: { source: "custom" } });
    await removeDomain(deps, a.actor, { serviceId: s.serviceId, domainId: id });
    expect(await deps.db.domain.count({ where: { id } })).toBe(0);
  });

  it("another team's member cannot touch a domain (NOT_FOUND)", async () => {
    const a = await seedUser(deps.db);
    const b = await seedUser(deps.db);
    const s = await seedService(deps.db, a.teamId);
    const { id } = await addDomain(deps, a.actor, { serviceId: s.serviceId, hostname: `mine-${tag}.example.test` });
    expect((await refusal(removeDomain(deps, b.actor, { serviceId: s.serviceId, domainId: id }))).code).toBe("NOT_FOUND");
    expect((await refusal(listDomains(deps, b.actor, s.serviceId))).code).toBe("NOT_FOUND");
    expect(await deps.db.domain.count({ where: { id } })).toBe(1);
  });
});
