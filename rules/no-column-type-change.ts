import { formatPgType, isBinaryCompatibleChange, parsePgType } from '../src/engine/pg-types.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { opsOfKind } from '../src/engine/rule-support.js';
import type { Operation } from '../src/model.js';

export default defineRule({
  meta: {
    id: 'no-column-type-change',
    description: 'ALTER COLUMN ... TYPE that rewrites the table (and rebuilds its indexes) under an ACCESS EXCLUSIVE lock.',
    help: 'Add a column of the new type, backfill it in batches, switch the application over, then drop the old column.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
  },
  operationKinds: ['alter-column-type'],
  checkOperation(op, ctx) {
    if (op.kind !== 'alter-column-type') return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    const col = ctx.schema.column(op.table, op.column);
    const to = parsePgType(op.fullType ?? op.type);
    const from = parsePgType(col?.type);
    const where = `"${tableName(op.table)}"."${op.column}"`;
    const lock = 'Postgres rewrites the whole table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: every read and write waits until it ends';
    if (op.usingExpr) {
      ctx.report({ span: op.span, message: `Changing the type of ${where} with a USING expression: ${lock}.` });
      return;
    }
    if (!to) {
      ctx.report({ span: op.span, message: `Changing the type of ${where}: ${lock}, unless the change is binary compatible.` });
      return;
    }
    if (!from) {
      ctx.report({
        span: op.span,
        message: `Changing the type of ${where} to ${formatPgType(to)}: unless the old type converts without a rewrite (a longer varchar, text, a wider numeric of the same scale, cidr to inet), ${lock}. The chain does not say what the old type was.`,
      });
      return;
    }
    const compatible = isBinaryCompatibleChange(from, to);
    if (compatible === true) return;
    if (compatible === 'utc-only') {
      if (ctx.postgresVersion >= 12 && utcSession(ctx.previous)) return;
      ctx.report({
        span: op.span,
        message: `Changing ${where} from ${formatPgType(from)} to ${formatPgType(to)}: ${lock}, unless the session TimeZone is UTC (Postgres 12+). Put SET timezone = 'UTC' before it in this migration.`,
      });
      return;
    }
    ctx.report({ span: op.span, message: `Changing ${where} from ${formatPgType(from)} to ${formatPgType(to)}: ${lock}.` });
  },
});

function utcSession(previous: readonly Operation[]): boolean {
  let utc = false;
  for (const p of opsOfKind(previous, 'set-setting')) if (p.name === 'timezone') utc = p.value !== null && /^(?:utc|etc\/utc|gmt|z|zulu|\+?0+)$/i.test(p.value.trim());
  return utc;
}
