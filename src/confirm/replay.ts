/**
 * What a migration sends to the database, in order: one step per statement, grouped into the
 * transactions its framework would use.
 *
 * - SQL (every SQL layout, Drizzle included: its `--> statement-breakpoint` is a comment and
 *   the statements are the parser's own, with their spans): each statement's text as written.
 * - Knex: the SQL knex compiles from the statically extracted builder calls (`knexToSql`), one
 *   step per compiled statement, each pointing at the JS call it comes from.
 *
 * Transactions: a migration the framework wraps (`transaction`) is one unit; golang-migrate and
 * Prisma send a file of several statements as one query, which Postgres runs as one implicit
 * transaction; otherwise each statement is its own unit, and explicit `BEGIN ... COMMIT` in the
 * file groups the statements between them.
 */
import type { FormatId, Migration, MigrationSet, Operation, Span, Statement } from '../model.js';
import type { ParsedMigration } from '../engine/lint.js';
import { parsePlPgSQLSync } from '../sql/libpg-query.js';
import { maskPlaceholders } from '../sql/template-placeholders.js';

export interface Step {
  readonly sql: string;
  /** The statement's span (for Knex, the JS call's). */
  readonly span: Span;
  readonly statement?: Statement;
  readonly ops: readonly Operation[];
  /** The parser's statement node, for the safety filter (absent: parse `sql`). */
  readonly ast?: unknown;
  /** Why no SQL could be built for it (a Knex call not resolvable statically). */
  readonly unavailable?: string;
  /** An explicit transaction statement in the file: the unit structure carries it out. */
  readonly control?: 'begin' | 'commit' | 'rollback';
  /** Postgres refuses it inside a transaction block (CONCURRENTLY, VACUUM, a DO block that commits, ...). */
  readonly needsNoTransaction: boolean;
}

export interface Unit {
  readonly steps: readonly Step[];
  /** Run between BEGIN and COMMIT. */
  readonly transaction: boolean;
}

const NO_TRANSACTION_TYPES = new Set(['VacuumStmt', 'CreatedbStmt', 'DropdbStmt', 'ReindexStmt', 'AlterSystemStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt']);

function needsNoTransaction(stmt: Statement | undefined, sql: string): boolean {
  if (!stmt) return /\bCONCURRENTLY\b/i.test(sql) && /^\s*(CREATE|DROP|REINDEX)\b/i.test(sql);
  if (stmt.ops.some((op) => (op.kind === 'create-index' || op.kind === 'drop-index') && op.concurrently)) return true;
  if (NO_TRANSACTION_TYPES.has(stmt.type)) {
    if (stmt.type !== 'ReindexStmt') return true;
    return JSON.stringify(stmt.ast ?? {}).includes('"concurrently"');
  }
  if (stmt.type === 'DoStmt') return commitsInside(sql);
  return false;
}

/**
 * A DO block whose PL/pgSQL commits or rolls back (a backfill in batches, `COMMIT` after each):
 * Postgres allows that only outside a transaction block ("invalid transaction termination").
 */
function commitsInside(sql: string): boolean {
  if (!/\b(?:COMMIT|ROLLBACK)\b/i.test(sql)) return false;
  try {
    const tree = JSON.stringify(parsePlPgSQLSync(sql));
    return tree.includes('"PLpgSQL_stmt_commit"') || tree.includes('"PLpgSQL_stmt_rollback"');
  } catch {
    return false;
  }
}

function controlOf(stmt: Statement | undefined): Step['control'] {
  const op = stmt?.ops.find((o) => o.kind === 'transaction');
  return op && op.kind === 'transaction' ? op.action : undefined;
}

/** The steps of one direction of a migration. */
export async function buildSteps(set: MigrationSet, parsed: ParsedMigration, direction: 'up' | 'down'): Promise<Step[]> {
  const statements = direction === 'up' ? parsed.up : (parsed.down ?? []);
  if (set.format === 'knex') {
    const { knexToSql } = await import('../sources/knex/to-sql.js');
    const compiled = await knexToSql(statements, set.dialect === 'sqlite' ? 'sqlite3' : 'pg');
    return compiled.map((k) => {
      const stmt = statements.find((s) => s.span.start === k.span.start && s.span.end === k.span.end && s.span.file === k.span.file)
        ?? statements.find((s) => s.span.file === k.span.file && s.span.start <= k.span.start && k.span.end <= s.span.end);
      return {
        sql: k.sql,
        span: k.span,
        statement: stmt,
        ops: stmt?.ops ?? [],
        unavailable: k.unavailable,
        needsNoTransaction: needsNoTransaction(undefined, k.sql) || (stmt ? needsNoTransaction(stmt, k.sql) : false),
      };
    });
  }
  return statements.map((s) => {
    // What the migration tool would run: its placeholders filled in as lowering read them.
    const sql = maskPlaceholders(s.span.file.text.slice(s.span.start, s.span.end), set.dialect);
    return { sql, span: s.span, statement: s, ops: s.ops, ast: set.dialect === 'postgres' ? s.ast : undefined, control: controlOf(s), needsNoTransaction: needsNoTransaction(s, sql) };
  });
}

/** Formats whose tool sends a whole file as one query (one implicit transaction). */
const ONE_QUERY: ReadonlySet<FormatId> = new Set(['golang-migrate', 'prisma']);

export function transactionUnits(steps: readonly Step[], migration: Migration, format: FormatId): Unit[] {
  const real = steps.filter((s) => !s.control);
  if (migration.transaction === 'transaction' || (ONE_QUERY.has(format) && real.length > 1)) return real.length > 0 ? [{ steps: real, transaction: true }] : [];
  const units: Unit[] = [];
  let open: Step[] | undefined;
  for (const s of steps) {
    if (s.control === 'begin') {
      if (open && open.length > 0) units.push({ steps: open, transaction: true });
      open = [];
      continue;
    }
    if (s.control) {
      if (open && open.length > 0) units.push({ steps: open, transaction: true });
      open = undefined;
      continue;
    }
    if (open) open.push(s);
    else units.push({ steps: [s], transaction: !s.needsNoTransaction });
  }
  if (open && open.length > 0) units.push({ steps: open, transaction: true });
  return units;
}

/** Tables an operation touches that may already exist (targets of DDL and DML). */
export function tablesOf(op: Operation): { schema?: string; name: string }[] {
  switch (op.kind) {
    case 'truncate':
      return op.tables;
    case 'create-table':
    case 'create-schema':
    case 'drop-schema':
    case 'transaction':
    case 'unanalyzable':
    case 'other':
      return [];
    case 'drop-index':
      return op.table ? [op.table] : [];
    case 'insert':
      return op.fromTable ? [op.table, op.fromTable] : [op.table];
    default:
      // Kinds added later (vacuum, reindex, ...) name one table, several, or none.
      if ('table' in op && op.table) return [op.table];
      if ('tables' in op && Array.isArray(op.tables)) return op.tables;
      return [];
  }
}
