import { parsePgType } from '../src/engine/pg-types.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { declaredColumns } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'prefer-text',
    description: 'A varchar(n) column: the length limit buys nothing in Postgres, and raising it later needs a migration.',
    help: 'Use text, with a CHECK (length(col) <= n) constraint if a limit is a rule of the domain.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    for (const { table, column, span } of declaredColumns(op)) {
      const t = parsePgType(column.fullType ?? column.type);
      const raw = (column.type ?? '').toLowerCase();
      if (!t) continue;
      if (!(t.base === 'varchar' && t.mods.length > 0)) continue;
      ctx.report({ span, message: `"${tableName(table)}"."${column.name}" is varchar(n): Postgres stores it like text, and lowering the limit later rewrites the table (use text, with a CHECK constraint where the limit matters).` });
    }
  },
});
