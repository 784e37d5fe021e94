/**
 * Replaying one set's chain on an open driver: for each migration in order, seed the existing
 * tables it touches, run its up with probes; when it has a down, snapshot the schema before the
 * up, run the down, snapshot again and diff, then re-apply the up; at the end roll the whole
 * chain back in reverse and compare with the empty start.
 *
 * A failing unit is a result, not the end: with rows in its tables, it is re-run on emptied
 * tables (success there means the migration only fails with data); failing again, the
 * migration counts as failed and the chain goes on without it.
 */
import type { Migration, MigrationSet, RawFinding, Span } from '../model.js';
import { parseMigration, type ParsedMigration } from '../engine/lint.js';
import { loadParser } from '../sql/parser.js';
import { maskPlaceholders, mayHoldPlaceholder } from '../sql/template-placeholders.js';
import { toDbError, type Connection, type DbError, type Driver } from './driver.js';
import { runUnit, type ExecContext, type StepRun } from './execute.js';
import { EXTENSION_ALLOW_LIST } from './safety.js';
import { buildSteps, transactionUnits, type Step } from './replay.js';
import { jsonShapesIn } from './seed/json-shapes.js';
import { seedTables } from './seed.js';
import { diffSnapshots, snapshotSchema } from './snapshot.js';

export interface ChainOptions {
  readonly seedRows: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly progress?: (done: number, total: number, migration: Migration) => void;
}

export interface MigrationOutcome {
  readonly migration: Migration;
  /** The up applied (possibly only on emptied tables). */
  applied: boolean;
  /** Why it did not apply. */
  failure?: DbError;
  /** Its SQL did not parse: nothing of it ran. */
  parseError?: boolean;
  /** The database's answer to the unparsable text (syntax-error confirmation). */
  parseDbError?: DbError;
  downVerified?: boolean;
  /** The down failed, or left differences. */
  downProblem?: { error?: DbError; differences?: string[]; at: Span };
}

export interface ChainResult {
  readonly runs: StepRun[];
  readonly outcomes: MigrationOutcome[];
  /** Findings only execution makes (require-reversible-down, migration-fails-with-rows, no-lossy-change). */
  readonly findings: (RawFinding & { migration: string })[];
  /** The full reverse rollback: not attempted (and why), or its result. */
  readonly rollback: { attempted: boolean; why?: string; ok?: boolean };
  /** Schemas created before the chain for template placeholders that name one (`{{ .Namespace }}.users`). */
  readonly placeholderSchemas: readonly string[];
}

/**
 * The extensions the chain's statements create (CREATE EXTENSION), once each: only those the
 * safety filter lets run (file_fdw, say, is never loaded, let alone created).
 */
function extensionsCreated(parsed: readonly ParsedMigration[]): string[] {
  const names = new Set<string>();
  for (const p of parsed) {
    for (const s of [...p.up, ...(p.down ?? [])]) {
      if (s.type !== 'CreateExtensionStmt') continue;
      const name = (s.ast as { CreateExtensionStmt?: { extname?: unknown } } | undefined)?.CreateExtensionStmt?.extname;
      if (typeof name === 'string' && EXTENSION_ALLOW_LIST.has(name)) names.add(name);
    }
  }
  return [...names];
}

/**
 * The schemas a templated chain's placeholders may stand for (`{{ index .Options "Namespace" }}.users`
 * replays as `"namespace".users`): every placeholder that became an identifier of its own, less
 * the schemas the chain creates itself. The tool that renders the templates runs them in a schema
 * that exists already; so does the replay.
 */
function placeholderSchemas(set: MigrationSet, parsed: readonly ParsedMigration[]): string[] {
  if (set.dialect !== 'postgres') return [];
  const names = new Set<string>();
  for (const m of set.migrations) {
    for (const section of [m.up, m.down]) {
      if (!section) continue;
      const text = section.file.text.slice(section.start, section.end);
      if (mayHoldPlaceholder(text, set.dialect)) maskPlaceholders(text, set.dialect, { identifiers: names });
    }
  }
  if (names.size === 0) return [];
  for (const p of parsed) for (const s of [...p.up, ...(p.down ?? [])]) for (const op of s.ops) if (op.kind === 'create-schema') names.delete(op.name);
  return [...names].sort();
}

/**
 * Empties the tables a failed unit touched (and, through CASCADE, the tables referencing them):
 * the unit is then re-run on the unseeded state. Other tables keep their rows.
 */
async function emptyTables(driver: Driver, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  if (driver.dialect !== 'postgres') {
    // A table the rolled-back unit created is gone again: nothing to empty there.
    for (const t of tables) await driver.exec(`DELETE FROM "${t.replace(/"/g, '""')}"`).catch(() => undefined);
    return;
  }
  const rows = (await driver.query(`SELECT to_regclass(t)::text AS name FROM unnest($1::text[]) AS t`, [tables])).rows;
  const existing = rows.map((r) => r.name).filter((n): n is string => typeof n === 'string');
  if (existing.length > 0) await driver.exec(`TRUNCATE ${existing.join(', ')} CASCADE`);
}

/** Existing tables the up of a migration touches, as the database names them. */
async function tablesToSeed(driver: Driver, steps: readonly Step[]): Promise<string[]> {
  const { regclassName, indexTables } = await import('./execute.js');
  const { tablesOf } = await import('./replay.js');
  const named = steps.flatMap((s) => s.ops.flatMap((op) => tablesOf(op).map((t) => (driver.dialect === 'postgres' ? regclassName(t) : t.name))));
  const wanted = [...new Set([...named, ...(await indexTables(driver, steps.flatMap((s) => s.ops)))])];
  if (wanted.length === 0) return [];
  if (driver.dialect === 'postgres') {
    const rows = (await driver.query(`SELECT to_regclass(t)::text AS name FROM unnest($1::text[]) AS t`, [wanted])).rows;
    return rows.map((r) => r.name).filter((n): n is string => typeof n === 'string');
  }
  const have = new Set((await driver.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).rows.map((r) => String(r.name)));
  return wanted.filter((t) => have.has(t));
}

/**
 * Errors the rows a statement reads can cause (SQLSTATE classes 21 cardinality, 22 data exception,
 * 23 integrity violation, P0 a PL/pgSQL RAISE; SQLite's constraint and type errors): only these
 * are tried again on the tables the statement's text names (an undefined function or a syntax
 * error is not the rows).
 */
const ROW_DEPENDENT = /^(?:2[123]|P0)|^SQLITE_(?:CONSTRAINT|MISMATCH)/;

/** At most this many of the tables a failing statement names are counted (a huge DO block names many words). */
const MAX_NAMED_TABLES = 50;

/**
 * Existing tables whose name the statement's text holds as a word (quoted or not, any case), that
 * hold rows, as the database names them, with their row counts. A word that only looks like a
 * table's name (in a comment, a string) at worst empties one table more before a re-run.
 */
async function tablesWithRowsNamedIn(driver: Driver, sql: string): Promise<{ name: string; rows: number }[]> {
  try {
    return await countNamedTables(driver, sql);
  } catch {
    return []; // a catalog or count query the database refused: the statement's own tables only
  }
}

async function countNamedTables(driver: Driver, sql: string): Promise<{ name: string; rows: number }[]> {
  const words = new Set((sql.toLowerCase().match(/[\p{L}_][\p{L}\p{N}_$]*/gu) ?? []));
  const all =
    driver.dialect === 'postgres'
      ? (await driver.query(`SELECT c.oid::regclass::text AS name, c.relname AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`)).rows
      : (await driver.query(`SELECT name, name AS rel FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)).rows;
  const named = all.filter((r) => words.has(String(r.rel).toLowerCase())).slice(0, MAX_NAMED_TABLES).map((r) => String(r.name));
  if (named.length === 0) return [];
  const quote = (t: string): string => (driver.dialect === 'postgres' ? t : `"${t.replace(/"/g, '""')}"`);
  const counts = (await driver.query(`SELECT ${named.map((t, i) => `(SELECT count(*) FROM ${quote(t)}) AS c${i}`).join(', ')}`)).rows[0] ?? {};
  return named.map((name, i) => ({ name, rows: Number(counts[`c${i}`] ?? 0) })).filter((t) => t.rows > 0);
}

const DEPENDENT_CODES = new Set(['42P01', '42703', '42704', '3F000', '42883', 'SQLITE_ERROR']);

export async function replayChain(set: MigrationSet, driver: Driver, second: Connection | undefined, opts: ChainOptions): Promise<ChainResult> {
  const parser = await loadParser(set.dialect);
  const runs: StepRun[] = [];
  const outcomes: MigrationOutcome[] = [];
  const findings: (RawFinding & { migration: string })[] = [];
  const failedMigrations: string[] = [];
  const label = (m: Migration): string => `${set.root}#${m.id}`;
  const parsedAll: { parsed: ParsedMigration; errors: RawFinding[] }[] = set.migrations.map((m) => {
    const errors: RawFinding[] = [];
    return { parsed: parseMigration(m, parser, errors), errors };
  });
  if (driver.provideExtensions) await driver.provideExtensions(extensionsCreated(parsedAll.map((p) => p.parsed)));
  const schemas: string[] = [];
  for (const name of placeholderSchemas(set, parsedAll.map((p) => p.parsed))) {
    // One Postgres refuses (pg_*) is left out: the statements using it then fail and say so.
    const made = await driver.exec(`CREATE SCHEMA IF NOT EXISTS "${name.replace(/"/g, '""')}"`).then(() => true, () => false);
    if (made) schemas.push(name);
  }
  // What the chain's SQL reads its JSON columns as (arrays, objects): seeded in that shape.
  const jsonShapes = jsonShapesIn(new Set(set.migrations.flatMap((m) => [m.file, m.up?.file, m.down?.file]).filter((f) => f !== undefined).map((f) => f.text)));
  const start = await snapshotSchema(driver);

  const probing: ExecContext = { driver, second, timeoutMs: opts.timeoutMs, probes: true, emptied: false };
  const applying: ExecContext = { ...probing, probes: false };

  /** Runs the units of one direction; returns the failure that stopped it, if any. */
  const runDirection = async (m: Migration, steps: readonly Step[], direction: 'up' | 'down', ctx: ExecContext): Promise<{ failure?: StepRun }> => {
    for (const unit of transactionUnits(steps, m, set.format)) {
      const first = await runUnit(ctx, unit, m, direction);
      if (ctx.probes) runs.push(...first.runs);
      if (!first.failed) continue;
      // The unit's runs as `runs` holds them (statements after one that failed only with rows
      // are replaced by their runs on the emptied tables).
      const current = [...first.runs];
      let failed: StepRun | undefined = first.failed;
      let attempt = first;
      const emptied = new Set<string>();
      // A unit may fail with rows at several statements, on other tables each time: empty the
      // tables of each failure in turn, as long as every re-run gets further.
      // The failure the tables its statement's text names were last tried for (once each, below).
      let namedTriedFor: StepRun | undefined;
      while (failed) {
        const withRows = failed.tables.some((t) => t.rows > 0) || attempt.runs.some((r) => r.tables.some((t) => t.rows > 0));
        const touched = [...new Set(attempt.runs.flatMap((r) => r.tables.map((t) => t.name)))];
        let toEmpty = withRows || !ctx.probes ? (touched.length > 0 ? touched : await tablesToSeed(driver, unit.steps)).filter((t) => !emptied.has(t)) : [];
        // What the statement reads is not always among the tables its operations name (the
        // FROM of an INSERT ... SELECT or CREATE TABLE ... AS, a DO block's guard): where those
        // tables do not explain the failure, the tables its text names that hold rows are tried,
        // once (emptying them before would cost later statements their rows for nothing).
        let named: { name: string; rows: number }[] = [];
        if (toEmpty.length === 0 && namedTriedFor !== failed && ROW_DEPENDENT.test(failed.error?.code ?? '')) {
          namedTriedFor = failed;
          named = (await tablesWithRowsNamedIn(driver, failed.step.sql)).filter((t) => !emptied.has(t.name));
          toEmpty = named.map((t) => t.name);
        }
        if (toEmpty.length === 0) break;
        await emptyTables(driver, toEmpty);
        for (const t of toEmpty) emptied.add(t);
        const again = await runUnit({ ...ctx, emptied: true }, unit, m, direction);
        const at = current.indexOf(failed);
        const againAt = again.failed ? again.runs.indexOf(again.failed) : again.runs.length;
        // Failing at the same statement on emptied tables: not those tables' rows (the next round
        // tries the tables the statement names, or stops).
        if (againAt <= at) continue;
        failed.failedOnlyWithRows = true;
        if (named.length > 0) failed.readsTables = named;
        // Statements after the failing one only ran on the emptied tables.
        for (let i = at + 1; i < current.length; i++) {
          if (ctx.probes) {
            const idx = runs.indexOf(current[i]!);
            if (idx >= 0) runs[idx] = again.runs[i]!;
          }
          current[i] = again.runs[i]!;
        }
        attempt = again;
        failed = again.failed ? current[againAt] : undefined;
      }
      if (!failed) continue;
      if (failedMigrations.length > 0 && DEPENDENT_CODES.has(failed.error?.code ?? '')) failed.dependsOn = failedMigrations[failedMigrations.length - 1];
      return { failure: failed };
    }
    return {};
  };

  for (let i = 0; i < set.migrations.length; i++) {
    const m = set.migrations[i]!;
    opts.progress?.(i + 1, set.migrations.length, m);
    const { parsed, errors } = parsedAll[i]!;
    const outcome: MigrationOutcome = { migration: m, applied: false };
    outcomes.push(outcome);
    if (errors.some((e) => e.ruleId === 'syntax-error') && m.up && set.dialect === 'postgres') {
      outcome.parseError = true;
      // Postgres parses the whole query string before running any of it: nothing here can run.
      const text = maskPlaceholders(m.up.file.text.slice(m.up.start, m.up.end), set.dialect);
      try {
        await driver.exec('BEGIN');
        await driver.exec(text);
      } catch (err) {
        outcome.parseDbError = toDbError(err);
      } finally {
        await driver.exec('ROLLBACK').catch(() => undefined);
      }
      failedMigrations.push(m.name);
      continue;
    }
    const up = await buildSteps(set, parsed, 'up');
    const down = m.downState === 'present' && parsed.down ? await buildSteps(set, parsed, 'down') : null;
    await seedTables(driver, await tablesToSeed(driver, up), { rows: opts.seedRows, seed: opts.seed + i, jsonShapes });
    const before = down ? await snapshotSchema(driver) : undefined;
    const upResult = await runDirection(m, up, 'up', probing);
    if (upResult.failure) {
      outcome.failure = upResult.failure.error;
      failedMigrations.push(m.name);
      continue;
    }
    outcome.applied = true;
    if (!down || !before) continue;
    const downAt: Span = down[0]?.span ?? (m.down ? { file: m.down.file, start: m.down.start, end: m.down.start } : m.file && { file: m.file, start: 0, end: 0 });
    // A down of transactional statements is verified inside an outer transaction that is then
    // rolled back: the state after the up (rows included) comes back exactly. Otherwise the down
    // runs for real and the up is applied again.
    const nested = transactionUnits(down, m, set.format).every((u) => u.transaction) && set.dialect === 'postgres';
    if (nested) await driver.exec('BEGIN');
    let reapply = !nested;
    try {
      const downResult = await runDirection(m, down, 'down', nested ? { ...probing, nested: true } : probing);
      if (downResult.failure) {
        const e = downResult.failure.error!;
        outcome.downProblem = { error: e, at: downResult.failure.step.span };
        findings.push({
          ruleId: 'require-reversible-down',
          migration: label(m),
          span: downResult.failure.step.span,
          message: `The down of ${m.name} fails right after its up: ERROR ${e.code}: ${e.message}`,
        });
        // A failed transactional down changed nothing; a partial one is undone by applying the up.
        if (!nested) reapply = false;
      } else {
        const differences = diffSnapshots(before, await snapshotSchema(driver));
        if (differences.length > 0) {
          outcome.downProblem = { differences, at: downAt };
          findings.push({
            ruleId: 'require-reversible-down',
            migration: label(m),
            span: downAt,
            message: `The down of ${m.name} leaves the schema different from before its up: ${differences.join('; ')}.`,
          });
        } else outcome.downVerified = true;
      }
    } finally {
      if (nested) await driver.exec('ROLLBACK');
    }
    if (reapply) {
      // Back to the state after the up, so the chain goes on as it would in production.
      const again = await runDirection(m, up, 'up', applying);
      if (again.failure) {
        outcome.applied = false;
        outcome.failure = again.failure.error;
        failedMigrations.push(m.name);
      }
    }
  }

  // The whole chain back, newest first, to the empty start.
  let rollback: ChainResult['rollback'];
  const missingDown = set.migrations.filter((m) => m.downState !== 'present');
  if (set.migrations.length === 0) rollback = { attempted: false, why: 'no migrations' };
  else if (missingDown.length > 0) rollback = { attempted: false, why: missingDown.length === set.migrations.length ? 'the migrations have no downs' : `${missingDown.length} migration${missingDown.length === 1 ? ' has' : 's have'} no down` };
  else if (outcomes.some((o) => !o.applied)) rollback = { attempted: false, why: 'a migration of the chain failed' };
  else if (outcomes.some((o) => o.downProblem?.error)) rollback = { attempted: false, why: 'a down of the chain fails (reported at that down)' };
  else {
    rollback = { attempted: true, ok: true };
    for (let i = set.migrations.length - 1; i >= 0; i--) {
      const m = set.migrations[i]!;
      const down = await buildSteps(set, parsedAll[i]!.parsed, 'down');
      const r = await runDirection(m, down, 'down', applying);
      if (r.failure) {
        rollback.ok = false;
        const e = r.failure.error!;
        findings.push({
          ruleId: 'require-reversible-down',
          migration: label(m),
          span: r.failure.step.span,
          message: `Rolling the whole chain back fails at the down of ${m.name}: ERROR ${e.code}: ${e.message}`,
        });
        break;
      }
    }
    if (rollback.ok) {
      const differences = diffSnapshots(start, await snapshotSchema(driver));
      if (differences.length > 0) {
        rollback.ok = false;
        const first = set.migrations[0]!;
        const span = (parsedAll[0]!.parsed.down?.[0]?.span) ?? { file: first.file, start: 0, end: 0 };
        findings.push({
          ruleId: 'require-reversible-down',
          migration: label(first),
          span,
          message: `Rolling the whole chain back (every down, newest first) does not return to the empty start: ${differences.join('; ')}.`,
        });
      }
    }
  }

  // Findings only execution makes, from the measured runs.
  for (const run of runs) {
    if (run.direction !== 'up') continue;
    if (run.failedOnlyWithRows && run.error) {
      const tables = [...run.tables, ...(run.readsTables ?? [])].filter((t) => t.rows > 0).map((t) => `${t.rows.toLocaleString('en-US')} rows in ${t.name}`);
      findings.push({
        ruleId: 'migration-fails-with-rows',
        migration: label(run.migration),
        span: run.step.span,
        message: `This statement succeeds on an empty database but fails once the tables hold rows (${tables.join(', ') || 'seeded rows'}): ERROR ${run.error.code}: ${run.error.message}`,
      });
    }
    for (const ch of run.valueChanges ?? []) {
      const example = ch.example ? ` (e.g. ${JSON.stringify(ch.example.before)} became ${JSON.stringify(ch.example.after)})` : '';
      findings.push({
        ruleId: 'no-lossy-change',
        migration: label(run.migration),
        span: run.step.span,
        message: `${ch.changed.toLocaleString('en-US')} value${ch.changed === 1 ? '' : 's'} of existing rows in ${ch.table}.${ch.column} changed${example}: the rows survive, their data does not.`,
      });
    }
  }
  return { runs, outcomes, findings, rollback, placeholderSchemas: schemas };
}
