/**
 * no-transaction-nesting: a BEGIN while a transaction is already open (the framework's own, or
 * an earlier BEGIN of the migration), and a COMMIT or ROLLBACK that ends the transaction the
 * framework opened around the migration. Frameworks that wrap each migration are those whose
 * migrations load as `transaction` (see no-concurrent-in-transaction for the model); files sent
 * as one query (golang-migrate, Prisma) are not wrapped, and BEGIN ... COMMIT there is the norm.
 */
import { defineRule, type RuleContext } from '../src/engine/rule.js';
import { opsOfKind, statementOps } from '../src/engine/rule-support.js';
import type { Dialect, Operation } from '../src/model.js';

const WRAPPER: Partial<Record<string, string>> = {
  dbmate: 'dbmate runs this migration in a transaction (no `transaction:false` on its up marker)',
  goose: 'goose runs this migration in a transaction (no `-- +goose NO TRANSACTION`)',
  'sql-migrate': 'sql-migrate runs this migration in a transaction (no `notransaction`)',
  diesel: 'diesel runs this migration in a transaction (no `run_in_transaction = false` in metadata.toml)',
  flyway: 'Flyway runs this script in a transaction',
  knex: 'Knex runs this migration in a transaction (no `exports.config = { transaction: false }`)',
  drizzle: "drizzle-kit's migrator runs the pending migrations in one transaction",
};

const NESTED: Record<Dialect, string> = {
  postgres: 'Postgres ignores it with a WARNING ("there is already a transaction in progress"), and the first COMMIT then ends the outer transaction too',
  mysql: 'MySQL commits the open transaction first (BEGIN is an implicit commit)',
  sqlite: 'SQLite refuses it ("cannot start a transaction within a transaction")',
};

const NOTHING_OPEN: Record<Dialect, string> = {
  postgres: 'Postgres only warns "there is no transaction in progress"',
  mysql: 'MySQL ignores it',
  sqlite: 'SQLite refuses it ("no transaction is active")',
};

function wrapper(ctx: RuleContext): string | undefined {
  if (ctx.migration.transaction !== 'transaction') return undefined;
  return WRAPPER[ctx.format] ?? `${ctx.format} runs this migration in a transaction`;
}

export default defineRule({
  meta: {
    id: 'no-transaction-nesting',
    description: "BEGIN inside a transaction that is already open (the framework's or an earlier BEGIN), or COMMIT/ROLLBACK that ends the transaction the framework wraps the migration in.",
    help: "Leave transaction control to the framework: remove BEGIN/COMMIT, or turn the framework's transaction off for this migration and manage it yourself.",
    defaultLevel: 'warn',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkMigration(ctx) {
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    const framework = wrapper(ctx);
    // Who opened the transaction that is open now: the framework, an explicit BEGIN, or nobody
    // (`closed`: a COMMIT/ROLLBACK of this migration ended the last one, so none is open).
    let open: 'framework' | 'begin' | 'closed' | null = framework ? 'framework' : null;
    // Nothing to report without transaction control (most migrations): no walk of their operations.
    if (opsOfKind(statementOps(own), 'transaction').length === 0) return;
    const ops = statementOps(own);
    ops.forEach((op, i) => {
      if (op.kind !== 'transaction') return;
      if (!(open === 'framework' && reopened(ops, i))) report(op, open, framework, ctx);
      open = op.action === 'begin' ? (open === 'closed' || open === null ? 'begin' : open) : 'closed';
    });
  },
});

/** A statement that only configures the session (`PRAGMA`, `SET`): nothing to commit or roll back. */
function sessionOnly(op: Operation): boolean {
  return op.kind === 'set-setting' || (op.kind === 'other' && /^pragma/i.test(op.statement));
}

/**
 * The commit-and-reopen idiom (drizzle-kit's SQLite rebuilds: `COMMIT; PRAGMA foreign_keys=OFF;
 * BEGIN; ...`): a COMMIT of the framework's transaction before this migration did anything,
 * followed by session settings only and a BEGIN. What it commits is earlier migrations of the run,
 * already recorded; what follows runs in a transaction again.
 */
function reopened(ops: readonly Operation[], at: number): boolean {
  const op = ops[at]!;
  if (op.kind !== 'transaction' || op.action !== 'commit') return false;
  if (!ops.slice(0, at).every(sessionOnly)) return false;
  for (const next of ops.slice(at + 1)) {
    if (next.kind === 'transaction') return next.action === 'begin';
    if (!sessionOnly(next)) return false;
  }
  return false;
}

function report(op: Extract<Operation, { kind: 'transaction' }>, open: 'framework' | 'begin' | 'closed' | null, framework: string | undefined, ctx: RuleContext): void {
  if (op.action === 'begin') {
    if (open === null || open === 'closed') return;
    const outer = open === 'framework' ? framework! : 'an earlier BEGIN of this migration is still open';
    ctx.report({ span: op.span, message: `BEGIN inside a transaction that is already open (${outer}): ${NESTED[ctx.dialect]}.` });
    return;
  }
  const verb = op.action.toUpperCase();
  if (open === 'closed') {
    ctx.report({ span: op.span, message: `${verb} with no transaction open (an earlier COMMIT or ROLLBACK of this migration ended it): ${NOTHING_OPEN[ctx.dialect]}, so whatever it was meant to end or undo ran on its own.` });
    return;
  }
  if (open !== 'framework') return;
  const effect =
    op.action === 'commit'
      ? 'the statements before it are committed on their own, and a failure after it can no longer roll them back'
      : 'everything before it is undone but the framework goes on and records the migration as applied';
  ctx.report({ span: op.span, message: `${verb} ends the transaction the framework opened around the migration (${framework!}): ${effect}.` });
}
