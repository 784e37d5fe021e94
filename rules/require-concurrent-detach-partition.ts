import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'require-concurrent-detach-partition',
    description: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table (Postgres 14+ can detach concurrently).',
    help: 'Use ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, outside a transaction (Postgres 14+).',
    defaultLevel: 'warn',
    dialects: ['postgres'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    if (op.kind !== 'detach-partition' || op.concurrently) return;
    // Before 14 there is no concurrent form; nothing better to ask for.
    if (ctx.postgresVersion < 14) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    ctx.report({
      span: op.span,
      message: `Detaching partition "${tableName(op.partition)}" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "${tableName(op.table)}": every read and write of the partitioned table waits.`,
    });
  },
});
