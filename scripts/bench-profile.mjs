/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per file.
 * Usage on its own: node scripts/bench-profile.mjs FILE.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function shortUrl(url) {
  if (!url) return '(native)';
  let p = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (p.startsWith(ROOT + path.sep)) p = path.relative(ROOT, p);
  return p;
}

/** Self time (ms) by function and by file, sorted descending. */
export function summarizeProfile(file) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  // timeDeltas[i] is the time before samples[i] was taken; attribute it to that sample.
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const total = prof.endTime - prof.startTime;
  const fns = new Map();
  const files = new Map();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id).callFrame;
    const where = shortUrl(cf.url);
    const fn = cf.functionName || '(anonymous)';
    const key = cf.url ? `${where}:${cf.lineNumber + 1}  ${fn}` : fn;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const fileKey = cf.url ? where : fn; // (program), (garbage collector), (idle) stay as they are
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  // Inclusive time: a sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      if (!cf.url || cf.url.startsWith('node:')) continue;
      const key = `${shortUrl(cf.url)}:${cf.lineNumber + 1}  ${cf.functionName || '(anonymous)'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  const sort = (m) => [...m].map(([k, us]) => ({ key: k, ms: us / 1000, pct: (100 * us) / total })).sort((a, b) => b.ms - a.ms);
  return { totalMs: total / 1000, functions: sort(fns), files: sort(files), inclusive: sort(incl) };
}

export function renderProfile(summary, top = 15) {
  const lines = [`profile: ${summary.totalMs.toFixed(0)} ms sampled`, '', 'top self time by function:'];
  for (const f of summary.functions.slice(0, top)) lines.push(`  ${f.ms.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.key}`);
  lines.push('', 'top inclusive time (self + callees) of JS/wasm functions:');
  for (const f of summary.inclusive.slice(0, top)) lines.push(`  ${f.ms.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.key}`);
  lines.push('', 'top self time by file:');
  for (const f of summary.files.slice(0, top)) lines.push(`  ${f.ms.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.key}`);
  return lines.join('\n') + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/bench-profile.mjs FILE.cpuprofile [top]');
    process.exit(2);
  }
  process.stdout.write(renderProfile(summarizeProfile(file), Number(top ?? 15)));
}
