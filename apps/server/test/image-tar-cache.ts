/**
 * Test-only: the host engine's images as tar files, saved once and kept for later files and runs
 * (`<tmpdir>/berth-test-image-tars/<image id>-<ref hash>.tar`: the tar names its tag), so that harness engines (test/engine-nodes.ts)
 * load an image from a file instead of each asking the host engine for its own `docker save`.
 * Keyed by image id: a rebuilt image (infra/build-test-images.sh) gets a new file, and the files of
 * ids the host no longer has are removed when a new one is written. A file is written under a
 * temporary name and renamed into place, so a run beside this one never reads half a file.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { engineCall, saveFromHost } from "./private-dockerd.ts";

const HOST_SOCKET = "/var/run/docker.sock";
const CACHE_DIR = path.join(tmpdir(), "berth-test-image-tars");
/** A temporary file older than this was left by a run that died mid-save. */
const STALE_PART_MS = 60 * 60_000;

/** This process's saves in flight or done, by image id and ref. */
const saving = new Map<string, Promise<string>>();

async function hostImageId(ref: string): Promise<string> {
  const { Id } = JSON.parse(await engineCall(HOST_SOCKET, "GET", `/images/${encodeURIComponent(ref)}/json`)) as { Id: string };
  return Id.replace(/^sha256:/, "");
}

async function prune(): Promise<void> {
  const ids = new Set(
    (JSON.parse(await engineCall(HOST_SOCKET, "GET", "/images/json?all=1")) as Array<{ Id: string }>).map((i) =>
      i.Id.replace(/^sha256:/, ""),
    ),
  );
  for (const name of readdirSync(CACHE_DIR)) {
    const file = path.join(CACHE_DIR, name);
    const id = /^([a-f0-9]{64})-[a-f0-9]{16}\.tar$/.exec(name)?.[1];
    // A run beside this one may rename or remove a file meanwhile: statSync's ENOENT is "gone".
    const stale =
      id !== undefined ? !ids.has(id) : Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_PART_MS;
    if (stale) rmSync(file, { force: true });
  }
}

async function save(ref: string, file: string): Promise<string> {
  const part = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.part`;
  try {
    await pipeline(await saveFromHost(ref), createWriteStream(part));
    renameSync(part, file);
  } finally {
    rmSync(part, { force: true });
  }
  await prune();
  return file;
}

/** The path of a tar of the host engine's image `ref` (`docker save`), saved now if not yet. */
export async function imageTar(ref: string): Promise<string> {
  const id = await hostImageId(ref);
  const key = `${id}-${createHash("sha256").update(ref).digest("hex").slice(0, 16)}`;
  const file = path.join(CACHE_DIR, `${key}.tar`);
  let done = saving.get(key);
  if (done === undefined) {
    mkdirSync(CACHE_DIR, { recursive: true });
    done = statSync(file, { throwIfNoEntry: false })?.isFile() ? Promise.resolve(file) : save(ref, file);
    saving.set(key, done);
    done.catch(() => saving.delete(key));
  }
  return done;
}
