#!/usr/bin/env node
// Runs Observable Framework's CLI (`observable …`) with its usage telemetry
// switched off, whatever the caller's environment says:
//   node tools/observable.mjs build      (npm run build)
//   node tools/observable.mjs preview    (npm run dev)
//
// Why: Framework 1.13 POSTs a usage event to https://events.observablehq.com/cli
// when `build` or `preview` starts (and on SIGINT/SIGTERM/SIGHUP), unless
// OBSERVABLE_TELEMETRY_DISABLE is set to a non-empty value when its telemetry
// module first runs. A council's secure machine must not call out, so the
// project's scripts set it themselves instead of trusting the shell or CI.
// A Node launcher rather than `OBSERVABLE_TELEMETRY_DISABLE=1 observable …` in
// package.json because npm runs scripts with cmd.exe on Windows, where that
// POSIX prefix is an error.
//
// Plain JavaScript on purpose: no tsx needed. Data loaders that Framework
// starts inherit the variable too.
process.env.OBSERVABLE_TELEMETRY_DISABLE = "1";
await import("@observablehq/framework/dist/bin/observable.js");
