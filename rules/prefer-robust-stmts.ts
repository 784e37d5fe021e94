import { defineRule } from '../src/engine/rule.js';
import { inTransaction, opsOfKindKeyed } from '../src/engine/rule-support.js';
import { insertAfter, matchWords, nameAfter, safeFix, suggestion } from '../src/fix/sql-edits.js';
import { FORMATS, type Dialect, type Fix, type Operation, type Span, type Statement } from '../src/model.js';
import type { RuleContext } from '../src/engine/rule.js';

/** What a statement lacks to be re-runnable: the words to add and where (after `after`). */
interface Missing {
  readonly words: 'IF NOT EXISTS' | 'IF EXISTS';
  readonly what: string;
  readonly span: Span;
  readonly after: RegExp;
}

/** Statements that are not atomic on their own: they can fail half-way even alone in a migration. */
function concurrent(op: Operation): boolean {
  return (op.kind === 'create-index' || op.kind === 'drop-index' || op.kind === 'reindex' || op.kind === 'detach-partition') && op.concurrently;
}

const CREATE_TABLE = /^CREATE (?:(?:GLOBAL|LOCAL) )?(?:(?:TEMP|TEMPORARY|UNLOGGED) )?TABLE(?= |$)/;
const CREATE_INDEX = /^CREATE (?:UNIQUE )?INDEX(?: CONCURRENTLY)?(?= |$)/;
const DROP_INDEX = /^DROP INDEX(?: CONCURRENTLY)?(?= |$)/;
/** Postgres statements the normalized operations leave as `other`, by parser node, with their IF [NOT] EXISTS flag. */
const OTHER_PG: Record<string, { flag: string; words: Missing['words']; after: RegExp; what: string }> = {
  CreateSeqStmt: { flag: 'if_not_exists', words: 'IF NOT EXISTS', after: /^CREATE (?:(?:TEMP|TEMPORARY|UNLOGGED) )?SEQUENCE(?= |$)/, what: 'CREATE SEQUENCE' },
  CreateExtensionStmt: { flag: 'if_not_exists', words: 'IF NOT EXISTS', after: /^CREATE EXTENSION(?= |$)/, what: 'CREATE EXTENSION' },
  DropStmt: { flag: 'missing_ok', words: 'IF EXISTS', after: /^DROP (?:MATERIALIZED VIEW|VIEW|SEQUENCE|TYPE|DOMAIN|EXTENSION|FUNCTION|PROCEDURE|TRIGGER)(?= |$)/, what: 'DROP' },
};

/** The IF [NOT] EXISTS the operation could carry in `dialect` and does not (undefined: nothing to add). */
function missing(op: Operation, dialect: Dialect, statement: Statement | undefined): Missing | undefined {
  const pg = dialect === 'postgres';
  switch (op.kind) {
    // A temporary table lives as long as the session, which a retry may reuse; one dropped at
    // commit (Postgres ON COMMIT DROP) does not outlive the failed attempt.
    case 'create-table': {
      const onCommitDrop = pg && (statement?.ast as { CreateStmt?: { oncommit?: string } } | undefined)?.CreateStmt?.oncommit === 'ONCOMMIT_DROP';
      return op.ifNotExists || (onCommitDrop && op.temporary) ? undefined : { words: 'IF NOT EXISTS', what: 'CREATE TABLE', span: op.span, after: CREATE_TABLE };
    }
    case 'drop-table':
      return op.ifExists ? undefined : { words: 'IF EXISTS', what: 'DROP TABLE', span: op.span, after: /^DROP TABLE(?= |$)/ };
    // MySQL has no IF [NOT] EXISTS on indexes (MariaDB does); Postgres needs the index's name.
    case 'create-index':
      return op.ifNotExists || dialect === 'mysql' || op.name === undefined ? undefined : { words: 'IF NOT EXISTS', what: 'CREATE INDEX', span: op.span, after: CREATE_INDEX };
    case 'drop-index':
      return op.ifExists || dialect === 'mysql' ? undefined : { words: 'IF EXISTS', what: 'DROP INDEX', span: op.span, after: DROP_INDEX };
    case 'create-schema':
      return op.ifNotExists ? undefined : { words: 'IF NOT EXISTS', what: 'CREATE SCHEMA', span: op.span, after: /^CREATE SCHEMA(?= |$)/ };
    case 'drop-schema':
      return op.ifExists ? undefined : { words: 'IF EXISTS', what: 'DROP SCHEMA', span: op.span, after: /^DROP SCHEMA(?= |$)/ };
    // Only Postgres has IF [NOT] EXISTS on ALTER TABLE sub-commands.
    case 'add-column':
      return op.ifNotExists || !pg ? undefined : { words: 'IF NOT EXISTS', what: 'ADD COLUMN', span: op.span, after: /^ADD(?: COLUMN)?(?= |$)/ };
    case 'drop-column':
      return op.ifExists || !pg ? undefined : { words: 'IF EXISTS', what: 'DROP COLUMN', span: op.span, after: /^DROP(?: COLUMN)?(?= |$)/ };
    // ALTER TABLE IF EXISTS t RENAME TO u: on the second run t is gone and nothing happens.
    case 'rename-table':
      return !pg || matchWords(statement?.span ?? op.span, dialect, /^ALTER TABLE IF EXISTS(?= |$)/) ? undefined : { words: 'IF EXISTS', what: op.toSchema ? 'ALTER TABLE ... SET SCHEMA' : 'ALTER TABLE ... RENAME TO', span: statement?.span ?? op.span, after: /^ALTER TABLE(?= |$)/ };
    case 'drop-constraint':
      return !pg || matchWords(op.span, dialect, /^DROP CONSTRAINT IF EXISTS(?= |$)/) ? undefined : { words: 'IF EXISTS', what: 'DROP CONSTRAINT', span: op.span, after: /^DROP CONSTRAINT(?= |$)/ };
    case 'other': {
      const node = pg ? (statement?.ast as Record<string, Record<string, unknown>> | undefined) : undefined;
      const type = node ? Object.keys(node)[0] : undefined;
      const known = type ? OTHER_PG[type] : undefined;
      if (!known || !node || node[type!]![known.flag] === true) return undefined;
      return { words: known.words, what: known.what, span: op.span, after: known.after };
    }
    default:
      return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'prefer-robust-stmts',
    description: 'A CREATE, DROP, ADD COLUMN or DROP COLUMN without IF [NOT] EXISTS outside a transaction: a migration that failed half-way cannot simply be run again.',
    help: 'Add IF NOT EXISTS / IF EXISTS so the migration can be re-run after a partial failure.',
    defaultLevel: 'off',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: false,
    // Knex has its own spellings (createTableIfNotExists, dropTableIfExists, hasColumn).
    formats: FORMATS.filter((f) => f !== 'knex'),
    fixable: true,
  },
  checkOperation(op, ctx) {
    // Postgres and SQLite roll a failed migration's DDL back with its transaction: it re-runs
    // cleanly. MySQL commits every DDL statement on its own, so a transaction does not help there.
    if (ctx.dialect !== 'mysql' && inTransaction(ctx)) return;
    // A migration of one statement is applied whole or not at all (squawk skips it too), unless
    // the statement is a CONCURRENTLY one, which commits in phases and can stop between them.
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    if (own.length === 1 && !concurrent(op)) return;
    if (op.kind === 'add-constraint' || op.kind === 'rename-column') return reportUnguarded(op, ctx);
    const gap = missing(op, ctx.dialect, ctx.statement);
    if (!gap) return;
    // `DROP TABLE a, b`: one statement, one finding.
    if (ctx.statement && earlierInStatement(op, ctx.statement, ctx.previous).some((p) => p.span === op.span)) return;
    const fix = insertAfter(gap.span, ctx.dialect, gap.after, gap.words);
    if (!fix) return;
    ctx.report({
      span: gap.span,
      message: `${gap.what} without ${gap.words}: if the migration fails after this statement, running it again fails here.`,
      fixes: safeFix(`Add ${gap.words} (the statement can be re-run; locking and transactions are unchanged).`, fix),
    });
  },
});

/**
 * ADD CONSTRAINT and RENAME COLUMN have no IF [NOT] EXISTS form. An ADD CONSTRAINT after a
 * `DROP CONSTRAINT IF EXISTS` of the same name in this migration re-runs (squawk's idiom); the
 * suggestion inserts that drop. RENAME COLUMN is reported without a fix (run it in a transaction).
 */
function reportUnguarded(op: Extract<Operation, { kind: 'add-constraint' | 'rename-column' }>, ctx: RuleContext): void {
  if (op.kind === 'rename-column') {
    if (ctx.dialect !== 'postgres') return;
    ctx.report({ span: op.span, message: `RENAME COLUMN "${op.column}" has no IF EXISTS form: if the migration fails after this statement, running it again fails here (run the migration in a transaction).` });
    return;
  }
  if (ctx.dialect !== 'postgres' || !op.name || !ctx.statement) return;
  // The drop guards the first ADD after it; a second ADD of the name fails again. (Looked up by
  // name among the earlier operations filed by kind: rescanning them all on every operation was
  // quadratic in the statements of a migration.)
  const drops = opsOfKindKeyed(ctx.previous, 'drop-constraint', constraintName, op.name);
  let drop = -1;
  for (let i = drops.ops.length - 1; i >= 0 && drop < 0; i--) if (matchWords(drops.ops[i]!.span, 'postgres', /^DROP CONSTRAINT IF EXISTS(?= |$)/)) drop = drops.at[i]!;
  if (drop >= 0 && !opsOfKindKeyed(ctx.previous, 'add-constraint', constraintName, op.name).at.some((i) => i > drop)) return;
  ctx.report({
    span: op.span,
    message: `ADD CONSTRAINT "${op.name}" has no IF NOT EXISTS form: if the migration fails after this statement, running it again fails here.`,
    fixes: dropFirst(op.span, ctx.statement),
  });
}

/** Constraint operations filed by name (for `opsOfKindKeyed`). */
const constraintName = (op: { name?: string }): string | undefined => op.name;

/**
 * The operations of `statement` that ran before `op` (those of `previous` that belong to it): in
 * the engine's walk, the ones before `op` in the statement, since `previous` ends with them.
 */
function earlierInStatement(op: Operation, statement: Statement, previous: readonly Operation[]): readonly Operation[] {
  const here = statement.ops;
  const i = here.indexOf(op);
  const before = i >= 0 ? here.slice(0, i) : [];
  if (before.every((p, k) => previous[previous.length - before.length + k] === p)) return before;
  return previous.filter((p) => here.includes(p));
}

/** The suggestion: `ALTER TABLE t DROP CONSTRAINT IF EXISTS c;` before the statement (it takes a lock of its own). */
function dropFirst(span: Span, statement: Statement): Fix[] {
  const constraint = nameAfter(span, 'postgres', /^ADD CONSTRAINT(?= |$)/);
  const table = nameAfter(statement.span, 'postgres', /^ALTER TABLE(?: IF EXISTS)?(?: ONLY)?(?= |$)/);
  if (!constraint || !table) return [];
  const at = statement.span.start;
  return suggestion(
    `Drop the constraint first if a failed run left it (ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}). Not applied by --fix: the drop takes an ACCESS EXCLUSIVE lock of its own.`,
    { start: at, end: at, text: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint};\n` },
  );
}
