#!/usr/bin/env node
// Entry point of the `workbench` command: runs the TypeScript CLI through tsx,
// so `npx workbench …` works without a build step.
import {register} from "tsx/esm/api";
register();
await import("../loaders/cli.ts");
