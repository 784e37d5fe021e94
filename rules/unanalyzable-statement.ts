import { defineRule } from '../src/engine/rule.js';

/**
 * A JS/TS (Knex) migration call whose effect cannot be known without running the file: migralint
 * never runs it, so it says what it could not check instead of skipping it silently.
 */
export default defineRule({
  meta: {
    id: 'unanalyzable-statement',
    description: 'A migration call that cannot be resolved statically, so no rule could check it.',
    help: 'Use literal table and column names and literal SQL in migrations, or review this call by hand.',
    defaultLevel: 'info',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['unanalyzable'],
  checkOperation(op, ctx) {
    if (op.kind !== 'unanalyzable') return;
    ctx.report({ span: op.span, message: `Not analysed: ${op.reason}` });
  },
});
