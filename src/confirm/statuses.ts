/**
 * A status for every static finding of a confirmed set, from what the replay measured at the
 * finding's statement: `confirmed` with the evidence, `not-reproduced` with what happened
 * instead, `skipped` with why nothing could be measured. Absent keys mean "not measured".
 */
import type { Confirmation, Finding, Span } from '../model.js';
import type { MigrationOutcome } from './chain.js';
import { fmt, type StepRun } from './execute.js';

export interface Estimate {
  readonly table: string;
  readonly rows: number;
  readonly durationMs: number;
  readonly basis: string;
}

export interface StatusContext {
  /** `PGlite 18.7`, `PostgreSQL 16.4`, `SQLite 3.46.1`. */
  readonly label: string;
  readonly runsFor: (span: Span) => StepRun[];
  readonly outcomeOf: (migration: string | undefined) => MigrationOutcome | undefined;
  readonly tableRows: Readonly<Record<string, number>>;
}

/** Rules about files or the static analysis itself: nothing to run. */
const STATIC_ONLY: Readonly<Record<string, string>> = {
  'require-down': 'a fact about the files (no down migration): nothing to run',
  'unused-disable': 'a fact about a suppression comment: nothing to run',
  'unanalyzable-statement': 'the statement could not be analysed statically, so there is no SQL to replay',
  'drizzle-journal-mismatch': 'a fact about the journal: nothing to run',
};

function where(run: StepRun, label: string): string {
  const rows = run.tables[0]?.rows;
  const table = run.tables.length > 0 ? `${fmt(rows ?? 0)} row${rows === 1 ? '' : 's'} in ${run.tables[0]!.name}` : 'no existing table touched';
  return `on ${label} with ${table}${run.emptied ? ' (emptied after an earlier failure)' : ''}`;
}

function errorText(run: StepRun): string {
  return `ERROR ${run.error!.code}: ${run.error!.message}`;
}

function locksText(run: StepRun): string {
  if (run.outsideTransaction) return 'ran outside a transaction';
  const locks = run.locks ?? [];
  if (locks.length === 0) return 'took no lock on a user relation';
  return `took ${locks.map((l) => `${l.mode} on ${l.relation} (blocks ${l.blocks.join(', ')})`).join(', ')}`;
}

function blockedText(run: StepRun): string {
  if (!run.blocked || run.blocked.length === 0) return '';
  const parts = run.blocked.map((b) => `${b.query} on ${b.relation} ${b.blocked ? 'was blocked' : 'went through'}`);
  return `; from a second connection, ${parts.join(', ')}`;
}

function durationText(run: StepRun, est: Estimate | undefined): string {
  if (run.durationMs === undefined) return '';
  const ms = `${run.durationMs < 10 ? run.durationMs.toFixed(1) : Math.round(run.durationMs)} ms`;
  return est ? `; ${ms} (estimate for ${fmt(est.rows)} rows in ${est.table}: ~${formatMs(est.durationMs)})` : `; ${ms}`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function estimateFor(run: StepRun, tableRows: Readonly<Record<string, number>>): Estimate | undefined {
  if (run.durationMs === undefined) return undefined;
  for (const t of run.tables) {
    const bare = t.name.replace(/^public\./, '').replace(/"/g, '');
    const target = tableRows[t.name] ?? tableRows[bare] ?? tableRows[`public.${bare}`];
    if (target === undefined || t.rows === 0) continue;
    return { table: t.name, rows: target, durationMs: Math.round((run.durationMs * target) / t.rows), basis: `linear extrapolation from ${fmt(t.rows)} seeded rows (an estimate, not a measurement)` };
  }
  return undefined;
}

/** The measured keys of a run, in the contract's names. */
function measured(run: StepRun, est: Estimate | undefined): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (run.locks) m.locks = run.locks.map((l) => ({ relation: l.relation, mode: l.mode, blocks: l.blocks }));
  if (run.blocked) m.blocked = run.blocked.map((b) => ({ relation: b.relation, query: b.query, blocked: b.blocked }));
  if (run.outcome === 'ok' && run.locks !== undefined) m.rewrite = (run.rewrite ?? []).length > 0;
  if (run.error) m.error = { sqlstate: run.error.code, message: run.error.message };
  if (run.rowsLost !== undefined) m.rowsLost = run.rowsLost;
  if (run.valueChanges !== undefined || run.step.ops.some((o) => o.kind === 'alter-column-type')) {
    if (run.outcome === 'ok') m.valuesChanged = (run.valueChanges ?? []).reduce((n, c) => n + c.changed, 0);
  }
  if (run.durationMs !== undefined) m.durationMs = Math.round(run.durationMs * 10) / 10;
  if (est) m.estimate = est;
  return m;
}

function make(status: Confirmation['status'], evidence: string, extra: Record<string, unknown> = {}): Confirmation {
  return { status, evidence, ...extra };
}

/** The run that says most about a finding: a failure, else the first run that executed. */
function pick(runs: StepRun[]): StepRun | undefined {
  return runs.find((r) => r.outcome === 'error') ?? runs.find((r) => r.outcome === 'ok') ?? runs[0];
}

export function confirmationFor(f: Finding, ctx: StatusContext): Confirmation {
  const staticOnly = STATIC_ONLY[f.ruleId];
  if (staticOnly) return make('skipped', staticOnly);
  const outcome = ctx.outcomeOf(f.migration);
  if (f.ruleId === 'syntax-error') {
    const e = outcome?.parseDbError;
    if (e) return make('confirmed', `${ctx.label} refuses it too: ERROR ${e.code}: ${e.message}`, { error: { sqlstate: e.code, message: e.message } });
    return outcome?.parseError ? make('not-reproduced', `${ctx.label} accepted the text that migralint's parser refused`) : make('skipped', 'the migration was not replayed');
  }
  if (outcome?.parseError) return make('skipped', 'the migration does not parse, so none of it was run');
  const runs = ctx.runsFor(f.span);
  const run = pick(runs);
  if (!run) {
    if (outcome && !outcome.applied && outcome.failure) return make('skipped', `the migration failed before reaching this statement: ERROR ${outcome.failure.code}: ${outcome.failure.message}`);
    return make('skipped', 'no statement of the replay matches this finding');
  }
  if (run.outcome === 'skipped' || run.outcome === 'not-run') return make('skipped', run.reason ?? 'not run');
  if (run.dependsOn) return make('skipped', `depends on migration ${run.dependsOn}, which failed: ${errorText(run)}`, measured(run, undefined));
  const est = estimateFor(run, ctx.tableRows);
  const extra = measured(run, est);
  const on = where(run, ctx.label);
  const tail = `${durationText(run, est)}`;
  const failedEvidence = run.error ? `${on}: ${errorText(run)}${run.failedOnlyWithRows ? ' (it succeeds on empty tables)' : ''}` : '';
  const data = run.tables.some((t) => t.rows > 0);
  switch (f.ruleId) {
    case 'require-not-null-backfill':
    case 'migration-fails-with-rows':
      if (run.error) return make('confirmed', failedEvidence, extra);
      return make('not-reproduced', `${on}: it ran without error${data ? '' : ' (no rows to fail on)'}${tail}`, extra);
    case 'no-concurrent-in-transaction':
      if (run.error?.code === '25001') return make('confirmed', failedEvidence, extra);
      if (run.error) return make('skipped', `the statement failed for another reason: ${errorText(run)}`, extra);
      return make('not-reproduced', `${on}: it ran as the framework runs it, without error${tail}`, extra);
    case 'require-concurrent-index': {
      if (run.error) return make('skipped', `the statement failed: ${errorText(run)}`, extra);
      const strong = (run.locks ?? []).filter((l) => l.blocks.includes('writes'));
      const insertBlocked = (run.blocked ?? []).filter((b) => b.query === 'INSERT' && b.blocked);
      if (strong.length > 0 || insertBlocked.length > 0) return make('confirmed', `${on}: ${locksText(run)}${blockedText(run)}${tail}`, extra);
      return make('not-reproduced', `${on}: ${locksText(run)}${blockedText(run)}, nothing that blocks writes${tail}`, extra);
    }
    case 'no-drop-column':
    case 'no-drop-table':
    case 'no-truncate': {
      if (run.error) return make('skipped', `the statement failed: ${errorText(run)}`, extra);
      const lost = f.ruleId === 'no-drop-column' ? (run.valuesLost ?? 0) : (run.rowsLost ?? 0);
      const what = (run.lossDetail ?? []).join(', ') || 'nothing measured';
      if (lost > 0) return make('confirmed', `${on}: lost ${what}; ${locksText(run)}${blockedText(run)}${tail}`, extra);
      return make('not-reproduced', `${on}: lost ${what} (the seeded tables held nothing it could lose)${tail}`, extra);
    }
    case 'no-lossy-change': {
      const changes = run.valueChanges ?? [];
      if (changes.length > 0) {
        const c = changes[0]!;
        return make('confirmed', `${on}: ${fmt(c.changed)} value${c.changed === 1 ? '' : 's'} of ${c.table}.${c.column} changed${c.example ? ` (${JSON.stringify(c.example.before)} → ${JSON.stringify(c.example.after)})` : ''}${tail}`, extra);
      }
      return make('not-reproduced', `${on}: no value changed${tail}`, extra);
    }
    case 'require-reversible-down':
      return make('confirmed', `on ${ctx.label}: ${f.message}`, extra);
    default: {
      // A rule without a runtime check of its own: report what was measured, decide nothing.
      if (run.error) return make('confirmed', `${failedEvidence}`, extra);
      if (run.rewrite?.length) return make('confirmed', `${on}: rewrote ${run.rewrite.join(', ')} (new relfilenode); ${locksText(run)}${blockedText(run)}${tail}`, extra);
      const rewrite = run.rewrite?.length ? `; rewrote ${run.rewrite.join(', ')}` : '';
      return make('skipped', `no runtime check is defined for ${f.ruleId}; measured on ${on}: ${locksText(run)}${blockedText(run)}${rewrite}${tail}`, extra);
    }
  }
}
