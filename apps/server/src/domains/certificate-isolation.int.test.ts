/**
 * Issue #14.4: a certificate a team uploads is never served for another team's domain. Upload
 * refuses names that are not the team's; Caddy (real) presents an uploaded certificate only for
 * its own hostname, and one naming another team's domain (stored by any other path) is not loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "node:tls";
import { TestCaddy } from "../../test/caddy.ts";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { selfSigned as opensslSelfSigned } from "../../test/test-certs.ts";
import type { EdgeProxy } from "../proxy/edge-proxy.ts";
import { addDomain, setCertificate } from "./domains.ts";

const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const mine = `mine-${tag}.localhost`;
const victim = `victim-${tag}.localhost`;
let caddy: TestCaddy;
let proxy: EdgeProxy;
let dir: string;

/** A self-signed certificate (openssl, test code) for `names`: { certPem, keyPem, fingerprint }. */
function selfSigned(names: string[]) {
  const out = mkdtempSync(path.join(dir, "cert-"));
  opensslSelfSigned({ key: path.join(out, "key.pem"), cert: path.join(out, "cert.pem") }, `/CN=${names[0]}`, [
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}`,
  ]);
  return { certPem: readFileSync(path.join(out, "cert.pem"), "utf8"), keyPem: readFileSync(path.join(out, "key.pem"), "utf8") };
}

/** The certificate Caddy presents for `servername` (its SANs), over TLS on 127.0.0.1. */
function servedNames(servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: caddy.listen.httpsPort, servername, rejectUnauthorized: false }, () => {
      const san = socket.getPeerCertificate().subjectaltname ?? "";
      socket.end();
      resolve(san);
    });
    socket.on("error", reject);
  });
}

let a: Awaited<ReturnType<typeof seedUser>>;
let aService: string;
let mineId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "berth-certs-"));
  caddy = await TestCaddy.start();
  proxy = caddy.edgeProxy(deps);
  deps.proxy = proxy;
  a = await seedUser(deps.db);
  const b = await seedUser(deps.db);
  aService = (await seedService(deps.db, a.teamId)).serviceId;
  const bService = (await seedService(deps.db, b.teamId)).serviceId;
  mineId = (await addDomain(deps, a.actor, { serviceId: aService, hostname: mine })).id;
  await addDomain(deps, b.actor, { serviceId: bService, hostname: victim });
});

afterAll(async () => {
  await proxy.stop();
  await caddy.stop();
  rmSync(dir, { recursive: true, force: true });
  await deps.db.$disconnect();
});

describe("uploaded certificates stay with their team's domains", () => {
  it("refuses a certificate that also names another team's domain, or a name the team does not have", async () => {
    for (const names of [
      [mine, victim],
      [mine, `*.localhost`],
      [mine, `other-${tag}.localhost`],
    ]) {
      await expect(
        setCertificate(deps, a.actor, { serviceId: aService, domainId: mineId, certificate: selfSigned(names) }),
        names.join(","),
      ).rejects.toMatchObject({
        code: "INVALID",
        fieldErrors: { certPem: expect.any(String) },
      });
    }
    expect((await deps.db.domain.findUniqueOrThrow({ where: { id: mineId } })).certPem).toBeNull();
  });

  it("Caddy presents an uploaded certificate for its own hostname only", async () => {
    await setCertificate(deps, a.actor, { serviceId: aService, domainId: mineId, certificate: selfSigned([mine, `www.${mine}`]) });
    await proxy.apply(true);
    await waitFor("the custom certificate", async () => (await servedNames(mine).catch(() => "")).includes(`DNS:www.${mine}`));
    expect(await servedNames(victim)).not.toContain(mine);
  });

  it("a stored certificate naming another team's domain is not loaded; the route still is, and the problem is reported", async () => {
    const bad = selfSigned([mine, victim]);
    await deps.db.domain.update({ where: { id: mineId }, data: { certPem: bad.certPem, keyPem: deps.box.seal(bad.keyPem) } });
    await proxy.apply(true);
    expect(proxy.status().skipped?.find((s) => s.domainId === mineId)?.error).toMatch(/covers another team's domain/);
    // Right after a reload under load Caddy may refuse a handshake (a TLS alert) until its
    // certificates are loaded: wait for one that completes, then look at what it serves.
    const handshake = async (name: string) =>
      (
        await waitFor(`a TLS handshake for ${name}`, async () =>
          servedNames(name).then(
            (san) => ({ san }),
            () => null,
          ),
        )
      ).san;
    expect(await handshake(victim)).not.toContain(mine);
    expect(await handshake(mine)).not.toContain(victim);
  });
});
