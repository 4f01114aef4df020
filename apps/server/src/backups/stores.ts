/**
 * Where backup files go: a directory on the host or an S3-compatible bucket, behind one small
 * interface. Both take and give streams: a dump never sits whole in memory or in a temp file.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { BackupDestination } from "@berth/db";
import type { SealedBox } from "../secrets/sealed-box.ts";
import { ensureBackupDirectory } from "./backup-dir.ts";

export interface BackupStore {
  /** Store everything `body` yields under `key`; nothing is left under `key` when it fails. */
  write(key: string, body: Readable): Promise<void>;
  read(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  /** Prove the destination is usable now: write, list and delete a small object. */
  check(): Promise<void>;
}

export function directoryStore(root: string, directory: string): BackupStore {
  const file = async (key: string) => {
    const base = await ensureBackupDirectory(root, directory);
    const full = path.resolve(base, key);
    if (!full.startsWith(`${base}/`)) throw new Error(`Backup key ${key} leaves the destination directory`);
    return full;
  };
  return {
    async write(key, body) {
      const target = await file(key);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // Written under a temporary name, renamed when complete: a failed backup leaves no file that looks whole.
      const partial = `${target}.partial`;
      try {
        await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
        await rename(partial, target);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
    },
    async read(key) {
      const target = await file(key);
      const stream = createReadStream(target);
      await new Promise<void>((resolve, reject) => {
        stream.once("open", () => resolve());
        stream.once("error", reject);
      });
      return stream;
    },
    async remove(key) {
      await rm(await file(key), { force: true });
    },
    async check() {
      const probe = await file(".berth-connection-test");
      await pipeline(
        async function* () {
          yield Buffer.from("berth");
        },
        createWriteStream(probe, { mode: 0o600 }),
      );
      await rm(probe, { force: true });
    },
  };
}

export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export function s3Client(s: S3Settings): S3Client {
  return new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    // A wrong endpoint should fail the request, not be retried for a minute.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

export function s3Store(s: S3Settings): BackupStore {
  const client = s3Client(s);
  const keyOf = (key: string) => `${s.prefix}${key}`;
  return {
    async write(key, body) {
      // Multipart, streaming: parts of 8 MiB, two in flight at most.
      const upload = new Upload({
        client,
        params: { Bucket: s.bucket, Key: keyOf(key), Body: body },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    async read(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: keyOf(key) }));
      return out.Body as Readable;
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: keyOf(key) }));
    },
    async check() {
      await client.send(new ListObjectsV2Command({ Bucket: s.bucket, Prefix: s.prefix, MaxKeys: 1 }));
      const probe = keyOf(".berth-connection-test");
      await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: probe, Body: "berth" }));
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: probe }));
    },
  };
}

/** The store of a saved destination (the secret key opened here, only for the client). */
export function storeOf(destination: BackupDestination, box: SealedBox, root: string): BackupStore {
  if (destination.kind === "directory") return directoryStore(root, destination.directory ?? "");
  return s3Store(s3SettingsOf(destination, box));
}

export function s3SettingsOf(d: BackupDestination, box: SealedBox): S3Settings {
  return {
    endpoint: d.endpoint ?? "",
    region: d.region ?? "us-east-1",
    bucket: d.bucket ?? "",
    prefix: d.prefix,
    accessKeyId: d.accessKeyId ?? "",
    secretAccessKey: d.secretAccessKey ? box.open(d.secretAccessKey) : "",
    forcePathStyle: d.forcePathStyle,
  };
}
