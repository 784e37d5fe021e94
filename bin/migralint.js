#!/usr/bin/env node
// Start the Postgres parser's WebAssembly compile first: it overlaps with loading the CLI.
(await import('../dist/src/cli/prestart.js')).prestart(process.argv.slice(2));
const { main } = await import('../dist/src/cli/main.js');

// A reader that stops early (`migralint check | head`) closes the pipe: stop writing quietly and
// keep the exit code, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
