import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { probeTcp, probeTcpDirect } from "./probe.ts";

const servers: net.Server[] = [];

async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe("probeTcp", () => {
  it("is ready when the peer accepts and keeps the connection open", async () => {
    const sockets: net.Socket[] = [];
    const port = await listen((socket) => sockets.push(socket));
    expect(await probeTcp(port, { settleMs: 50 })).toBe(true);
    sockets.forEach((s) => s.destroy());
  });

  it("is ready when the peer greets and hangs up", async () => {
    const port = await listen((socket) => socket.end("220 hello\r\n"));
    expect(await probeTcp(port, { settleMs: 200 })).toBe(true);
  });

  it("is NOT ready when the peer accepts then closes at once (Docker's proxy with no backend)", async () => {
    const port = await listen((socket) => socket.destroy());
    expect(await probeTcp(port, { settleMs: 200 })).toBe(false);
  });

  it("is NOT ready when nothing listens", async () => {
    const port = await listen(() => undefined);
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    expect(await probeTcp(port)).toBe(false);
  });
});

describe("probeTcpDirect", () => {
  it("is open when something listens and refused when nothing does", async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    expect(await probeTcpDirect("127.0.0.1", port)).toBe("open");
    await new Promise<void>((r) => server.close(() => r()));
    expect(await probeTcpDirect("127.0.0.1", port)).toBe("refused");
  });
});
