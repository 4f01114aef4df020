/**
 * Input validators shared by the engine (which throws EngineError INVALID before any
 * engine call) and the control plane (form validation). Pure; no engine access.
 */
import { EngineError } from "./errors.ts";
import type { OwnerRef, ReleaseSpec } from "./port-types.ts";
import { isValidEnvName } from "./env-name.ts";
import { assertValidReleaseExtras } from "./validate-spec.ts";

// Docker reference grammar (distribution/reference), restricted to what Berth accepts:
//   [host[:port]/]path-component[/path-component...][:tag][@sha256:<64 hex>]
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|-+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
// A first component is a registry host only if it looks like one (has a dot or a port,
// or is localhost); otherwise it is a lowercase path component, as in Docker.
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})+(?::[0-9]{1,5})?|${DOMAIN_COMPONENT}:[0-9]{1,5}|localhost)`;
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const DIGEST = "sha256:[a-f0-9]{64}";
const IMAGE_REF = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);
const MAX_IMAGE_REF_LENGTH = 512;
const MAX_IMAGE_NAME_LENGTH = 255;

const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const OPAQUE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A Docker image reference Berth will hand to the engine, e.g. `nginx:1.27`, `ghcr.io/a/b@sha256:…`. */
export function isValidImageRef(ref: string): boolean {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > MAX_IMAGE_REF_LENGTH) return false;
  if (!IMAGE_REF.test(ref)) return false;
  const name = ref.split("@")[0] ?? "";
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  const repository = colon === -1 ? name : name.slice(0, colon);
  return repository.length <= MAX_IMAGE_NAME_LENGTH;
}

/** A TCP port number: an integer in 1..65535. */
export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

export { ENV_NAME_RULE, isValidEnvName } from "./env-name.ts";

/** An environment value: any string without NUL (values are passed as data, never through a shell). */
export function isValidEnvValue(value: string): boolean {
  return typeof value === "string" && !value.includes("\0");
}

/** A service name usable in container names: a DNS label (lowercase, digits, inner dashes, ≤ 63). */
export function isValidServiceName(name: string): boolean {
  return typeof name === "string" && SERVICE_NAME.test(name);
}

/** An opaque id (team, project, service, deployment): `^[A-Za-z0-9_-]+$`, at most 128 chars. */
export function isValidId(id: string): boolean {
  return typeof id === "string" && OPAQUE_ID.test(id);
}

function invalid(operation: string, resource: string, message: string): EngineError {
  return new EngineError({ code: "INVALID", operation, resource, message });
}

export function assertValidImageRef(image: string, operation: string): void {
  if (!isValidImageRef(image)) {
    throw invalid(operation, String(image), `invalid image reference ${JSON.stringify(image)}`);
  }
}

export function assertValidId(id: string, what: string, operation: string): void {
  if (!isValidId(id)) {
    throw invalid(operation, String(id), `invalid ${what} ${JSON.stringify(id)}: expected ^[A-Za-z0-9_-]+$`);
  }
}

export function assertValidOwner(owner: OwnerRef, operation: string): void {
  assertValidId(owner.teamId, "team id", operation);
  assertValidId(owner.projectId, "project id", operation);
  assertValidId(owner.serviceId, "service id", operation);
}

/** Everything runRelease needs checked before it may talk to the engine. */
export function assertValidReleaseSpec(spec: ReleaseSpec, operation = "run release"): void {
  const resource = spec.serviceName;
  assertValidOwner(spec.owner, operation);
  assertValidId(spec.deploymentId, "deployment id", operation);
  if (!isValidServiceName(spec.serviceName)) {
    throw invalid(operation, String(resource), `invalid service name ${JSON.stringify(spec.serviceName)}: expected a DNS label`);
  }
  assertValidImageRef(spec.image, operation);
  if (spec.containerPort !== undefined && !isValidPort(spec.containerPort)) {
    throw invalid(operation, resource, `invalid container port ${JSON.stringify(spec.containerPort)}: expected 1-65535`);
  }
  for (const [name, value] of Object.entries(spec.env)) {
    if (!isValidEnvName(name)) throw invalid(operation, resource, `invalid environment variable name ${JSON.stringify(name)}`);
    if (!isValidEnvValue(value))
      throw invalid(operation, resource, `environment variable ${name} has an invalid value (a string without NUL is required)`);
  }
  if (spec.command !== undefined) {
    if (!Array.isArray(spec.command) || spec.command.length === 0) {
      throw invalid(operation, resource, "command must be a non-empty array of arguments");
    }
    if (spec.command.some((arg) => typeof arg !== "string" || arg.includes("\0"))) {
      throw invalid(operation, resource, "command arguments must be strings without NUL");
    }
  }
  assertValidReleaseExtras(spec, operation);
}

const CONTAINER_REF = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** A container id or name as the caller may pass it (keeps API paths free of `/`, `?`, `..`). */
export function isValidContainerRef(ref: string): boolean {
  return typeof ref === "string" && CONTAINER_REF.test(ref);
}

export function assertValidContainerRef(ref: string, operation: string): void {
  if (!isValidContainerRef(ref)) throw invalid(operation, String(ref), `invalid container id ${JSON.stringify(ref)}`);
}

/** A stop grace period: a whole number of seconds, 0..3600. */
export function assertValidGrace(graceSeconds: number, operation: string): void {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 3600) {
    throw invalid(operation, String(graceSeconds), `invalid grace period ${JSON.stringify(graceSeconds)}: expected whole seconds 0-3600`);
  }
}
