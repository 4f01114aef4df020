import type { ContainerEngine, ManagedContainer } from "@berth/engine";
import { isEngineError } from "@berth/engine";

export type RuntimeState = "running" | "exited" | "created" | "restarting" | "none" | "unknown";

export interface ServiceRuntime {
  state: RuntimeState;
  hostPort: number | null;
  url: string | null;
  restartCount: number;
  error: string | null;
}

function pickCurrent(containers: ManagedContainer[], currentDeploymentId: string | null): ManagedContainer | undefined {
  return containers.find((c) => c.deploymentId === currentDeploymentId) ?? containers.find((c) => c.state === "running") ?? containers[0];
}

/** What the engine says about a service right now; engine trouble is reported, not thrown. */
export async function readRuntime(engine: ContainerEngine, serviceId: string, currentDeploymentId: string | null): Promise<ServiceRuntime> {
  try {
    const current = pickCurrent(await engine.listManaged({ serviceId }), currentDeploymentId);
    if (!current) return { state: "none", hostPort: null, url: null, restartCount: 0, error: null };
    const state: RuntimeState =
      current.state === "running" || current.state === "restarting" || current.state === "created" ? current.state : "exited";
    const hostPort = state === "running" ? current.hostPort : null;
    return {
      state,
      hostPort,
      url: hostPort ? `http://127.0.0.1:${hostPort}` : null,
      restartCount: current.restartCount,
      error: null,
    };
  } catch (err) {
    const message = isEngineError(err) ? err.message : "The Docker Engine could not be asked";
    return { state: "unknown", hostPort: null, url: null, restartCount: 0, error: message };
  }
}
