import { defineRule, tableName } from '../src/engine/rule.js';
import { dropIndexTable, inTransaction } from '../src/engine/rule-support.js';
import { addConcurrently, OUTSIDE_TRANSACTION_HELP } from './require-concurrent-index.js';

export default defineRule({
  meta: {
    id: 'require-concurrent-index-drop',
    description: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait.',
    help: 'Use DROP INDEX CONCURRENTLY, outside a transaction.',
    defaultLevel: 'warn',
    dialects: ['postgres'],
    recommended: true,
    fixable: true,
  },
  operationKinds: ['drop-index'],
  checkOperation(op, ctx) {
    if (op.kind !== 'drop-index' || op.concurrently) return;
    const index = ctx.schema.index(op.name);
    if (index?.createdIn === ctx.migration.id) return;
    const table = dropIndexTable(op, ctx);
    if (table && ctx.schema.isNewTable(table, ctx.migration.id)) return;
    const on = table ? ` on "${tableName(table)}"` : '';
    ctx.report({
      span: op.span,
      message: `DROP INDEX "${op.name}" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock${on}: every read and write of the table waits for it, and it waits for every query already using the table.`,
      help: (OUTSIDE_TRANSACTION_HELP[ctx.format] ?? 'Use DROP INDEX CONCURRENTLY outside a transaction.').replace(/CREATE INDEX CONCURRENTLY/g, 'DROP INDEX CONCURRENTLY'),
      // DROP INDEX CONCURRENTLY takes one index and no CASCADE.
      ...(ctx.statement?.ops.length === 1 && (ctx.statement.ast as { DropStmt?: { behavior?: string } } | undefined)?.DropStmt?.behavior !== 'DROP_CASCADE' ? { fixes: addConcurrently(op.span, /^DROP INDEX(?= |$)/, inTransaction(ctx), ctx.format) } : {}),
    });
  },
});
