import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

// Layering rules (docs/architecture.md): routers never touch the database or the engine
// directly; the engine knows nothing of users, teams or Postgres; the web app has no
// server logic.
export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/.next/**", "**/generated/**", "**/dist/**", "**/next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    // The CLI is plain ESM JavaScript run by Node as installed (type-checked through JSDoc).
    files: ["apps/cli/**/*.js"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["engine/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@berth/db", "@berth/server", "@prisma/*", "pg", "better-auth*"],
              message: "engine/ knows nothing of users, teams or Postgres",
            },
          ],
        },
      ],
    },
  },
  {
    // The transport layers (tRPC routers, socket.io handlers, plain HTTP endpoints) call use
    // cases: they may hand `deps.db` / `deps.engine` to one, never query or drive them.
    files: ["apps/server/src/{trpc,realtime,http}/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@berth/db", "@berth/engine", "dockerode", "pg"],
              message: "transport layers call use cases; they never import the database client or the engine",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.property.name=/^(db|engine)$/]",
          message: "transport layers call use cases; they pass deps.db / deps.engine along, never query or drive them here",
        },
      ],
    },
  },
  {
    // Routers build procedures only with the named builders (trpc/procedures.ts), which declare
    // what a procedure acts on and load it before the handler.
    files: ["apps/server/src/trpc/routers/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "../init.ts",
              importNames: ["signedInProcedure", "publicProcedure", "middleware"],
              message: "use the builders in ../procedures.ts",
            },
          ],
          patterns: [
            {
              group: ["@berth/db", "@berth/engine", "dockerode", "pg"],
              message: "routers call services; they never import the database client or the engine",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@berth/db", "@berth/engine", "dockerode", "pg"], message: "the web app has no server logic" },
            // ...and two pure modules shared so both sides read alike: the one .env parser (a paste
            // reads as an import does) and the packing of `logs:lines` batches.
            {
              regex: "^@berth/server(?!/(dotenv|log-lines-payload)$)(/.*)?$",
              allowTypeImports: true,
              message: "the web app may import only types from the server (and @berth/server/dotenv, @berth/server/log-lines-payload)",
            },
          ],
          paths: [{ name: "next/link", message: "use IntentLink (components/ui/intent-link.tsx): it prefetches on intent, not on sight" }],
        },
      ],
    },
  },
  {
    files: ["apps/web/components/ui/intent-link.tsx"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Unit and integration files share their worker's module cache (vitest.config.mts, isolate:
    // false): a module mock or a stubbed global would leak into the files after it.
    files: ["{apps,engine,prisma}/**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        ...["mock", "doMock", "stubEnv", "stubGlobal"].map((property) => ({
          object: "vi",
          property,
          message: "test files share a worker's modules (vitest.config.mts): pass a fake in instead",
        })),
      ],
    },
  },
);
