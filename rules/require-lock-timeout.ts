import { defineRule } from '../src/engine/rule.js';
import { firstUnboundedLock, lockedTableName } from '../src/engine/rule-support.js';

const reported = new WeakSet<object>();

export default defineRule({
  meta: {
    id: 'require-lock-timeout',
    description: 'A statement that takes a lock blocking reads or writes of an existing table, with no lock_timeout set earlier in the migration: while it waits for the lock, every query on the table queues behind it.',
    help: "Start the migration with SET lock_timeout = '5s' (and retry the migration when it times out).",
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    const lock = firstUnboundedLock(op, ctx, 'lock_timeout', reported);
    if (!lock) return;
    ctx.report({
      span: op.span,
      message: `This takes ${lock.mode === 'ACCESS EXCLUSIVE' ? 'an' : 'a'} ${lock.mode} lock on ${lockedTableName(lock)} with no lock_timeout set: if another session holds a lock on the table, this statement waits, and every read and write of the table queues behind it.`,
    });
  },
});
