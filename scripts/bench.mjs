#!/usr/bin/env node
/**
 * `npm run bench`: migralint against squawk on a synthetic Postgres corpus, same files, same run.
 *
 *   node scripts/bench.mjs [--runs N] [--files N] [--seed S] [--dir DIR] [--pg-version V] [--set DIR]... [--profile] [--memory]
 *
 * Generates a deterministic corpus (default 1,000 files, >= 10,000 statements) under .bench/
 * (gitignored), then times `node bin/migralint.js check <dir> --format json --output <file>` and
 * `squawk --reporter json <dir>/*.sql` N times each (interleaved, after one untimed warm-up run
 * each), plus the pre-commit cases: one small file, and the corpus' last migration (its chain
 * read for context) without and with `--cache`. Reports median and min wall time, finding
 * counts and the ratio. Fails (exit 1) when a tool crashes, prints no report, or reports a
 * syntax error (the corpus is valid Postgres, so a syntax error means a file was not linted).
 * `--set DIR` (repeatable) also times both tools on a real project's migration folder: migralint
 * checks the folder, squawk every `.sql` file under it (squawk lints no other kind).
 * `--profile` also runs migralint once under `node --cpu-prof` and prints the top self-time
 * functions. `--memory` also measures migralint's peak RSS (process.resourceUsage().maxRSS, worker
 * thread included) on the corpus, on a 10x larger generated corpus (10,000 files by default) and
 * on one file of 50 MB made of the corpus' statements, to show how memory grows with input.
 * Not a test: numbers depend on the machine and its load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './bench-corpus.mjs';
import { renderProfile, summarizeProfile } from './bench-profile.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'migralint.js');
const SQUAWK = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'squawk.cmd' : 'squawk');

class BenchError extends Error {}

function parseArgs(argv) {
  const opts = { runs: 5, files: 1000, seed: 42, dir: path.join(ROOT, '.bench', 'corpus'), pgVersion: '16.0', sets: [], profile: false, memory: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new BenchError(`${flag} needs a value`);
      return v;
    };
    const count = (min) => {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < min) throw new BenchError(`${flag} ${v}: expected a whole number >= ${min}`);
      return Number(v);
    };
    switch (flag) {
      case '--runs': opts.runs = count(1); break;
      case '--files': opts.files = count(1); break;
      case '--seed': opts.seed = count(0); break;
      case '--dir': opts.dir = path.resolve(value()); break;
      case '--pg-version': opts.pgVersion = value(); break;
      case '--set': {
        const dir = path.resolve(value());
        if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BenchError(`--set ${dir}: not a directory`);
        opts.sets.push(dir);
        break;
      }
      case '--profile': opts.profile = true; break;
      case '--memory': opts.memory = true; break;
      case '-h':
      case '--help':
        console.log('usage: node scripts/bench.mjs [--runs N=5] [--files N=1000] [--seed S=42] [--dir DIR=.bench/corpus] [--pg-version V=16.0] [--set DIR]... [--profile] [--memory]');
        process.exit(0);
      default: throw new BenchError(`unknown option ${arg} (try --help)`);
    }
  }
  return opts;
}

/** Newest mtime of the files under dir with one of the extensions. */
function newest(dir, exts) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, exts));
    else if (exts.some((x) => e.name.endsWith(x))) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function ensureBuilt() {
  // bin/migralint.js runs the bundle (scripts/bundle.mjs), built from tsc's dist/src.
  const entry = path.join(ROOT, 'dist', 'bundle', 'main.js');
  if (!existsSync(entry)) {
    console.log('dist/ is missing: building (tsc -p tsconfig.json, then scripts/bundle.mjs) ...');
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
    const r = tsc.status === 0 ? spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'inherit' }) : tsc;
    if (r.status !== 0 || !existsSync(entry)) throw new BenchError('the build failed; fix it or run `npm run build` and retry');
    return;
  }
  const src = Math.max(newest(path.join(ROOT, 'src'), ['.ts']), newest(path.join(ROOT, 'rules'), ['.ts']));
  const built = newest(path.join(ROOT, 'dist', 'bundle'), ['.js']);
  if (src > built) console.log('note: src/ or rules/ is newer than dist/bundle/: timing the last build (run `npm run build` to time the current source)');
}

/** Run a command with stdout to a file; returns wall time in ms, exit status and stderr. */
function timed(cmd, args, { stdoutFile, cwd = ROOT, env } = {}) {
  const fd = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (typeof fd === 'number') closeSync(fd);
  if (r.error) throw new BenchError(`${path.basename(cmd)} could not be started: ${r.error.message}`);
  return { ms, status: r.status, signal: r.signal, stderr: r.stderr.toString() };
}

function fail(tool, r, what) {
  const tail = r.stderr.trim().split('\n').slice(-8).join('\n');
  return new BenchError(`${tool} failed on ${what}: exit ${r.status ?? r.signal}${tail ? `\n${tail}` : ''}`);
}

const TOOLS = {
  migralint: {
    run(target, outFile, _opts, extraArgs = []) {
      const r = timed(process.execPath, [BIN, 'check', target, '--format', 'json', '--output', outFile, ...extraArgs]);
      // 0: no errors, 1: findings at error level; 2: usage or internal error.
      if (r.status !== 0 && r.status !== 1) throw fail('migralint', r, target);
      return r;
    },
    findings(outFile) {
      const report = JSON.parse(readFileSync(outFile, 'utf8'));
      const problems = report.fileProblems ?? [];
      if (problems.length > 0) throw new BenchError(`migralint could not read ${problems.length} file(s): ${problems[0].path}: ${problems[0].reason}`);
      return { list: report.findings.map((f) => ({ rule: f.ruleId, file: f.file })), migrations: report.summary?.migrations };
    },
  },
  squawk: {
    run(target, outFile, opts) {
      const r = timed(SQUAWK, ['--reporter', 'json', '--pg-version', opts.pgVersion, target], { stdoutFile: outFile });
      // 0: clean, 1: violations found; anything else is a failure.
      if (r.status !== 0 && r.status !== 1) throw fail('squawk', r, target);
      return r;
    },
    findings(outFile) {
      const text = readFileSync(outFile, 'utf8').trim();
      const list = text === '' ? [] : JSON.parse(text);
      if (!Array.isArray(list)) throw new BenchError('squawk printed no JSON array of violations');
      return { list: list.map((v) => ({ rule: v.rule_name, file: v.file })) };
    },
  },
};

const r0 = (xs) => xs.reduce((a, b) => a + b, 0);

function sqlFilesUnder(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += sqlFilesUnder(path.join(dir, e.name));
    else if (e.name.endsWith('.sql')) n++;
  }
  return n;
}

/** Findings in the last report of a tool on a real set (syntax errors there are the project's own). */
function countFindings(tool, outDir) {
  try {
    return TOOLS[tool].findings(path.join(outDir, `${tool}.json`)).list.length;
  } catch (err) {
    if (err instanceof BenchError && tool === 'migralint') return undefined;
    throw err;
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function checkFindings(tool, outFile, expectFiles) {
  let parsed;
  try {
    parsed = TOOLS[tool].findings(outFile);
  } catch (err) {
    if (err instanceof BenchError) throw err;
    throw new BenchError(`${tool} wrote an unreadable report (${outFile}): ${err.message}`);
  }
  const syntax = parsed.list.filter((f) => f.rule === 'syntax-error');
  if (syntax.length > 0) throw new BenchError(`${tool} reported ${syntax.length} syntax error(s) on the valid corpus (first: ${syntax[0].file}); those files were not linted`);
  if (parsed.list.length === 0) throw new BenchError(`${tool} found nothing: the corpus is full of dangerous statements, so it did not lint them`);
  if (parsed.migrations !== undefined && parsed.migrations !== expectFiles) throw new BenchError(`${tool} linted ${parsed.migrations} migrations, expected ${expectFiles}`);
  const byRule = {};
  for (const f of parsed.list) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  return { count: parsed.list.length, files: new Set(parsed.list.map((f) => f.file)).size, byRule };
}

/**
 * Interleave the tools (alternating which goes first) so load changes hit both alike; `extra`
 * holds more arguments for a tool.
 */
function measure(targets, runs, outDir, opts, extra = {}) {
  const times = { migralint: [], squawk: [] };
  const names = Object.keys(TOOLS);
  for (const tool of names) TOOLS[tool].run(targets[tool], path.join(outDir, `${tool}.json`), opts, extra[tool]); // warm-up, untimed
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const tool of order) times[tool].push(TOOLS[tool].run(targets[tool], path.join(outDir, `${tool}.json`), opts, extra[tool]).ms);
  }
  return times;
}

const fmtMs = (ms) => `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms`;
const fmtN = (n) => n.toLocaleString('en-US');

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell ?? '').padEnd(widths[c]) : String(cell ?? '').padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

/**
 * Peak RSS and wall time of one migralint run: a preload module records
 * process.resourceUsage().maxRSS (KiB, the whole process, worker threads included) at exit.
 */
function rssRun(target, outFile, extraArgs = []) {
  const rssFile = path.join(ROOT, '.bench', 'out', 'rss.txt');
  // A tiny CommonJS preload works on every supported Node.
  const hook = path.join(ROOT, '.bench', 'rss-hook.cjs');
  writeFileSync(hook, `const fs = require('node:fs');\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
  const r = timed(process.execPath, ['--require', hook, BIN, 'check', target, '--format', 'json', '--output', outFile, ...extraArgs]);
  if (r.status !== 0 && r.status !== 1) throw fail('migralint', r, target);
  return { ms: r.ms, rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

/** One file of about `mib` MiB: the corpus' files one after another, repeated. */
function bigFile(corpusDir, file, mib) {
  const parts = readdirSync(corpusDir).sort().map((f) => readFileSync(path.join(corpusDir, f), 'utf8'));
  const chunks = [];
  let size = 0;
  for (let i = 0; size < mib * 1024 * 1024; i++) {
    const text = `${parts[i % parts.length].trimEnd()}\n`;
    chunks.push(text);
    size += Buffer.byteLength(text);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, chunks.join(''));
  return size;
}

function measureMemory(opts, corpus, outDir) {
  const out = path.join(outDir, 'migralint-mem.json');
  const rows = [['', 'input', 'wall', 'peak RSS', 'findings']];
  const findingsOf = () => JSON.parse(readFileSync(out, 'utf8')).findings.length;
  const mibOf = (dir) => readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0) / (1024 * 1024);
  let r = rssRun(corpus.dir, out);
  rows.push([`corpus (${fmtN(corpus.files)} files)`, `${mibOf(corpus.dir).toFixed(1)} MiB`, fmtMs(r.ms), `${r.rssMiB.toFixed(0)} MB`, fmtN(findingsOf())]);
  const bigDir = path.join(path.dirname(opts.dir), 'corpus-10x');
  const big = generateCorpus(bigDir, { files: corpus.files * 10, seed: opts.seed });
  r = rssRun(big.dir, out);
  rows.push([`corpus (${fmtN(big.files)} files)`, `${mibOf(big.dir).toFixed(1)} MiB`, fmtMs(r.ms), `${r.rssMiB.toFixed(0)} MB`, fmtN(findingsOf())]);
  const oneBig = path.join(path.dirname(opts.dir), 'corpus-50mb', 'migrations', '0001_big.sql');
  const bytes = bigFile(corpus.dir, oneBig, 50);
  // The default size cap (16 MiB) would refuse it: a config raises it for this run.
  const config = path.join(path.dirname(opts.dir), 'corpus-50mb', 'migralint.config.json');
  writeFileSync(config, JSON.stringify({ maxFileSizeMiB: 64 }));
  r = rssRun(oneBig, out, ['--config', config]);
  rows.push(['one file of 50 MB', `${(bytes / (1024 * 1024)).toFixed(1)} MiB`, fmtMs(r.ms), `${r.rssMiB.toFixed(0)} MB`, fmtN(findingsOf())]);
  return `\nmemory (one run each; peak RSS of the whole process):\n${table(rows)}\n`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(SQUAWK)) throw new BenchError(`squawk not found at ${path.relative(ROOT, SQUAWK)} (devDependency squawk-cli)`);
  ensureBuilt();
  const squawkVersion = spawnSync(SQUAWK, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const migralintVersion = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }).stdout.trim();

  const t0 = performance.now();
  const corpus = generateCorpus(opts.dir, { files: opts.files, seed: opts.seed });
  const bytes = readdirSync(corpus.dir).reduce((n, f) => n + statSync(path.join(corpus.dir, f)).size, 0);
  console.log(
    `corpus: ${fmtN(corpus.files)} files, ${fmtN(corpus.statements)} statements, ${(bytes / 1024).toFixed(0)} KiB in ${path.relative(process.cwd(), corpus.dir) || '.'} (seed ${opts.seed}, ${(performance.now() - t0).toFixed(0)} ms)`,
  );
  console.log(`  ${Object.entries(corpus.counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`tools: migralint ${migralintVersion} (node ${process.version}), ${squawkVersion} --pg-version ${opts.pgVersion}; ${opts.runs} timed runs each after 1 warm-up, interleaved`);

  const outDir = path.join(path.dirname(opts.dir), 'out');
  mkdirSync(outDir, { recursive: true });
  const rel = (p) => path.relative(ROOT, p);

  // Whole corpus: migralint walks the directory, squawk expands the glob itself.
  const full = measure({ migralint: corpus.dir, squawk: path.join(corpus.dir, '*.sql') }, opts.runs, outDir, opts);
  const fullFindings = {
    migralint: checkFindings('migralint', path.join(outDir, 'migralint.json'), corpus.files),
    squawk: checkFindings('squawk', path.join(outDir, 'squawk.json'), corpus.files),
  };
  if (fullFindings.squawk.files < corpus.files * 0.9) {
    console.log(`note: squawk reported findings in only ${fullFindings.squawk.files} of ${corpus.files} files`);
  }

  // Pre-commit hook: one small file.
  const one = measure({ migralint: corpus.smallFile, squawk: corpus.smallFile }, opts.runs, outDir, opts);
  const oneFindings = {
    migralint: checkFindings('migralint', path.join(outDir, 'migralint.json'), 1),
    squawk: checkFindings('squawk', path.join(outDir, 'squawk.json'), 1),
  };
  // Pre-commit hook on a long chain: the corpus' last migration, with the 999 before it read for
  // the schema they build (squawk lints the file alone). Then the same with --cache, warm (the
  // untimed warm-up run fills it): only the file itself would be parsed again after an edit.
  const last = path.join(corpus.dir, readdirSync(corpus.dir).filter((f) => f.endsWith('.sql')).sort().at(-1));
  const chain = measure({ migralint: last, squawk: last }, opts.runs, outDir, opts);
  const chainFindings = checkFindings('migralint', path.join(outDir, 'migralint.json'), 1).count;
  const cacheDir = path.join(path.dirname(opts.dir), 'cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const cached = measure({ migralint: last, squawk: last }, opts.runs, outDir, opts, { migralint: ['--cache', '--cache-location', cacheDir] });
  const cachedFindings = checkFindings('migralint', path.join(outDir, 'migralint.json'), 1).count;
  if (cachedFindings !== chainFindings) throw new BenchError(`migralint --cache found ${cachedFindings} on ${rel(last)}, ${chainFindings} without it`);
  // Real projects' migration folders: the same .sql files for both (squawk reads no other kind).
  const real = opts.sets.map((dir) => {
    const sqlFiles = sqlFilesUnder(dir);
    if (sqlFiles === 0) throw new BenchError(`--set ${dir}: no .sql files under it`);
    const times = measure({ migralint: dir, squawk: path.join(dir, '**', '*.sql') }, opts.runs, outDir, opts);
    return { dir, sqlFiles, times, migralint: countFindings('migralint', outDir), squawk: countFindings('squawk', outDir) };
  });

  // The floor for any Node CLI: start node and exit.
  const nodeFloor = [];
  for (let i = 0; i <= opts.runs; i++) {
    const r = timed(process.execPath, ['-e', '']);
    if (i > 0) nodeFloor.push(r.ms);
  }

  for (const tool of Object.keys(TOOLS)) {
    const rules = Object.entries(fullFindings[tool].byRule).sort((a, b) => b[1] - a[1]);
    console.log(`${tool} findings by rule: ${rules.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }

  let profileText = '';
  if (opts.profile) {
    const profDir = path.join(path.dirname(opts.dir), 'prof');
    mkdirSync(profDir, { recursive: true });
    const before = new Set(readdirSync(profDir));
    const r = timed(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', profDir, BIN, 'check', corpus.dir, '--format', 'json', '--output', path.join(outDir, 'migralint-prof.json')]);
    if (r.status !== 0 && r.status !== 1) throw fail('migralint --cpu-prof', r, corpus.dir);
    const made = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
    if (made.length !== 1) throw new BenchError(`expected one new .cpuprofile in ${rel(profDir)}, found ${made.length}`);
    const file = path.join(profDir, made[0]);
    profileText = `\nmigralint --cpu-prof on the corpus (${fmtMs(r.ms)} with profiling; ${rel(file)}):\n${renderProfile(summarizeProfile(file), 12)}`;
  }

  const memoryText = opts.memory ? measureMemory(opts, corpus, outDir) : '';

  const row = (label, times, findings, files) => [label, fmtMs(median(times)), fmtMs(Math.min(...times)), findings === undefined ? '' : fmtN(findings), files === undefined ? '' : fmtN(files)];
  const ratio = (label, a, b) => [label, `${(median(a) / median(b)).toFixed(2)}x`, `${(Math.min(...a) / Math.min(...b)).toFixed(2)}x`, '', ''];
  const rows = [
    ['', 'median', 'min', 'findings', 'files hit'],
    row(`migralint  corpus (${fmtN(corpus.files)} files, ${fmtN(corpus.statements)} stmts)`, full.migralint, fullFindings.migralint.count, fullFindings.migralint.files),
    row('squawk     corpus', full.squawk, fullFindings.squawk.count, fullFindings.squawk.files),
    ratio('  ratio migralint/squawk', full.migralint, full.squawk),
    row(`migralint  one file (${corpus.smallStatements} stmts)`, one.migralint, oneFindings.migralint.count),
    row('squawk     one file', one.squawk, oneFindings.squawk.count),
    ratio('  ratio migralint/squawk', one.migralint, one.squawk),
    row(`migralint  last of the corpus' migrations (${fmtN(corpus.files - 1)} before it for context)`, chain.migralint, chainFindings),
    row('migralint  the same with --cache (warm)', cached.migralint, cachedFindings),
    row('squawk     the same file alone', chain.squawk),
    ratio('  ratio migralint --cache/squawk', cached.migralint, chain.squawk),
    row("node -e ''  (start-up floor)", nodeFloor),
  ];
  for (const r of real) {
    const name = path.relative(process.cwd(), r.dir) || r.dir;
    rows.push(row(`migralint  ${name} (${fmtN(r.sqlFiles)} .sql files)`, r.times.migralint, r.migralint), row('squawk     same files', r.times.squawk, r.squawk), ratio('  ratio migralint/squawk', r.times.migralint, r.times.squawk));
  }
  if (real.length > 1) {
    const sum = (tool) => r0(real.map((r) => median(r.times[tool])));
    rows.push(['  all real sets: migralint/squawk (sum of medians)', `${(sum('migralint') / sum('squawk')).toFixed(2)}x`, '', '', '']);
  }
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  process.stdout.write(`${profileText}${memoryText}\n${table(rows)}\n(${os.cpus().length} CPUs, load average ${load}; wall time per process, ${opts.runs} runs)\n`);
}

main().catch((err) => {
  if (err instanceof BenchError) {
    console.error(`bench: ${err.message}`);
    process.exit(1);
  }
  console.error(err);
  process.exit(2);
});
