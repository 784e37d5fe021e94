/**
 * MySQL SQL through `node-sql-parser`, one statement at a time, lowered to normalized operations.
 *
 * node-sql-parser reports locations only for some column and table references, so spans come from
 * the splitter's tokens: the statement itself, and for ALTER TABLE and RENAME TABLE the clauses
 * between top-level commas. A statement node-sql-parser rejects is tried once more with
 * `sql-parser-cst` (it knows e.g. `ALTER COLUMN ... SET DEFAULT` and `DROP TABLE ... CASCADE`);
 * only when both reject it is it a syntax error (node-sql-parser's message and position).
 *
 * Names keep the case they are written in (MySQL table names are case-sensitive on most
 * platforms); backticks are stripped.
 */
import NodeSqlParser from 'node-sql-parser/build/mysql.js';
import type { ColumnInfo, Operation, Section, Span, Statement, TableRef, ValueInfo } from '../model.js';
import { mysqlNotNullRefs, mysqlPredicate, mysqlRefKey, mysqlValue, qualifierOf } from './mysql-expr.js';
import { matchJoins, refKey } from './copy-nulls.js';
import type { ParseOutcome, SectionParser } from './parser.js';
import { parseSection, type OneStatement, type StatementInput } from './sqlite-mysql-driver.js';
import { isRoutineHeader, splitOnCommas, wordOf, type Token } from './sqlite-mysql-split.js';
import { lowerCstProgram, parseCst } from './sqlite.js';
import { dynamicPrepare, mysqlFallback } from './mysql-fallback.js';

/* node-sql-parser's AST types are loose and partly wrong; a loose record keeps the lowering
 * readable. Every access below is guarded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MyNode = Record<string, any>;

export function createMysqlParser(): SectionParser {
  const parser = new NodeSqlParser.Parser();
  return (section) => parseMysqlSection(section, parser);
}

export function parseMysqlSection(section: Section, parser = new NodeSqlParser.Parser()): ParseOutcome {
  return parseSection(section, 'mysql', (input) => parseMysqlStatement(input, parser));
}

const OPTIONS = { database: 'MySQL', parseOptions: { includeLocations: true } };

interface PegError {
  message: string;
  location?: { start?: { offset?: number } };
  found?: string | null;
  expected?: { type: string; text?: string; description?: string }[];
}

function parseMysqlStatement(input: StatementInput, parser: InstanceType<typeof NodeSqlParser.Parser>): OneStatement {
  let sql = input.sql;
  /** Offsets where `serial` was read as `BIGINT` (node-sql-parser does not know SERIAL). */
  const serialAt: number[] = [];
  /** The error after the repairs below (a repaired `serial` is not the problem). */
  let lastError: PegError | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const ast = parser.astify(sql, OPTIONS) as MyNode | MyNode[];
      const nodes = Array.isArray(ast) ? ast : [ast];
      return { ok: true, statement: new MysqlLowerer(input, serialAt).statement(nodes) };
    } catch (err) {
      const e = err as PegError;
      lastError = e;
      const offset = e.location?.start?.offset;
      if (typeof offset !== 'number') break;
      // Data types MySQL accepts and node-sql-parser does not, rewritten in place to the same
      // length so that every offset stays put.
      const expectsType = (e.expected ?? []).some((x) => x.text?.toUpperCase() === 'BIGINT');
      if (expectsType && /^serial\b/i.test(sql.slice(offset, offset + 7))) {
        // Drizzle writes `serial` columns: BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
        sql = sql.slice(0, offset) + 'BIGINT' + sql.slice(offset + 6);
        serialAt.push(offset);
        continue;
      }
      const longType = expectsType ? /^long(?:\s+(varchar|varbinary))?\b/i.exec(sql.slice(offset, offset + 30)) : null;
      if (longType) {
        // LONG and LONG VARCHAR are MEDIUMTEXT, LONG VARBINARY is MEDIUMBLOB (MySQL and MariaDB).
        const as = longType[1]?.toLowerCase() === 'varbinary' ? 'blob' : 'text';
        sql = sql.slice(0, offset) + as.padEnd(longType[0].length) + sql.slice(offset + longType[0].length);
        continue;
      }
      if (/^precision\b/i.test(sql.slice(offset, offset + 10)) && /\bdouble\s+$/i.test(sql.slice(0, offset))) {
        // DOUBLE PRECISION is DOUBLE.
        sql = sql.slice(0, offset) + ' '.repeat(9) + sql.slice(offset + 9);
        continue;
      }
      break;
    }
  }
  const prepared = dynamicPrepare(input);
  if (prepared) return prepared;
  // Second opinion from sql-parser-cst.
  const cst = parseCst(sql, 'mysql');
  if (cst.ok) return { ok: true, statement: lowerCstProgram(cst.program, input, 'mysql') };
  const unlowered = unloweredStatementType(input);
  if (unlowered) return { ok: true, statement: { span: input.span, type: unlowered, ops: [{ kind: 'other', span: input.span, statement: unlowered }] } };
  // Valid MySQL the parsers do not know: kept, or parsed again without what no rule reads.
  const fallback = mysqlFallback(input, (again) => parseMysqlStatement(again, parser));
  if (fallback) return fallback;
  const e = lastError!;
  const offset = typeof e.location?.start?.offset === 'number' ? e.location.start.offset : 0;
  return { ok: false, offset, message: describeError(e, input.original, offset) };
}

const ROUTINES = new Set(['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT']);
const NEVER_LOWERED = new Set(['SET', 'GRANT', 'REVOKE', 'FLUSH', 'CALL', 'OPTIMIZE', 'ANALYZE', 'REPAIR', 'CHECKSUM']);

/**
 * Statements migralint never lowers to anything but `other` (stored routines, triggers, events,
 * session settings, privileges, table maintenance). Neither parser knows all their syntax
 * (`CREATE PROCEDURE`, `DROP PROCEDURE`, `SET NAMES`), and a false syntax error on them would only
 * be noise: when both parsers reject one, it is kept as `other`. Returns the statement type, or
 * undefined.
 */
function unloweredStatementType(input: StatementInput): string | undefined {
  const tokens = input.tokens.filter((t) => t.kind !== 'comment');
  const w0 = wordOf(input.original, tokens[0]);
  const w1 = wordOf(input.original, tokens[1]);
  if (NEVER_LOWERED.has(w0)) return `${w0.toLowerCase()}_stmt`;
  if ((w0 === 'DROP' || w0 === 'ALTER') && ROUTINES.has(w1)) return `${w0.toLowerCase()}_${w1.toLowerCase()}_stmt`;
  if (isRoutineHeader(input.original, tokens)) {
    const kind = tokens.map((t) => wordOf(input.original, t)).find((w) => ROUTINES.has(w)) ?? 'ROUTINE';
    return `create_${kind.toLowerCase()}_stmt`;
  }
  return undefined;
}

const NOISE = new Set(['"#"', '"--"', '"/*"', '[ \\t\\n\\r]', 'whitespace']);

function describeError(e: PegError, text: string, offset: number): string {
  if (!e.expected) return e.message;
  const word = /^(?:\w+|\S)/.exec(text.slice(offset));
  const found = e.found === null || e.found === undefined || !word ? 'end of input' : `"${word[0]}"`;
  const expected = [
    ...new Set(
      e.expected
        .map((x) => (x.type === 'literal' ? `"${x.text}"` : x.type === 'end' ? 'end of input' : x.type === 'other' ? x.description : 'class'))
        .filter((x): x is string => !!x && x !== 'class' && !NOISE.has(x)),
    ),
  ];
  let message = `unexpected ${found}`;
  if (expected.length > 0 && expected.length <= 8) {
    message += `; expected ${expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`}`;
  }
  return message;
}

const CONSTANT_VALUES = new Set([
  'number',
  'string',
  'single_quote_string',
  'double_quote_string',
  'natural_string',
  'hex_string',
  'full_hex_string',
  'bit_string',
  'bool',
  'boolean',
  'null',
]);

function tableRef(t: MyNode | undefined): TableRef {
  const name = String(t?.table ?? t?.view ?? '?');
  return t?.db ? { schema: String(t.db), name } : { name };
}

/** Names the statement's own table goes by: its name and alias. */
function ownTableNames(t: MyNode | undefined): Set<string> {
  const names = new Set<string>();
  if (t?.table) names.add(String(t.table));
  if (t?.as) names.add(String(t.as));
  return names;
}

function columnName(c: unknown): string {
  if (typeof c === 'string') return c;
  const n = c as MyNode | undefined;
  if (!n) return '?';
  if (n.type === 'column_ref') return columnName(n.column);
  if (n.expr && typeof n.expr === 'object' && 'value' in n.expr) return String(n.expr.value);
  if (n.type === 'function') return String(n.name?.name?.[0]?.value ?? '?');
  if ('value' in n) return String(n.value);
  return '?';
}

/** Column names an expression reads. */
function columnRefs(e: unknown): string[] {
  if (!e || typeof e !== 'object') return [];
  if (Array.isArray(e)) return e.flatMap((x) => columnRefs(x));
  const n = e as MyNode;
  if (n.type === 'column_ref') return [columnName(n)];
  if (n.type === 'select') return [];
  return Object.entries(n).flatMap(([k, v]) => (k === 'loc' ? [] : columnRefs(v)));
}

function typeOf(def: MyNode | undefined): string | undefined {
  if (!def?.dataType) return undefined;
  let t = String(def.dataType);
  if (def.length !== undefined && def.length !== null) t += `(${def.length}${def.scale !== undefined && def.scale !== null ? `,${def.scale}` : ''})`;
  const suffix = Array.isArray(def.suffix) ? def.suffix.filter((s: unknown) => typeof s === 'string') : [];
  if (suffix.length > 0) t += ` ${suffix.join(' ')}`;
  return t;
}

/** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, possibly AND-ed together. */
function notNullColumns(e: MyNode | undefined): string[] {
  if (!e) return [];
  if (Array.isArray(e)) return e.flatMap((x) => notNullColumns(x));
  if (e.type !== 'binary_expr') return [];
  const op = String(e.operator).toUpperCase();
  if (op === 'AND') return [...notNullColumns(e.left), ...notNullColumns(e.right)];
  if (op === 'IS NOT' && e.right?.type === 'null' && e.left?.type === 'column_ref') return [columnName(e.left)];
  return [];
}

function statementType(n: MyNode): string {
  const type = String(n.type ?? 'unknown');
  if (type === 'alter' || type === 'rename') return `${type}_table_stmt`;
  if (type === 'replace') return 'insert_stmt';
  if ((type === 'create' || type === 'drop') && n.keyword) return `${type}_${String(n.keyword).replace(/\s+/g, '_')}_stmt`;
  return `${type}_stmt`;
}

class MysqlLowerer {
  private readonly span: Span;
  private clauseSpans: Span[] | undefined;

  constructor(
    private readonly input: StatementInput,
    private readonly serialAt: readonly number[],
  ) {
    this.span = input.span;
  }

  statement(nodes: MyNode[]): Statement {
    const node = nodes[0] ?? { type: 'unknown' };
    const ops = nodes.flatMap((n) => this.lower(n));
    return { span: this.span, type: statementType(node), ops, ast: nodes.length === 1 ? node : nodes };
  }

  private other(n: MyNode, span: Span = this.span): Operation {
    return { kind: 'other', span, statement: statementType(n) };
  }

  private lower(n: MyNode): Operation[] {
    const span = this.span;
    switch (n.type) {
      case 'create':
        if (n.keyword === 'table') return [this.createTable(n)];
        if (n.keyword === 'index') return [this.createIndex(n)];
        return [this.other(n)];
      case 'drop': {
        const ifExists = String(n.prefix ?? '').toLowerCase() === 'if exists';
        if (n.keyword === 'table') {
          return (n.name ?? []).map((t: MyNode) => ({ kind: 'drop-table', span, table: tableRef(t), ifExists, cascade: false }));
        }
        if (n.keyword === 'index') {
          return [
            {
              kind: 'drop-index',
              span,
              name: columnName(n.name),
              ...(n.table ? { table: tableRef(n.table) } : {}),
              concurrently: false,
              ifExists,
            },
          ];
        }
        // MySQL: DROP SCHEMA is DROP DATABASE.
        if (n.keyword === 'database' || n.keyword === 'schema') return [{ kind: 'drop-database', span, name: String(n.name ?? '?'), ifExists }];
        return [this.other(n)];
      }
      case 'truncate':
        return [{ kind: 'truncate', span, tables: (n.name ?? []).map((t: MyNode) => tableRef(t)), cascade: false }];
      case 'rename': {
        const pairs: MyNode[][] = n.table ?? [];
        const spans = this.clauses(['RENAME', 'TABLE'], pairs.length);
        return pairs.map((p, i) => ({ kind: 'rename-table', span: spans[i] ?? span, table: tableRef(p[0]), to: String(p[1]?.table ?? '?') }));
      }
      case 'alter':
        return this.alterTable(n);
      case 'update': {
        const columns: string[] = [];
        for (const s of n.set ?? []) {
          const c = columnName(s.column);
          if (!columns.includes(c)) columns.push(c);
        }
        const w = n.where as MyNode | undefined;
        const nullOnly = w?.type === 'binary_expr' && w.operator === 'IS' && w.right?.type === 'null' && w.left?.type === 'column_ref' ? columnName(w.left) : undefined;
        // A multi-table UPDATE (a join) or one with LIMIT changes only some of the rows.
        const partial = (n.table?.length ?? 0) !== 1 || !!n.table?.[0]?.join || !!n.limit?.value?.length;
        const own = ownTableNames(n.table?.[0]);
        const values: Record<string, ValueInfo | null> = {};
        for (const s of n.set ?? []) {
          const c = columnName(s.column);
          values[c] = s.table && !own.has(qualifierOf(s.table)!) ? null : mysqlValue(s.value, own);
        }
        const where = partial ? ({ kind: 'unknown' } as const) : mysqlPredicate(w, own);
        return [{ kind: 'update', span, table: tableRef(n.table?.[0]), columns, hasWhere: !!n.where || partial, ...(partial ? {} : { nullOnly }), where, values }];
      }
      case 'delete': {
        const target = n.from?.[0] ?? n.table?.[0];
        const partial = (n.from?.length ?? 1) > 1 || !!n.limit?.value?.length;
        const where = partial ? ({ kind: 'unknown' } as const) : mysqlPredicate(n.where, ownTableNames(target));
        return [{ kind: 'delete', span, table: tableRef(target), hasWhere: !!n.where || partial, where }];
      }
      case 'insert':
      case 'replace':
        return [this.insert(n)];
      case 'transaction': {
        const action = String(n.expr?.action?.value ?? '').toLowerCase();
        if (action === 'begin' || action === 'start') return [{ kind: 'transaction', span, action: 'begin' }];
        if (action === 'commit') return [{ kind: 'transaction', span, action: 'commit' }];
        if (action === 'rollback') return [{ kind: 'transaction', span, action: 'rollback' }];
        return [this.other(n)];
      }
      default:
        return [this.other(n)];
    }
  }

  private createTable(n: MyNode): Operation {
    const defs: MyNode[] = n.create_definitions ?? [];
    const pk = new Set<string>();
    for (const d of defs) {
      if (d.resource === 'constraint' && String(d.constraint_type).toLowerCase() === 'primary key') {
        for (const c of d.definition ?? []) pk.add(columnName(c));
      }
    }
    return {
      kind: 'create-table',
      span: this.span,
      table: tableRef(n.table?.[0]),
      columns: defs.filter((d) => d.resource === 'column').map((d) => this.columnInfo(d, pk)),
      ifNotExists: !!n.if_not_exists,
      temporary: !!n.temporary,
      asSelect: !!n.query_expr,
    };
  }

  private isSerial(d: MyNode): boolean {
    const end = d.column?.loc?.end?.offset;
    if (typeof end !== 'number') return false;
    return this.serialAt.some((at) => at >= end && this.input.sql.slice(end, at).trim() === '');
  }

  private columnInfo(d: MyNode, pk: ReadonlySet<string> = new Set()): ColumnInfo {
    const name = columnName(d.column);
    const serial = this.isSerial(d);
    const primaryKey = !!d.primary_key || pk.has(name);
    let hasDefault = false;
    let constant = true;
    if (d.default_val) {
      hasDefault = true;
      const v: MyNode | undefined = d.default_val.value;
      if (!v || !CONSTANT_VALUES.has(String(v.type))) constant = false;
    }
    if (d.auto_increment || d.generated || serial) {
      hasDefault = true;
      constant = false;
    }
    const notNull = String(d.nullable?.type ?? '').toLowerCase() === 'not null' || primaryKey || serial;
    const type = serial ? 'SERIAL' : typeOf(d.definition);
    return { name, ...(type ? { type } : {}), notNull, hasDefault, constantDefault: hasDefault && constant, primaryKey };
  }

  private createIndex(n: MyNode): Operation {
    return {
      kind: 'create-index',
      span: this.span,
      table: tableRef(n.table),
      ...(n.index ? { name: String(n.index) } : {}),
      unique: String(n.index_type ?? '').toLowerCase() === 'unique',
      concurrently: false,
      ifNotExists: false,
      columns: (n.index_columns ?? []).map((c: MyNode) => columnName(c)),
      ...indexTypeOf(n.index_type),
      ...(n.algorithm_option?.algorithm ? { algorithm: String(n.algorithm_option.algorithm).toUpperCase() } : {}),
      ...(n.lock_option?.lock ? { lock: String(n.lock_option.lock).toUpperCase() } : {}),
    };
  }

  private insert(n: MyNode): Operation {
    const columns: string[] | null = Array.isArray(n.columns) ? n.columns.map((c: unknown) => columnName(c)) : null;
    const v: MyNode | undefined = n.values;
    let fromTable: TableRef | undefined;
    let selectColumns: string[] | undefined;
    let selectValues: (ValueInfo | null)[] | undefined;
    let filter: string | undefined;
    // The rows of the first FROM table are copied; a JOIN after it is not a filter.
    if (v?.type === 'select' && Array.isArray(v.from) && v.from.length >= 1 && v.from[0]?.table && !v.from[0].expr && !v._next) {
      fromTable = tableRef(v.from[0]);
      const own = ownTableNames(v.from[0]);
      const cols: MyNode[] = v.columns === '*' ? [{ expr: { type: 'column_ref', column: '*' } }] : (v.columns ?? []);
      selectColumns = cols.map((c: MyNode) => {
        if (c?.expr?.type === 'column_ref') {
          const name = columnName(c.expr);
          return c.expr.table && !own.has(qualifierOf(c.expr.table)!) ? '?' : name;
        }
        // An expression over a single column (`coalesce(a, 0)`) carries that column's data.
        const refs = new Set(columnRefs(c?.expr));
        return refs.size === 1 ? [...refs][0]! : '?';
      });
      // WHERE x IS NOT NULL: the item x has a value on every row copied.
      const demanded = mysqlNotNullRefs(v.where);
      // Joins every copied row matches, and what their ON conditions prove (src/sql/copy-nulls.ts).
      const joins = (v.from as MyNode[]).slice(1).filter((j) => j?.table);
      const joined = joins.map((j) => ({ table: tableRef(j), as: String(j.as ?? j.table), inner: /^(?:INNER |CROSS )?JOIN$/i.test(String(j.join ?? '')), on: j.on as MyNode | undefined }));
      const matched = matchJoins(joined, demanded, (v.from as MyNode[]).some((j) => /RIGHT|FULL/i.test(String(j?.join ?? ''))), (j) => (j.on ? mysqlNotNullRefs(j.on) : []));
      const matchedAs = new Map(matched.map((j) => [refKey([j.as]), j.table]));
      selectValues = cols.map((c: MyNode) => {
        if (c?.expr?.column === '*') return null;
        if (c?.expr?.type === 'column_ref' && demanded.has(mysqlRefKey(c.expr))) return { nonNullIf: [] };
        const through = c?.expr?.type === 'column_ref' && c.expr.table ? matchedAs.get(refKey([qualifierOf(c.expr.table)!])) : undefined;
        if (through) return { nonNullIf: [], joined: { table: through, column: columnName(c.expr) } };
        return mysqlValue(c?.expr, own);
      });
      if (v.where || v.limit?.value?.length || v.groupby || v.distinct) {
        const m = /\b(WHERE|LIMIT|GROUP\s+BY)\b[\s\S]*$/i.exec(this.input.original);
        const text = (m ? m[0] : v.distinct ? 'DISTINCT' : 'WHERE').replace(/;\s*$/, '').replace(/\s+/g, ' ').trim();
        filter = text.length > 80 ? `${text.slice(0, 79)}…` : text;
      }
    }
    const filterWhere = fromTable && v && v.where && !v.limit?.value?.length && !v.groupby && !v.distinct ? mysqlPredicate(v.where, ownTableNames(v.from[0])) : undefined;
    return { kind: 'insert', span: this.span, table: tableRef(n.table?.[0]), columns, ...(fromTable ? { fromTable, selectColumns, selectValues, ...(filter ? { filter } : {}), ...(filterWhere ? { filterWhere } : {}) } : {}) };
  }

  private alterTable(n: MyNode): Operation[] {
    const table = tableRef(n.table?.[0]);
    const exprs: MyNode[] = n.expr ?? [];
    const spans = this.clauses(['ALTER', 'TABLE'], exprs.length);
    const algorithm = exprs.find((e) => e.resource === 'algorithm')?.algorithm;
    const lock = exprs.find((e) => e.resource === 'lock')?.lock;
    const indexOptions = {
      ...(algorithm ? { algorithm: String(algorithm).toUpperCase() } : {}),
      ...(lock ? { lock: String(lock).toUpperCase() } : {}),
    };
    const ops: Operation[] = [];
    exprs.forEach((e, i) => {
      const span = spans[i] ?? this.span;
      const action = String(e.action ?? '').toLowerCase();
      const resource = String(e.resource ?? '').toLowerCase();
      if (resource === 'algorithm' || resource === 'lock') return;
      if ((action === 'drop' || action === 'truncate') && resource === 'partition') {
        // `TRUNCATE PARTITION ALL` reads as a column `*`.
        const partitions = ((e.partitions ?? []) as MyNode[]).map((p) => columnName(p?.expr ?? p)).map((p) => (p === '*' ? 'ALL' : p));
        ops.push({ kind: 'drop-partition', span, table, partitions, truncate: action === 'truncate' });
      } else if (action === 'add' && resource === 'column') {
        ops.push({ kind: 'add-column', span, table, column: this.columnInfo(e), ifNotExists: false });
      } else if (action === 'drop' && resource === 'column') {
        ops.push({ kind: 'drop-column', span, table, column: columnName(e.column), ifExists: false, cascade: false });
      } else if (action === 'modify' || action === 'change') {
        let column = columnName(e.column);
        if (action === 'change') {
          const old = columnName(e.old_column);
          if (old !== column) ops.push({ kind: 'rename-column', span, table, column: old, to: column });
          else column = old;
        }
        const info = this.columnInfo(e);
        ops.push({ kind: 'alter-column-type', span, table, column, ...(info.type ? { type: info.type } : {}) });
        // MODIFY/CHANGE redefine the column: without NOT NULL it becomes nullable.
        if (info.notNull) ops.push({ kind: 'set-not-null', span, table, column });
        else ops.push({ kind: 'drop-not-null', span, table, column });
        if (e.default_val) ops.push({ kind: 'set-default', span, table, column });
      } else if (action === 'rename' && resource === 'table') {
        ops.push({ kind: 'rename-table', span, table, to: String(e.table ?? '?') });
      } else if (action === 'rename' && resource === 'column') {
        ops.push({ kind: 'rename-column', span, table, column: columnName(e.old_column), to: columnName(e.column) });
      } else if (action === 'add' && resource === 'index') {
        ops.push({
          kind: 'create-index',
          span,
          table,
          ...(e.index ? { name: String(e.index) } : {}),
          unique: false,
          concurrently: false,
          ifNotExists: false,
          columns: (e.definition ?? []).map((c: MyNode) => columnName(c)),
          ...indexOptions,
          // `ADD FULLTEXT [INDEX|KEY] ...`, `ADD SPATIAL [INDEX|KEY] ...`
          ...indexTypeOf(String(e.keyword ?? '').split(/\s+/)[0]),
        });
      } else if (action === 'add' && resource === 'constraint') {
        ops.push(this.addConstraint(e.create_definitions ?? {}, table, span, indexOptions));
      } else if (action === 'drop' && resource === 'index') {
        ops.push({ kind: 'drop-index', span, name: String(e.index ?? '?'), table, concurrently: false, ifExists: false });
      } else if (action === 'drop' && resource === 'key') {
        const primary = String(e.keyword ?? '').toLowerCase() === 'primary key';
        ops.push({ kind: 'drop-constraint', span, table, name: primary ? 'PRIMARY' : String(e.key ?? '?') });
      } else if (action === 'drop' && resource === 'constraint') {
        ops.push({ kind: 'drop-constraint', span, table, name: String(e.constraint ?? '?') });
      } else {
        ops.push({ kind: 'other', span, statement: `alter_table_stmt:${action || resource || String(e.keyword ?? '?')}` });
      }
    });
    return ops;
  }

  private addConstraint(c: MyNode, table: TableRef, span: Span, indexOptions: { algorithm?: string; lock?: string }): Operation {
    const type = String(c.constraint_type ?? '').toLowerCase();
    const name = c.constraint ? String(c.constraint) : undefined;
    if (type.startsWith('unique')) {
      // MySQL builds a unique index: the index rules apply.
      const indexName = c.index ?? c.constraint;
      return {
        kind: 'create-index',
        span,
        table,
        ...(indexName ? { name: String(indexName) } : {}),
        unique: true,
        concurrently: false,
        ifNotExists: false,
        columns: (c.definition ?? []).map((d: MyNode) => columnName(d)),
        ...indexOptions,
      };
    }
    const constraint = type === 'primary key' ? 'primary-key' : type === 'foreign key' ? 'foreign-key' : type === 'check' ? 'check' : 'other';
    const notNull = constraint === 'check' ? notNullColumns(c.definition) : [];
    return { kind: 'add-constraint', span, table, ...(name ? { name } : {}), constraint, notNullColumns: notNull, validated: true };
  }

  /**
   * Spans of the clauses of `ALTER TABLE name a, b, c` or `RENAME TABLE a TO b, c TO d`: the tokens
   * between top-level commas after the header. Empty when the count differs from the parser's.
   */
  private clauses(header: string[], count: number): Span[] {
    if (this.clauseSpans === undefined) this.clauseSpans = this.computeClauses(header);
    return this.clauseSpans.length === count ? this.clauseSpans : [];
  }

  private computeClauses(header: string[]): Span[] {
    const { input } = this;
    const groups = splitOnCommas(input.original, input.tokens);
    const first = groups[0] ?? [];
    let k = 0;
    const word = (t: Token | undefined): string => wordOf(input.original, t);
    if (word(first[k]) !== header[0]) return [];
    k++;
    while (k < first.length && (word(first[k]) === 'ONLINE' || word(first[k]) === 'IGNORE')) k++;
    if (word(first[k]) !== header[1] && !(header[1] === 'TABLE' && word(first[k]) === 'TABLES')) return [];
    k++;
    if (header[0] === 'ALTER') {
      // The table name: name or db.name.
      k++;
      while (k + 1 < first.length && input.original[first[k]!.start] === '.' && first[k]!.kind === 'punct') k += 2;
    }
    groups[0] = first.slice(k);
    const spans: Span[] = [];
    for (const g of groups) {
      if (g.length === 0) return [];
      spans.push({ file: input.file, start: input.base + g[0]!.start, end: input.base + g[g.length - 1]!.end });
    }
    return spans;
  }
}

/** FULLTEXT / SPATIAL from node-sql-parser's `index_type` or the first word of an `ADD` keyword. */
function indexTypeOf(word: unknown): { indexType?: 'fulltext' | 'spatial' } {
  const w = String(word ?? '').toLowerCase();
  return w === 'fulltext' || w === 'spatial' ? { indexType: w } : {};
}
