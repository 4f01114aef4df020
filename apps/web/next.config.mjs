import process from "node:process";

// The dashboard is served by apps/server's custom Node server (`next({ dir, httpServer })`),
// which also hosts /trpc, /api/auth and /socket.io on the same origin. Nothing server-side
// lives here, and `output: "standalone"` cannot be combined with a custom server.
//
// distDir: where `next build` writes and the server reads. Each consumer has its own, so a build
// never replaces the files a running server serves: `npm run up` alternates .next-a / .next-b
// behind the .next-live link (the server pins the link's target at start), `npm test` builds
// .next-test and `npm run bench` .next-bench. Default .next (a plain `npm run build`).
//
// Plain JavaScript: a TypeScript config is compiled at every server start by Next's native SWC
// module, which then stays loaded (about 25 MB of the control plane's memory at rest).
/** @type {import("next").NextConfig} */
const config = {
  distDir: process.env.BERTH_WEB_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Pages are loaded on their first request, not all at start: the control plane's memory at rest
  // (npm run bench: server-memory) is counted with the dashboard's server in it.
  experimental: { preloadEntriesOnStart: false },
};

export default config;
