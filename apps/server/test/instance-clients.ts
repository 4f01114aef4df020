/** Test-only: an instance owner and a plain member signed up through the real request handler. */
import { expect } from "vitest";
import type { TestDeps } from "./harness.ts";
import { Client } from "./http-harness.ts";

export async function signUpClient(base: string, email: string): Promise<Client> {
  const client = new Client(base);
  expect((await client.signUp(email)).status).toBe(200);
  return client;
}

/** Opens sign-up, signs up `owner-<tag>` (made instance owner) and `member-<tag>`. */
export async function instanceOwnerAndMember(deps: TestDeps, base: string, tag: string): Promise<{ owner: Client; member: Client }> {
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, signupOpen: true }, update: { signupOpen: true } });
  const owner = await signUpClient(base, `owner-${tag}@example.test`);
  const member = await signUpClient(base, `member-${tag}@example.test`);
  await deps.db.user.update({ where: { email: `owner-${tag}@example.test` }, data: { instanceRole: "owner" } });
  return { owner, member };
}
