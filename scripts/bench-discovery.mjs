#!/usr/bin/env node
/**
 * `npm run bench:discovery`: how discovery scales with the number of files in one directory.
 *
 *   node scripts/bench-discovery.mjs [--files N=100000] [--dir DIR=.bench/many]
 *
 * Writes N tiny plain-SQL migrations into one directory (once; kept under .bench/, gitignored),
 * then times the library's discover() (walk, grouping, format sniffing; no parsing or linting) on
 * the first 10%, 20%, 40% and all of them. Time per file should stay flat: discovery was
 * quadratic once (40k files 16.5 s, 100k ~100 s). Not a test: numbers depend on the machine.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let files = 100_000;
let dir = path.join(ROOT, '.bench', 'many');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--files') files = Number(argv[++i]);
  else if (argv[i] === '--dir') dir = path.resolve(argv[++i]);
  else {
    console.error(`usage: node scripts/bench-discovery.mjs [--files N] [--dir DIR]`);
    process.exit(2);
  }
}
if (!Number.isInteger(files) || files < 10) {
  console.error('--files: expected a whole number >= 10');
  process.exit(2);
}
const entry = path.join(ROOT, 'dist', 'src', 'discover', 'discover.js');
if (!existsSync(entry)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { discover } = await import(entry);

const all = path.join(dir, 'all');
const name = (i) => `${String(i).padStart(7, '0')}_m.sql`;
if (!existsSync(all) || readdirSync(all).length !== files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(all, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(path.join(all, name(i)), `CREATE TABLE t${i} (id int);\n`);
}
const sizes = [...new Set([Math.round(files / 10), Math.round(files / 5), Math.round((files * 2) / 5), files])];
const rows = [];
for (const n of sizes) {
  // A directory of the first n files (symlinks into all/ are allowed: same checked path's parent).
  let target = all;
  if (n !== files) {
    target = path.join(dir, `first-${n}`);
    if (!existsSync(target) || readdirSync(target).length !== n) {
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target);
      for (let i = 0; i < n; i++) symlinkSync(path.join(all, name(i)), path.join(target, name(i)));
    }
  }
  const t0 = performance.now();
  const r = await discover([target], { cwd: dir, configDir: dir });
  const ms = performance.now() - t0;
  const migrations = r.sets.reduce((k, s) => k + s.migrations.length, 0);
  if (migrations !== n || r.fileProblems.length > 0) throw new Error(`expected ${n} migrations, got ${migrations} (${r.fileProblems.length} problems)`);
  rows.push([n, ms]);
}
for (const [n, ms] of rows) console.log(`${String(n).padStart(8)} files  ${ms.toFixed(0).padStart(7)} ms  ${((ms / n) * 1000).toFixed(1).padStart(7)} µs/file`);
console.log(`(${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
