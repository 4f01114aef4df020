import { describe, expect, it } from "vitest";
import { describeS3Error } from "./s3-problem.ts";

const where = { endpoint: "https://s3.example.com", bucket: "db" };
const s3Error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe("describeS3Error", () => {
  it("names the field a user must fix", () => {
    expect(describeS3Error(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), where)).toEqual({
      field: "endpoint",
      message: "Cannot reach https://s3.example.com (ECONNREFUSED)",
    });
    expect(describeS3Error(s3Error("InvalidAccessKeyId", 403), where).field).toBe("accessKeyId");
    expect(describeS3Error(s3Error("SignatureDoesNotMatch", 403), where)).toEqual({
      field: "secretAccessKey",
      message: "The secret key does not match the access key (wrong secret key)",
    });
    expect(describeS3Error(s3Error("NoSuchBucket", 404), where)).toEqual({ field: "bucket", message: "Bucket db does not exist" });
    expect(describeS3Error(s3Error("AccessDenied", 403), where).message).toContain("Access denied to bucket db");
  });
});
