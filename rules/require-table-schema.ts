/**
 * require-table-schema (opt-in): a table named without its schema in CREATE, ALTER or DROP
 * TABLE. Which table it is then depends on the search_path of the session that runs the
 * migration. Temporary tables live in their own schema and are not reported.
 */
import { defineRule } from '../src/engine/rule.js';
import type { Operation, TableRef } from '../src/model.js';

function tableOf(op: Operation): TableRef | undefined {
  switch (op.kind) {
    case 'create-table':
      return op.temporary ? undefined : op.table;
    case 'drop-table':
    case 'rename-table':
    case 'add-column':
    case 'drop-column':
    case 'rename-column':
    case 'set-not-null':
    case 'drop-not-null':
    case 'set-default':
    case 'alter-column-type':
    case 'add-constraint':
    case 'validate-constraint':
    case 'drop-constraint':
    case 'detach-partition':
      return op.table;
    default:
      return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'require-table-schema',
    description: 'A table named without its schema in CREATE, ALTER or DROP TABLE: which table it is depends on the search_path of the session that runs the migration.',
    help: 'Qualify the name: CREATE TABLE public.users (...), ALTER TABLE app.orders ...',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    const table = tableOf(op);
    if (!table || table.schema !== undefined) return;
    // One finding per statement (an ALTER TABLE with several sub-commands names the table once).
    if (ctx.statement && ctx.statement.ops.slice(0, ctx.statement.ops.indexOf(op)).some((p) => tableOf(p)?.name === table.name && tableOf(p)?.schema === undefined)) return;
    ctx.report({
      span: ctx.statement?.span ?? op.span,
      message: `Table "${table.name}" is named without a schema: the migration acts on whichever "${table.name}" comes first in the search_path of the session that runs it (a role or connection with another search_path creates or alters a different table).`,
    });
  },
});
