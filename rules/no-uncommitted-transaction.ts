/**
 * no-uncommitted-transaction: a BEGIN with no COMMIT or ROLLBACK after it before the end of the
 * migration (per direction). In a migration the framework wraps, the framework's COMMIT closes it
 * (the BEGIN itself is no-transaction-nesting); elsewhere the transaction is left open on the
 * connection.
 */
import { defineRule } from '../src/engine/rule.js';
import { opsOfKind, statementOps } from '../src/engine/rule-support.js';
import type { Operation } from '../src/model.js';

export default defineRule({
  meta: {
    id: 'no-uncommitted-transaction',
    description: 'A BEGIN with no COMMIT or ROLLBACK before the end of the migration: the transaction is left open.',
    help: 'End the transaction in the same migration: add COMMIT after its last statement.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkMigration(ctx) {
    if (ctx.migration.transaction === 'transaction') return;
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    let begin: Operation | null = null;
    for (const op of opsOfKind(statementOps(own), 'transaction')) begin = op.action === 'begin' ? (begin ?? op) : null;
    if (!begin) return;
    ctx.report({
      span: begin.span,
      message:
        'This BEGIN is never committed: the migration ends with its transaction still open, so its changes are rolled back when the connection closes ' +
        '(or committed by whatever the runner sends next on that connection, such as its own bookkeeping).',
    });
  },
});
