/**
 * The environment variable name rule, in a module of its own with no imports so the web app's
 * bundle can take it (through the shared .env parser, @berth/server/dotenv) without the engine.
 *
 * Wider than a shell's names: Docker passes any name without `=`, and real images read names a
 * shell cannot (Elasticsearch's `discovery.type`, `xpack.security.enabled`; OpenSearch's
 * `plugins.security.disabled`; Spring's `spring.profiles.active`). Still a name, not any text:
 * letters, digits, `_`, `.` and `-`, starting with a letter or `_` (nothing a shell, a .env
 * line or a log line could read as something else).
 */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** What a name that fails the rule is told, at its field. */
export const ENV_NAME_RULE = "Use letters, digits, _, . and -, starting with a letter or _";

/** An environment variable name: `^[A-Za-z_][A-Za-z0-9_.-]*$`. */
export function isValidEnvName(name: string): boolean {
  return typeof name === "string" && ENV_NAME.test(name);
}
