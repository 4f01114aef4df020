/**
 * Browsers following a service's runtime log, in a process of their own (forked with an IPC
 * channel by log-followers.fault.test.ts): the control plane's event-loop delay measured in the
 * test process is then Berth's own, not the 200 clients' parsing.
 *   fork("test/log-follower-clients.ts", [], { execArgv: ["--import", "tsx"] })
 * Protocol: the parent sends { base, cookie, serviceId, followers, lines }; this process
 * answers { type: "ready" } once every follower is subscribed (or { type: "failed", error }),
 * { type: "progress", complete } each time a follower has the last line, and on
 * { type: "report" } the per-follower outcome { type: "report", counts, gaps, ends }.
 */
import { io as connect, type Socket } from "socket.io-client";
import type { LogLinesPayload } from "../src/realtime/events.ts";
import { unpackLogLines } from "../src/realtime/log-lines-payload.ts";

interface Start {
  base: string;
  cookie: string;
  serviceId: string;
  followers: number;
  lines: number;
}

const send = (message: unknown) => process.send?.(message);
const SUBSCRIBE_WAVE = 20;

function follow(start: Start): void {
  const seen: number[][] = Array.from({ length: start.followers }, () => []);
  const ends: string[] = [];
  const sockets: Socket[] = [];
  let complete = 0;
  for (let i = 0; i < start.followers; i++) {
    const socket = connect(start.base, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: { cookie: start.cookie },
      reconnection: false,
      autoConnect: false,
      timeout: 120_000,
    });
    socket.on("logs:lines", (e: LogLinesPayload) => {
      const mine = seen[i]!;
      for (const line of unpackLogLines(e)) {
        const n = /^line (\d+)$/.exec(line.text.trim());
        if (!n) continue;
        mine.push(Number(n[1]));
        if (Number(n[1]) === start.lines) send({ type: "progress", complete: ++complete });
      }
    });
    socket.on("logs:end", (e: { reason: string }) => ends.push(`${i}: ${e.reason}`));
    sockets.push(socket);
  }
  process.on("message", (m: { type?: string }) => {
    if (m.type !== "report") return;
    send({
      type: "report",
      counts: seen.map((s) => s.length),
      gaps: seen.filter((s) => s.some((n, k) => n !== k + 1)).length,
      ends,
    });
    for (const s of sockets) s.close();
    process.disconnect?.();
  });
  const connected = (s: Socket) =>
    new Promise<void>((resolve, reject) => (s.connected ? resolve() : s.once("connect", () => resolve()).once("connect_error", reject)));
  const subscribe = (s: Socket) =>
    s.timeout(120_000).emitWithAck("logs:subscribe", { serviceId: start.serviceId }) as Promise<{ ok: boolean; error?: string }>;
  const join = async (s: Socket) => {
    s.connect();
    await connected(s);
    return subscribe(s);
  };
  // In waves, as browsers arrive: 200 sign-ins and subscriptions in the same instant each want
  // the database (session, authorization, the live container, redaction) and outwait the pool's
  // 5 s on a loaded machine. All 200 follow at once once in.
  (async () => {
    const acks: { ok: boolean; error?: string }[] = [];
    for (let i = 0; i < sockets.length; i += SUBSCRIBE_WAVE)
      acks.push(...(await Promise.all(sockets.slice(i, i + SUBSCRIBE_WAVE).map(join))));
    return acks;
  })()
    .then((acks) => {
      const refused = acks.filter((a) => !a.ok);
      send(
        refused.length === 0
          ? { type: "ready" }
          : { type: "failed", error: `${refused.length} subscriptions refused: ${refused[0]?.error}` },
      );
    })
    .catch((err: unknown) => send({ type: "failed", error: String(err) }));
}

process.once("message", (m: Start) => follow(m));
