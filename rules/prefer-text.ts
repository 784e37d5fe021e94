import { defineRule } from '../src/engine/rule.js';
import { DECLARING_KINDS, reportDeclaredTypes } from '../src/engine/rule-support.js';
import { retype, suggestion } from '../src/fix/sql-edits.js';

export default defineRule({
  meta: {
    id: 'prefer-text',
    description: 'A varchar(n) column: the length limit buys nothing in Postgres, and raising it later needs a migration.',
    help: 'Use text, with a CHECK (length(col) <= n) constraint if a limit is a rule of the domain.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
    fixable: true,
  },
  operationKinds: DECLARING_KINDS,
  checkOperation(op, ctx) {
    reportDeclaredTypes(op, ctx, (t) => t.base === 'varchar' && t.mods.length > 0, 'is varchar(n): Postgres stores it like text, and lowering the limit later rewrites the table (use text, with a CHECK constraint where the limit matters).', (column, span) => {
      if (column.typeAt === undefined) return [];
      const edit = retype(span.file, column.typeAt, span.end, /^(?:PG_CATALOG \. )?(?:VARCHAR|CHARACTER VARYING) \( \d+ \)(?= |$)/, () => 'text');
      return suggestion(`Declare "${column.name}" text. This drops the length limit: add CHECK (length(${column.name}) <= n) if the limit is a rule of the domain.`, edit);
    });
  },
});
