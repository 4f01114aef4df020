/**
 * Registry credentials for pulls. PURE. Credentials travel only in the X-Registry-Auth
 * header (dockerode's modem strips `authconfig` from the query), never in URLs, process
 * arguments or error messages.
 */
import { EngineError } from "./errors.ts";

export type RegistryAuth = { serveraddress: string; username: string; password: string } | { serveraddress: string; identitytoken: string };

/** The registry host of an image reference ("docker.io" when it names none). */
export function registryOf(image: string): string {
  const first = image.split("/")[0] ?? "";
  const hasHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasHost ? first : "docker.io";
}

/** Validate credentials for `image` and return the authconfig dockerode sends as X-Registry-Auth. */
export function buildAuthConfig(image: string, auth: RegistryAuth): Record<string, string> {
  const fail = (message: string): never => {
    throw new EngineError({ code: "INVALID", operation: "pull image", resource: image, message: `registry credentials: ${message}` });
  };
  if (typeof auth.serveraddress !== "string" || !/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(auth.serveraddress))
    fail("serveraddress must be a registry host[:port]");
  if (auth.serveraddress !== registryOf(image)) fail(`they are for ${auth.serveraddress}, the image is on ${registryOf(image)}`);
  if ("identitytoken" in auth) {
    if (typeof auth.identitytoken !== "string" || auth.identitytoken === "") fail("identitytoken must be a non-empty string");
    return { identitytoken: auth.identitytoken, serveraddress: auth.serveraddress };
  }
  if (typeof auth.username !== "string" || auth.username === "" || /[\0\n\r]/.test(auth.username))
    fail("username must be a non-empty single-line string");
  if (typeof auth.password !== "string" || auth.password === "" || auth.password.includes("\0"))
    fail("password must be a non-empty string");
  return { username: auth.username, password: auth.password, serveraddress: auth.serveraddress };
}

/** The X-Registry-Auth header value for an authconfig (base64url of its JSON), as the engine expects. */
export function encodeRegistryAuth(authconfig: Record<string, string>): string {
  return Buffer.from(JSON.stringify(authconfig)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}
