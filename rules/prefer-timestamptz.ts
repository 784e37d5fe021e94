import { defineRule } from '../src/engine/rule.js';
import { DECLARING_KINDS, reportDeclaredTypes } from '../src/engine/rule-support.js';
import { retype, safeFix, suggestion } from '../src/fix/sql-edits.js';

export default defineRule({
  meta: {
    id: 'prefer-timestamptz',
    description: 'A timestamp column without time zone: values are ambiguous across time zones and DST changes.',
    help: 'Use timestamptz (timestamp with time zone).',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
    fixable: true,
  },
  operationKinds: DECLARING_KINDS,
  checkOperation(op, ctx) {
    reportDeclaredTypes(op, ctx, (t) => t.base === 'timestamp', 'is timestamp without time zone: it stores a wall-clock time with no zone, so the same value means different instants to clients in different zones (use timestamptz).', (column, span) => {
      // Only a column this statement declares anew (CREATE TABLE, ADD COLUMN): its type is written at typeAt.
      if (column.typeAt === undefined) return [];
      const edit = retype(span.file, column.typeAt, span.end, /^(?:PG_CATALOG \. )?TIMESTAMP(?: \( (\d+) \))?(?: WITHOUT TIME ZONE)?(?= |$)/, (m) => `timestamptz${m[1] ? `(${m[1]})` : ''}`);
      // Drizzle's schema (and its snapshot) would still say timestamp: the fix belongs in schema.ts.
      if (ctx.format === 'drizzle') return suggestion('Declare the column timestamptz; change the Drizzle schema to match (timestamp(..., { withTimezone: true })), or the next generated migration and the app will disagree with the database.', edit);
      return safeFix('Declare the new column timestamptz (same storage and locking; values are read as instants).', edit);
    });
  },
});
