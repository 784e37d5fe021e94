import { defineRule } from '../src/engine/rule.js';
import { explicitTransactionOpen, lastTransaction } from '../src/engine/rule-support.js';
import type { Operation } from '../src/model.js';
import { OUTSIDE_TRANSACTION_HELP } from './require-concurrent-index.js';

/** Frameworks that send a whole migration file to Postgres as one multi-statement query. */
const ONE_QUERY: Partial<Record<string, string>> = {
  'golang-migrate': "golang-migrate's Postgres driver sends the whole file as one query",
  prisma: 'Prisma Migrate sends the whole migration.sql as one script',
};

const VERBS: Partial<Record<Operation['kind'], string>> = {
  'create-index': 'CREATE INDEX CONCURRENTLY',
  'drop-index': 'DROP INDEX CONCURRENTLY',
  reindex: 'REINDEX CONCURRENTLY',
  'detach-partition': 'DETACH PARTITION CONCURRENTLY',
};

/** The operation kinds that have a CONCURRENTLY form: the rule looks at these only. */
const CONCURRENT_KINDS = ['create-index', 'drop-index', 'reindex', 'detach-partition'] as const;

function isConcurrent(o: Operation): boolean {
  return (o.kind === 'create-index' || o.kind === 'drop-index' || o.kind === 'reindex' || o.kind === 'detach-partition') && o.concurrently;
}

export default defineRule({
  meta: {
    id: 'no-concurrent-in-transaction',
    description: 'CREATE/DROP INDEX, REINDEX or DETACH PARTITION CONCURRENTLY inside a transaction fails at run time.',
    help: 'Run the concurrent statement outside a transaction: in its own migration with the framework\'s no-transaction option.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
  },
  operationKinds: CONCURRENT_KINDS,
  checkOperation(op, ctx) {
    if (!isConcurrent(op)) return;
    const open = explicitTransactionOpen(ctx.previous);
    const verb = VERBS[op.kind] ?? 'CONCURRENTLY';
    if (open) {
      ctx.report({ span: op.span, message: `${verb} inside an explicit BEGIN ... COMMIT block fails: "cannot run inside a transaction block".` });
      return;
    }
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    const oneQuery = ONE_QUERY[ctx.format];
    if (oneQuery && own.length > 1) {
      ctx.report({
        span: op.span,
        message: `${verb} fails here: ${oneQuery}, and Postgres runs several statements sent as one query in one implicit transaction ("cannot run inside a transaction block").`,
        help: OUTSIDE_TRANSACTION_HELP[ctx.format],
      });
      return;
    }
    if (ctx.migration.transaction !== 'transaction') return;
    // An explicit COMMIT ends the framework's transaction: what follows (until a BEGIN) runs outside one.
    const lastTx = lastTransaction(ctx.previous);
    if (lastTx && lastTx.action !== 'begin') return;
    if (ctx.format === 'flyway') {
      // Flyway detects CREATE/DROP INDEX CONCURRENTLY and runs a script made only of such
      // statements outside a transaction; mixed with other statements, it refuses the script
      // (unless `mixed` is enabled).
      if (own.every((s) => s.ops.every(isConcurrent))) return;
      ctx.report({
        span: op.span,
        message: `${verb} fails here: Flyway runs a script outside a transaction only when every statement in it must run outside one, and this script mixes ${verb} with other statements ("Detected both transactional and non-transactional statements within the same migration", unless \`mixed\` is enabled).`,
        help: OUTSIDE_TRANSACTION_HELP[ctx.format],
      });
      return;
    }
    const how: Partial<Record<string, string>> = {
      drizzle: "drizzle-kit's migrator runs all pending migrations in one transaction",
      knex: 'Knex runs each migration in a transaction unless it exports config = { transaction: false }',
    };
    const reason = how[ctx.format] ?? `${ctx.format} runs this migration in a transaction`;
    ctx.report({
      span: op.span,
      message: `${verb} fails here: ${reason}, and Postgres refuses it there ("cannot run inside a transaction block").`,
      help: OUTSIDE_TRANSACTION_HELP[ctx.format],
    });
  },
});
