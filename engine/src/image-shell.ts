/**
 * Whether an image has `/bin/sh`, asked without running anything: a never-started container of
 * the image is created, `/bin/sh` is stat'ed through the archive endpoint, and the container is
 * removed. Swarm's default TCP probe (swarm/service-spec.ts, tcpProbe) runs through a shell; an
 * image without one (scratch, distroless) would never turn healthy under it.
 */
import { randomBytes } from "node:crypto";
import type { EngineApi } from "./engine-api.ts";
import { createContainer, removeContainerForce } from "./containers.ts";
import { isEngineError } from "./errors.ts";

/** The label of the short-lived container; a crash between create and remove leaves one, found by it. */
export const SHELL_CHECK_LABEL = "io.berth.shell-check";

export async function imageHasShell(api: EngineApi, image: string): Promise<boolean> {
  const name = `berth-shell-check-${randomBytes(4).toString("hex")}`;
  // Never started: the engine only wants a command to create it.
  const container = await createContainer(api, {
    name,
    Image: image,
    Cmd: ["/none"],
    Entrypoint: [],
    NetworkDisabled: true,
    Labels: { [SHELL_CHECK_LABEL]: image },
  });
  try {
    await api.call("stat /bin/sh", image, (abortSignal) =>
      api.dial({
        path: `/containers/${container.id}/archive?`,
        method: "HEAD",
        options: { path: "/bin/sh" },
        abortSignal,
        statusCodes: { 200: true, 400: "bad parameter", 404: "no such file", 500: "server error" },
      }),
    );
    return true;
  } catch (err) {
    if (isEngineError(err, "NOT_FOUND")) return false;
    throw err;
  } finally {
    await removeContainerForce(api, container.id).catch(() => undefined);
  }
}
