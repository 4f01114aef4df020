// Preloaded into Prisma's CLI: the WASM schema engine arms a 10 s timer that keeps the
// process alive after a migrate command has finished. Unref long timers created from
// Prisma's CLI bundle (prisma-migrate: scripts/migrate-cli.sh) so the command exits as soon as its work is done.
const original = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(fn, ms, ...args) {
  const timer = original(fn, ms, ...args);
  if (typeof ms === "number" && ms >= 5000 && /prisma(-migrate)?[\\/]build/.test(new Error().stack ?? "")) {
    timer.unref();
  }
  return timer;
};
