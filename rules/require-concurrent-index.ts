import { defineRule, tableName } from '../src/engine/rule.js';
import { inTransaction } from '../src/engine/rule-support.js';
import { insertAfter, suggestion } from '../src/fix/sql-edits.js';
import type { Fix, FormatId, Span } from '../src/model.js';

/**
 * Where a CONCURRENTLY statement can run outside a transaction in each framework: the end of a
 * sentence such as "run it ..." (what the suggestions say) or "Use CREATE INDEX CONCURRENTLY ...".
 */
const OUTSIDE_TRANSACTION_PLACE: Partial<Record<FormatId, string>> = {
  dbmate: 'in a migration whose header reads `-- migrate:up transaction:false`',
  goose: 'in a migration marked `-- +goose NO TRANSACTION`',
  'sql-migrate': 'in a migration whose header reads `-- +migrate Up notransaction`',
  'golang-migrate': 'as the only statement of its migration file (several statements run as one implicit transaction)',
  diesel: 'in a migration whose metadata.toml sets `run_in_transaction = false`',
  flyway: "as the only statement of its migration: Flyway detects it and runs that script outside a transaction (or set `executeInTransaction=false` in the script's .conf file)",
  prisma: 'as the only statement of its migration.sql (edit the generated migration with --create-only)',
  knex: 'in a migration that exports `config = { transaction: false }`',
  drizzle: "in a script run outside drizzle-kit migrate, before deploying (Drizzle's migrator runs every pending migration in one transaction)",
};

/** How to build an index outside a transaction in each framework. */
export const OUTSIDE_TRANSACTION_HELP: Partial<Record<FormatId, string>> = {
  ...Object.fromEntries(Object.entries(OUTSIDE_TRANSACTION_PLACE).map(([format, place]) => [format, `Use CREATE INDEX CONCURRENTLY ${place}.`])),
  knex: `Use knex.raw('CREATE INDEX CONCURRENTLY ...') ${OUTSIDE_TRANSACTION_PLACE.knex}.`,
  drizzle:
    "Drizzle's migrator runs every pending migration in one transaction, where CONCURRENTLY fails: build the index with CREATE INDEX CONCURRENTLY in a script run outside drizzle-kit migrate (before deploying), and keep the drizzle migration to CREATE INDEX IF NOT EXISTS so it becomes a no-op.",
};

export default defineRule({
  meta: {
    id: 'require-concurrent-index',
    description: 'An index build on an existing table that blocks writes to it (Postgres without CONCURRENTLY; MySQL with ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE, or any FULLTEXT/SPATIAL index).',
    help: 'Use CREATE INDEX CONCURRENTLY, outside a transaction (Postgres); let InnoDB build it online with ALGORITHM=INPLACE, LOCK=NONE (MySQL).',
    defaultLevel: 'error',
    dialects: ['postgres', 'mysql'],
    recommended: true,
    fixable: true,
  },
  operationKinds: ['create-index'],
  checkOperation(op, ctx) {
    if (op.kind !== 'create-index' || op.concurrently) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id) || ctx.schema.holdsNoRows(op.table, ctx.migration.id)) return;
    const what = op.unique ? 'unique index' : 'index';
    const name = op.name ? ` "${op.name}"` : '';
    // CREATE INDEX ... ON ONLY parent: the first step of indexing a partitioned table (where
    // CONCURRENTLY is refused); it builds nothing. The partitions' own CREATE INDEX are checked.
    // On a table the chain created without PARTITION BY, ONLY changes nothing: the whole index
    // is built under the SHARE lock (verified on Postgres 16: a valid index, ShareLock held).
    let onlyNote = '';
    if (op.only && ctx.dialect === 'postgres') {
      if (ctx.schema.table(op.table)?.partitioned !== false) return;
      onlyNote = ' ON ONLY does not help: the table is not partitioned (it was created without PARTITION BY), so the whole index is built.';
    }
    if (ctx.dialect === 'mysql') {
      // InnoDB cannot build FULLTEXT or SPATIAL indexes online (verified on MariaDB 10.11: LOCK=NONE
      // is refused with "Fulltext index creation requires a lock"): writes wait whatever the options.
      if (op.indexType) {
        const kind = op.indexType === 'fulltext' ? 'FULLTEXT' : 'SPATIAL';
        ctx.report({
          span: op.span,
          message: `Building ${kind} index${name} on "${tableName(op.table)}" blocks writes to the table until the build finishes: InnoDB cannot build a ${kind} index with LOCK=NONE${op.indexType === 'fulltext' ? ' (the first FULLTEXT index of a table also rebuilds it)' : ''}.`,
          help: `There is no online way to build a ${kind} index in InnoDB: build it in a maintenance window, or through an online schema change tool (gh-ost, pt-online-schema-change).`,
        });
        return;
      }
      // InnoDB builds secondary indexes online by default; only these options make it block.
      const blocking = op.algorithm === 'COPY' ? 'ALGORITHM=COPY copies the whole table and blocks writes' : op.lock === 'EXCLUSIVE' ? 'LOCK=EXCLUSIVE blocks reads and writes' : op.lock === 'SHARED' ? 'LOCK=SHARED blocks writes' : undefined;
      if (!blocking) return;
      ctx.report({
        span: op.span,
        message: `Building ${what}${name} on "${tableName(op.table)}" with ${blocking} until the build finishes.`,
        help: 'Drop the option, or use ALGORITHM=INPLACE, LOCK=NONE, so InnoDB builds the index online.',
      });
      return;
    }
    ctx.report({
      span: op.span,
      message: `Building ${what}${name} on "${tableName(op.table)}" without CONCURRENTLY takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits until the build finishes.${onlyNote}`,
      help: OUTSIDE_TRANSACTION_HELP[ctx.format],
      fixes: addConcurrently(op.span, /^CREATE (?:UNIQUE )?INDEX(?= |$)/, inTransaction(ctx), ctx.format),
    });
  },
});

/**
 * The suggestion of the CONCURRENTLY rules: the keyword inserted after the statement's leading
 * words (`pattern`). Never safe: CONCURRENTLY cannot run inside a transaction block, and a
 * concurrent build that fails leaves an INVALID index behind.
 */
export function addConcurrently(span: Span, pattern: RegExp, transaction: boolean, format: FormatId): Fix[] {
  const where = transaction ? `, and this migration runs in one: run it ${OUTSIDE_TRANSACTION_PLACE[format] ?? 'outside a transaction'}.` : '.';
  return suggestion(`Add CONCURRENTLY (writes are not blocked while it runs). CONCURRENTLY cannot run inside a transaction block${where}`, insertAfter(span, 'postgres', pattern, 'CONCURRENTLY'));
}
