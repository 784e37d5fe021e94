import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-volatile-default',
    description: 'ADD COLUMN with a default computed per row (volatile function, serial, identity, generated), or any default before Postgres 11, rewrites the table under an ACCESS EXCLUSIVE lock.',
    help: 'Add the column without the default (or with a constant one), set the default for new rows with ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    if (op.kind !== 'add-column' || !op.column.hasDefault) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    const where = `"${tableName(op.table)}"."${op.column.name}"`;
    const lock = 'Postgres rewrites the whole table under an ACCESS EXCLUSIVE lock: every read and write waits until it ends';
    if (!op.column.constantDefault) {
      ctx.report({ span: op.span, message: `Adding ${where} with a value computed for each row (a volatile DEFAULT, serial, identity or generated column): ${lock}.` });
      return;
    }
    if (ctx.postgresVersion < 11) {
      ctx.report({
        span: op.span,
        message: `Adding ${where} with a DEFAULT on Postgres ${ctx.postgresVersion}: before Postgres 11 every default is written into every row, so ${lock}.`,
      });
    }
  },
});
