/** How often a removal asks again whether what it stopped has ended (one count query). */
const POLL_MS = 200;

/**
 * Waits until `count` answers 0 or `ms` passed, whichever is first: a removal waiting, bounded,
 * for the deployments and runs it asked to stop (they end in whichever process runs them, so
 * only their rows tell).
 */
export async function waitUntilNone(count: () => Promise<number>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && (await count()) > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
