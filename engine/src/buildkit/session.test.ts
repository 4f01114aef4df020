import { describe, expect, it } from "vitest";
import { grpcFrame, grpcUnframe, GRPC_NOT_FOUND, GRPC_OK } from "./grpc.ts";
import { GET_SECRET_METHOD, HEALTH_CHECK_METHOD, sessionHandlers } from "./session.ts";
import { bytesFields, decodeFields, encodeBytesField, varintField } from "./wire.ts";

const handlers = sessionHandlers(new Map([["tok", Buffer.from("s3cret")]]));
const getSecret = (id: string) => handlers[GET_SECRET_METHOD]?.(encodeBytesField(1, Buffer.from(id)));

describe("BuildKit session handlers", () => {
  it("answers GetSecret with the secret's bytes", () => {
    const reply = getSecret("tok");
    expect(reply?.status).toBe(GRPC_OK);
    expect(reply && "message" in reply ? bytesFields(decodeFields(reply.message), 1)[0]?.toString() : null).toBe("s3cret");
  });

  it("answers NotFound for an unknown id, naming only the id", () => {
    expect(getSecret("other")).toEqual({ status: GRPC_NOT_FOUND, error: "secret other not found" });
  });

  it("answers the health check with SERVING", () => {
    const reply = handlers[HEALTH_CHECK_METHOD]?.(Buffer.alloc(0));
    expect(reply && "message" in reply ? varintField(decodeFields(reply.message), 1) : null).toBe(1n);
  });
});

describe("gRPC framing", () => {
  it("round-trips a message and refuses short or compressed frames", () => {
    expect(grpcUnframe(grpcFrame(Buffer.from("abc")))).toEqual(Buffer.from("abc"));
    expect(grpcUnframe(Buffer.from([0, 0, 0]))).toMatch(/shorter/);
    expect(grpcUnframe(Buffer.from([1, 0, 0, 0, 0]))).toMatch(/compressed/);
    expect(grpcUnframe(Buffer.from([0, 0, 0, 0, 9, 1]))).toMatch(/truncated/);
  });
});
