// `logs:lines` on the wire, packed by the server and unpacked by every client (the web app imports
// it as @berth/server/log-lines-payload). Only type imports here: it is bundled into the browser.
import type { LogLinesPayload } from "./events.ts";
import type { ServiceLogLine } from "../services/log-follower.ts";

/**
 * One batch of one container's lines in columns: about half the bytes of an object per line (a
 * 100k-line flood is ~4 MB instead of ~7.5 MB), so half the encoding and socket writes on the
 * server and half the decoding in each viewer. The hub's batches come from one shared stream
 * (one container, so one cluster task): the task, if any, is the first line's.
 */
export function packLogLines(serviceId: string, lines: readonly ServiceLogLine[]): LogLinesPayload {
  const time: string[] = new Array<string>(lines.length);
  const text: string[] = new Array<string>(lines.length);
  const stderr: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    time[i] = line.time;
    text[i] = line.text;
    if (line.stream === "stderr") stderr.push(i);
  }
  const first = lines[0];
  const task = first?.taskId === undefined ? {} : { task: { label: first.task ?? "", id: first.taskId } };
  return { serviceId, time, text, stderr, ...task };
}

/** The lines of a `logs:lines` batch, in order. */
export function unpackLogLines(payload: LogLinesPayload): ServiceLogLine[] {
  const onStderr = new Set(payload.stderr);
  const task = payload.task;
  const lines: ServiceLogLine[] = new Array<ServiceLogLine>(payload.text.length);
  for (let i = 0; i < payload.text.length; i++) {
    const stream = onStderr.has(i) ? "stderr" : "stdout";
    const time = payload.time[i] ?? "";
    const text = payload.text[i]!;
    lines[i] = task === undefined ? { stream, time, text } : { stream, time, text, task: task.label, taskId: task.id };
  }
  return lines;
}
