/**
 * The log benchmark's viewer, in a process of its own (as a browser is): it decodes what
 * socket.io delivers on its own CPU time, so the figure measures Berth's server and not the
 * viewer's decoding. Driven by bench/log-stream.ts over the fork's IPC channel:
 *  - { op: "burst", serviceId, lines, since? }: subscribe (with `since`: a history), count the
 *    numbered lines until `lines` came (or 2 minutes), answer with a Delivery;
 *  - { op: "latency", serviceId, ms }: subscribe for `ms`, answer with each numbered line's
 *    delay from the engine's timestamp to its receipt here.
 *
 * The first message, { op: "connect", base, cookie }, opens its socket (the session cookie travels
 * over IPC: never in a process's arguments, which any user of the host can read).
 *
 *   started by log-stream.ts: fork(log-receiver.ts)
 */
import { io as connect, type Socket } from "socket.io-client";
import type { LogLinesPayload } from "../src/realtime/events.ts";
import { unpackLogLines } from "../src/realtime/log-lines-payload.ts";
import { cpuMsSince } from "./bench-util.ts";
import type { ServiceLogLine } from "../src/services/log-follower.ts";

export interface Delivery {
  ms: number;
  lost: number;
  inOrder: boolean;
  /** From the ask (or, live, the first line) to the first line. */
  firstMs: number;
  /** CPU time this viewer spent receiving and decoding the lines (user + system). */
  cpuMs: number;
}

export type ReceiverAsk =
  | { op: "connect"; base: string; cookie: string }
  | { op: "burst"; serviceId: string; lines: number; since?: number }
  | { op: "latency"; serviceId: string; ms: number };

let socket: Socket;

/** Each line as it came, unpacked from its batch as the dashboard does. */
function subscribe(serviceId: string, onLine: (l: ServiceLogLine, at: number) => void, since?: number): Promise<unknown> {
  socket.on("logs:lines", (e: LogLinesPayload) => {
    const at = Date.now();
    if (e.serviceId === serviceId) for (const l of unpackLogLines(e)) onLine(l, at);
  });
  return socket.timeout(5000).emitWithAck("logs:subscribe", since === undefined ? { serviceId } : { serviceId, since });
}

function done(serviceId: string): void {
  socket.off("logs:lines");
  socket.emit("logs:unsubscribe", { serviceId });
}

/** First to last line live; from the ask with `since` (a history). */
async function burst(serviceId: string, lines: number, since?: number): Promise<Delivery> {
  const got: number[] = [];
  const cpu = process.cpuUsage();
  let first = 0;
  let last = 0;
  const asked = Date.now();
  await subscribe(
    serviceId,
    (l, at) => {
      if (!/^\d+$/.test(l.text)) return;
      if (got.length === 0) first = at;
      got.push(Number(l.text));
      last = at;
    },
    since,
  );
  const deadline = Date.now() + 120_000;
  while (got.length < lines && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  done(serviceId);
  return {
    ms: Math.max(1, last - (since === undefined ? first : asked)),
    lost: lines - got.length,
    inOrder: got.every((n, i) => n === i + 1),
    firstMs: since === undefined ? 0 : first - asked,
    cpuMs: cpuMsSince(cpu),
  };
}

async function latency(serviceId: string, ms: number): Promise<number[]> {
  const delays: number[] = [];
  await subscribe(serviceId, (l, at) => {
    if (/^\d+$/.test(l.text)) delays.push(at - Date.parse(l.time));
  });
  await new Promise((r) => setTimeout(r, ms));
  done(serviceId);
  return delays;
}

function answer(ask: ReceiverAsk): Promise<unknown> {
  if (ask.op === "connect") {
    socket = connect(ask.base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: ask.cookie } });
    return Promise.resolve(true);
  }
  return ask.op === "burst" ? burst(ask.serviceId, ask.lines, ask.since) : latency(ask.serviceId, ask.ms);
}

process.on("message", (ask: ReceiverAsk) => {
  answer(ask).then(
    (result) => process.send?.({ result }),
    (err: unknown) => process.send?.({ error: String(err) }),
  );
});
process.on("disconnect", () => {
  socket?.close();
  process.exit(0);
});
