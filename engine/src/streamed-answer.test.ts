/**
 * The HTTP/1.0 reading of a streamed answer, against a scripted server on loopback: the byte
 * sequences the engine's answers can arrive in (a head cut anywhere, a body that ends with the
 * head, an error answer) cannot be forced from the real engine; the real engine's logs are read
 * through this in engine/test/logs.int.test.ts and the log gateway's tests.
 */
import net from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { toEngineError } from "./errors.ts";
import { streamedAnswer, streamedFromReadable, streamedRequestHead } from "./streamed-answer.ts";

interface Scripted {
  port: number;
  /** The request each connection sent, once its head is complete. */
  requests: Promise<string>[];
  /** Resolves when the server saw the connection close. */
  closed: Promise<void>[];
  close(): Promise<void>;
}

/** A loopback server that runs `script` on each connection once its request head has arrived. */
async function scriptedServer(script: (socket: net.Socket) => void | Promise<void>): Promise<Scripted> {
  const requests: Promise<string>[] = [];
  const closed: Promise<void>[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    closed.push(new Promise((resolve) => socket.on("close", () => resolve())));
    socket.on("error", () => undefined);
    requests.push(
      new Promise((resolve) => {
        let text = "";
        socket.on("data", (chunk: Buffer) => {
          const before = text.includes("\r\n\r\n");
          text += chunk.toString("latin1");
          if (!before && text.includes("\r\n\r\n")) {
            resolve(text);
            void script(socket);
          }
        });
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    requests,
    closed,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));
const HEAD = "HTTP/1.0 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n";

/** Collects what an answer hands on. */
function collector() {
  const chunks: Buffer[] = [];
  const ends: (Error | undefined)[] = [];
  let onEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (onEnded = resolve));
  return {
    onData: (chunk: Buffer) => chunks.push(chunk),
    onEnd: (err?: Error) => {
      ends.push(err);
      onEnded();
    },
    text: () => Buffer.concat(chunks).toString("utf8"),
    ends,
    ended,
  };
}

let server: Scripted | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const connect = (s: Scripted) => net.connect({ host: "127.0.0.1", port: s.port });

describe("streamedAnswer", () => {
  it("asks in HTTP/1.0 and hands on the body after a head cut anywhere, what came before start first, in order", async () => {
    server = await scriptedServer(async (socket) => {
      socket.write(HEAD.slice(0, 7));
      await tick();
      socket.write(HEAD.slice(7, HEAD.length - 1));
      await tick();
      socket.write(`${HEAD.slice(-1)}one\n`);
      await tick();
      socket.write("two\n");
      await tick(60);
      socket.end("three\n");
    });
    const head = streamedRequestHead("v1.41", "/containers/abc/logs", { follow: true, tail: 0 }, "docker");
    const answer = await streamedAnswer(connect(server), head, new AbortController().signal);
    expect(await server.requests[0]).toBe(
      "GET /v1.41/containers/abc/logs?follow=true&tail=0 HTTP/1.0\r\nHost: docker\r\nUser-Agent: berth\r\n\r\n",
    );
    await tick(40); // "two" arrives while nobody has started reading: it waits
    const seen = collector();
    answer.start(seen.onData, seen.onEnd);
    await seen.ended;
    expect(seen.text()).toBe("one\ntwo\nthree\n");
    expect(seen.ends).toEqual([undefined]);
  });

  it("ends a body the engine closed together with its head, even when read after that", async () => {
    server = await scriptedServer((socket) => void socket.end(HEAD));
    const answer = await streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", new AbortController().signal);
    await tick(40);
    const seen = collector();
    answer.start(seen.onData, seen.onEnd);
    await seen.ended;
    expect(seen.text()).toBe("");
    expect(seen.ends).toEqual([undefined]);
  });

  it("rejects an error answer with the engine's status and words, as the modem's errors carry them", async () => {
    server = await scriptedServer((socket) => {
      socket.write('HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{"message":"No such container: ');
      socket.end('abc"}\n');
    });
    const failed = await streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", new AbortController().signal).catch((e: unknown) => e);
    expect(failed).toMatchObject({ statusCode: 404, json: { message: "No such container: abc" } });
    expect(toEngineError(failed, "follow logs", "abc")).toMatchObject({
      code: "NOT_FOUND",
      message: "follow logs abc: No such container: abc",
    });
  });

  it("rejects an answer that is not HTTP, and a connection closed before any answer", async () => {
    server = await scriptedServer((socket) => void socket.write("SSH-2.0-OpenSSH\r\n\r\n"));
    await expect(streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", new AbortController().signal)).rejects.toThrow(/not HTTP/);
    await server.close();
    server = await scriptedServer((socket) => void socket.end());
    await expect(streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", new AbortController().signal)).rejects.toThrow(
      /closed the connection before it answered/,
    );
  });

  it("an abort ends the body with an AbortError and closes the connection", async () => {
    server = await scriptedServer((socket) => void socket.write(`${HEAD}first\n`));
    const controller = new AbortController();
    const answer = await streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", controller.signal);
    const seen = collector();
    answer.start(seen.onData, seen.onEnd);
    await tick();
    controller.abort();
    await seen.ended;
    await server.closed[0];
    expect(seen.text()).toBe("first\n");
    expect(seen.ends).toHaveLength(1);
    expect(seen.ends[0]).toMatchObject({ name: "AbortError" });
  });

  it("an abort before the head arrives rejects, and the connection is closed", async () => {
    server = await scriptedServer(() => undefined);
    const controller = new AbortController();
    const pending = streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", controller.signal);
    await tick(40);
    await server.requests[0];
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await server.closed[0];
  });

  it("stop closes the connection and hands on nothing more, not even the end", async () => {
    let write: (text: string) => void = () => undefined;
    server = await scriptedServer((socket) => {
      socket.write(`${HEAD}a\n`);
      write = (text) => socket.write(text);
    });
    const answer = await streamedAnswer(connect(server), "GET / HTTP/1.0\r\n\r\n", new AbortController().signal);
    const seen = collector();
    answer.start(seen.onData, seen.onEnd);
    await tick();
    answer.stop();
    write("b\n");
    await server.closed[0];
    await tick();
    expect(seen.text()).toBe("a\n");
    expect(seen.ends).toEqual([]);
  });
});

describe("streamedRequestHead", () => {
  it("encodes every query value: nothing a caller passes can end the request line", () => {
    const head = streamedRequestHead("v1.41", "/containers/x/logs", { since: 1.5, until: "1 HTTP/1.1\r\nX-Evil: 1" }, "docker");
    expect(head.split("\r\n")[0]).toBe("GET /v1.41/containers/x/logs?since=1.5&until=1+HTTP%2F1.1%0D%0AX-Evil%3A+1 HTTP/1.0");
    expect(head.endsWith("\r\n\r\n")).toBe(true);
    expect(head.split("\r\n")).toHaveLength(5);
  });
});

describe("streamedFromReadable (SSH engines: docker-modem's answer)", () => {
  it("hands on the stream's data and its end once; after stop, nothing", async () => {
    const source = new PassThrough();
    source.write("before start\n");
    const seen = collector();
    streamedFromReadable(source).start(seen.onData, seen.onEnd);
    source.end("last\n");
    await seen.ended;
    await tick();
    expect(seen.text()).toBe("before start\nlast\n");
    expect(seen.ends).toEqual([undefined]);

    const stopped = new PassThrough();
    const quiet = collector();
    const answer = streamedFromReadable(stopped);
    answer.start(quiet.onData, quiet.onEnd);
    answer.stop();
    await tick();
    expect(stopped.destroyed).toBe(true);
    expect(quiet.ends).toEqual([]);
  });
});
