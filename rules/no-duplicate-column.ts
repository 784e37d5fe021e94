/**
 * no-duplicate-column: a column declared twice in one CREATE TABLE, or ADD COLUMN (without IF
 * NOT EXISTS) of a column the table already has as far as the chain knows (it created or saw
 * it, and did not drop or rename it since). Either fails at run time.
 */
import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-duplicate-column',
    description: 'A column declared twice in one CREATE TABLE, or added again (ADD COLUMN without IF NOT EXISTS) to a table that already has it: the migration fails.',
    help: 'Remove the second declaration, or rename one of the two columns (add IF NOT EXISTS only where the column may already exist on purpose).',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    const fold = ctx.dialect !== 'postgres';
    const norm = (n: string): string => (fold ? n.toLowerCase() : n);
    if (op.kind === 'create-table') {
      const seen = new Set<string>();
      for (const c of op.columns) {
        if (seen.has(norm(c.name))) {
          ctx.report({ span: op.span, message: `Column "${c.name}" is declared twice in CREATE TABLE "${tableName(op.table)}": the statement fails ("column specified more than once").` });
        }
        seen.add(norm(c.name));
      }
      return;
    }
    if (op.kind !== 'add-column' || op.ifNotExists) return;
    const table = ctx.schema.table(op.table);
    if (!table) return;
    const existing = [...table.columns.values()].find((c) => norm(c.name) === norm(op.column.name));
    if (!existing) return;
    const where = existing.createdIn === ctx.migration.id ? 'earlier in this migration' : existing.createdIn ? `by migration ${existing.createdIn}` : 'before (an earlier statement of the chain uses it)';
    ctx.report({
      span: op.span,
      message: `"${tableName(op.table)}" already has a column "${existing.name}" (added ${where}): ADD COLUMN "${op.column.name}" fails ("column already exists").`,
    });
  },
});
