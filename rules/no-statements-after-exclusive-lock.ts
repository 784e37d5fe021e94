import { defineRule, tableName } from '../src/engine/rule.js';
import { ACCESS_EXCLUSIVE_KINDS, blockingLock, firstIndexAfter, inTransaction, transactionIndices } from '../src/engine/rule-support.js';
import type { Operation } from '../src/model.js';

/** Statements that hold nothing up: ending the transaction, settings, comments on objects. */
function isHarmless(op: Operation): boolean {
  return op.kind === 'transaction' || op.kind === 'set-setting' || (op.kind === 'other' && (op.statement === 'CommentStmt' || op.statement === 'SelectStmt'));
}

/**
 * Indices in `ctx.previous` of the operations that may take the lock, and of those that are not
 * harmless: gathered once per array as it grows (the engine's `ctx.previous` only gains
 * operations at its end), instead of going through every earlier operation on each one.
 */
interface Scan {
  scanned: number;
  readonly mayLock: number[];
  readonly busy: number[];
}
const scans = new WeakMap<readonly Operation[], Scan>();

function scanOf(previous: readonly Operation[]): Scan {
  let scan = scans.get(previous);
  if (!scan || scan.scanned > previous.length) scans.set(previous, (scan = { scanned: 0, mayLock: [], busy: [] }));
  for (let i = scan.scanned; i < previous.length; i++) {
    const p = previous[i]!;
    if (ACCESS_EXCLUSIVE_KINDS.has(p.kind)) scan.mayLock.push(i);
    if (!isHarmless(p)) scan.busy.push(i);
  }
  scan.scanned = previous.length;
  return scan;
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
    const previous = ctx.previous;
    // A COMMIT or ROLLBACK ends the transaction and its locks: only what came after the last one counts.
    const transactions = transactionIndices(previous);
    let start = 0;
    for (let i = transactions.length - 1; i >= 0; i--) {
      const t = previous[transactions[i]!] as Extract<Operation, { kind: 'transaction' }>;
      if (t.action !== 'begin') {
        start = transactions[i]! + 1;
        break;
      }
    }
    // The first operation since then that locks an existing table (the schema asked now, as
    // before), and whether a statement other than its own followed it.
    const scan = scanOf(previous);
    let lockAt = -1;
    let lock: ReturnType<typeof blockingLock>;
    for (let k = firstIndexAfter(scan.mayLock, start - 1); k < scan.mayLock.length && lockAt < 0; k++) {
      const p = previous[scan.mayLock[k]!]!;
      const l = blockingLock(p, ctx);
      if (l && l.mode === 'ACCESS EXCLUSIVE' && p.kind !== 'drop-table' && !ctx.schema.isNewTable(l.table, ctx.migration.id)) {
        lockAt = scan.mayLock[k]!;
        lock = l;
      }
    }
    if (lockAt < 0 || !lock) return;
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    const lockOp = previous[lockAt]!;
    const lockedOps = own.find((st) => st.ops.includes(lockOp))?.ops ?? [lockOp];
    let reported = false;
    for (let k = firstIndexAfter(scan.busy, lockAt); k < scan.busy.length && !reported; k++) if (!lockedOps.includes(previous[scan.busy[k]!]!)) reported = true;
    if (reported || lockedOps.includes(op)) return;
    ctx.report({
      span: op.span,
      message: `"${tableName(lock.table)}" is still under the ACCESS EXCLUSIVE lock an earlier statement of this transaction took: every read and write of it waits for this statement too.`,
    });
  },
});
