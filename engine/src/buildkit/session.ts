/**
 * A BuildKit session: `POST /session` upgraded to h2c, on which the daemon calls us back as
 * a gRPC client. We serve the build's secrets (`RUN --mount=type=secret,id=...`) and the
 * health check the daemon polls. Secrets stay in this process' memory: they travel only as
 * GetSecret answers on this connection, never in a request URL, header, file or log.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type { EngineApi } from "../engine-api.ts";
import { GRPC_NOT_FOUND, GRPC_OK, serveGrpc, type GrpcHandlers } from "./grpc.ts";
import { decodeFields, encodeBytesField, encodeVarintField, stringField } from "./wire.ts";

export const GET_SECRET_METHOD = "/moby.buildkit.secrets.v1.Secrets/GetSecret";
export const HEALTH_CHECK_METHOD = "/grpc.health.v1.Health/Check";
const HEALTH_SERVING = 1;

/** The session's gRPC methods (pure: secrets are only looked up, never copied). */
export function sessionHandlers(secrets: ReadonlyMap<string, Buffer>): GrpcHandlers {
  return {
    [GET_SECRET_METHOD]: (request) => {
      // GetSecretRequest { string ID = 1; map<string,string> annotations = 2 }
      const id = stringField(decodeFields(request), 1);
      const data = secrets.get(id);
      if (data === undefined) return { status: GRPC_NOT_FOUND, error: `secret ${id} not found` };
      // GetSecretResponse { bytes data = 1 }
      return { status: GRPC_OK, message: encodeBytesField(1, data) };
    },
    // HealthCheckResponse { ServingStatus status = 1 }
    [HEALTH_CHECK_METHOD]: () => ({ status: GRPC_OK, message: encodeVarintField(1, HEALTH_SERVING) }),
  };
}

export interface BuildSession {
  id: string;
  /** The first connection error seen before close (a broken session also fails the build). */
  error(): Error | null;
  close(): void;
}

export async function openBuildSession(api: EngineApi, secrets: Record<string, string>): Promise<BuildSession> {
  const id = randomUUID();
  const values = new Map(Object.entries(secrets).map(([key, value]) => [key, Buffer.from(value, "utf8")]));
  const handlers = sessionHandlers(values);
  const socket = await api.call("open build session", id, (abortSignal) =>
    api.dial<Duplex>({
      path: "/session",
      method: "POST",
      hijack: true,
      abortSignal,
      headers: {
        Upgrade: "h2c",
        "X-Docker-Expose-Session-Uuid": id,
        "X-Docker-Expose-Session-Name": "berth",
        "X-Docker-Expose-Session-Sharedkey": randomBytes(16).toString("hex"),
        "X-Docker-Expose-Session-Grpc-Method": Object.keys(handlers),
      },
      statusCodes: { 101: true, 200: true, 400: "bad request", 404: "no such endpoint", 500: "server error" },
    } as Parameters<EngineApi["dial"]>[0]),
  );
  let firstError: Error | null = null;
  let closed = false;
  const connection = serveGrpc(socket, handlers, (err) => {
    if (!closed && firstError === null) firstError = err;
  });
  return {
    id,
    error: () => firstError,
    close() {
      closed = true;
      connection.close();
      values.clear();
    },
  };
}
