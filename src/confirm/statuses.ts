/**
 * A status for every static finding of a confirmed set, from what the replay measured at the
 * finding's statement: `confirmed` with the evidence, `not-reproduced` with what happened
 * instead, `skipped` with why nothing could be measured. Absent keys mean "not measured".
 */
import type { Confirmation, Finding, Span } from '../model.js';
import type { MigrationOutcome } from './chain.js';
import { fmt, type StepRun } from './execute.js';
import type { Blocked, LockTaken } from './probes/locks.js';
import { semanticsOf } from './semantics.js';

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

function where(run: StepRun, label: string): string {
  // The first table that holds rows (a copy's target is empty, its source is not), else the first.
  const shown = run.tables.find((t) => t.rows > 0) ?? run.tables[0];
  const rows = shown?.rows;
  const table = shown ? `${fmt(rows ?? 0)} row${rows === 1 ? '' : 's'} in ${shown.name}` : 'no existing table touched';
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

/**
 * Locks an earlier statement of the transaction took on a table this statement touches, that
 * block `blocks`: the statement runs under them (the second CREATE INDEX on a table takes no new
 * lock, its transaction holds the first one's SHARE lock), so what it blocks is blocked.
 */
function heldOnTouched(run: StepRun, blocks: Blocked): LockTaken[] {
  const touched = new Set(run.tables.map((t) => t.name));
  return (run.heldBefore ?? []).filter((l) => touched.has(l.relation) && l.blocks.includes(blocks));
}

function lockEvidence(run: StepRun, blocks: Blocked, held: boolean): { hit: boolean; observable: boolean } {
  const locks = [...(run.locks ?? []), ...(held ? (run.heldBefore ?? []) : heldOnTouched(run, blocks))];
  const query = blocks === 'reads' ? 'SELECT' : 'INSERT';
  const blocked = (run.blocked ?? []).some((b) => b.query === query && b.blocked);
  return { hit: blocked || locks.some((l) => l.blocks.includes(blocks)), observable: run.locks !== undefined || run.blocked !== undefined };
}

export function confirmationFor(f: Finding, ctx: StatusContext): Confirmation {
  const sem = semanticsOf(f.ruleId);
  if (sem.kind === 'static' || sem.kind === 'advice') return make('skipped', sem.why);
  const outcome = ctx.outcomeOf(f.migration);
  if (sem.kind === 'syntax') {
    const e = outcome?.parseDbError;
    if (e) return make('confirmed', `${ctx.label} refuses it too: ERROR ${e.code}: ${e.message}`, { error: { sqlstate: e.code, message: e.message } });
    return outcome?.parseError ? make('not-reproduced', `${ctx.label} accepted the text that migralint's parser refused`) : make('skipped', 'the migration was not replayed');
  }
  if (outcome?.parseError) return make('skipped', 'the migration does not parse, so none of it was run');
  if (sem.kind === 'execution') return make('confirmed', `on ${ctx.label}: ${f.message}`, measuredFor(f, ctx));
  const runs = ctx.runsFor(f.span);
  const run = pick(runs);
  if (!run) {
    if (outcome && !outcome.applied && outcome.failure) return make('skipped', `the migration failed before reaching this statement: ERROR ${outcome.failure.code}: ${outcome.failure.message}`);
    return make('skipped', 'no statement of the replay matches this finding');
  }
  if (sem.kind === 'never-run' && run.outcome === 'skipped') return make('skipped', `${sem.why}: ${run.reason ?? 'not run'}`);
  if (run.outcome === 'skipped' || run.outcome === 'not-run') return make('skipped', run.reason ?? 'not run');
  if (run.dependsOn) return make('skipped', `depends on migration ${run.dependsOn}, which failed: ${errorText(run)}`, measured(run, undefined));
  const est = estimateFor(run, ctx.tableRows);
  const extra = measured(run, est);
  const on = where(run, ctx.label);
  const tail = `${durationText(run, est)}`;
  const failedEvidence = run.error ? `${on}: ${errorText(run)}${run.failedOnlyWithRows ? ' (it succeeds on empty tables)' : ''}` : '';
  const failedOther = (): Confirmation => make('skipped', `the statement failed, so what the rule is about could not be observed: ${errorText(run)}`, extra);
  const data = run.tables.some((t) => t.rows > 0);
  switch (sem.kind) {
    case 'fails':
      if (run.error && (!sem.codes || sem.codes.includes(run.error.code))) return make('confirmed', failedEvidence, extra);
      if (run.error) return make('skipped', `the statement failed for another reason: ${errorText(run)}`, extra);
      return make('not-reproduced', `${on}: it ran${sem.codes ? ' as the framework runs it,' : ''} without error${data || sem.codes ? '' : ' (no rows to fail on)'}${tail}`, extra);
    case 'never-run':
      return make('skipped', sem.why, extra);
    case 'lock': {
      if (run.error) return failedOther();
      const { hit, observable } = lockEvidence(run, sem.blocks, sem.held === true);
      if (hit) return make('confirmed', `${on}: ${locksText(run)}${sem.held ? heldText(run) : heldOnTouchedText(run, sem.blocks)}${blockedText(run)}${tail}`, extra);
      if (!observable) return make('skipped', `${on}: it ran outside a transaction, where its locks cannot be read afterwards (with --database-url, a second connection observes blocking while it runs)${tail}`, extra);
      return make('not-reproduced', `${on}: ${locksText(run)}${sem.held ? heldText(run) : ''}${blockedText(run)}, nothing that blocks ${sem.blocks}${tail}`, extra);
    }
    case 'rewrite': {
      if (run.error) return failedOther();
      if (run.rewrite?.length) return make('confirmed', `${on}: rewrote ${run.rewrite.join(', ')} (new relfilenode); ${locksText(run)}${blockedText(run)}${tail}`, extra);
      if (sem.lockToo && lockEvidence(run, 'reads', false).hit) return make('confirmed', `${on}: ${locksText(run)}${blockedText(run)}${tail}`, extra);
      return make('not-reproduced', `${on}: no table was rewritten (same relfilenode); ${locksText(run)}${blockedText(run)}${tail}`, extra);
    }
    case 'loss': {
      if (run.error) return make('skipped', `the statement failed: ${errorText(run)}`, extra);
      const lost = sem.measure === 'values' ? (run.valuesLost ?? 0) : (run.rowsLost ?? 0);
      const what = (run.lossDetail ?? []).join(', ') || 'nothing measured';
      if (lost > 0) return make('confirmed', `${on}: lost ${what}; ${locksText(run)}${blockedText(run)}${tail}`, extra);
      return make('not-reproduced', `${on}: lost ${what} (the seeded tables held nothing it could lose)${tail}`, extra);
    }
    case 'rows-touched': {
      if (run.error) return failedOther();
      const full = run.tables.filter((t) => t.rows > 0);
      if (full.length > 0) return make('confirmed', `${on}: it ran over every row (${full.map((t) => `${fmt(t.rows)} in ${t.name}`).join(', ')}), each locked until the transaction ends${tail}`, extra);
      return make('not-reproduced', `${on}: the table held no rows to lock${tail}`, extra);
    }
    case 'schema-change': {
      if (run.error) return failedOther();
      const seen = sem.change === 'rename-table' ? (run.renamed ?? []) : (run.columnChanges ?? []).filter((c) => (sem.change === 'rename-column' ? / renamed to / : / now accepts NULL$/).test(c));
      if (seen.length > 0) return make('confirmed', `${on}: ${sem.change === 'rename-table' ? `renamed ${seen.join(', ')}` : seen.join(', ')} (observed in the catalog); ${locksText(run)}${tail}`, extra);
      if (run.locks === undefined) return make('skipped', `${on}: the catalog is not read on ${ctx.label}${tail}`, extra);
      return make('not-reproduced', `${on}: no such change to an existing table was observed in the catalog${tail}`, extra);
    }
    case 'after-exclusive': {
      if (run.error) return failedOther();
      const held = (run.heldBefore ?? []).filter((l) => l.mode === 'AccessExclusiveLock');
      if (held.length > 0) return make('confirmed', `${on}: it ran while its transaction held AccessExclusiveLock on ${held.map((l) => l.relation).join(', ')} (reads and writes of ${held.length === 1 ? 'it' : 'them'} wait meanwhile)${tail}`, extra);
      if (run.heldBefore === undefined) return make('skipped', `${on}: it ran outside a transaction, so no earlier lock was held${tail}`, extra);
      return make('not-reproduced', `${on}: no ACCESS EXCLUSIVE lock on an existing table was held when it ran${tail}`, extra);
    }
    case 'value-change': {
      const changes = run.valueChanges ?? [];
      if (changes.length > 0) {
        const c = changes[0]!;
        return make('confirmed', `${on}: ${fmt(c.changed)} value${c.changed === 1 ? '' : 's'} of ${c.table}.${c.column} changed${c.example ? ` (${JSON.stringify(c.example.before)} → ${JSON.stringify(c.example.after)})` : ''}${tail}`, extra);
      }
      return make('not-reproduced', `${on}: no value changed${tail}`, extra);
    }
    default: {
      // A rule without semantics of its own (semantics.ts): report what was measured, decide nothing.
      const rewrite = run.rewrite?.length ? `; rewrote ${run.rewrite.join(', ')}` : '';
      const failed = run.error ? `; it failed: ${errorText(run)}` : '';
      return make('skipped', `no confirmation is defined for ${f.ruleId} yet; measured ${on}: ${locksText(run)}${blockedText(run)}${rewrite}${failed}${tail}`, extra);
    }
  }
}

function heldOnTouchedText(run: StepRun, blocks: Blocked): string {
  // Only where the statement's own locks are not the evidence already.
  if ((run.locks ?? []).some((l) => l.blocks.includes(blocks))) return '';
  const held = heldOnTouched(run, blocks);
  return held.length > 0 ? `; its transaction already held ${held.map((l) => `${l.mode} on ${l.relation}`).join(', ')} (taken by an earlier statement), under which it ran` : '';
}

function heldText(run: StepRun): string {
  const held = (run.heldBefore ?? []).filter((l) => l.blocks.includes('writes'));
  return held.length > 0 ? `; its transaction already held ${held.map((l) => `${l.mode} on ${l.relation}`).join(', ')}` : '';
}

/** Measurements of the statement a replay-made finding points at, when one ran there. */
function measuredFor(f: Finding, ctx: StatusContext): Record<string, unknown> {
  const run = pick(ctx.runsFor(f.span));
  return run ? measured(run, estimateFor(run, ctx.tableRows)) : {};
}
