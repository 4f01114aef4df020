import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedUser, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
const email = (tag: string) => `tm-${tag}-${randomUUID().slice(0, 8)}@example.test`;

async function signUp(address = email("u")) {
  const client = new Client(base);
  const res = await client.signUp(address);
  expect(res.status).toBe(200);
  const me = await client.query("me.get");
  return { client, userId: me.data.user.id as string, personalTeamId: me.data.teams[0].id as string, email: address };
}

const secretOf = (link: string) => link.split("/invite/")[1] ?? "";

beforeAll(async () => {
  await seedUser(deps.db); // someone else is the instance owner
  ({ server, base, io } = await startHttp(deps));
});
afterAll(async () => {
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: false }, update: { signupOpen: false } });
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

describe("teams and invitations", () => {
  it("an admin invites by email; the link opens sign-up for that email only, joins once, and cannot be reused", async () => {
    await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
    const owner = await signUp();
    const team = await owner.client.mutate("teams.create", { name: "Shop" });
    const teamId = team.data.id as string;
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: false } });

    const inviteeEmail = email("invitee");
    const invite = await owner.client.mutate("invitations.create", { teamId, email: inviteeEmail.toUpperCase(), role: "member" });
    expect(invite.data.link).toMatch(new RegExp(`^${base}/invite/inv_`));
    expect(new Date(invite.data.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const stored = await deps.db.invitation.findUniqueOrThrow({ where: { id: invite.data.id } });
    expect(stored.tokenHash).not.toContain(secretOf(invite.data.link));
    const token = secretOf(invite.data.link);

    const preview = await new Client(base).query("invitations.preview", { token });
    expect(preview.data).toMatchObject({ teamName: "Shop", email: inviteeEmail.toLowerCase(), role: "member" });

    // Sign-up is closed: someone else is refused, the invited email is let in.
    expect((await new Client(base).signUp(email("stranger"))).status).toBe(403);
    const invitee = await signUp(inviteeEmail.toLowerCase());

    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: true } });
    // A different signed-in user cannot accept it.
    const wrong = await owner.client.mutate("invitations.accept", { token });
    expect(wrong.error?.data.code).toBe("FORBIDDEN");

    const accepted = await invitee.client.mutate("invitations.accept", { token });
    expect(accepted.data).toEqual({ teamId });
    const me = await invitee.client.query("me.get");
    expect(me.data.teams).toContainEqual(expect.objectContaining({ id: teamId, role: "member" }));

    const again = await invitee.client.mutate("invitations.accept", { token });
    expect(again.error?.data.code).toBe("CONFLICT");
    expect(again.error?.message).toMatch(/already been used/);
  });

  it("expired and revoked invitations are refused and change nothing", async () => {
    const owner = await signUp();
    const teamId = owner.personalTeamId;
    const guest = await signUp();
    const expired = await owner.client.mutate("invitations.create", { teamId, email: guest.email, role: "viewer" });
    await deps.db.invitation.update({ where: { id: expired.data.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r1 = await guest.client.mutate("invitations.accept", { token: secretOf(expired.data.link) });
    expect(r1.error?.data.code).toBe("CONFLICT");
    expect(r1.error?.message).toMatch(/expired/);

    const revoked = await owner.client.mutate("invitations.create", { teamId, email: guest.email, role: "viewer" });
    expect((await owner.client.query("invitations.list", { teamId })).data.map((i: { id: string }) => i.id)).toContain(revoked.data.id);
    expect((await owner.client.mutate("invitations.revoke", { teamId, invitationId: revoked.data.id })).data).toEqual({ ok: true });
    const r2 = await guest.client.mutate("invitations.accept", { token: secretOf(revoked.data.link) });
    expect(r2.error?.message).toMatch(/revoked/);
    expect(await deps.db.membership.count({ where: { teamId, userId: guest.userId } })).toBe(0);

    const bogus = await guest.client.mutate("invitations.accept", { token: "inv_not-a-real-one" });
    expect(bogus.error?.data.code).toBe("NOT_FOUND");
  });

  it("members cannot invite; an already-member email is refused at the field", async () => {
    const owner = await signUp();
    const member = await signUp();
    await deps.db.membership.create({ data: { teamId: owner.personalTeamId, userId: member.userId, role: "member" } });
    const refused = await member.client.mutate("invitations.create", { teamId: owner.personalTeamId, email: email("x"), role: "viewer" });
    expect(refused.error?.data.code).toBe("FORBIDDEN");
    await deps.db.membership.update({
      where: { teamId_userId: { teamId: owner.personalTeamId, userId: member.userId } },
      data: { role: "admin" },
    });
    const adminMakesAdmin = await member.client.mutate("invitations.create", {
      teamId: owner.personalTeamId,
      email: email("y"),
      role: "admin",
    });
    expect(adminMakesAdmin.error?.data.code).toBe("FORBIDDEN");
    expect(
      (await member.client.mutate("invitations.create", { teamId: owner.personalTeamId, email: email("z"), role: "member" })).error,
    ).toBeUndefined();
    const dup = await owner.client.mutate("invitations.create", { teamId: owner.personalTeamId, email: member.email, role: "viewer" });
    expect(dup.error?.data.fieldErrors).toEqual({ email: `${member.email} is already a member of this team` });
    const bad = await owner.client.mutate("invitations.create", { teamId: owner.personalTeamId, email: "nope", role: "owner" });
    expect(Object.keys(bad.error?.data.fieldErrors ?? {}).sort()).toEqual(["email", "role"]);
  });

  it("roles, removal, leaving and ownership transfer keep exactly one owner", async () => {
    const owner = await signUp();
    const teamId = (await owner.client.mutate("teams.create", { name: "Ops" })).data.id as string;
    const admin = await signUp();
    const member = await signUp();
    await deps.db.membership.createMany({
      data: [
        { teamId, userId: admin.userId, role: "admin" },
        { teamId, userId: member.userId, role: "member" },
      ],
    });

    expect((await admin.client.mutate("teams.removeMember", { teamId, userId: owner.userId })).error?.data.code).toBe("FORBIDDEN");
    expect((await admin.client.mutate("teams.changeRole", { teamId, userId: member.userId, role: "admin" })).error?.data.code).toBe(
      "FORBIDDEN",
    );
    expect((await admin.client.mutate("teams.changeRole", { teamId, userId: member.userId, role: "viewer" })).data).toEqual({ ok: true });
    expect((await member.client.mutate("teams.removeMember", { teamId, userId: admin.userId })).error?.data.code).toBe("FORBIDDEN");
    expect((await owner.client.mutate("teams.leave", { teamId })).error?.data.code).toBe("CONFLICT");

    expect((await owner.client.mutate("teams.transferOwnership", { teamId, userId: admin.userId })).data).toEqual({ ok: true });
    const roles = await deps.db.membership.findMany({ where: { teamId }, select: { userId: true, role: true } });
    expect(roles.filter((r) => r.role === "owner")).toEqual([{ userId: admin.userId, role: "owner" }]);
    expect(roles.find((r) => r.userId === owner.userId)?.role).toBe("admin");

    expect((await admin.client.mutate("teams.removeMember", { teamId, userId: member.userId })).data).toEqual({ ok: true });
    expect((await member.client.query("projects.list", { teamId })).error?.data.code).toBe("NOT_FOUND");
    expect((await owner.client.mutate("teams.leave", { teamId })).data).toEqual({ ok: true });
    expect(await deps.db.membership.count({ where: { teamId } })).toBe(1);

    const members = await admin.client.query("teams.members", { teamId });
    expect(members.data).toEqual([expect.objectContaining({ userId: admin.userId, role: "owner" })]);
  });

  it("a personal team cannot be transferred", async () => {
    const owner = await signUp();
    const other = await signUp();
    await deps.db.membership.create({ data: { teamId: owner.personalTeamId, userId: other.userId, role: "member" } });
    const res = await owner.client.mutate("teams.transferOwnership", { teamId: owner.personalTeamId, userId: other.userId });
    expect(res.error?.data.code).toBe("CONFLICT");
  });
});

describe("rate limits", () => {
  it("invitation links are rate limited per client address", async () => {
    const client = new Client(base);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await client.query("invitations.preview", { token: `inv_guess-${i}` })).status);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
