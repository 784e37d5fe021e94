/**
 * Running one transaction unit of a migration on the throwaway database, statement by
 * statement, with the probes around each statement: relations and their storage (rewrite), row
 * counts and per-column data of the tables a destructive statement touches (rows and values
 * lost), captured values of columns whose type changes (values changed), the statement's own
 * locks from `pg_locks`, and, on the server, blocking observed from the second connection while
 * the statement's transaction still holds its locks.
 */
import type { Migration, Operation } from '../model.js';
import { toDbError, type Connection, type DbError, type Driver } from './driver.js';
import { captureValues, compareValues, tableData, type TableData } from './data-probe.js';
import { probeBlocking, type BlockedProbe } from './probes/blocking.js';
import { heldLocks, newLocks, type LockTaken } from './probes/locks.js';
import { columnDiff, columnFacts, columnTables, renames } from './probes/schema-change.js';
import { rewritten, userRelations, type Relation } from './probes/rewrite.js';
import { tablesOf, type Step, type Unit } from './replay.js';
import { unsafeReason, unsafeSqliteReason } from './safety.js';

export interface ValueChangeAt {
  readonly table: string;
  readonly column: string;
  readonly changed: number;
  readonly example?: { before: string; after: string };
}

/** What happened to one step. */
export interface StepRun {
  readonly step: Step;
  readonly migration: Migration;
  readonly direction: 'up' | 'down';
  outcome: 'ok' | 'error' | 'skipped' | 'not-run';
  /** Why it was skipped or not run. */
  reason?: string;
  error?: DbError;
  /** Existing tables it touches, as the database names them, with their rows before it. */
  tables: { name: string; rows: number }[];
  locks?: LockTaken[];
  blocked?: BlockedProbe[];
  /** Ran outside a transaction (CONCURRENTLY): its locks could not be read afterwards. */
  outsideTransaction?: boolean;
  /** Locks its transaction already held on existing relations when it started (earlier statements'). */
  heldBefore?: LockTaken[];
  /** Relations that kept their oid under a new name: `old → new`. */
  renamed?: string[];
  /** Columns of the tables it touched that were renamed or lost NOT NULL: `users.email renamed to mail`. */
  columnChanges?: string[];
  rewrite?: string[];
  rowsLost?: number;
  valuesLost?: number;
  lossDetail?: string[];
  valueChanges?: ValueChangeAt[];
  durationMs?: number;
  /** Ran on tables emptied after the unit failed with rows. */
  emptied?: boolean;
  /** Failed with seeded rows, succeeded once the tables were empty. */
  failedOnlyWithRows?: boolean;
  /**
   * With `failedOnlyWithRows`: tables it names besides those in `tables` (what a SELECT inside it
   * reads, a DO block's guard), with their rows when it failed.
   */
  readsTables?: { name: string; rows: number }[];
  /** A migration that failed earlier in the chain this failure follows from. */
  dependsOn?: string;
}

export interface ExecContext {
  readonly driver: Driver;
  /** The server driver's second connection (blocking probes). */
  readonly second?: Connection;
  readonly timeoutMs: number;
  /** Measure (false: just apply, as when re-applying an up after its down). */
  readonly probes: boolean;
  readonly emptied: boolean;
  /** Inside an outer transaction (a down verified and rolled back): units are savepoints. */
  readonly nested?: boolean;
}

/** SQL form of a table reference as `regclass` prints it. */
function ident(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

export function regclassName(t: { schema?: string; name: string }): string {
  return t.schema && t.schema !== 'public' ? `${ident(t.schema)}.${ident(t.name)}` : ident(t.name);
}

function resolve(op: Operation, rels: ReadonlyMap<string, string>): string[] {
  return tablesOf(op)
    .map((t) => regclassName(t))
    .filter((n) => rels.has(n));
}

function byName(rels: ReadonlyMap<string, Relation>): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of rels.values()) if (r.kind === 'r' || r.kind === 'p' || r.kind === 'm') m.set(r.name, r.oid);
  return m;
}

/**
 * Tables of the indexes a statement names without its table (`DROP INDEX users_email_idx`,
 * `REINDEX INDEX ...`), looked up in the catalog: they are what the statement locks and what
 * seeding should fill.
 */
export async function indexTables(driver: Driver, ops: readonly Operation[]): Promise<string[]> {
  if (driver.dialect !== 'postgres') return [];
  const names = ops.flatMap((op) => ((op.kind === 'drop-index' && !op.table) || (op.kind === 'reindex' && op.target === 'index' && !op.table) ? [op.name] : []));
  if (names.length === 0) return [];
  const r = await driver.query(
    `SELECT DISTINCT i.indrelid::regclass::text AS t FROM unnest($1::text[]) AS n JOIN pg_index i ON i.indexrelid = to_regclass(n)`,
    [names.map((n) => n.split('.').map(ident).join('.'))],
  );
  return r.rows.map((row) => String(row.t));
}

async function count(driver: Driver, table: string): Promise<number> {
  const sql = driver.dialect === 'postgres' ? `SELECT count(*)::int8::text AS n FROM ${table}` : `SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`;
  return Number((await driver.query(sql)).rows[0]?.n ?? 0);
}

function timeouts(ms: number, local: boolean): string {
  const scope = local ? 'LOCAL ' : '';
  return `SET ${scope}statement_timeout = ${ms}; SET ${scope}lock_timeout = ${ms}`;
}

/** Runs a unit; on the first failing statement the unit stops (and is rolled back). */
export async function runUnit(ctx: ExecContext, unit: Unit, migration: Migration, direction: 'up' | 'down'): Promise<{ runs: StepRun[]; failed?: StepRun }> {
  const { driver } = ctx;
  const runs: StepRun[] = [];
  const fresh = (step: Step): StepRun => ({ step, migration, direction, outcome: 'not-run', tables: [], emptied: ctx.emptied || undefined });
  const begin = ctx.nested ? 'SAVEPOINT migralint_unit' : 'BEGIN';
  const commit = ctx.nested ? 'RELEASE SAVEPOINT migralint_unit' : 'COMMIT';
  const rollback = ctx.nested ? 'ROLLBACK TO SAVEPOINT migralint_unit' : 'ROLLBACK';
  if (unit.transaction) await driver.exec(begin);
  let failed: StepRun | undefined;
  for (const step of unit.steps) {
    const run = fresh(step);
    runs.push(run);
    if (failed) {
      run.reason = `an earlier statement of the same transaction failed (${failed.error?.code ?? ''})`;
      continue;
    }
    if (step.unavailable) {
      run.outcome = 'skipped';
      run.reason = `its SQL could not be built statically: ${step.unavailable}`;
      continue;
    }
    if (step.sql.trim() === '') {
      run.outcome = 'skipped';
      run.reason = 'no SQL to run';
      continue;
    }
    const unsafe = driver.dialect === 'postgres' ? unsafeReason(step.sql, step.ast) : await unsafeSqliteReason(step.sql, step.statement?.ast);
    if (unsafe) {
      run.outcome = 'skipped';
      run.reason = `not run for safety: ${unsafe}`;
      continue;
    }
    try {
      await execStep(ctx, unit, run);
      run.outcome = 'ok';
    } catch (err) {
      run.outcome = 'error';
      run.error = toDbError(err);
      failed = run;
    }
  }
  if (unit.transaction) {
    if (failed) await driver.exec(rollback).catch(() => undefined);
    else {
      try {
        await driver.exec(commit);
      } catch (err) {
        // A deferred constraint fails at COMMIT: the unit's last statement carries it.
        const last = [...runs].reverse().find((r) => r.outcome === 'ok');
        if (last) {
          last.outcome = 'error';
          last.error = toDbError(err);
          failed = last;
        }
        await driver.exec(rollback).catch(() => undefined);
      }
    }
  }
  return { runs, failed };
}

async function execStep(ctx: ExecContext, unit: Unit, run: StepRun): Promise<void> {
  const { driver, probes } = ctx;
  const sql = run.step.sql;
  const postgres = driver.dialect === 'postgres';
  const inTransaction = unit.transaction || ctx.nested === true;
  // Inside a transaction the timeouts go in the same round trip as the statement; alone, a
  // statement must be the only one of its query string (CONCURRENTLY refuses an implicit block).
  const bounded = postgres && inTransaction ? `${timeouts(ctx.timeoutMs, true)};\n${sql}` : sql;
  if (postgres && !inTransaction) await driver.exec(timeouts(ctx.timeoutMs, false));
  if (!probes) {
    await driver.exec(bounded);
    return;
  }
  const relsBefore = postgres ? await userRelations(driver) : new Map<string, Relation>();
  const tableOids = byName(relsBefore);
  const touched = [...new Set([...run.step.ops.flatMap((op) => (postgres ? resolve(op, tableOids) : tablesOf(op).map((t) => t.name))), ...(await indexTables(driver, run.step.ops))])];
  for (const t of touched) {
    try {
      run.tables.push({ name: t, rows: await count(driver, t) });
    } catch {
      // a SQLite table that does not exist yet: nothing to measure
    }
  }
  const existing = new Set(run.tables.map((t) => t.name));
  // Data the statement may destroy or change, read before it.
  const losses: { op: Operation; table: string; before: TableData }[] = [];
  const captures: { table: string; column: string; capture: unknown }[] = [];
  const copies: { op: Extract<Operation, { kind: 'insert' }>; source: string; target: string; before: TableData; targetRows: number }[] = [];
  for (const op of run.step.ops) {
    const tables = tablesOf(op).map((t) => (postgres ? regclassName(t) : t.name)).filter((t) => existing.has(t));
    if (op.kind === 'drop-column' || op.kind === 'drop-table' || op.kind === 'truncate' || op.kind === 'delete') {
      for (const table of tables) losses.push({ op, table, before: await tableData(driver, table) });
    }
    if (op.kind === 'insert' && op.fromTable && op.selectColumns) {
      // A copy into another table (a rebuild): what it leaves behind in its source is lost when
      // the source is dropped, later in the migration. Measured here, where the copy is made.
      const source = postgres ? regclassName(op.fromTable) : op.fromTable.name;
      const target = postgres ? regclassName(op.table) : op.table.name;
      if (existing.has(source) && source !== target) {
        copies.push({ op, source, target, before: await tableData(driver, source), targetRows: existing.has(target) ? await count(driver, target) : 0 });
      }
    }
    if (op.kind === 'alter-column-type' && tables[0]) captures.push({ table: tables[0], column: op.column, capture: await captureValues(driver, tables[0], [op.column]) });
  }
  const columnsBefore = postgres ? await columnFacts(driver, columnTables(run.step.ops, existing)) : undefined;
  const locksBefore = postgres && unit.transaction ? await heldLocks(driver) : [];
  let blockedDuring: Promise<BlockedProbe[]> | undefined;
  const started = performance.now();
  if (!unit.transaction && ctx.second && touched.length > 0) {
    // Outside a transaction the locks are gone once it returns: probe while it runs.
    const pending = driver.exec(bounded);
    blockedDuring = probeBlocking(ctx.second, touched);
    await pending;
  } else {
    await driver.exec(bounded);
  }
  run.durationMs = performance.now() - started;
  if (postgres) {
    const relsAfter = await userRelations(driver);
    if (unit.transaction) {
      // Relations the statement itself created are invisible to other sessions until COMMIT:
      // their locks block no one, so only relations that existed before it are kept.
      const names = new Map<string, string>();
      for (const r of relsBefore.values()) names.set(r.oid, r.name);
      run.locks = newLocks(locksBefore, await heldLocks(driver), names);
      run.heldBefore = newLocks([], locksBefore, names);
      if (ctx.second) {
        const lockedTables = [...new Set(run.locks.map((l) => l.relation))].filter((n) => {
          const oid = [...relsAfter.values()].find((r) => r.name === n);
          return oid && (oid.kind === 'r' || oid.kind === 'p');
        });
        run.blocked = await probeBlocking(ctx.second, lockedTables);
      }
    } else {
      run.outsideTransaction = true;
      if (blockedDuring) run.blocked = await blockedDuring;
    }
    if (!run.step.ops.some((op) => op.kind === 'truncate')) {
      const r = rewritten(relsBefore, relsAfter);
      if (r.length > 0) run.rewrite = r;
    }
    const renamed = renames(relsBefore, relsAfter);
    if (renamed.length > 0) run.renamed = renamed;
    if (columnsBefore && columnsBefore.size > 0) {
      const changes = columnDiff(columnsBefore, await columnFacts(driver, [...columnsBefore.keys()]));
      if (changes.length > 0) run.columnChanges = changes;
    }
  }
  for (const { op, table, before } of losses) {
    let after: TableData | undefined;
    try {
      after = op.kind === 'drop-table' ? undefined : await tableData(driver, table);
    } catch {
      after = undefined;
    }
    const rowsAfter = after?.rows ?? 0;
    const lostRows = Math.max(0, before.rows - rowsAfter);
    run.rowsLost = (run.rowsLost ?? 0) + lostRows;
    let lostValues = 0;
    if (op.kind === 'drop-column') {
      const col = before.columns[op.column];
      lostValues = col && !(after && op.column in after.columns) ? col.nonNull : 0;
      (run.lossDetail ??= []).push(`${fmt(lostValues)} non-null value${lostValues === 1 ? '' : 's'} of ${table}.${op.column}`);
    } else {
      for (const [name, c] of Object.entries(before.columns)) {
        const now = after?.columns[name]?.nonNull ?? 0;
        lostValues += Math.max(0, c.nonNull - now);
      }
      (run.lossDetail ??= []).push(`${fmt(lostRows)} row${lostRows === 1 ? '' : 's'} of ${table}`);
    }
    run.valuesLost = (run.valuesLost ?? 0) + lostValues;
  }
  for (const { op, source, target, before, targetRows } of copies) {
    const carried = new Set(op.selectColumns);
    // `SELECT *` carries every column; the values left out are those of the columns no item names.
    const leftOut = carried.has('*') ? [] : Object.keys(before.columns).filter((c) => !carried.has(c));
    let lostValues = 0;
    for (const c of leftOut) {
      const n = before.columns[c]!.nonNull;
      if (n === 0) continue;
      lostValues += n;
      (run.lossDetail ??= []).push(`${fmt(n)} non-null value${n === 1 ? '' : 's'} of ${source}.${c} left out of the copy into ${target}`);
    }
    let copied = before.rows;
    try {
      copied = Math.max(0, (await count(driver, target)) - targetRows);
    } catch {
      // the target is not readable: the copy's rows are not measured
    }
    const lostRows = Math.max(0, before.rows - copied);
    if (lostRows > 0) (run.lossDetail ??= []).push(`${fmt(lostRows)} row${lostRows === 1 ? '' : 's'} of ${source} not copied into ${target}`);
    run.rowsLost = (run.rowsLost ?? 0) + lostRows;
    run.valuesLost = (run.valuesLost ?? 0) + lostValues;
  }
  for (const { table, column, capture } of captures) {
    for (const ch of await compareValues(driver, capture)) {
      if (ch.changed > 0) (run.valueChanges ??= []).push({ table, column: ch.column || column, changed: ch.changed, example: ch.example });
    }
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
