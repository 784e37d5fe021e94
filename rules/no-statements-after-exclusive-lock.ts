import { defineRule, tableName } from '../src/engine/rule.js';
import { blockingLock, inTransaction } from '../src/engine/rule-support.js';
import type { Operation, TableRef } from '../src/model.js';

/** Statements that hold nothing up: ending the transaction, settings, comments on objects. */
function isHarmless(op: Operation): boolean {
  return op.kind === 'transaction' || op.kind === 'set-setting' || (op.kind === 'other' && (op.statement === 'CommentStmt' || op.statement === 'SelectStmt'));
}

export default defineRule({
  meta: {
    id: 'no-statements-after-exclusive-lock',
    description: 'More statements after one that took an ACCESS EXCLUSIVE lock on an existing table, in the same transaction: the table stays locked until they finish.',
    help: 'Put the statement that takes the ACCESS EXCLUSIVE lock last in its transaction, or in a migration of its own.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    if (isHarmless(op)) return;
    if (!inTransaction(ctx)) return;
    // Only the first statement after the lock is reported, once per transaction.
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    let locked: { table: TableRef; ops: readonly Operation[] } | undefined;
    let reported = false;
    for (const p of ctx.previous) {
      if (p.kind === 'transaction' && p.action !== 'begin') {
        locked = undefined;
        reported = false;
        continue;
      }
      if (locked) {
        if (!isHarmless(p) && !locked.ops.includes(p)) reported = true;
        continue;
      }
      const lock = blockingLock(p, ctx);
      if (lock && lock.mode === 'ACCESS EXCLUSIVE' && p.kind !== 'drop-table' && !ctx.schema.isNewTable(lock.table, ctx.migration.id)) {
        locked = { table: lock.table, ops: own.find((st) => st.ops.includes(p))?.ops ?? [p] };
      }
    }
    if (!locked || reported || locked.ops.includes(op)) return;
    ctx.report({
      span: op.span,
      message: `"${tableName(locked.table)}" is still under the ACCESS EXCLUSIVE lock an earlier statement of this transaction took: every read and write of it waits for this statement too.`,
    });
  },
});
