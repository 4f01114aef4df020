import type { LogLine } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { redact } from "../secrets/redaction.ts";
import { findLiveContainer } from "./live-container.ts";
import { logRedactionNeedles } from "./runtime-logs.ts";

export type ServiceLogLine = LogLine;

/** History sent when the viewer asks for everything since a time (the client keeps at most 100k). */
const MAX_SINCE_LINES = 100_000;

/**
 * Follow the runtime log of the service's live container, its secret variables redacted (also
 * in their base64 forms): the last 200 lines, or everything since `since` (unix seconds), then
 * live. `onEnd` is called when the stream ends by itself (the container stopped, was replaced
 * or removed), never after the returned stop. Null when the service has no running container.
 * The caller has authorized the viewer.
 */
export async function followServiceLogs(
  deps: Pick<Deps, "db" | "engine" | "env" | "box">,
  serviceId: string,
  options: { since?: number | undefined },
  onLine: (line: ServiceLogLine) => void,
  onEnd: (err?: Error) => void,
): Promise<(() => void) | null> {
  const live = await findLiveContainer(deps, serviceId);
  if (!live) return null;
  const needles = await logRedactionNeedles(deps, serviceId);
  return deps.engine.followLogs(
    live.containerId,
    options.since === undefined ? { tail: 200 } : { since: options.since, tail: MAX_SINCE_LINES },
    (line) => onLine(needles.length > 0 ? { ...line, text: redact(line.text, needles) } : line),
    onEnd,
  );
}
