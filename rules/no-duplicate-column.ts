/**
 * no-duplicate-column: a column declared twice in one CREATE TABLE, or ADD COLUMN (without IF
 * NOT EXISTS) of a column the table already has as far as the chain knows (it created or saw
 * it, and did not drop or rename it since). Either fails at run time.
 */
import { defineRule, tableName } from '../src/engine/rule.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = Record<string, any>;

/** The part of a target's column it assigns (`a.x`, `a[1]`) as text: `[]` for the whole column. */
function pathOf(rt: PgNode): string {
  return JSON.stringify(rt.indirection ?? []);
}

/** The column name Postgres gives an unnamed select item (its FigureColname), or undefined when not worked out here. */
function figureName(val: PgNode | undefined): string | undefined {
  if (!val) return undefined;
  if (val.ColumnRef) {
    const last = (val.ColumnRef.fields ?? []).at(-1);
    return last?.String?.sval ?? (last?.A_Star ? undefined : undefined);
  }
  if (val.FuncCall) return (val.FuncCall.funcname ?? []).at(-1)?.String?.sval;
  if (val.TypeCast) return figureName(val.TypeCast.arg) ?? (val.TypeCast.typeName?.names ?? []).at(-1)?.String?.sval;
  if (val.CaseExpr) return 'case';
  if (val.A_ArrayExpr) return 'array';
  if (val.RowExpr) return 'row';
  if (val.CoalesceExpr) return 'coalesce';
  if (val.SubLink || val.MinMaxExpr || val.SQLValueFunction || val.XmlExpr) return undefined;
  if (val.A_Const || val.A_Expr || val.BoolExpr || val.NullTest || val.BooleanTest || val.ParamRef) return '?column?';
  return undefined;
}

/** Output column names of a SELECT (the first branch of a UNION); undefined when a `*` or an unknown name makes them unknowable. */
function outputNames(select: PgNode | undefined): string[] | undefined {
  const sel = select?.SelectStmt;
  if (!sel) return undefined;
  if (sel.op && sel.op !== 'SETOP_NONE') return outputNames({ SelectStmt: sel.larg });
  if (sel.valuesLists) return undefined;
  const names: string[] = [];
  for (const item of sel.targetList ?? []) {
    const rt = item.ResTarget ?? {};
    const name = rt.name ?? figureName(rt.val);
    if (name === undefined) return undefined;
    names.push(String(name));
  }
  return names;
}

function firstRepeat(names: readonly string[]): string | undefined {
  return names.find((n, i) => names.indexOf(n) !== i);
}

/** Columns a CREATE VIEW / CREATE TABLE AS / SELECT INTO / CREATE FOREIGN TABLE names twice. */
function relationColumnTwice(ast: PgNode | undefined): { column: string; what: string } | undefined {
  if (!ast) return undefined;
  const named = (aliases: PgNode[] | undefined, query: PgNode | undefined): string[] | undefined => {
    const given: string[] = (aliases ?? []).map((a) => a.String?.sval ?? a.ColumnDef?.colname).filter(Boolean);
    const out = outputNames(query);
    if (!out) return given.length ? given : undefined;
    // Aliases rename the first columns; the rest keep their names.
    return [...given, ...out.slice(given.length)];
  };
  let names: string[] | undefined;
  let what = '';
  if (ast.ViewStmt) {
    names = named(ast.ViewStmt.aliases, ast.ViewStmt.query);
    what = 'CREATE VIEW';
  } else if (ast.CreateTableAsStmt) {
    names = named(ast.CreateTableAsStmt.into?.colNames, ast.CreateTableAsStmt.query);
    what = ast.CreateTableAsStmt.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE ... AS';
  } else if (ast.SelectStmt?.intoClause) {
    names = named(ast.SelectStmt.intoClause.colNames, { SelectStmt: { ...ast.SelectStmt, intoClause: undefined } });
    what = 'SELECT ... INTO';
  } else if (ast.CreateForeignTableStmt) {
    names = (ast.CreateForeignTableStmt.base?.tableElts ?? []).map((e: PgNode) => e.ColumnDef?.colname).filter(Boolean);
    what = 'CREATE FOREIGN TABLE';
  }
  const column = names ? firstRepeat(names) : undefined;
  return column ? { column, what } : undefined;
}

/**
 * Target lists of a Postgres statement's AST that must not name a column twice: UPDATE SET, ON
 * CONFLICT DO UPDATE SET, MERGE's UPDATE SET and INSERT (...), INSERT's column list. Returns the
 * first column assigned twice (a whole column and a part of it, or the same part, conflict).
 */
function assignedTwice(ast: unknown): { column: string; what: string } | undefined {
  let found: { column: string; what: string } | undefined;
  const check = (list: PgNode[] | undefined, what: string): void => {
    const seen: { name: string; rt: PgNode }[] = [];
    for (const item of list ?? []) {
      const rt: PgNode = item.ResTarget ?? {};
      const t = { name: String(rt.name ?? ''), rt };
      if (!t.name) continue;
      // The parts assigned are compared only for the same column (most lists name each once).
      if (seen.some((s) => s.name === t.name && (pathOf(s.rt) === '[]' || pathOf(t.rt) === '[]' || pathOf(s.rt) === pathOf(t.rt)))) {
        found ??= { column: t.name, what };
        return;
      }
      seen.push(t);
    }
  };
  // Only the statement's own target lists: no walk through (possibly huge) VALUES lists.
  const o = (ast ?? {}) as PgNode;
  if (o.UpdateStmt) check(o.UpdateStmt.targetList, 'UPDATE ... SET');
  if (o.InsertStmt) {
    check(o.InsertStmt.cols, 'the INSERT column list');
    check(o.InsertStmt.onConflictClause?.targetList, 'ON CONFLICT DO UPDATE SET');
  }
  for (const w of o.MergeStmt?.mergeWhenClauses ?? []) {
    const c = w.MergeWhenClause ?? {};
    check(c.targetList, c.commandType === 'CMD_INSERT' ? "MERGE's INSERT column list" : "MERGE's UPDATE SET");
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'no-duplicate-column',
    description: 'A column declared twice in one CREATE TABLE, added again (ADD COLUMN without IF NOT EXISTS) to a table that already has it, or assigned twice in one UPDATE SET / INSERT column list: the migration fails.',
    help: 'Remove the second declaration, or rename one of the two columns (add IF NOT EXISTS only where the column may already exist on purpose).',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    // Postgres refuses a column assigned twice ("multiple assignments to same column", "column
    // specified more than once"); MySQL only an INSERT list (SQLite keeps the last assignment).
    const stmt = ctx.statement;
    if (stmt && stmt.ops[0] === op) {
      if (ctx.dialect === 'postgres') {
        const twice = assignedTwice(stmt.ast);
        if (twice) ctx.report({ span: stmt.span, message: `Column "${twice.column}" is assigned twice in ${twice.what}: Postgres refuses the statement ("multiple assignments to same column" / "column specified more than once").` });
        const relation = relationColumnTwice(stmt.ast as PgNode | undefined);
        if (relation) ctx.report({ span: stmt.span, message: `${relation.what} gives two columns the name "${relation.column}": Postgres refuses the statement ("column "${relation.column}" specified more than once"); name them apart.` });
      } else if (ctx.dialect === 'mysql' && op.kind === 'insert' && op.columns) {
        const dup = op.columns.find((c, i) => op.columns!.findIndex((d) => d.toLowerCase() === c.toLowerCase()) !== i);
        if (dup) ctx.report({ span: stmt.span, message: `Column "${dup}" is named twice in the INSERT column list: MySQL refuses the statement ("Column '${dup}' specified twice").` });
      }
    }
    const fold = ctx.dialect !== 'postgres';
    const norm = (n: string): string => (fold ? n.toLowerCase() : n);
    if (op.kind === 'create-table') {
      const seen = new Set<string>();
      for (const c of op.columns) {
        if (seen.has(norm(c.name))) {
          ctx.report({ span: op.span, message: `Column "${c.name}" is declared twice in CREATE TABLE "${tableName(op.table)}": the statement fails ("column specified more than once").` });
        }
        seen.add(norm(c.name));
      }
      return;
    }
    // Under a run-time check (`IF NOT EXISTS (...) THEN`, Knex `hasColumn()`), it runs only when it can.
    if (op.kind !== 'add-column' || op.ifNotExists || op.conditional) return;
    const table = ctx.schema.table(op.table);
    if (!table) return;
    // Columns are keyed by their name: only a case-folding dialect needs to look at each.
    const existing = fold ? [...table.columns.values()].find((c) => norm(c.name) === norm(op.column.name)) : table.columns.get(op.column.name);
    // A column the chain never declared on a table it created: the earlier use was the mistake
    // (it referred to a column that did not exist yet), not this ADD COLUMN.
    if (!existing || (existing.inferred && table.createdIn !== null)) return;
    const where = existing.createdIn === ctx.migration.id ? 'earlier in this migration' : existing.createdIn ? `by migration ${existing.createdIn}` : 'before (an earlier statement of the chain uses it)';
    ctx.report({
      span: op.span,
      message: `"${tableName(op.table)}" already has a column "${existing.name}" (added ${where}): ADD COLUMN "${op.column.name}" fails ("column already exists").`,
    });
  },
});
