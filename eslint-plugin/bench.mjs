#!/usr/bin/env node
/**
 * `npm run bench:eslint`: per-file latency of eslint-plugin-migralint in real ESLint, on a
 * generated 200-file Postgres migration set (the corpus of `npm run bench`: each file 10-14
 * statements, most touching tables created by earlier files, so every lint loads the chain).
 *
 *   node eslint-plugin/bench.mjs [--files N=200] [--runs N=30]
 *
 * Prints:
 *   - start-up: importing the plugin (parsers and loaders), once per ESLint process;
 *   - cold: the first lint of a file in a fresh process (the whole set read and parsed);
 *   - lintFiles: the whole set in one ESLint run, per file;
 *   - warm: an editor re-linting a file on every keystroke (lintText with the edited buffer and
 *     its filePath, the rest of the set unchanged on disk), for the first, middle and last file;
 *   - after an edit on disk: re-lint once another file of the set changed (cache invalidated).
 * Not a test: numbers depend on the machine and its load. Goal: warm < 20 ms per file.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCorpus } from '../scripts/bench-corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const FILES = opt('--files', 200);
const RUNS = opt('--runs', 30);

const BENCH = path.join(ROOT, '.bench', 'eslint');
const SET = path.join(BENCH, 'migrations');

function ms(n) {
  return `${n.toFixed(1)} ms`;
}
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))], min: s[0] };
}

if (process.argv[2] === '--child-cold') {
  // One fresh process: import time, then the first lint of one file.
  const t0 = performance.now();
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: BENCH });
  const file = process.argv[3];
  const tImport = performance.now();
  await eslint.calculateConfigForFile(file); // loads eslint.config.js, hence the plugin
  const tConfig = performance.now();
  const [r] = await eslint.lintFiles([file]);
  const tLint = performance.now();
  process.stdout.write(JSON.stringify({ eslint: tImport - t0, plugin: tConfig - tImport, lint: tLint - tConfig, messages: r.messages.length }));
  process.exit(0);
}

generateCorpus(SET, { files: FILES, seed: 42 });
writeFileSync(path.join(BENCH, 'eslint.config.js'), "import migralint from 'eslint-plugin-migralint';\nexport default [...migralint.configs.recommended];\n");
writeFileSync(path.join(BENCH, 'migralint.config.json'), '{}\n');
const files = readdirSync(SET).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(SET, f));
console.log(`eslint-plugin-migralint bench: ${files.length} files in one plain-SQL set (${path.relative(ROOT, SET)}), Node ${process.version}`);

// Cold: fresh processes, one per sampled file.
const sample = [files[0], files[Math.floor(files.length / 2)], files.at(-1)];
for (const file of sample) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-cold', file], { cwd: BENCH, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cold run failed: ${r.stderr}`);
  const c = JSON.parse(r.stdout);
  console.log(`cold  ${path.basename(file).padEnd(16)} import eslint ${ms(c.eslint)}, load config + plugin ${ms(c.plugin)}, first lint ${ms(c.lint)} (${c.messages} findings)`);
}

const { ESLint } = await import(pathToFileURL(path.join(ROOT, 'node_modules', 'eslint', 'lib', 'api.js')).href);
const eslint = new ESLint({ cwd: BENCH });
let t = performance.now();
const cpu0 = process.cpuUsage();
const all = await eslint.lintFiles(['migrations']);
const whole = performance.now() - t;
const cpuWhole = process.cpuUsage(cpu0);
const findings = all.reduce((n, r) => n + r.messages.length, 0);
const fatal = all.filter((r) => r.messages.some((m) => m.fatal));
if (fatal.length > 0) throw new Error(`parse errors in ${fatal.map((r) => r.filePath).join(', ')}`);
console.log(`lintFiles: ${files.length} files in ${ms(whole)} (${ms(whole / files.length)} per file, CPU ${ms((cpuWhole.user + cpuWhole.system) / 1000 / files.length)} per file; first-file start-up included), ${findings} findings`);
console.log(`(load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs: wall times include waiting for a CPU)`);

// Warm: keystrokes in an editor buffer.
for (const file of sample) {
  const text = readFileSync(file, 'utf8');
  await eslint.lintText(text, { filePath: file });
  const times = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const edited = `${text}\n-- keystroke ${i}\n`;
    const c = process.cpuUsage();
    t = performance.now();
    await eslint.lintText(edited, { filePath: file });
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const s = stats(times);
  const c = stats(cpu);
  console.log(`warm  ${path.basename(file).padEnd(16)} lintText median ${ms(s.median)}, p95 ${ms(s.p95)}, min ${ms(s.min)}; CPU median ${ms(c.median)} (${RUNS} keystrokes)`);
}

// Another file of the set saved: its cache entry is invalidated, the rest stays.
{
  const other = files[Math.floor(files.length / 4)];
  const file = files.at(-1);
  const times = [];
  for (let i = 0; i < 5; i++) {
    writeFileSync(other, `${readFileSync(other, 'utf8')}\n-- saved ${i}\n`);
    const later = new Date(Date.now() + (i + 1) * 1000);
    utimesSync(other, later, later);
    t = performance.now();
    await eslint.lintText(readFileSync(file, 'utf8'), { filePath: file });
    times.push(performance.now() - t);
  }
  const s = stats(times);
  console.log(`after ${path.basename(other)} changed on disk: re-lint of ${path.basename(file)} median ${ms(s.median)}`);
}
