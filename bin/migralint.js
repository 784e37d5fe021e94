#!/usr/bin/env node
// A reader that stops early (`migralint check | head`) closes the pipe: stop writing quietly and
// keep the exit code, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Answered here as the CLI answers it (the version and a newline, exit 0): loading the CLI
  // (commander, the rules, the report formats) to print one line took ~60 ms more.
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  await runCli();
}

async function runCli() {
  // WebAssembly (libpg-query's parser, 1.7 MB; PGlite's Postgres under --confirm) is compiled by V8
  // twice by default: baseline code (Liftoff) at once, then optimized code (TurboFan) on background
  // threads. A CLI run is too short to profit from the second and pays for it in CPU and at exit.
  // Measured on a 2-core machine: one-file check 0.36 s -> 0.22 s wall, the 1,000-file bench
  // corpus 1.2 s -> 1.1 s with 15% less CPU and memory, check --confirm on the example 4.1 s ->
  // 3.2 s. MIGRALINT_WASM_TIER_UP=1 keeps V8's default, to measure the difference.
  if (process.env.MIGRALINT_WASM_TIER_UP !== '1') (await import('node:v8')).setFlagsFromString('--liftoff-only');
  // The CLI runs from its bundle (scripts/bundle.mjs, part of the build): a few files instead of a
  // hundred modules to load. Start the Postgres parser's WebAssembly compile first: it overlaps with
  // loading the rest.
  (await import('../dist/bundle/prestart.js')).prestart(args);
  const { main } = await import('../dist/bundle/main.js');
  process.exitCode = await main(args);
}
