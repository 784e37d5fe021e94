import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-truncate',
    description: 'TRUNCATE deletes every row of a table.',
    help: 'Delete the rows you mean to remove with a DELETE ... WHERE in batches, or move data cleanup out of schema migrations.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['drop-partition', 'truncate'],
  checkOperation(op, ctx) {
    if (op.kind === 'drop-partition' && op.truncate) {
      if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
      const which = op.partitions.some((p) => p.toUpperCase() === 'ALL') ? 'every partition' : `partition${op.partitions.length > 1 ? 's' : ''} ${op.partitions.map((p) => `"${p}"`).join(', ')}`;
      ctx.report({ span: op.span, message: `TRUNCATE PARTITION deletes every row in ${which} of "${tableName(op.table)}".` });
      return;
    }
    if (op.kind !== 'truncate') return;
    const existing = op.tables.filter((t) => !ctx.schema.isNewTable(t, ctx.migration.id));
    if (existing.length === 0) return;
    const names = existing.map((t) => `"${tableName(t)}"`).join(', ');
    const cascade = op.cascade ? ' CASCADE also empties every table that references it through a foreign key.' : '';
    ctx.report({ span: op.span, message: `TRUNCATE deletes every row of ${names}.${cascade}` });
  },
});
