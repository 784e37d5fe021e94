import { defineRule, tableName } from '../src/engine/rule.js';
import { opsOfKind, statementOps } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'no-drop-not-null',
    description: 'Dropping NOT NULL from a column of an existing table lets NULLs in that clients assume cannot exist.',
    help: 'Make sure every reader handles NULL before deploying the change (or keep the constraint and a default).',
    defaultLevel: 'warn',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['drop-not-null'],
  checkOperation(op, ctx) {
    if (op.kind !== 'drop-not-null') return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    // A down undoing its up's SET NOT NULL restores what was there.
    if (ctx.direction === 'down' && opsOfKind(statementOps(ctx.statements.up), 'set-not-null').some((o) => o.column === op.column && o.table.name === op.table.name)) return;
    const col = ctx.schema.column(op.table, op.column);
    if (col?.createdIn === ctx.migration.id) return;
    // The same undo when renames since the up changed the names: the up made this column NOT NULL.
    if (ctx.direction === 'down' && col?.notNullSetIn === ctx.migration.id) return;
    // Known nullable already: nothing changes. MySQL's MODIFY restates nullability every time,
    // so there the rule speaks only when the chain knows the column was NOT NULL.
    if (col && !col.notNull) return;
    if (ctx.dialect === 'mysql' && !col?.notNull) return;
    ctx.report({
      span: op.span,
      message: `"${tableName(op.table)}"."${op.column}" becomes nullable: code that reads it assuming a value (and types generated from the schema) break on the first NULL.`,
    });
  },
});
