/**
 * Whether an engine can sign in to a registry with these credentials (POST /auth: the engine
 * itself contacts the registry, so this also proves the registry is reachable from that engine).
 * The credentials travel in the request body only; a refusal's error carries neither them nor
 * the request (no `cause`). Refused credentials are INVALID with `details.statusCode` 401.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, engineStatusCode } from "./errors.ts";
import type { RegistryAuth } from "./registry-auth.ts";

export async function registryLogin(api: EngineApi, auth: RegistryAuth, timeoutMs?: number): Promise<void> {
  const body =
    "identitytoken" in auth ? { ...auth } : { username: auth.username, password: auth.password, serveraddress: auth.serveraddress };
  try {
    await api.call(
      "registry login",
      auth.serveraddress,
      (abortSignal) =>
        api.dial({
          path: "/auth",
          method: "POST",
          options: { _body: body },
          abortSignal,
          statusCodes: { 200: true, 204: true, 401: "unauthorized", 500: "server error" },
        }),
      timeoutMs,
    );
  } catch (err) {
    const secret = "identitytoken" in auth ? auth.identitytoken : auth.password;
    const reason = (err instanceof EngineError ? err.message : engineMessage(err)).split(secret).join("[credential]");
    const detail = err instanceof EngineError ? err.details?.statusCode : undefined;
    const status = engineStatusCode(err) ?? (typeof detail === "number" ? detail : undefined);
    // The engine answers 401 for refused credentials; older engines said so only in the message.
    const refused = status === 401 || /\b401 Unauthorized\b/i.test(reason);
    throw new EngineError({
      code: refused ? "INVALID" : err instanceof EngineError ? err.code : "ENGINE_ERROR",
      operation: "registry login",
      resource: auth.serveraddress,
      message: reason,
      ...(status === undefined ? {} : { details: { statusCode: status } }),
    });
  }
}
