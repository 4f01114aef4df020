/**
 * A project's backup destination: read (never the secret key), save, and test. Admins only:
 * the destination holds credentials and decides where every database's data goes.
 */
import type { BackupDestination } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { getSettings } from "../instance/settings.ts";
import { OutboundRefusedError, resolveOutbound } from "../net/outbound.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import { recordAudit } from "../audit/audit.ts";
import { backupRoot, ensureBackupDirectory } from "./backup-dir.ts";
import type { DestinationInput } from "./destination-input.ts";
import { describeS3Error } from "./s3-problem.ts";
import { type BackupStore, directoryStore, s3Store } from "./stores.ts";

type DestDeps = Pick<Deps, "db" | "env" | "box">;

export function destinationView(d: BackupDestination | null) {
  if (!d) return null;
  const { secretAccessKey, ...rest } = d;
  return { ...rest, hasSecretKey: Boolean(secretAccessKey) };
}

export async function getDestination(deps: DestDeps, actor: Actor, projectId: string) {
  await loadProject(deps.db, actor, projectId, "viewer");
  const row = await deps.db.backupDestination.findUnique({ where: { projectId } });
  return { destination: destinationView(row), backupRoot: backupRoot(deps.env), timeZone: instanceTimeZone() };
}

/** The time zone schedules are evaluated in: the process's (TZ). */
export function instanceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The store for input not saved yet, falling back to the saved secret key when none is typed. */
async function storeFor(
  deps: DestDeps,
  projectId: string,
  input: DestinationInput,
): Promise<{ store: BackupStore; sealedSecret: string | null }> {
  if (input.kind === "directory") {
    await ensureBackupDirectory(backupRoot(deps.env), input.directory!);
    return { store: directoryStore(backupRoot(deps.env), input.directory!), sealedSecret: null };
  }
  const box = deps.box;
  const saved = await deps.db.backupDestination.findUnique({ where: { projectId } });
  const sealedSecret = input.secretAccessKey ? box.seal(input.secretAccessKey) : saved?.kind === "s3" ? saved.secretAccessKey : null;
  if (!sealedSecret) throw invalidField("secretAccessKey", "Give the secret key");
  await checkEndpointHost(deps, input.endpoint!);
  const store = s3Store({
    endpoint: input.endpoint!,
    region: input.region || "us-east-1",
    bucket: input.bucket!,
    prefix: input.prefix ?? "",
    accessKeyId: input.accessKeyId!,
    secretAccessKey: box.open(sealedSecret),
    forcePathStyle: input.forcePathStyle,
  });
  return { store, sealedSecret };
}

/** Like notification webhooks: no loopback/private endpoint unless the instance owner allows local sources. */
export async function checkEndpointHost(deps: Pick<Deps, "db">, endpoint: string): Promise<void> {
  const { allowLocalSources } = await getSettings(deps.db);
  try {
    await resolveOutbound(new URL(endpoint).hostname.replace(/^\[|\]$/g, ""), { allowLocal: allowLocalSources });
  } catch (err) {
    if (err instanceof OutboundRefusedError)
      throw invalidField("endpoint", err.message.includes("resolve") ? `Cannot reach ${endpoint}: ${err.message}` : err.message);
    throw err;
  }
}

/** Throws INVALID at the field that is wrong: unreachable endpoint, wrong keys, missing bucket, a directory outside the root. */
async function check(store: BackupStore, input: DestinationInput): Promise<void> {
  try {
    await store.check();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (input.kind === "directory") throw invalidField("directory", `Cannot write to ${input.directory}: ${(err as Error).message}`);
    const problem = describeS3Error(err, { endpoint: input.endpoint!, bucket: input.bucket! });
    throw invalidField(problem.field, problem.message);
  }
}

export async function testDestination(deps: DestDeps, actor: Actor, projectId: string, input: DestinationInput) {
  await loadProject(deps.db, actor, projectId, "admin");
  const { store } = await storeFor(deps, projectId, input);
  await check(store, input);
  return {
    ok: true as const,
    message: input.kind === "directory" ? `${input.directory} is writable` : `Bucket ${input.bucket} is reachable and writable`,
  };
}

/** Saved only after the same check as "test connection" passes: a saved destination works. */
export async function saveDestination(deps: DestDeps, actor: Actor, projectId: string, input: DestinationInput) {
  const { project } = await loadProject(deps.db, actor, projectId, "admin");
  const { store, sealedSecret } = await storeFor(deps, projectId, input);
  await check(store, input);
  const data =
    input.kind === "directory"
      ? {
          kind: "directory" as const,
          directory: input.directory!,
          endpoint: null,
          region: null,
          bucket: null,
          prefix: "",
          accessKeyId: null,
          secretAccessKey: null,
        }
      : {
          kind: "s3" as const,
          directory: null,
          endpoint: input.endpoint!,
          region: input.region || "us-east-1",
          bucket: input.bucket!,
          prefix: input.prefix ?? "",
          accessKeyId: input.accessKeyId!,
          secretAccessKey: sealedSecret,
          forcePathStyle: input.forcePathStyle,
        };
  const row = await deps.db.backupDestination.upsert({ where: { projectId }, create: { projectId, ...data }, update: data });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "backup.destination",
    targetType: "project",
    targetId: projectId,
    detail: { kind: input.kind },
  });
  return destinationView(row);
}
