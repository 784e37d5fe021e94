import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-rename-table',
    description: 'Renaming an existing table breaks every client still using the old name.',
    help: 'Create the new table (or a view with the new name), move the clients, then drop the old one.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    if (op.kind !== 'rename-table') return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    ctx.report({
      span: op.span,
      message: `Renaming table "${tableName(op.table)}" to "${op.to}": the application code already deployed still queries "${op.table.name}", and fails until it is updated.`,
    });
  },
});
