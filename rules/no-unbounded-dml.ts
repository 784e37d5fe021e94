import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-unbounded-dml',
    description: 'UPDATE or DELETE without WHERE on an existing table inside a migration locks every row for the whole migration.',
    help: 'Backfill or delete in batches (by primary key ranges), outside the schema migration, each batch in its own transaction.',
    defaultLevel: 'warn',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['update', 'delete'],
  checkOperation(op, ctx) {
    if ((op.kind !== 'update' && op.kind !== 'delete') || op.hasWhere) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    // Filling a column this migration added is the backfill require-not-null-backfill asks for:
    // it changes no value anyone has read (its lock time is no-statements-after-exclusive-lock's).
    if (op.kind === 'update' && op.columns.length > 0 && op.columns.every((c) => ctx.schema.column(op.table, c)?.createdIn === ctx.migration.id)) return;
    const verb = op.kind === 'update' ? 'UPDATE' : 'DELETE';
    ctx.report({
      span: op.span,
      message: `${verb} without WHERE on "${tableName(op.table)}" touches every row in one statement: each row stays locked against other writers until the migration commits, and the table bloats by its own size.`,
    });
  },
});
