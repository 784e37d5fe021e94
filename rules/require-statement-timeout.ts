import { defineRule } from '../src/engine/rule.js';
import { firstUnboundedLock, lockedTableName } from '../src/engine/rule-support.js';

const reported = new WeakSet<object>();

export default defineRule({
  meta: {
    id: 'require-statement-timeout',
    description: 'A statement that locks an existing table against reads or writes, with no statement_timeout set earlier in the migration: nothing bounds how long the lock is held.',
    help: "Set statement_timeout for the migration (SET statement_timeout = '30s'), sized to what the table can afford to be blocked.",
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    const lock = firstUnboundedLock(op, ctx, 'statement_timeout', reported);
    if (!lock) return;
    ctx.report({
      span: op.span,
      message: `This holds ${lock.mode === 'ACCESS EXCLUSIVE' ? 'an' : 'a'} ${lock.mode} lock on ${lockedTableName(lock)} for as long as it runs, and no statement_timeout bounds that.`,
    });
  },
});
