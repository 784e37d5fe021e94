import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-add-unique-constraint',
    description: 'ADD UNIQUE or ADD PRIMARY KEY on an existing table builds its index under an ACCESS EXCLUSIVE lock.',
    help: 'Build a unique index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
  },
  operationKinds: ['add-column', 'add-constraint'],
  checkOperation(op, ctx) {
    if (op.kind === 'add-column' && (op.column.unique || op.column.primaryKey)) {
      if (ctx.schema.isNewTable(op.table, ctx.migration.id) || ctx.schema.holdsNoRows(op.table, ctx.migration.id)) return;
      const what = op.column.primaryKey ? 'PRIMARY KEY' : 'UNIQUE';
      ctx.report({
        span: op.span,
        message: `Adding "${tableName(op.table)}"."${op.column.name}" as ${what} builds its unique index under an ACCESS EXCLUSIVE lock: every read and write of the table waits until the build ends.`,
        help: 'Add the column plain, fill it, then CREATE UNIQUE INDEX CONCURRENTLY and ADD CONSTRAINT ... USING INDEX.',
      });
      return;
    }
    if (op.kind !== 'add-constraint' || (op.constraint !== 'unique' && op.constraint !== 'primary-key')) return;
    if (op.usingIndex !== undefined || (ctx.schema.isNewTable(op.table, ctx.migration.id) || ctx.schema.holdsNoRows(op.table, ctx.migration.id))) return;
    const what = op.constraint === 'unique' ? 'a UNIQUE constraint' : 'a PRIMARY KEY';
    const name = op.name ? ` "${op.name}"` : '';
    ctx.report({
      span: op.span,
      message: `Adding ${what}${name} to "${tableName(op.table)}" builds its index under an ACCESS EXCLUSIVE lock: every read and write of the table waits until the build ends.`,
    });
  },
});
