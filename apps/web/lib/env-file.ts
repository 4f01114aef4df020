import { parseDotenv } from "@berth/server/dotenv";

export interface EnvPair {
  key: string;
  value: string;
}

/**
 * Pasted `.env` text as KEY/value pairs, read by the server's parser (the same rules as an
 * import and a stack's env_file). Bad lines come back as messages naming their line, and then
 * no pairs at all: a paste is taken whole or not at all, as the server's import is.
 */
export function parseEnvFile(text: string): { pairs: EnvPair[] } | { error: string } {
  const parsed = parseDotenv(text);
  if ("errors" in parsed) return { error: parsed.errors.join("\n") };
  return { pairs: parsed.entries.map(({ name, value }) => ({ key: name, value })) };
}
