import { defineRule, tableName } from '../src/engine/rule.js';
import type { RuleContext } from '../src/engine/rule.js';

/** Built-in functions that are immutable or stable: one value for the whole ADD COLUMN. */
const NON_VOLATILE = new Set([
  'now', 'current_timestamp', 'current_date', 'localtimestamp', 'transaction_timestamp', 'statement_timestamp',
  'lower', 'upper', 'coalesce', 'nullif', 'concat', 'length', 'abs', 'round', 'to_jsonb', 'to_json',
  'jsonb_build_object', 'jsonb_build_array', 'json_build_object', 'json_build_array', 'array_fill',
  'make_date', 'make_timestamp', 'make_timestamptz', 'make_interval', 'date_trunc', 'timezone', 'current_setting', 'pg_catalog',
]);

/** A function in the Postgres ADD COLUMN's DEFAULT that is not a known non-volatile built-in (a user function may be volatile). */
function unknownFunctionIn(column: string, ctx: RuleContext): string | undefined {
  if (ctx.dialect !== 'postgres') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ast = ctx.statement?.ast as any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cmds: any[] = ast?.AlterTableStmt?.cmds ?? [];
  const def = cmds.map((c) => c.AlterTableCmd?.def?.ColumnDef).find((d) => d?.colname === column);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const expr = (def?.constraints ?? []).map((c: any) => c.Constraint).find((c: any) => c?.contype === 'CONSTR_DEFAULT')?.raw_expr;
  let found: string | undefined;
  const visit = (n: unknown): void => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const o = n as any;
    if (o.FuncCall) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const name = (o.FuncCall.funcname ?? []).map((x: any) => x.String?.sval).filter(Boolean).pop();
      if (name && !NON_VOLATILE.has(name)) found = name;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(expr);
  return found;
}

export default defineRule({
  meta: {
    id: 'no-volatile-default',
    description: 'ADD COLUMN with a default computed per row (volatile function, serial, identity, generated), or any default before Postgres 11, rewrites the table under an ACCESS EXCLUSIVE lock.',
    help: 'Add the column without the default (or with a constant one), set the default for new rows with ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    if (op.kind !== 'add-column' || !op.column.hasDefault) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    const where = `"${tableName(op.table)}"."${op.column.name}"`;
    const lock = 'Postgres rewrites the whole table under an ACCESS EXCLUSIVE lock: every read and write waits until it ends';
    if (!op.column.constantDefault) {
      ctx.report({ span: op.span, message: `Adding ${where} with a value computed for each row (a volatile DEFAULT, serial, identity or generated column): ${lock}.` });
      return;
    }
    const fn = unknownFunctionIn(op.column.name, ctx);
    if (fn) {
      ctx.report({
        span: op.span,
        message: `Adding ${where} with DEFAULT ${fn}(...): unless ${fn} is immutable or stable, Postgres evaluates it for every row and ${lock.replace(/^Postgres /, '')}.`,
      });
      return;
    }
    if (ctx.postgresVersion < 11) {
      ctx.report({
        span: op.span,
        message: `Adding ${where} with a DEFAULT on Postgres ${ctx.postgresVersion}: before Postgres 11 every default is written into every row, so ${lock}.`,
      });
    }
  },
});
