import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-rename-column',
    description: 'Renaming a column of an existing table breaks every client still using the old name.',
    help: 'Add the new column, write to both, backfill, move the readers, then drop the old column (or keep the old name with a view).',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    if (op.kind !== 'rename-column' || op.column === op.to) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    if (ctx.schema.column(op.table, op.column)?.createdIn === ctx.migration.id) return;
    ctx.report({
      span: op.span,
      message: `Renaming "${tableName(op.table)}"."${op.column}" to "${op.to}": the application code already deployed still reads and writes "${op.column}", and fails until it is updated.`,
    });
  },
});
