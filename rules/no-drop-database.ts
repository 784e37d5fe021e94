import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-drop-database',
    description: 'DROP DATABASE in a migration deletes a whole database.',
    help: 'Drop databases by hand, after a backup, never from a migration.',
    defaultLevel: 'error',
    dialects: ['postgres', 'mysql'],
    recommended: true,
  },
  operationKinds: ['drop-database'],
  checkOperation(op, ctx) {
    if (op.kind !== 'drop-database') return;
    ctx.report({ span: op.span, message: `DROP DATABASE "${op.name}" deletes the whole database, with every table and row in it.` });
  },
});
