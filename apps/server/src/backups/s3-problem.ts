/**
 * What went wrong talking to an S3-compatible endpoint, in words a user can act on, and the
 * settings field it points at. PURE.
 */
export interface S3Problem {
  field: "endpoint" | "accessKeyId" | "secretAccessKey" | "bucket" | "region" | "prefix";
  message: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "TimeoutError",
]);

export function describeS3Error(err: unknown, where: { endpoint: string; bucket: string }): S3Problem {
  const e = (err ?? {}) as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const code = e.Code ?? e.name ?? "";
  const network = e.code ?? e.cause?.code ?? "";
  if (NETWORK_CODES.has(network) || NETWORK_CODES.has(code))
    return { field: "endpoint", message: `Cannot reach ${where.endpoint} (${network || code})` };
  if (code === "InvalidAccessKeyId")
    return { field: "accessKeyId", message: "The access key is not known to the storage (wrong access key ID)" };
  if (code === "SignatureDoesNotMatch")
    return { field: "secretAccessKey", message: "The secret key does not match the access key (wrong secret key)" };
  if (code === "NoSuchBucket" || (code === "NotFound" && e.$metadata?.httpStatusCode === 404))
    return { field: "bucket", message: `Bucket ${where.bucket} does not exist` };
  if (code === "AccessDenied" || e.$metadata?.httpStatusCode === 403)
    return { field: "accessKeyId", message: `Access denied to bucket ${where.bucket}: these credentials may not read and write it` };
  if (code === "AuthorizationHeaderMalformed" || code === "IllegalLocationConstraintException")
    return { field: "region", message: `Wrong region for bucket ${where.bucket}` };
  return { field: "endpoint", message: `The storage answered: ${(e.message || code || "unknown error").slice(0, 300)}` };
}
