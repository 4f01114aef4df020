/**
 * A Swarm task's container on the node that runs it (asked through THAT node's engine): found by
 * the label Swarm puts on it (`com.docker.swarm.task.id`) together with Berth's own labels of the
 * service, so a task id of another service (or a container Berth does not manage) finds nothing.
 */
import type { EngineApi } from "../engine-api.ts";
import { LABEL_SWARM_TASK_ID, managedFilters } from "../labels.ts";
import { assertValidId } from "../validate.ts";

/** The running container of `taskId` (a task of Berth service `serviceId`) on this engine; null when none runs here. */
export async function findTaskContainer(api: EngineApi, serviceId: string, taskId: string): Promise<string | null> {
  const operation = "find task container";
  assertValidId(serviceId, "service id", operation);
  assertValidId(taskId, "task id", operation);
  const filters = managedFilters(serviceId);
  filters.label.push(`${LABEL_SWARM_TASK_ID}=${taskId}`);
  const found = await api.call(operation, taskId, (abortSignal) => api.docker.listContainers({ all: false, filters, abortSignal }));
  return found.find((c) => c.Labels?.[LABEL_SWARM_TASK_ID] === taskId)?.Id ?? null;
}
