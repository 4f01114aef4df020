/**
 * Test support: can one container reach another? An HTTP/1.0 GET through busybox `nc -w 2`
 * run by exec inside the client container (busybox wget segfaults in these scratch images).
 */
import type { DockerEngine } from "../../src/index.ts";

const REQUEST_THEN_NC = 'printf \'GET / HTTP/1.0\\r\\n\\r\\n\' | nc -w 2 "$TARGET" "$PORT"';

export async function reach(
  engine: DockerEngine,
  fromContainerId: string,
  target: string,
  port = 8080,
): Promise<{ ok: boolean; output: string }> {
  const result = await engine.exec(fromContainerId, {
    cmd: ["sh", "-c", REQUEST_THEN_NC],
    env: { TARGET: target, PORT: String(port) },
    timeoutMs: 15_000,
  });
  const output = `${result.output}${result.stderr}`;
  return { ok: result.exitCode === 0 && /^HTTP\/1\.[01] 200/.test(result.output), output };
}
