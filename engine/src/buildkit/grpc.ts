/**
 * A minimal gRPC server over HTTP/2 without TLS (h2c) for the BuildKit session: the daemon
 * dials us as a gRPC CLIENT over the hijacked /session connection. Unary calls only: a
 * request is one frame (1 byte compressed flag + 4 byte big-endian length + protobuf), the
 * answer one frame plus `grpc-status` trailers. Unknown methods answer UNIMPLEMENTED.
 */
import http2 from "node:http2";
import type { Duplex } from "node:stream";

export const GRPC_OK = 0;
export const GRPC_NOT_FOUND = 5;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;

export type GrpcReply = { status: typeof GRPC_OK; message: Buffer } | { status: number; error: string };

/** Unary handlers by full method path, e.g. "/grpc.health.v1.Health/Check". */
export type GrpcHandlers = Record<string, (request: Buffer) => GrpcReply>;

/** Frames one protobuf message. PURE. */
export function grpcFrame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** The first message of a request body, or an error text. PURE. */
export function grpcUnframe(body: Buffer): Buffer | string {
  if (body.length < 5) return "request shorter than a gRPC frame";
  if (body[0] !== 0) return "compressed gRPC messages are not supported";
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) return "truncated gRPC frame";
  return body.subarray(5, 5 + length);
}

function replyTo(handlers: GrpcHandlers, method: string, body: Buffer): GrpcReply {
  const handler = handlers[method];
  if (handler === undefined) return { status: GRPC_UNIMPLEMENTED, error: `unknown method ${method}` };
  const request = grpcUnframe(body);
  if (typeof request === "string") return { status: GRPC_INTERNAL, error: request };
  return handler(request);
}

function answer(stream: http2.ServerHttp2Stream, reply: GrpcReply): void {
  if (stream.destroyed) return;
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => {
    const trailers: http2.OutgoingHttpHeaders = { "grpc-status": String(reply.status) };
    if ("error" in reply) trailers["grpc-message"] = encodeURIComponent(reply.error);
    stream.sendTrailers(trailers);
  });
  if ("message" in reply) stream.end(grpcFrame(reply.message));
  else stream.end();
}

export interface GrpcConnection {
  close(): void;
}

/** Serve `handlers` on an already connected socket (we are the HTTP/2 server side). */
export function serveGrpc(socket: Duplex, handlers: GrpcHandlers, onError: (err: Error) => void): GrpcConnection {
  const server = http2.createServer();
  server.on("stream", (stream, headers) => {
    const method = String(headers[":path"] ?? "");
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => answer(stream, replyTo(handlers, method, Buffer.concat(chunks))));
    stream.on("error", onError);
  });
  server.on("sessionError", onError);
  socket.on("error", onError);
  server.emit("connection", socket);
  return {
    close() {
      socket.destroy();
      server.close();
    },
  };
}
