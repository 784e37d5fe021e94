import { isMariaDb, mysqlAtLeast } from '../src/engine/rule-support.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import type { RuleContext } from '../src/engine/rule.js';
import type { Operation } from '../src/model.js';

/**
 * MySQL / MariaDB (InnoDB online DDL). An AUTO_INCREMENT or STORED generated column needs
 * ALGORITHM=COPY on every version: the table is copied with writes blocked. Any other ADD COLUMN
 * is instant from MySQL 8.0.12 (MariaDB 10.3.2); before that InnoDB rebuilds the table in place.
 */
function checkMysql(op: Extract<Operation, { kind: 'add-column' }>, ctx: RuleContext): void {
  const where = `"${tableName(op.table)}"."${op.column.name}"`;
  const stmt = ctx.statement;
  const text = stmt ? stmt.span.file.text.slice(stmt.span.start, stmt.span.end) : '';
  if (!op.column.constantDefault && op.column.hasDefault && /\b(?:auto_increment|serial|stored)\b/i.test(text)) {
    ctx.report({
      span: op.span,
      message: `Adding ${where} as an AUTO_INCREMENT or STORED generated column: InnoDB cannot add it in place, so ALTER TABLE copies the whole table (ALGORITHM=COPY) and every write to it waits until the copy ends.`,
      help: 'Add a VIRTUAL generated column, or a plain column filled in batches; for an id column, build the new table with an online schema change tool (gh-ost, pt-online-schema-change).',
    });
    return;
  }
  const server = isMariaDb(ctx) ? 'MariaDB' : 'MySQL';
  const instantFrom = isMariaDb(ctx) ? '10.3.2' : '8.0.12';
  // A VIRTUAL generated column is a metadata change on every version.
  if (/\bvirtual\b/i.test(text)) return;
  if (mysqlAtLeast(ctx, instantFrom)) {
    // Instant only at the end of the table until MySQL 8.0.29 (MariaDB 10.4): FIRST / AFTER x,
    // the last words of the column definition, rebuild it.
    const anywhereFrom = isMariaDb(ctx) ? '10.4' : '8.0.29';
    const own = op.span.file.text.slice(op.span.start, op.span.end);
    if (mysqlAtLeast(ctx, anywhereFrom) || !/\s(?:FIRST|AFTER\s+(?:`[^`]+`|"[^"]+"|\w+))\s*[,;]?\s*$/i.test(own)) return;
    ctx.report({
      span: op.span,
      message: `Adding ${where} at a chosen position (FIRST/AFTER) on ${server} ${ctx.mysqlVersion} rebuilds the table: instant ADD COLUMN is limited to the last position before ${server} ${anywhereFrom}, so InnoDB copies every row (writes continue, but it takes as long as copying the table and replicas lag behind by as long).`,
      help: `Add the column at the end (drop FIRST/AFTER), or upgrade to ${server} ${anywhereFrom}+ where any position is instant.`,
    });
    return;
  }
  ctx.report({
    span: op.span,
    message: `Adding ${where} on ${server} ${ctx.mysqlVersion} rebuilds the table: instant ADD COLUMN exists only from ${server} ${instantFrom}, so InnoDB copies every row. Writes continue during the copy, but it takes as long as copying the table, replicas apply the change only after it finishes (and lag behind by as long), and it needs an exclusive metadata lock at its start and end.`,
    help: `On a large table, add the column with an online schema change tool (gh-ost, pt-online-schema-change), or upgrade to ${server} ${instantFrom}+ where ADD COLUMN is instant.`,
  });
}

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
    description: 'ADD COLUMN with a default computed per row (volatile function, serial, identity, generated), or any default before Postgres 11, rewrites the table under an ACCESS EXCLUSIVE lock; in MySQL, an AUTO_INCREMENT or STORED column copies the table, and any ADD COLUMN before 8.0.12 rebuilds it.',
    help: 'Add the column without the default (or with a constant one), set the default for new rows with ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches.',
    defaultLevel: 'error',
    dialects: ['postgres', 'mysql'],
    recommended: true,
  },
  operationKinds: ['add-column'],
  checkOperation(op, ctx) {
    if (op.kind !== 'add-column') return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    if (ctx.dialect === 'mysql') return checkMysql(op, ctx);
    if (!op.column.hasDefault) return;
    const where = `"${tableName(op.table)}"."${op.column.name}"`;
    const lock = 'Postgres rewrites the whole table under an ACCESS EXCLUSIVE lock: every read and write waits until it ends';
    if (!op.column.constantDefault) {
      ctx.report({ span: op.span, message: `Adding ${where} with a value computed for each row (a volatile DEFAULT, serial, identity or generated column): ${lock}.` });
      return;
    }
    const fn = unknownFunctionIn(op.column.name, ctx);
    if (fn) {
      // A function the chain created says what it is: IMMUTABLE or STABLE gives one value for
      // the whole ADD COLUMN; VOLATILE (what CREATE FUNCTION declares unless told otherwise) does not.
      const own = ctx.schema.chainFunction(fn);
      if (own && own.volatility !== 'volatile') return;
      ctx.report({
        span: op.span,
        message: own
          ? `Adding ${where} with DEFAULT ${fn}(...): ${fn} is VOLATILE as ${own.migration === ctx.migration.id ? 'this migration' : `migration ${own.migration}`} declares it${own.written ? '' : ' (a CREATE FUNCTION without IMMUTABLE or STABLE is VOLATILE)'}, so Postgres evaluates it for every row and ${lock.replace(/^Postgres /, '')}.`
          : `Adding ${where} with DEFAULT ${fn}(...): unless ${fn} is immutable or stable, Postgres evaluates it for every row and ${lock.replace(/^Postgres /, '')}.`,
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
