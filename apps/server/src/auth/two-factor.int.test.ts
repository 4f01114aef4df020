import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedUser, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { totpOf } from "../../test/totp.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
const password = "correct horse battery staple";

beforeAll(async () => {
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
});
afterAll(async () => {
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

it("TOTP two-factor: enable with a verified code; sign-in then needs a code or a one-time recovery code", async () => {
  const email = `2fa-${randomUUID().slice(0, 8)}@example.test`;
  const owner = new Client(base);
  expect((await owner.signUp(email, password)).status).toBe(200);

  expect((await owner.auth("two-factor/enable", { password: "wrong password!!", method: "totp" })).status).toBe(400);
  const enabled = await owner.auth("two-factor/enable", { password, method: "totp" });
  expect(enabled.status).toBe(200);
  const uri = enabled.body?.totpURI as string;
  const recovery = enabled.body?.backupCodes as string[];
  expect(uri).toMatch(/^otpauth:\/\/totp\/Berth:/);
  expect(recovery).toHaveLength(10);
  // Not on until a code proves the authenticator has the secret.
  expect((await deps.db.user.findUniqueOrThrow({ where: { email } })).twoFactorEnabled).toBe(false);
  expect((await owner.auth("two-factor/verify-totp", { code: totpOf(uri) })).status).toBe(200);
  const user = await deps.db.user.findUniqueOrThrow({ where: { email }, include: { twoFactors: true } });
  expect(user.twoFactorEnabled).toBe(true);
  const secret = new URL(uri).searchParams.get("secret") ?? "";
  expect(user.twoFactors[0]?.secret).not.toContain(secret);
  expect(user.twoFactors[0]?.backupCodes).not.toContain(recovery[0]);

  // A password alone no longer signs in.
  const device = new Client(base);
  const first = await device.auth("sign-in/email", { email, password });
  expect(first.body).toMatchObject({ twoFactorRedirect: true });
  expect((await device.query("me.get")).error?.data.code).toBe("UNAUTHORIZED");
  expect((await device.auth("two-factor/verify-totp", { code: "000000" === totpOf(uri) ? "111111" : "000000" })).status).toBe(401);
  expect((await device.auth("two-factor/verify-totp", { code: totpOf(uri) })).status).toBe(200);
  expect((await device.query("me.get")).data.user.email).toBe(email);

  // A recovery code works once.
  const lost = new Client(base);
  await lost.auth("sign-in/email", { email, password });
  expect((await lost.auth("two-factor/verify-backup-code", { code: recovery[0] })).status).toBe(200);
  expect((await lost.query("me.get")).data.user.email).toBe(email);
  const again = new Client(base);
  await again.auth("sign-in/email", { email, password });
  expect((await again.auth("two-factor/verify-backup-code", { code: recovery[0] })).status).not.toBe(200);
  expect((await again.query("me.get")).error?.data.code).toBe("UNAUTHORIZED");
});
