import { describe, expect, it } from "vitest";
import { DATABASE_ENGINES, ENGINE_RECIPES } from "./database-engines.ts";

describe("database engine recipes", () => {
  let n = 0;
  const secret = () => `pw-${(n += 1)}`;

  it.each(DATABASE_ENGINES)("%s: the URL variable refers to the service's own variables, and credentials stay out of argv", (engine) => {
    const recipe = ENGINE_RECIPES[engine];
    const vars = recipe.variables("db", secret);
    const url = vars.find((v) => v.name === recipe.urlVariable)!;
    expect(url.secret).toBe(false);
    // Every reference names a variable of the same service; no password is written into the URL.
    const refs = [...url.value.matchAll(/\$\{\{db\.([A-Z_]+)\}\}/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(vars.map((v) => v.name)).toContain(ref);
    const passwords = vars.filter((v) => v.secret);
    expect(passwords.length).toBeGreaterThan(0);
    expect(new Set(passwords.map((p) => p.value)).size).toBe(passwords.length);
    expect(url.value).not.toMatch(/pw-\d/);

    const resolved = Object.fromEntries(vars.map((v) => [v.name, v.value]));
    const argv = [
      ...recipe.backup.dump(resolved),
      ...(recipe.backup.restore.kind === "stdin" ? recipe.backup.restore.argv(resolved) : []),
      ...(recipe.command ? [recipe.command] : []),
    ];
    for (const p of passwords) expect(argv.join(" ")).not.toContain(p.value);
    // The backup tools get a password through their environment.
    expect(Object.values(recipe.backup.env(resolved)).some((v) => passwords.some((p) => p.value === v))).toBe(true);
  });

  it("MariaDB connects as mysql:// with its user and database; Redis as redis:// with its password", () => {
    expect(ENGINE_RECIPES.mariadb.variables("maria", secret).find((v) => v.name === "DATABASE_URL")?.value).toBe(
      "mysql://${{maria.MARIADB_USER}}:${{maria.MARIADB_PASSWORD}}@maria:3306/${{maria.MARIADB_DATABASE}}",
    );
    expect(ENGINE_RECIPES.redis.variables("cache", secret).find((v) => v.name === "REDIS_URL")?.value).toBe(
      "redis://default:${{cache.REDIS_PASSWORD}}@cache:6379",
    );
  });
});
