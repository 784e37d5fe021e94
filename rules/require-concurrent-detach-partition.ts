import { defineRule, tableName } from '../src/engine/rule.js';
import { inTransaction } from '../src/engine/rule-support.js';
import { contentEnd, suggestion } from '../src/fix/sql-edits.js';

export default defineRule({
  meta: {
    id: 'require-concurrent-detach-partition',
    description: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table (Postgres 14+ can detach concurrently).',
    help: 'Use ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, outside a transaction (Postgres 14+).',
    defaultLevel: 'warn',
    dialects: ['postgres'],
    recommended: true,
    fixable: true,
  },
  operationKinds: ['detach-partition'],
  checkOperation(op, ctx) {
    if (op.kind !== 'detach-partition' || op.concurrently) return;
    // Before 14 there is no concurrent form; nothing better to ask for.
    if (ctx.postgresVersion < 14) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    ctx.report({
      span: op.span,
      message: `Detaching partition "${tableName(op.partition)}" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "${tableName(op.table)}": every read and write of the partitioned table waits.`,
      // DETACH ... CONCURRENTLY must be the statement's only sub-command.
      ...(ctx.statement?.ops.length === 1
        ? {
            fixes: suggestion(
              `Add CONCURRENTLY (reads and writes go on while the partition detaches). It cannot run inside a transaction block${inTransaction(ctx) ? ', and this migration runs in one: run it outside a transaction' : ''}; if it is interrupted, finish with ALTER TABLE ... DETACH PARTITION ... FINALIZE.`,
              { start: contentEnd(op.span), end: contentEnd(op.span), text: ' CONCURRENTLY' },
            ),
          }
        : {}),
    });
  },
});
