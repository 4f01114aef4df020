/**
 * Archive a project's named volume and put an archive back, through a helper container made
 * from the service's own release image (already on the host: nothing is pulled). The archive
 * streams through the engine's archive API (GET/PUT /containers/{id}/archive): never a shell,
 * never a temporary copy. Entries are `volume/...` (the helper mounts the volume at /volume).
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { ContainerCreateOptions } from "dockerode";
import { createContainer, inspectContainer, listManagedContainers, removeContainerForce, startContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage } from "./errors.ts";
import { buildResourceLabels, LABEL_ONE_OFF } from "./labels.ts";
import { buildVolumeName } from "./names.ts";
import { assertValidId } from "./validate.ts";
import { VOLUME_NAME } from "./validate-spec.ts";

export interface VolumeRef {
  owner: { teamId: string; projectId: string; serviceId: string };
  /** The volume's name in the project (as in the service's settings). */
  volume: string;
}

/** Where the helper mounts the volume; archive entries start with this directory's name. */
export const VOLUME_MOUNT = "/volume";

/**
 * The helper's create options. PURE. Labelled as a one-off of the service (never a release, kept
 * out of release listings, removed with the service); no network; the volume mounted without
 * copying the image's files into it.
 */
export function buildVolumeHelperSpec(ref: VolumeRef, image: string, helperId: string, argv?: string[]): ContainerCreateOptions {
  return {
    name: `berth-volume-${helperId}`,
    Image: image,
    Labels: buildResourceLabels(ref.owner, { [LABEL_ONE_OFF]: helperId }),
    ...(argv ? { Entrypoint: [argv[0]!], Cmd: argv.slice(1) } : { Entrypoint: ["/berth-never-started"], Cmd: [] }),
    User: "0:0",
    NetworkDisabled: true,
    HostConfig: {
      Mounts: [
        {
          Type: "volume",
          Source: buildVolumeName(ref.owner.projectId, ref.volume),
          Target: VOLUME_MOUNT,
          VolumeOptions: { NoCopy: true } as NonNullable<
            NonNullable<ContainerCreateOptions["HostConfig"]>["Mounts"]
          >[number]["VolumeOptions"],
        },
      ],
      RestartPolicy: { Name: "no" },
    },
  };
}

function check(ref: VolumeRef, operation: string): void {
  assertValidId(ref.owner.teamId, "team id", operation);
  assertValidId(ref.owner.projectId, "project id", operation);
  assertValidId(ref.owner.serviceId, "service id", operation);
  if (!VOLUME_NAME.test(ref.volume))
    throw new EngineError({
      code: "INVALID",
      operation,
      resource: ref.volume,
      message: `${operation}: ${JSON.stringify(ref.volume)} is not a volume name`,
    });
}

/** The image of the service's newest container (its image id: present on this host). */
async function serviceImage(api: EngineApi, ref: VolumeRef, operation: string): Promise<string> {
  const containers = (await listManagedContainers(api, ref.owner.serviceId)).sort((a, b) => b.Created - a.Created);
  const newest = containers[0];
  if (!newest)
    throw new EngineError({
      code: "NOT_FOUND",
      operation,
      resource: ref.owner.serviceId,
      message: `${operation}: the service has no container to take an image from; deploy it first`,
    });
  return newest.ImageID;
}

async function withHelper<T>(
  api: EngineApi,
  ref: VolumeRef,
  operation: string,
  argv: string[] | undefined,
  fn: (id: string) => Promise<T>,
): Promise<T> {
  check(ref, operation);
  const image = await serviceImage(api, ref, operation);
  const container = await createContainer(api, buildVolumeHelperSpec(ref, image, randomUUID().slice(0, 12), argv));
  try {
    return await fn(container.id);
  } finally {
    await removeContainerForce(api, container.id);
  }
}

/**
 * A tar stream of the volume's contents. `done` resolves once the stream has been consumed (or
 * abandoned) and the helper removed; call it after reading.
 */
export async function archiveVolume(api: EngineApi, ref: VolumeRef): Promise<{ stream: Readable; done: () => Promise<void> }> {
  const operation = "archive volume";
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let opened!: (s: Readable) => void;
  let failed!: (e: unknown) => void;
  const stream = new Promise<Readable>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  const helper = withHelper(api, ref, operation, undefined, async (id) => {
    const body = (await api.call(operation, ref.volume, (abortSignal) =>
      api.docker.getContainer(id).getArchive({ path: VOLUME_MOUNT, abortSignal }),
    )) as Readable;
    body.once("close", release);
    body.once("end", release);
    body.once("error", release);
    opened(body);
    await released;
  });
  helper.catch(failed);
  return { stream: await stream, done: () => helper };
}

/**
 * Replace the volume's contents with `archive` (entries `volume/...`, as archiveVolume makes
 * them). The service must be stopped by the caller. The helper first empties the volume with
 * `find /volume -mindepth 1 -maxdepth 1 -exec rm -rf {} +` (argv, no shell; POSIX, so BusyBox
 * and Debian images both have it); an image without `find` fails there, before anything was
 * deleted. The helper runs as root: it must remove whatever user wrote the files.
 */
export async function restoreVolume(api: EngineApi, ref: VolumeRef, archive: Readable): Promise<void> {
  const operation = "restore volume";
  await withHelper(
    api,
    ref,
    operation,
    ["find", VOLUME_MOUNT, "-mindepth", "1", "-maxdepth", "1", "-exec", "rm", "-rf", "{}", "+"],
    async (id) => {
      try {
        await startContainer(api, id);
      } catch (err) {
        throw new EngineError({
          code: "ENGINE_ERROR",
          operation,
          resource: ref.volume,
          message: `${operation} ${ref.volume}: could not empty the volume with the service's image (it needs find and rm): ${engineMessage(err)}; the volume is unchanged`,
          cause: err,
        });
      }
      const exit = (await api.call(
        operation,
        ref.volume,
        (abortSignal) => api.docker.getContainer(id).wait({ abortSignal }),
        10 * 60_000,
      )) as { StatusCode: number };
      if (exit.StatusCode !== 0) {
        const info = await inspectContainer(api, id);
        throw new EngineError({
          code: "ENGINE_ERROR",
          operation,
          resource: ref.volume,
          message: `${operation} ${ref.volume}: emptying the volume failed (exit code ${exit.StatusCode}${info?.State?.Error ? `: ${info.State.Error}` : ""}); it may be partly emptied`,
        });
      }
      // No deadline on the upload: it lasts as long as the archive is large.
      await api.call(
        operation,
        ref.volume,
        (abortSignal) => api.docker.getContainer(id).putArchive(archive, { path: "/", abortSignal }),
        24 * 3_600_000,
      );
    },
  );
}
