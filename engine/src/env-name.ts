/**
 * The environment variable name rule, in a module of its own with no imports so the web app's
 * bundle can take it (through the shared .env parser, @berth/server/dotenv) without the engine.
 */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An environment variable name: `^[A-Za-z_][A-Za-z0-9_]*$`. */
export function isValidEnvName(name: string): boolean {
  return typeof name === "string" && ENV_NAME.test(name);
}
