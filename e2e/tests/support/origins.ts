/**
 * Names Chromium resolves to 127.0.0.1 in this run (`--host-resolver-rules`, playwright.config.ts):
 * tests may only talk to loopback, so a second origin is a name mapped there, not the host's own
 * address. `public.<E2E_DOMAIN>` is configured as an extra trusted origin of the server
 * (BERTH_TRUSTED_ORIGINS), standing in for a public name; a dashboard domain is set under it.
 */
export const E2E_DOMAIN = "berth-e2e.test";

export const HOST_RESOLVER_RULES = `--host-resolver-rules=MAP *.${E2E_DOMAIN} 127.0.0.1`;

export const publicOrigin = (port: number | string) => `http://public.${E2E_DOMAIN}:${port}`;
