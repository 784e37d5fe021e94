import { defineRule } from '../src/engine/rule.js';
import { inTransaction } from '../src/engine/rule-support.js';
import { insertAfter, matchWords, safeFix } from '../src/fix/sql-edits.js';
import { FORMATS, type Dialect, type Operation, type Span, type Statement } from '../src/model.js';

/** What a statement lacks to be re-runnable: the words to add and where (after `after`). */
interface Missing {
  readonly words: 'IF NOT EXISTS' | 'IF EXISTS';
  readonly what: string;
  readonly span: Span;
  readonly after: RegExp;
}

const CREATE_TABLE = /^CREATE (?:(?:GLOBAL|LOCAL) )?(?:UNLOGGED )?TABLE(?= |$)/;
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
    case 'create-table':
      return op.ifNotExists || op.temporary ? undefined : { words: 'IF NOT EXISTS', what: 'CREATE TABLE', span: op.span, after: CREATE_TABLE };
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
    const gap = missing(op, ctx.dialect, ctx.statement);
    if (!gap) return;
    // `DROP TABLE a, b`: one statement, one finding.
    if (ctx.statement && ctx.previous.some((p) => p.span === op.span && ctx.statement!.ops.includes(p))) return;
    const fix = insertAfter(gap.span, ctx.dialect, gap.after, gap.words);
    if (!fix) return;
    ctx.report({
      span: gap.span,
      message: `${gap.what} without ${gap.words}: if the migration fails after this statement, running it again fails here.`,
      fixes: safeFix(`Add ${gap.words} (the statement can be re-run; locking and transactions are unchanged).`, fix),
    });
  },
});
