#!/usr/bin/env node
/**
 * The CLI's bundle (`npm run build` runs it after tsc): dist/src/cli/prestart.js, dist/src/cli/main.js
 * and the parse worker, with everything they import from dist/src and dist/rules, as ES modules in
 * dist/bundle/. bin/migralint.js runs them. The library entry (dist/src/index.js) and the ESLint
 * plugin keep using dist/src.
 *
 * Why: a one-file run loaded ~100 modules of dist/ (one per rule, per report format, ...) and Node
 * resolves, reads, compiles and links each one; bundled, the same code is ~12 files. Every lazy
 * `import()` (Knex, Drizzle, --confirm, --fix, the SQLite and MySQL parsers, ...) stays a chunk of
 * its own, loaded only by a run that needs it (--splitting). Packages stay outside (node_modules).
 *
 * The chunks and the entries sit in one folder: code that finds a file next to itself
 * (`new URL('./parse-worker.js', import.meta.url)`) finds it from any chunk. Source maps chain to
 * the TypeScript sources (through tsc's maps). metafile.json says which sources each output holds
 * (test/confirm/lazy-load.test.ts reads it).
 */
import { build } from 'esbuild';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'dist', 'src');
const OUT = path.join(ROOT, 'dist', 'bundle');

/** Output name (in dist/bundle/) of each entry, and its compiled module. */
const ENTRIES = {
  prestart: 'cli/prestart.js',
  main: 'cli/main.js',
  // Started by src/sql/parse-pool.ts as ./parse-worker.js next to itself.
  'parse-worker': 'sql/parse-worker.js',
};

for (const file of Object.values(ENTRIES)) {
  if (!existsSync(path.join(SRC, file))) {
    console.error(`bundle: dist/src/${file} is missing: run tsc first (npm run build does)`);
    process.exit(2);
  }
}

// Chunk names change with their content: a previous build's chunks must not stay behind.
rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: Object.entries(ENTRIES).map(([out, file]) => ({ in: path.join(SRC, file), out })),
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(path.join(OUT, 'metafile.json'), JSON.stringify(result.metafile));
