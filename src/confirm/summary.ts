/** The one-screen summary of a confirm run: per set, what was applied, verified and found. */
import type { Finding, MigrationSet } from '../model.js';
import { spanToRegion } from '../report/location.js';
import type { ChainResult } from './chain.js';
import { fmt } from './execute.js';

export interface SetSummary {
  readonly root: string;
  readonly driver: string;
  readonly migrations: number;
  readonly applied: number;
  readonly failed: number;
  /** The migrations that did not apply, with the error. */
  readonly failures?: readonly string[];
  /** Statements never executed, with why (safety, no SQL). */
  readonly notRun?: readonly string[];
  readonly downsVerified: number;
  readonly downsFailed: number;
  readonly confirmed: number;
  readonly notReproduced: number;
  readonly skipped: number;
  readonly slowest?: { readonly ms: number; readonly where: string; readonly sql: string };
  readonly rollback?: string;
  readonly elapsedMs?: number;
  readonly note?: string;
  /** Schemas created for template placeholders before the chain ran. */
  readonly placeholderSchemas?: readonly string[];
}

export function summarizeSet(set: MigrationSet, driver: string, chain: ChainResult, findings: readonly Finding[], elapsedMs: number): SetSummary {
  let slowest: SetSummary['slowest'];
  for (const r of chain.runs) {
    if (r.durationMs === undefined || (slowest && slowest.ms >= r.durationMs)) continue;
    const region = spanToRegion(r.step.span);
    slowest = { ms: r.durationMs, where: `${r.step.span.file.relPath}:${region.line}`, sql: oneLine(r.step.sql, 60) };
  }
  const rollback = chain.rollback.attempted ? (chain.rollback.ok ? 'whole chain rolled back to the empty start' : 'rolling the whole chain back left differences (see require-reversible-down)') : `whole-chain rollback not attempted: ${chain.rollback.why}`;
  return {
    root: set.root,
    driver,
    migrations: set.migrations.length,
    applied: chain.outcomes.filter((o) => o.applied).length,
    failed: chain.outcomes.filter((o) => !o.applied).length,
    notRun: chain.runs.filter((r) => r.outcome === 'skipped').map((r) => `${r.step.span.file.relPath}:${spanToRegion(r.step.span).line}: ${r.reason}`),
    failures: chain.outcomes.filter((o) => !o.applied).map((o) => `${o.migration.name}: ${o.parseError ? 'does not parse' : o.failure ? `ERROR ${o.failure.code}: ${oneLine(o.failure.message, 300)}` : 'not applied'}`),
    downsVerified: chain.outcomes.filter((o) => o.downVerified).length,
    downsFailed: chain.outcomes.filter((o) => o.downProblem).length,
    confirmed: findings.filter((f) => f.confirmation?.status === 'confirmed').length,
    notReproduced: findings.filter((f) => f.confirmation?.status === 'not-reproduced').length,
    skipped: findings.filter((f) => f.confirmation?.status === 'skipped').length,
    slowest,
    rollback,
    elapsedMs,
    ...(chain.placeholderSchemas.length > 0 ? { placeholderSchemas: chain.placeholderSchemas } : {}),
  };
}

/**
 * `text` on one line (runs of whitespace, newlines included, as one space), cut to `max`
 * characters: a summary line stays one line however long the SQL or the error (a RAISE that
 * lists ten thousand ids).
 */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function ms(n: number): string {
  return n < 10 ? `${n.toFixed(1)} ms` : n < 10_000 ? `${fmt(Math.round(n))} ms` : `${(n / 1000).toFixed(1)} s`;
}

/** The lines printed after the report (text) or on stderr (json, sarif, github). */
export function formatConfirmSummary(summaries: readonly SetSummary[]): string {
  const lines: string[] = ['Confirmation summary'];
  for (const s of summaries) {
    lines.push(`  ${s.root} (${s.driver}${s.elapsedMs !== undefined ? `, ${ms(s.elapsedMs)}` : ''})`);
    if (s.note) lines.push(`    ${s.note}`);
    if (s.placeholderSchemas) lines.push(`    template placeholders replayed as ${s.placeholderSchemas.map((n) => `"${n}"`).join(', ')} (created as ${s.placeholderSchemas.length === 1 ? 'a schema' : 'schemas'} before the first migration)`);
    lines.push(`    migrations applied: ${s.applied} of ${s.migrations}${s.failed > 0 ? ` (${s.failed} failed)` : ''}; downs verified: ${s.downsVerified}${s.downsFailed > 0 ? ` (${s.downsFailed} not reversible)` : ''}`);
    for (const f of s.failures ?? []) lines.push(`    failed: ${f}`);
    for (const n of s.notRun ?? []) lines.push(`    not run: ${n}`);
    lines.push(`    findings: ${s.confirmed} confirmed, ${s.notReproduced} not reproduced, ${s.skipped} skipped`);
    if (s.rollback) lines.push(`    ${s.rollback}`);
    if (s.slowest) lines.push(`    slowest statement: ${ms(s.slowest.ms)} at ${s.slowest.where}: ${s.slowest.sql}`);
  }
  return `${lines.join('\n')}\n`;
}
