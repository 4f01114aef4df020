#!/usr/bin/env node
// Plain ESM JavaScript: runs on Node as installed, no TypeScript runtime or build step.
import { run } from "../src/program.js";

process.exitCode = await run(process.argv);
