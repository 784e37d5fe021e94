/**
 * Lowering of `sql-parser-cst` statements to normalized operations. Written for SQLite; the MySQL
 * parser reuses it for statements that node-sql-parser rejects and sql-parser-cst accepts.
 *
 * CST ranges are UTF-16 offsets into the statement text the CST was parsed from; `base` moves them
 * to file offsets.
 */
import type { ColumnInfo, Operation, Predicate, SourceFile, Span, TableRef, ValueInfo } from '../model.js';
import { matchJoins, refKey, type JoinedTable } from './copy-nulls.js';
import { cstNotNullRefs, cstPredicate, cstValue, type CstExprContext } from './cst-expr.js';

/* The CST is a large union of node types; a loose record keeps the lowering readable. Every access
 * below is guarded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CstNode = Record<string, any>;

export interface CstContext {
  readonly dialect: 'sqlite' | 'mysql';
  readonly file: SourceFile;
  /** File offset of the statement text's first character. */
  readonly base: number;
  /** The statement text the CST was parsed from. */
  readonly text: string;
  /** The statement's span in the file. */
  readonly span: Span;
}

/** Lowers a CST statement node to the operations it performs. */
export function lowerCstStatement(node: CstNode, ctx: CstContext): Operation[] {
  return new CstLowerer(ctx).statement(node);
}

/** SQLite folds ASCII letters of every identifier, quoted or not (`"Users"` is `users`). */
function foldAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

const CONSTANT_LITERALS = new Set(['number_literal', 'string_literal', 'blob_literal', 'null_literal', 'boolean_literal']);

/** A DEFAULT that is a constant: literals, signs, parentheses and operators over constants. */
function isConstantExpr(e: CstNode | undefined): boolean {
  if (!e) return false;
  switch (e.type) {
    case 'paren_expr':
      return isConstantExpr(e.expr);
    case 'prefix_op_expr':
      return isConstantExpr(e.expr);
    case 'binary_expr':
      return isConstantExpr(e.left) && isConstantExpr(e.right);
    default:
      return CONSTANT_LITERALS.has(e.type);
  }
}

/** `NULL`, possibly in parentheses. */
function isNullLiteral(e: CstNode | undefined): boolean {
  if (e?.type === 'paren_expr') return isNullLiteral(e.expr);
  return e?.type === 'null_literal';
}

function keywordNames(kw: CstNode | CstNode[] | undefined): string[] {
  if (!kw) return [];
  return (Array.isArray(kw) ? kw : [kw]).map((k) => String(k?.name ?? '').toUpperCase());
}

/** Unwraps `constraint` nodes (`CONSTRAINT name <constraint>`) to the constraint itself. */
function unwrapConstraint(c: CstNode): CstNode {
  return c?.type === 'constraint' && c.constraint ? c.constraint : c;
}

/** The postfix operator `NOT NULL` / `NOTNULL`. */
function isNotNullOperator(op: unknown): boolean {
  const words = (Array.isArray(op) ? op : [op]).map((k) => String((k as CstNode | undefined)?.name ?? k ?? '').toUpperCase());
  return words.join(' ') === 'NOT NULL' || words.join(' ') === 'NOTNULL';
}

class CstLowerer {
  constructor(private readonly ctx: CstContext) {}

  private get span(): Span {
    return this.ctx.span;
  }

  private spanOf(node: CstNode | undefined): Span {
    const r = node?.range as [number, number] | undefined;
    if (!r) return this.ctx.span;
    return { file: this.ctx.file, start: this.ctx.base + r[0], end: this.ctx.base + r[1] };
  }

  private sourceOf(node: CstNode | undefined): string | undefined {
    const r = node?.range as [number, number] | undefined;
    return r ? this.ctx.text.slice(r[0], r[1]) : undefined;
  }

  /** An identifier's name, unquoted, folded the way the dialect folds. */
  private ident(node: CstNode | undefined): string {
    if (!node) return '?';
    if (node.type === 'identifier') {
      const name = String(node.name ?? node.text ?? '?');
      return this.ctx.dialect === 'sqlite' ? foldAscii(name) : name;
    }
    if (node.type === 'member_expr') return this.ident(node.property);
    if (node.type === 'alias') return this.ident(node.expr);
    if (node.type === 'keyword') return this.ctx.dialect === 'sqlite' ? String(node.text).toLowerCase() : String(node.text);
    return this.sourceOf(node) ?? '?';
  }

  /**
   * A table reference: identifier, `schema.name`, alias or relation wrapper. Table names keep
   * their case as written (messages show them so); the schema state compares SQLite names
   * case-insensitively.
   */
  private tableRef(node: CstNode | undefined): TableRef {
    if (!node) return { name: '?' };
    if (node.type === 'alias') return this.tableRef(node.expr);
    if (node.type === 'table_without_inheritance' || node.type === 'table_with_inheritance') return this.tableRef(node.table);
    if (node.type === 'member_expr') {
      const name = this.tableIdent(node.property);
      const schema = this.ident(node.object);
      // `main` is SQLite's default database: `main.t` and `t` are the same table.
      if (this.ctx.dialect === 'sqlite' && schema === 'main') return { name };
      return { schema, name };
    }
    return { name: this.tableIdent(node) };
  }

  /** A table's name as written (unquoted, not folded). */
  private tableIdent(node: CstNode | undefined): string {
    if (node?.type === 'identifier') return String(node.name ?? node.text ?? '?');
    return this.ident(node);
  }

  private isPlainTable(node: CstNode | undefined): boolean {
    if (!node) return false;
    if (node.type === 'alias') return this.isPlainTable(node.expr);
    return node.type === 'identifier' || node.type === 'member_expr';
  }

  private other(statement: string, span: Span = this.span): Operation {
    return { kind: 'other', span, statement };
  }

  statement(n: CstNode): Operation[] {
    const span = this.span;
    switch (n.type) {
      case 'create_table_stmt':
        return this.createTableOps(n);
      case 'drop_table_stmt': {
        const ifExists = !!n.ifExistsKw;
        const cascade = keywordNames(n.behaviorKw).includes('CASCADE');
        return (n.tables?.items ?? []).map((t: CstNode) => ({ kind: 'drop-table', span, table: this.tableRef(t), ifExists, cascade }));
      }
      case 'alter_table_stmt':
        return this.alterTable(n);
      case 'create_index_stmt':
        return [this.createIndex(n)];
      case 'drop_index_stmt': {
        const table = n.onKw && n.table ? this.tableRef(n.table) : undefined;
        return (n.indexes?.items ?? []).map((i: CstNode) => ({
          kind: 'drop-index',
          span,
          name: this.ident(i),
          ...(table ? { table } : {}),
          concurrently: !!n.concurrentlyKw,
          ifExists: !!n.ifExistsKw,
        }));
      }
      case 'delete_stmt': {
        const clauses: CstNode[] = n.clauses ?? [];
        const del = clauses.find((c) => c.type === 'delete_clause');
        const hasWhere = clauses.some((c) => c.type === 'where_clause');
        const target = del?.tables?.items?.[0];
        // DELETE ... LIMIT (MySQL) removes only some of the matching rows.
        const limited = clauses.some((c) => c.type === 'limit_clause');
        const where = limited ? { kind: 'unknown' as const } : cstPredicate(clauses.find((c) => c.type === 'where_clause')?.expr, this.exprContext(target));
        return [{ kind: 'delete', span, table: this.tableRef(target), hasWhere: hasWhere || limited, where }];
      }
      case 'update_stmt':
        return [this.update(n)];
      case 'insert_stmt':
        return [this.insert(n)];
      case 'truncate_stmt':
        return [{ kind: 'truncate', span, tables: (n.tables?.items ?? []).map((t: CstNode) => this.tableRef(t)), cascade: false }];
      case 'rename_table_stmt':
        return (n.actions?.items ?? []).map((a: CstNode) => ({
          kind: 'rename-table',
          span: this.spanOf(a),
          table: this.tableRef(a.from),
          to: this.tableRef(a.to).name,
        }));
      case 'start_transaction_stmt':
        return [{ kind: 'transaction', span, action: 'begin' }];
      case 'commit_transaction_stmt':
        return [{ kind: 'transaction', span, action: 'commit' }];
      case 'rollback_transaction_stmt':
        return n.savepoint ? [this.other(n.type)] : [{ kind: 'transaction', span, action: 'rollback' }];
      default:
        return [this.other(String(n.type ?? 'unknown'))];
    }
  }

  /** CREATE TABLE ... AS SELECT: the new table, and the copy of the rows it reads, as an INSERT ... SELECT. */
  private createTableOps(n: CstNode): Operation[] {
    const create = this.createTable(n);
    const as = ((n.clauses ?? []) as CstNode[]).find((c) => c?.type === 'as_clause');
    if (!as || create.kind !== 'create-table') return [create];
    const copy = this.copySource(as.expr);
    return copy.fromTable ? [create, { kind: 'insert', span: this.span, table: create.table, columns: null, ...copy }] : [create];
  }

  private createTable(n: CstNode): Operation {
    const items: CstNode[] = n.columns?.expr?.items ?? [];
    const pkColumns = new Set<string>();
    for (const item of items) {
      const c = unwrapConstraint(item);
      if (c?.type === 'constraint_primary_key') {
        for (const spec of c.columns?.expr?.items ?? []) pkColumns.add(this.ident(spec?.expr ?? spec));
      }
    }
    const columns = items.filter((i) => i?.type === 'column_definition').map((d) => this.columnInfo(d, pkColumns));
    const kinds = keywordNames(n.kind?.kindKw);
    const clauses: CstNode[] = n.clauses ?? [];
    return {
      kind: 'create-table',
      span: this.span,
      table: this.tableRef(n.name),
      columns,
      ifNotExists: !!n.ifNotExistsKw,
      temporary: kinds.includes('TEMP') || kinds.includes('TEMPORARY'),
      asSelect: clauses.some((c) => c?.type === 'as_clause'),
    };
  }

  columnInfo(def: CstNode, pkColumns: ReadonlySet<string> = new Set()): ColumnInfo {
    const name = this.ident(def.name);
    let type = def.dataType ? this.sourceOf(def.dataType) : undefined;
    let notNull = false;
    let hasDefault = false;
    let constant = true;
    let primaryKey = pkColumns.has(name);
    for (const raw of def.constraints ?? []) {
      const c = unwrapConstraint(raw);
      switch (c?.type) {
        case 'constraint_not_null':
          notNull = true;
          break;
        case 'constraint_primary_key':
          primaryKey = true;
          break;
        case 'constraint_default': {
          // `DEFAULT 10 NOT NULL` (Drizzle writes every defaulted SQLite column so): SQLite's DEFAULT
          // takes a literal, signed number or parenthesised expression, so NOT NULL after it is the
          // column's constraint; sql-parser-cst reads it as the postfix operator `10 NOT NULL`.
          let value: CstNode | undefined = c.expr;
          if (value?.type === 'postfix_op_expr' && isNotNullOperator(value.operator)) {
            notNull = true;
            value = value.expr;
          }
          // DEFAULT NULL fills nothing: it is the same as no DEFAULT.
          if (isNullLiteral(value)) break;
          hasDefault = true;
          if (!isConstantExpr(value)) constant = false;
          break;
        }
        case 'constraint_generated':
          hasDefault = true;
          constant = false;
          // SQLite type names may be several words: the parser reads `TEXT GENERATED ALWAYS` as one.
          if (type) type = type.replace(/\s+GENERATED\s+ALWAYS$/i, '');
          break;
        case 'constraint_auto_increment':
          hasDefault = true;
          constant = false;
          break;
      }
    }
    if (primaryKey) {
      if (this.ctx.dialect === 'mysql') notNull = true;
      // SQLite: an INTEGER PRIMARY KEY is the rowid, filled for every row; other PRIMARY KEY
      // columns may hold NULL (a long-standing SQLite quirk).
      else if (type && /^integer$/i.test(type.trim())) {
        notNull = true;
        if (!hasDefault) {
          hasDefault = true;
          constant = false;
        }
      }
    }
    return { name, ...(type ? { type } : {}), notNull, hasDefault, constantDefault: hasDefault && constant, primaryKey };
  }

  private alterTable(n: CstNode): Operation[] {
    const table = this.tableRef(n.table);
    const ops: Operation[] = [];
    for (const a of (n.actions?.items ?? []) as CstNode[]) {
      const span = this.spanOf(a);
      switch (a.type) {
        case 'alter_action_add_column':
          ops.push({ kind: 'add-column', span, table, column: this.columnInfo(a.column), ifNotExists: !!a.ifNotExistsKw });
          break;
        case 'alter_action_drop_column':
          ops.push({
            kind: 'drop-column',
            span,
            table,
            column: this.ident(a.column),
            ifExists: !!a.ifExistsKw,
            cascade: keywordNames(a.behaviorKw).includes('CASCADE'),
          });
          break;
        case 'alter_action_rename_column':
          ops.push({ kind: 'rename-column', span, table, column: this.ident(a.oldName), to: this.ident(a.newName) });
          break;
        case 'alter_action_rename':
          ops.push({ kind: 'rename-table', span, table, to: this.tableRef(a.newName).name });
          break;
        case 'alter_action_alter_column':
          ops.push(this.alterColumn(a, table, span));
          break;
        case 'alter_action_add_constraint':
          ops.push(this.addConstraint(a, table, span));
          break;
        case 'alter_action_drop_constraint':
          ops.push({ kind: 'drop-constraint', span, table, name: this.ident(a.constraint) });
          break;
        case 'alter_action_drop_primary_key':
          ops.push({ kind: 'drop-constraint', span, table, name: 'PRIMARY' });
          break;
        default:
          ops.push(this.other(`${n.type}:${a.type}`, span));
      }
    }
    return ops;
  }

  private alterColumn(a: CstNode, table: TableRef, span: Span): Operation {
    const column = this.ident(a.column);
    const action: CstNode = a.action ?? {};
    switch (action.type) {
      case 'alter_action_set_default':
        return { kind: 'set-default', span, table, column };
      case 'alter_action_set_not_null':
        return { kind: 'set-not-null', span, table, column };
      case 'alter_action_drop_not_null':
        return { kind: 'drop-not-null', span, table, column };
      case 'alter_action_set_data_type':
        return { kind: 'alter-column-type', span, table, column, type: this.sourceOf(action.dataType) };
      default:
        return this.other(`alter_table_stmt:alter_column:${String(action.type)}`, span);
    }
  }

  private addConstraint(a: CstNode, table: TableRef, span: Span): Operation {
    const c: CstNode = a.constraint ?? {};
    const name = a.name?.name ? this.ident(a.name.name) : undefined;
    const validated = !(a.modifiers ?? []).some((m: CstNode) => keywordNames(m?.kw).join(' ') === 'NOT VALID');
    const columnsOf = (list: CstNode | undefined): string[] =>
      ((list?.expr?.items ?? []) as CstNode[]).map((s) => this.ident(s?.type === 'index_specification' ? s.expr : s));
    switch (c.type) {
      case 'constraint_index':
        // MySQL `ADD INDEX name (cols)`.
        return {
          kind: 'create-index',
          span,
          table,
          name: c.name ? this.ident(c.name) : name,
          unique: false,
          concurrently: false,
          ifNotExists: false,
          columns: columnsOf(c.columns),
        };
      case 'constraint_check':
        return { kind: 'add-constraint', span, table, name, constraint: 'check', notNullColumns: this.notNullColumns(c.expr), validated };
      case 'constraint_primary_key':
        return { kind: 'add-constraint', span, table, name, constraint: 'primary-key', notNullColumns: [], validated };
      case 'constraint_foreign_key':
        return { kind: 'add-constraint', span, table, name, constraint: 'foreign-key', notNullColumns: [], validated };
      case 'constraint_unique':
        return { kind: 'add-constraint', span, table, name, constraint: 'unique', notNullColumns: [], validated };
      case 'constraint_exclude':
        return { kind: 'add-constraint', span, table, name, constraint: 'exclusion', notNullColumns: [], validated };
      case 'constraint_not_null':
        return { kind: 'add-constraint', span, table, name, constraint: 'not-null', notNullColumns: [], validated };
      default:
        return { kind: 'add-constraint', span, table, name, constraint: 'other', notNullColumns: [], validated };
    }
  }

  /** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, possibly AND-ed together. */
  private notNullColumns(e: CstNode | undefined): string[] {
    if (!e) return [];
    if (e.type === 'paren_expr') return this.notNullColumns(e.expr);
    if (e.type !== 'binary_expr') return [];
    const op = keywordNames(e.operator).join(' ') || String(e.operator).toUpperCase();
    if (op === 'AND') return [...this.notNullColumns(e.left), ...this.notNullColumns(e.right)];
    if (op === 'IS NOT' && e.right?.type === 'null_literal' && (e.left?.type === 'identifier' || e.left?.type === 'member_expr')) {
      return [this.ident(e.left)];
    }
    return [];
  }

  private createIndex(n: CstNode): Operation {
    const specs: CstNode[] = n.columns?.expr?.items ?? [];
    const columns: string[] = [];
    for (const s of specs) {
      const e = s?.type === 'index_specification' ? s.expr : s;
      if (e?.type === 'identifier' || e?.type === 'member_expr') columns.push(this.ident(e));
      // MySQL prefix index `col(10)` parses as a call.
      else if (this.ctx.dialect === 'mysql' && e?.type === 'func_call') columns.push(this.ident(e.name));
    }
    return {
      kind: 'create-index',
      span: this.span,
      table: this.tableRef(n.table),
      ...(n.name ? { name: this.ident(n.name) } : {}),
      unique: keywordNames(n.indexTypeKw).includes('UNIQUE'),
      concurrently: !!n.concurrentlyKw,
      ifNotExists: !!n.ifNotExistsKw,
      columns,
      ...(keywordNames(n.indexTypeKw).includes('FULLTEXT') ? { indexType: 'fulltext' as const } : {}),
      ...(keywordNames(n.indexTypeKw).includes('SPATIAL') ? { indexType: 'spatial' as const } : {}),
    };
  }

  private update(n: CstNode): Operation {
    const clauses: CstNode[] = n.clauses ?? [];
    const upd = clauses.find((c) => c.type === 'update_clause');
    const set = clauses.find((c) => c.type === 'set_clause');
    const columns: string[] = [];
    const add = (c: CstNode | undefined): void => {
      if (!c) return;
      if (c.type === 'paren_expr') add(c.expr);
      else if (c.type === 'list_expr') for (const i of c.items ?? []) add(i);
      else {
        const name = this.ident(c);
        if (!columns.includes(name)) columns.push(name);
      }
    };
    for (const a of (set?.assignments?.items ?? []) as CstNode[]) add(a.column);
    const target = upd?.tables?.items?.[0];
    const ctx = this.exprContext(target);
    const values: Record<string, ValueInfo | null> = {};
    for (const a of (set?.assignments?.items ?? []) as CstNode[]) {
      if (a.column?.type === 'identifier' || a.column?.type === 'member_expr') values[this.ident(a.column)] = cstValue(a.expr, ctx);
    }
    for (const c of columns) if (!(c in values)) values[c] = null;
    // UPDATE ... LIMIT (MySQL) changes only some of the matching rows; a FROM joins.
    const limited = clauses.some((c) => c.type === 'limit_clause');
    const whereExpr = clauses.find((c) => c.type === 'where_clause')?.expr;
    return {
      kind: 'update',
      span: this.span,
      table: this.tableRef(target),
      columns,
      hasWhere: clauses.some((c) => c.type === 'where_clause') || limited,
      nullOnly: limited ? undefined : this.isNullTestOf(whereExpr),
      where: limited ? { kind: 'unknown' } : cstPredicate(whereExpr, ctx),
      values,
    };
  }

  /** How expressions of a statement on `target` read its columns. */
  private exprContext(target: CstNode | undefined): CstExprContext {
    const own = new Set<string>();
    const t = this.tableRef(target);
    own.add(this.ctx.dialect === 'sqlite' ? foldAscii(t.name) : t.name);
    if (target?.type === 'alias') own.add(this.ident(target.alias));
    return { ident: (n) => this.ident(n), own };
  }

  /** `col IS NULL` (and nothing else) as a WHERE clause: the column's name. */
  private isNullTestOf(e: CstNode | undefined): string | undefined {
    if (e?.type !== 'binary_expr' || e.operator?.name !== 'IS' || e.right?.type !== 'null_literal') return undefined;
    return e.left?.type === 'identifier' ? this.ident(e.left) : undefined;
  }

  /** Column names an expression reads (function names excluded). */
  private columnRefs(e: unknown): string[] {
    if (!e || typeof e !== 'object') return [];
    if (Array.isArray(e)) return e.flatMap((x) => this.columnRefs(x));
    const n = e as CstNode;
    if (n.type === 'identifier' || n.type === 'member_expr') return [this.ident(n)];
    if (n.type === 'func_call') return this.columnRefs(n.args);
    if (n.type === 'keyword' || n.type === 'select_stmt') return [];
    return Object.entries(n).flatMap(([k, v]) => (k === 'range' ? [] : this.columnRefs(v)));
  }

  private insert(n: CstNode): Operation {
    const clauses: CstNode[] = n.clauses ?? [];
    const ins = clauses.find((c) => c.type === 'insert_clause');
    const columns = ins?.columns ? ((ins.columns.expr?.items ?? []) as CstNode[]).map((c) => this.ident(c)) : null;
    const select = clauses.find((c) => c.type === 'select_stmt');
    return { kind: 'insert', span: this.span, table: this.tableRef(ins?.table), columns, ...this.copySource(select) };
  }

  /**
   * What an `INSERT ... SELECT` (or `CREATE TABLE ... AS SELECT`) copies: the rows of the leftmost
   * FROM table (a JOIN keeps them: it is not a filter), which of its columns each item carries,
   * whether each value can be NULL, and the clause that keeps only some rows.
   */
  copySource(select: CstNode | undefined): { fromTable?: TableRef; selectColumns?: string[]; selectValues?: (ValueInfo | null)[]; filter?: string; filterWhere?: Predicate } {
    if (!select || select.type !== 'select_stmt') return {};
    const sc: CstNode[] = select.clauses ?? [];
    const from = sc.find((c) => c.type === 'from_clause');
    const selectClause = sc.find((c) => c.type === 'select_clause');
    if (!from || !selectClause) return {};
    if (!sc.every((c) => ['select_clause', 'from_clause', 'where_clause', 'order_by_clause', 'limit_clause', 'group_by_clause', 'having_clause'].includes(c.type))) return {};
    let first: CstNode | undefined = from.expr;
    while (first?.type === 'join_expr') first = first.left;
    if (!this.isPlainTable(first)) return {};
    const fromTable = this.tableRef(first);
    const ctx = this.exprContext(first);
    const selectColumns: string[] = [];
    const selectValues: (ValueInfo | null)[] = [];
    const where = sc.find((c) => c.type === 'where_clause');
    const refOf = (n: CstNode | undefined): string | undefined => {
      if (n?.type === 'identifier') return refKey([this.ident(n)]);
      if (n?.type === 'member_expr' && n.object?.type === 'identifier' && n.property?.type === 'identifier') return refKey([this.ident(n.object), this.ident(n.property)]);
      return undefined;
    };
    const demanded = cstNotNullRefs(where?.expr, refOf);
    // Joins every copied row matches, and what their ON conditions prove (src/sql/copy-nulls.ts).
    const joins: CstNode[] = [];
    for (let j: CstNode | undefined = from.expr; j?.type === 'join_expr'; j = j.left) joins.push(j);
    const joinWord = (j: CstNode): string => (Array.isArray(j.operator) ? j.operator : [j.operator]).map((k: CstNode) => String(k?.name ?? k ?? '').toUpperCase()).join(' ');
    const joined: (JoinedTable & { on?: CstNode })[] = joins.filter((j) => this.isPlainTable(j.right)).map((j) => ({
      table: this.tableRef(j.right),
      as: this.ident(j.right?.type === 'alias' ? j.right.alias : j.right),
      inner: /^(?:INNER |CROSS )?JOIN$/.test(joinWord(j)),
      ...(j.specification?.type === 'join_on_specification' ? { on: j.specification.expr } : {}),
    }));
    const matched = matchJoins(joined, demanded, joins.some((j) => /RIGHT|FULL/.test(joinWord(j))), (j) => (j.on ? cstNotNullRefs(j.on, refOf) : []));
    const matchedAs = new Map(matched.map((j) => [refKey([j.as]), j.table]));
    for (const c of (selectClause.columns?.items ?? []) as CstNode[]) {
      const e = c?.type === 'alias' ? c.expr : c;
      if (e?.type === 'all_columns') {
        selectColumns.push('*');
        selectValues.push(null);
        continue;
      }
      if (e?.type === 'member_expr' && e.property?.type === 'all_columns') {
        selectColumns.push(ctx.own.has(this.ident(e.object)) ? '*' : '?');
        selectValues.push(null);
        continue;
      }
      // WHERE x IS NOT NULL: the item x has a value on every row copied.
      const ref = refOf(e);
      const through = e?.type === 'member_expr' && e.object?.type === 'identifier' && e.property?.type === 'identifier' ? matchedAs.get(refKey([this.ident(e.object)])) : undefined;
      const v: ValueInfo | null =
        ref !== undefined && demanded.has(ref) ? { nonNullIf: [] } : through ? { nonNullIf: [], joined: { table: through, column: this.ident(e!.property) } } : cstValue(e, ctx);
      // The from table's column the item carries: itself, or the only one an expression reads.
      if (e?.type === 'member_expr' && e.object?.type === 'identifier' && !ctx.own.has(this.ident(e.object))) selectColumns.push('?');
      else {
        const refs = [...new Set(this.columnRefs(e))];
        selectColumns.push(refs.length === 1 ? refs[0]! : '?');
      }
      selectValues.push(v);
    }
    const filterClause = sc.find((c) => c.type === 'where_clause' || c.type === 'limit_clause' || c.type === 'group_by_clause') ?? (selectClause.distinctKw ? selectClause : undefined);
    const filterText = filterClause ? (filterClause === selectClause ? 'DISTINCT' : this.sourceOf(filterClause)) : undefined;
    const filter = filterText === undefined ? undefined : filterText.replace(/\s+/g, ' ').trim();
    const onlyWhere = filterClause?.type === 'where_clause' && !sc.some((c) => c.type === 'limit_clause' || c.type === 'group_by_clause') && !selectClause.distinctKw;
    const filterWhere = onlyWhere ? cstPredicate(where?.expr, ctx) : undefined;
    return { fromTable, selectColumns, selectValues, ...(filter ? { filter: filter.length > 80 ? `${filter.slice(0, 79)}…` : filter } : {}), ...(filterWhere ? { filterWhere } : {}) };
  }
}
