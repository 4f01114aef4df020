/**
 * Test support: an image built on berth-test/hello that serves `<h1>$GREETING</h1>` on 8080,
 * logs "serving $GREETING" at start, and keeps the SIGTERM contract Berth asks of services: it
 * goes on serving for `drainS` seconds after SIGTERM, then closes its listener and exits 0.
 */
import type { Deps } from "../src/deps.ts";
import { TEST_IMAGE } from "./harness.ts";

export async function buildGreetingImage(deps: Pick<Deps, "engine">, tag: string, drainS: number): Promise<void> {
  const entry = `#!/bin/sh
mkdir -p /www
printf '<!doctype html>\\n<h1>%s</h1>\\n' "\${GREETING:-hello}" >/www/index.html
echo "serving \${GREETING:-hello}"
httpd -f -p 8080 -h /www &
httpd_pid=$!
trap 'sleep ${drainS}; kill "$httpd_pid"; exit 0' TERM INT
while :; do sleep 1 & wait $!; done
`;
  await deps.engine.buildImage({
    tag,
    files: [
      { name: "Dockerfile", data: `FROM ${TEST_IMAGE}\nCOPY app.sh /app.sh\nENTRYPOINT ["/bin/sh", "/app.sh"]\n` },
      { name: "app.sh", data: entry },
    ],
  });
}
