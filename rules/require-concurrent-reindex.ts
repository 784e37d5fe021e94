import { defineRule } from '../src/engine/rule.js';
import { inTransaction } from '../src/engine/rule-support.js';
import { addConcurrently } from './require-concurrent-index.js';

export default defineRule({
  meta: {
    id: 'require-concurrent-reindex',
    description: 'REINDEX without CONCURRENTLY blocks writes to the table (and reads through the index) until the rebuild ends.',
    help: 'Use REINDEX ... CONCURRENTLY (Postgres 12+), outside a transaction.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
    fixable: true,
  },
  operationKinds: ['reindex'],
  checkOperation(op, ctx) {
    if (op.kind !== 'reindex' || op.concurrently) return;
    // System catalogs cannot be reindexed concurrently: there is no better way to offer.
    if (op.target === 'system') return;
    if (op.table && ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    const index = op.target === 'index' ? ctx.schema.index(op.name) : undefined;
    if (index && ctx.schema.isNewTable(index.table, ctx.migration.id)) return;
    const what = op.target === 'index' ? `index "${op.name}"` : `${op.target} "${op.name}"`;
    const blocks =
      op.target === 'index'
        ? 'locks its table against writes (SHARE) and the index itself against every query that would use it (ACCESS EXCLUSIVE)'
        : 'locks every table it rebuilds against writes (SHARE) and their indexes against the queries that use them';
    if (ctx.postgresVersion < 12) {
      ctx.report({
        span: op.span,
        message: `REINDEX ${what} ${blocks}. Postgres ${ctx.postgresVersion} has no REINDEX CONCURRENTLY.`,
        help: 'Build a replacement with CREATE INDEX CONCURRENTLY, then DROP INDEX CONCURRENTLY the old one and rename the new one (or upgrade to Postgres 12+ for REINDEX CONCURRENTLY).',
      });
      return;
    }
    ctx.report({
      span: op.span,
      message: `REINDEX ${what} without CONCURRENTLY ${blocks} until the rebuild ends.`,
      fixes: addConcurrently(op.span, /^REINDEX (?:\( [^)]* \) )?(?:INDEX|TABLE|SCHEMA|DATABASE)(?= |$)/, inTransaction(ctx), ctx.format),
    });
  },
});
