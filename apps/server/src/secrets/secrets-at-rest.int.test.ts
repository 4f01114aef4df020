import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import type { Deps } from "../deps.ts";
import type { Actor } from "../teams/access.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { openReleaseConfig } from "../deployments/release-config.ts";
import { rotateWebhookSecret } from "../webhooks/hook-settings.ts";
import { createChannel } from "../notifications/channels.ts";
import { listEnv, revealEnv, saveEnv } from "./env-vars.ts";
import { resolveDeployEnv } from "./env-store.ts";
import { ensureSealedAtRest } from "./seal-at-rest.ts";
import { SealedBox } from "./sealed-box.ts";

const deps = testDeps();
let actor: Actor;
let teamId: string;

/** Everything in the database as pg_dump writes it (argv, no shell). */
function dumpDatabase(): string {
  return execFileSync("pg_dump", ["--data-only", "--no-owner", `--dbname=${process.env.DATABASE_URL}`], {
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
}

function forms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("base64url")];
}

beforeAll(async () => {
  ({ actor, teamId } = await seedUser(deps.db));
});

afterAll(async () => {
  await deps.db.$disconnect();
});

describe("secrets at rest (real Postgres, pg_dump)", () => {
  it("a database dump holds no plaintext secret: env values, shared secrets, git token, deploy key, webhook secret, notification URL, config snapshots", async () => {
    const tag = randomUUID().slice(0, 8);
    const sentinel = (what: string) => `SENTINEL-${what}-${tag}-${randomBytes(6).toString("hex")}`;
    const s = {
      env: sentinel("env"),
      shared: sentinel("shared"),
      plainEnv: sentinel("plain"),
      token: sentinel("token"),
      slack: sentinel("slack"),
    };
    const { projectId } = await seedService(deps.db, teamId, { env: {} });
    const withToken = await createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId,
        name: `tok-${tag}`,
        source: "git",
        containerPort: 8080,
        env: [{ key: "PLAIN_AT_CREATE", value: s.plainEnv }],
        git: { url: "https://git.example.test/app.git", auth: "token", token: s.token },
      }),
    );
    const withKey = await createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId,
        name: `key-${tag}`,
        source: "git",
        containerPort: 8080,
        git: { url: "ssh://git@git.example.test/app.git", auth: "ssh" },
      }),
    );
    // The editor sends every variable; one without a value keeps its saved value.
    await saveEnv(deps, actor, { serviceId: withToken.id }, [
      { name: "PLAIN_AT_CREATE", secret: false, buildTime: false, runtime: true },
      { name: "API_KEY", value: s.env, secret: true, buildTime: true, runtime: true },
    ]);
    await saveEnv(deps, actor, { projectId }, [{ name: "SHARED_KEY", value: s.shared, secret: true, buildTime: false, runtime: true }]);
    const { secret: webhookSecret } = await rotateWebhookSecret(deps, actor, withToken.id);
    await createChannel(deps, actor, projectId, {
      kind: "slack",
      name: "ops",
      target: `https://hooks.slack.example/services/${s.slack}`,
      onSuccess: true,
      onFailure: true,
    });
    const { deploymentId } = await enqueueDeployment(deps, actor, withToken.id);
    const envRow = await deps.db.envVar.findFirstOrThrow({ where: { serviceId: withToken.id, name: "API_KEY" } });
    expect((await revealEnv(deps, actor, projectId, envRow.id)).value).toBe(s.env);

    // What the product needs still opens: the deployment's snapshot, the deploy env, the key.
    const box = deps.box;
    const deployment = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(openReleaseConfig(deployment.config, box)?.env).toEqual({ PLAIN_AT_CREATE: s.plainEnv, API_KEY: s.env, SHARED_KEY: s.shared });
    const keyRow = await deps.db.service.findUniqueOrThrow({ where: { id: withKey.id } });
    const privateKey = box.open(keyRow.deployKeyPrivate!);
    expect(privateKey).toContain("OPENSSH PRIVATE KEY");
    // The list API never shows a secret's value.
    expect(JSON.stringify(await listEnv(deps, actor, { serviceId: withToken.id }))).not.toContain(s.env);

    const dump = dumpDatabase();
    expect(dump).toContain(withToken.id); // the dump is real and holds these rows
    const keyBody = privateKey.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    for (const secret of [...Object.values(s), webhookSecret])
      for (const form of forms(secret)) expect({ form, found: dump.includes(form) }).toEqual({ form, found: false });
    for (const line of keyBody) expect({ line, found: dump.includes(line) }).toEqual({ line, found: false });
  });

  it("rotation: values sealed under the old secret (and legacy plaintext) are re-sealed under the new one and open without the old", async () => {
    const OLD = randomBytes(32).toString("hex");
    const NEW = randomBytes(32).toString("hex");
    const oldDeps: Deps = { ...deps, env: { ...deps.env, BERTH_SECRET: OLD }, box: new SealedBox(OLD) };
    const { projectId, serviceId } = await seedService(deps.db, teamId, { env: {} });
    await saveEnv(oldDeps, actor, { serviceId }, [
      { name: "ROTATED", value: "rotated-value", secret: true, buildTime: false, runtime: true },
    ]);
    await rotateWebhookSecret(oldDeps, actor, serviceId);
    await createChannel(oldDeps, actor, projectId, {
      kind: "discord",
      name: "d",
      target: "https://discord.example/api/webhooks/1/x",
      onSuccess: true,
      onFailure: true,
    });
    await enqueueDeployment(oldDeps, actor, serviceId);
    // Rows written before sealing existed: plaintext token, env JSON and snapshot.
    await deps.db.service.update({
      where: { id: serviceId },
      data: { gitToken: "legacy-plain-token", env: { LEGACY: "legacy-plain-env" } },
    });
    await deps.db.deployment.create({
      data: { serviceId, image: "x", status: "failed", config: { containerPort: 8080, env: { LEGACY: "legacy-plain-env" } } },
    });

    // A compose stack (variables, token, deploy key, hook secret; a member's spec) and an S3 destination.
    const oldBox = new SealedBox(OLD);
    const stack = await deps.db.stack.create({
      data: {
        projectId,
        name: "rotated",
        compose: "services: {}",
        variables: oldBox.seal('{"PW":"stack-var"}'),
        gitToken: oldBox.seal("stack-token"),
        deployKeyPrivate: oldBox.seal("stack-key"),
        webhookSecret: oldBox.seal("stack-hook"),
      },
    });
    await deps.db.stackService.create({ data: { stackId: stack.id, serviceId, position: 0, spec: oldBox.seal('{"spec":1}') } });
    await deps.db.backupDestination.create({
      data: {
        projectId,
        kind: "s3",
        endpoint: "http://127.0.0.1:9",
        bucket: "b",
        accessKeyId: "k",
        secretAccessKey: oldBox.seal("s3-secret"),
      },
    });

    const newDeps: Deps = {
      ...deps,
      env: { ...deps.env, BERTH_SECRET: NEW, BERTH_SECRET_PREVIOUS: [OLD] },
      box: new SealedBox(NEW, [OLD]),
    };
    const report = await ensureSealedAtRest(newDeps, { projectId });
    expect(report).toEqual({ sealed: 3, resealed: 10, unreadable: 0 });
    expect(await ensureSealedAtRest(newDeps, { projectId })).toEqual({ sealed: 0, resealed: 0, unreadable: 0 });

    const onlyNew = new SealedBox(NEW);
    const env = await resolveDeployEnv(deps.db, onlyNew, { projectId, serviceId });
    expect(env.runtime).toEqual({ ROTATED: "rotated-value", LEGACY: "legacy-plain-env" });
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    expect(onlyNew.open(service.gitToken!)).toBe("legacy-plain-token");
    expect(service.env).toEqual({});
    for (const d of await deps.db.deployment.findMany({ where: { serviceId } }))
      expect(openReleaseConfig(d.config, onlyNew)).not.toBeNull();
    const channel = await deps.db.notificationChannel.findFirstOrThrow({ where: { projectId } });
    expect(onlyNew.open(channel.target)).toContain("discord.example");
    const rotatedStack = await deps.db.stack.findUniqueOrThrow({ where: { id: stack.id }, include: { services: true } });
    expect(
      [
        rotatedStack.variables,
        rotatedStack.gitToken!,
        rotatedStack.deployKeyPrivate!,
        rotatedStack.webhookSecret!,
        rotatedStack.services[0]!.spec,
      ].map((v) => onlyNew.open(v)),
    ).toEqual(['{"PW":"stack-var"}', "stack-token", "stack-key", "stack-hook", '{"spec":1}']);
    expect(onlyNew.open((await deps.db.backupDestination.findUniqueOrThrow({ where: { projectId } })).secretAccessKey!)).toBe("s3-secret");
    // The old secret alone opens none of it any more.
    expect(() => new SealedBox(OLD).open(service.webhookSecret!)).toThrow(/No key/);
  });
});
