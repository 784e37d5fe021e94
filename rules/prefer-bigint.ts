import { defineRule } from '../src/engine/rule.js';
import { DECLARING_KINDS, reportDeclaredTypes } from '../src/engine/rule-support.js';
import { retype, suggestion } from '../src/fix/sql-edits.js';

export default defineRule({
  meta: {
    id: 'prefer-bigint',
    description: 'An int or smallint column (or serial): ids and counters outgrow 32 bits, and changing the type later rewrites the table.',
    help: 'Use bigint (or bigserial / bigint identity) for ids and counters.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
    fixable: true,
  },
  operationKinds: DECLARING_KINDS,
  checkOperation(op, ctx) {
    reportDeclaredTypes(
      op,
      ctx,
      (t) => t.base === 'int4' || t.base === 'int2',
      (t) =>
        `is ${t.array ? 'an array of ' : 'a '}${t.base === 'int2' ? '16' : '32'}-bit integer${t.array ? 's' : ''} (${t.base}${t.array ? '[]' : ''}): when ${t.array ? 'its values outgrow' : 'it runs out'} that, widening it to bigint rewrites the whole table under an ACCESS EXCLUSIVE lock (use bigint).`,
      (column, span) => {
        if (column.typeAt === undefined) return [];
        const edit = retype(span.file, column.typeAt, span.end, /^(?:PG_CATALOG \. )?(?:(INT|INTEGER|INT4|SMALLINT|INT2)|(SERIAL|SERIAL4|SMALLSERIAL|SERIAL2))(?= |$)/, (m) => (m[2] ? 'bigserial' : 'bigint'));
        return suggestion(`Declare "${column.name}" bigint (bigserial for a serial). Clients may read 64-bit integers differently (node-postgres returns them as strings), and columns referencing it should be bigint too.`, edit);
      },
    );
  },
});
