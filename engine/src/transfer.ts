/**
 * Moving Berth's images and named volumes between engines (instance backup and restore):
 * images as one `docker save` tar (`GET /images/get`, layers shared between images stored once)
 * loaded with `POST /images/load`; a volume's files as a tar through the archive endpoints of a
 * helper container that is created, never started, with the volume mounted. The helper's image
 * is imported from an empty tar (`berth-internal/volume-copy`), so no image has to be pulled.
 * No CLI, no shell.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import { inspectImage } from "./images.ts";
import { buildResourceLabels, isManagedByBerth, LABEL_PROJECT, LABEL_VOLUME } from "./labels.ts";
import { buildVolumeName } from "./names.ts";
import { readProgress } from "./progress.ts";
import { VOLUME_NAME } from "./validate-spec.ts";
import { assertValidId, isValidImageRef } from "./validate.ts";
import { inspectVolume } from "./volumes.ts";

/** The helper image: an empty root filesystem, only ever used for containers that never start. */
export const VOLUME_COPY_IMAGE = "berth-internal/volume-copy:1";
const MOUNT = "/volume";
/** Images and volumes can be large: the request deadline covers only the answer's headers. */
const TRANSFER_TIMEOUT_MS = 10 * 60_000;

/**
 * `docker save` of the given references that are present: one tar stream (null when none is),
 * and the references the engine does not have.
 */
export async function saveImages(api: EngineApi, refs: string[]): Promise<{ tar: NodeJS.ReadableStream | null; missing: string[] }> {
  for (const ref of refs) {
    if (!isValidImageRef(ref))
      throw new EngineError({
        code: "INVALID",
        operation: "save images",
        resource: String(ref),
        message: `save images: invalid image reference ${JSON.stringify(ref)}`,
      });
  }
  const present: string[] = [];
  const missing: string[] = [];
  for (const ref of refs) ((await inspectImage(api, ref)) === null ? missing : present).push(ref);
  if (present.length === 0) return { tar: null, missing };
  const tar = await api.call(
    "save images",
    present.join(", "),
    (abortSignal) =>
      // dockerode's getImages is untyped: the same request through the modem (names repeat in the query).
      api.dial<NodeJS.ReadableStream>({
        path: "/images/get?",
        method: "GET",
        options: { names: present },
        isStream: true,
        abortSignal,
        statusCodes: { 200: true, 500: "server error" },
      }),
    TRANSFER_TIMEOUT_MS,
  );
  return { tar, missing };
}

/** `docker load` of a tar made by saveImages; resolves once the engine has loaded all of it. */
export async function loadImages(api: EngineApi, tar: NodeJS.ReadableStream): Promise<void> {
  const answer = await api.call(
    "load images",
    "archive",
    (abortSignal) => api.docker.loadImage(tar, { quiet: true, abortSignal }),
    TRANSFER_TIMEOUT_MS,
  );
  const result = await readProgress(answer);
  if (result.error !== null)
    throw new EngineError({ code: "INVALID", operation: "load images", resource: "archive", message: `load images: ${result.error}` });
}

/** An empty tar: two 512-byte zero blocks. */
function emptyTar(): NodeJS.ReadableStream {
  return Readable.from([Buffer.alloc(1024)]);
}

async function ensureCopyImage(api: EngineApi): Promise<void> {
  if ((await inspectImage(api, VOLUME_COPY_IMAGE)) !== null) return;
  const [repo, tag] = VOLUME_COPY_IMAGE.split(":") as [string, string];
  const answer = await api.call("import image", VOLUME_COPY_IMAGE, (abortSignal) =>
    api.docker.importImage(emptyTar(), { repo, tag, abortSignal }),
  );
  const result = await readProgress(answer);
  if (result.error !== null)
    throw new EngineError({
      code: "INVALID",
      operation: "import image",
      resource: VOLUME_COPY_IMAGE,
      message: `import image ${VOLUME_COPY_IMAGE}: ${result.error}`,
    });
}

function checkVolumeName(operation: string, projectId: string, name: string): string {
  assertValidId(projectId, "project id", operation);
  if (typeof name !== "string" || !VOLUME_NAME.test(name)) {
    throw new EngineError({
      code: "INVALID",
      operation,
      resource: String(name),
      message: `${operation}: invalid volume name ${JSON.stringify(name)}`,
    });
  }
  return buildVolumeName(projectId, name);
}

/** Run `use` with a never-started helper container that mounts the volume at /volume; always removes it. */
async function withCopyContainer<T>(api: EngineApi, volumeName: string, readOnly: boolean, use: (id: string) => Promise<T>): Promise<T> {
  await ensureCopyImage(api);
  const name = `berth-volume-copy-${randomBytes(4).toString("hex")}`;
  const created = await api.call("create container", name, (abortSignal) =>
    api.docker.createContainer({
      name,
      Image: VOLUME_COPY_IMAGE,
      // Never started; the engine only wants a command to create it.
      Cmd: ["/none"],
      NetworkDisabled: true,
      Labels: { "io.berth.volume-copy": volumeName },
      HostConfig: { Mounts: [{ Type: "volume", Source: volumeName, Target: MOUNT, ReadOnly: readOnly }] },
      abortSignal,
    }),
  );
  try {
    return await use(created.id);
  } finally {
    await api
      .call("remove container", name, (abortSignal) => api.docker.getContainer(created.id).remove({ force: true, abortSignal }))
      .catch(() => undefined);
  }
}

/**
 * The files of one of a project's Berth volumes as a tar (entries under `volume/`, owners and
 * modes kept), handed to `write`, which must consume it. Read while the volume is in use: a
 * database's files copied this way are only as consistent as a copy of a running database.
 */
export async function exportVolume(
  api: EngineApi,
  projectId: string,
  name: string,
  write: (tar: NodeJS.ReadableStream) => Promise<void>,
): Promise<void> {
  const volumeName = checkVolumeName("export volume", projectId, name);
  const info = await inspectVolume(api, volumeName);
  if (info === null || !isManagedByBerth(info.Labels) || info.Labels?.[LABEL_PROJECT] !== projectId || info.Labels[LABEL_VOLUME] !== name) {
    throw new EngineError({
      code: "NOT_FOUND",
      operation: "export volume",
      resource: volumeName,
      message: `export volume ${volumeName}: not Berth's volume ${name} of project ${projectId}`,
    });
  }
  await withCopyContainer(api, volumeName, true, async (id) => {
    const tar = await api.call(
      "read volume",
      volumeName,
      (abortSignal) => api.docker.getContainer(id).getArchive({ path: MOUNT, abortSignal }),
      TRANSFER_TIMEOUT_MS,
    );
    await write(tar);
  });
}

/**
 * Create a project's Berth volume (labelled as ensureVolumes would) when absent and unpack a
 * tar made by exportVolume into it. A same-named volume that is not Berth's is refused.
 */
export async function importVolume(
  api: EngineApi,
  owner: { teamId: string; projectId: string },
  name: string,
  tar: NodeJS.ReadableStream,
): Promise<void> {
  const volumeName = checkVolumeName("import volume", owner.projectId, name);
  assertValidId(owner.teamId, "team id", "import volume");
  const existing = await inspectVolume(api, volumeName);
  if (existing !== null && !isManagedByBerth(existing.Labels)) {
    throw new EngineError({
      code: "CONFLICT",
      operation: "import volume",
      resource: volumeName,
      message: `import volume ${volumeName}: a volume with this name exists and is not managed by Berth; it was left untouched`,
    });
  }
  if (existing === null) {
    const labels = buildResourceLabels(owner, { [LABEL_VOLUME]: name });
    await api.call("create volume", volumeName, (abortSignal) =>
      api.docker.createVolume({ Name: volumeName, Labels: labels, abortSignal }),
    );
  }
  await withCopyContainer(api, volumeName, false, async (id) => {
    // The tar's entries are under `volume/`: unpacked at the root, they land in the mount.
    await api.call(
      "write volume",
      volumeName,
      (abortSignal) => api.docker.getContainer(id).putArchive(tar, { path: "/", abortSignal }),
      TRANSFER_TIMEOUT_MS,
    );
  });
}
