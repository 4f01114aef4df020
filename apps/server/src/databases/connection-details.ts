/**
 * How clients reach a database Berth created: inside the project by its name, and, when its port
 * is published, from outside at the host's address. Both URLs refer to the service's variables
 * (`${{name.POSTGRES_PASSWORD}}`): no password is ever in them; an admin reveals it in Variables.
 */
import type { Env } from "../config/env.ts";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import { type DatabaseEngine, ENGINE_RECIPES } from "./database-engines.ts";
import { externalUrl } from "./public-port-input.ts";

export function databaseConnection(
  service: { name: string; databaseEngine: DatabaseEngine; runtime: unknown },
  env: Pick<Env, "publicUrl">,
) {
  const recipe = ENGINE_RECIPES[service.databaseEngine];
  const internalUrl = recipe.variables(service.name, () => "").find((v) => v.name === recipe.urlVariable)?.value ?? "";
  const publish = readStoredRuntime(service.runtime).publish;
  return {
    engine: service.databaseEngine,
    urlVariable: recipe.urlVariable,
    internalUrl,
    publicPort: publish,
    externalUrl: publish ? externalUrl(internalUrl, { host: service.name, port: recipe.port }, publish, env.publicUrl) : null,
  };
}
