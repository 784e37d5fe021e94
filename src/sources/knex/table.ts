/**
 * What the calls made on a Knex table builder (the callback of `createTable` / `alterTable`) mean
 * as normalized operations.
 */
import type { ColumnInfo, Dialect, Operation, SourceFile, Span, TableRef } from '../../model.js';
import type { KCall } from './types.js';
import { isStaticString, staticJson, staticStrings, type Val } from './values.js';

/** Column-type methods of Knex's TableBuilder (knex/lib/schema/tablebuilder.js), lower-cased. */
export const COLUMN_TYPES: ReadonlySet<string> = new Set(
  [
    'tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double', 'real', 'bit', 'boolean',
    'serial', 'date', 'datetime', 'timestamp', 'time', 'year', 'geometry', 'geography', 'point', 'char', 'varchar',
    'tinytext', 'text', 'mediumtext', 'longtext', 'binary', 'varbinary', 'tinyblob', 'mediumblob', 'blob', 'longblob',
    'enum', 'set', 'bool', 'increments', 'bigincrements', 'integer', 'biginteger', 'string', 'json', 'jsonb', 'uuid',
    'enu', 'specifictype', 'double', 'binary',
  ],
);

export interface ForeignState {
  readonly columns: string[];
  references?: string;
  inTable?: string;
  name?: string;
  start: number;
  end: number;
}

export interface ColumnState {
  readonly method: string;
  readonly name: string;
  readonly args: Val[];
  readonly start: number;
  end: number;
  /** Replay chain; null when the column came from a multi-column call (`timestamps`). */
  readonly chain: KCall[] | null;
  notNull: boolean | undefined;
  /** `null`: `defaultTo(null)`, which fills nothing (`NOT NULL DEFAULT NULL` has no usable default). */
  defaultKind: 'none' | 'null' | 'constant' | 'volatile';
  /** `at`: the modifier call (`.index()` after `t.string('x')`), where findings about it point. */
  primary: { name?: string; at?: At } | null;
  unique: { name?: string; useConstraint: boolean; at?: At } | null;
  index: { name?: string; unique: boolean; at?: At } | null;
  alter: { alterNullable: boolean; alterType: boolean } | null;
  drop: boolean;
  fk: ForeignState | null;
  checks: { name?: string; notNullColumns: string[]; at?: At }[];
}

/** A modifier call's offsets: from its method name to the end of the call. */
export interface At {
  readonly start: number;
  readonly end: number;
}

type Action =
  | { readonly a: 'col'; readonly col: ColumnState }
  | { readonly a: 'op'; readonly op: Operation }
  | { readonly a: 'fk'; readonly fk: ForeignState }
  | { readonly a: 'pk'; readonly columns: string[]; readonly name?: string; readonly start: number; readonly end: number };

export class TableBuilderState {
  readonly actions: Action[] = [];
  /** Replay: the call chains made on the builder, in order. */
  readonly chains: KCall[][] = [];
  /** Replay is not faithful (a dynamic argument, an unanalyzable call). */
  unavailable: string | null = null;

  constructor(
    readonly file: SourceFile,
    readonly table: TableRef,
    readonly mode: 'create' | 'alter',
    readonly dialect: Dialect,
    /** Appended to unanalyzable reasons: where the interpreter is (`, inside a \`for\` loop`). */
    private readonly context: () => string = () => '',
  ) {}

  span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  pushOp(op: Operation): void {
    this.actions.push({ a: 'op', op });
  }

  unanalyzable(why: string, start: number, end: number): void {
    const reason = why + this.context();
    this.pushOp({ kind: 'unanalyzable', reason, span: this.span(start, end) });
    this.unavailable ??= reason;
  }
}

/** Call site of a builder method: the call's span, where its chain began, its source texts. */
export interface CallSite {
  readonly start: number;
  /** Start of the method name of a chained call (`index` in `t.string('x').index()`). */
  readonly methodStart?: number;
  readonly end: number;
  readonly argText: readonly string[];
}

function describe(text: string | undefined): string {
  if (text === undefined) return 'missing';
  const oneLine = text.replace(/\s+/g, ' ');
  return `\`${oneLine.length > 40 ? oneLine.slice(0, 37) + '...' : oneLine}\``;
}

/** Knex's default index name: `${table}_${columns.join('_')}_${type}`, lower-cased. */
export function knexIndexName(table: string, columns: readonly string[], type: string): string {
  return `${table.replace(/\.|-/g, '_')}_${columns.join('_')}_${type}`.toLowerCase();
}

/** Columns a check predicate proves NOT NULL: `col IS NOT NULL`, `?? is not null` with ['col']. */
function notNullColumnsOf(predicate: Val | undefined, bindings: Val | undefined): string[] {
  if (!isStaticString(predicate)) return [];
  const out: string[] = [];
  const binds = staticStrings(bindings) ?? [];
  let bi = 0;
  const parts = predicate.v.split(/\s+and\s+/i);
  for (const part of parts) {
    const m = /^\s*\(?\s*(\?\?|["`]?(\w+)["`]?)\s+is\s+not\s+null\s*\)?\s*$/i.exec(part);
    if (!m) {
      bi += (part.match(/\?\??/g) ?? []).length;
      continue;
    }
    if (m[1] === '??') {
      const b = binds[bi++];
      if (b !== undefined) out.push(b);
    } else if (m[2]) {
      out.push(m[2]);
    }
  }
  return out;
}

function optString(v: Val | undefined): string | undefined {
  return isStaticString(v) ? v.v : undefined;
}

function objectProp(v: Val | undefined, key: string): Val | undefined {
  if (v?.k === 'object') return v.props.get(key);
  if (v?.k === 'lit' && v.v !== null && typeof v.v === 'object' && !Array.isArray(v.v)) {
    const j = Object.hasOwn(v.v, key) ? (v.v as Record<string, unknown>)[key] : undefined;
    if (j === undefined) return undefined;
    return { k: 'lit', v: j as never };
  }
  return undefined;
}

/** How a `defaultTo` value fills the column. */
export function defaultKindOf(v: Val | undefined): ColumnState['defaultKind'] {
  if (v === undefined || v.k === 'undef') return 'none';
  // knex.fn.now() is CURRENT_TIMESTAMP: stable, one value per statement (no rewrite on Postgres 11+).
  if (v.k === 'special' && v.arg.t === 'fn' && v.arg.name === 'now') return 'constant';
  if (v.k === 'lit' && v.v === null) return 'null';
  if (v.k === 'special' || v.k === 'raw' || v.k === 'query') return 'volatile';
  if (staticJson(v) !== undefined) return 'constant';
  // A value known only at run time: Knex binds it as a literal unless it is a raw/fn, which we
  // cannot tell; do not claim it is constant.
  return 'volatile';
}

/**
 * A call on the table builder. Returns the value the call evaluates to, or null for a method
 * Knex's table builder does not have (the caller reports it).
 */
export function tableCall(tb: TableBuilderState, method: string, args: Val[], site: CallSite, chain: KCall[]): Val | null {
  const lower = method.toLowerCase();
  const table = tb.table;
  const span = tb.span(site.start, site.end);

  if (COLUMN_TYPES.has(lower)) {
    const name = args[0];
    if (lower === 'increments' || lower === 'bigincrements') {
      if (name === undefined || name.k === 'undef') return newColumn(tb, method, 'id', args, site, chain);
    }
    if (!isStaticString(name)) {
      tb.unanalyzable(`column name is not a static string: ${describe(site.argText[0])}`, site.start, site.end);
      return { k: 'unknown', why: 'column' };
    }
    return newColumn(tb, method, name.v, args, site, chain);
  }

  switch (method) {
    case 'timestamps': {
      let useTimestamps: Val | undefined = args[0];
      let defaultToNow: Val | undefined = args[1];
      let camel: Val | undefined = args[2];
      if (args[0]?.k === 'object' || (args[0]?.k === 'lit' && typeof args[0].v === 'object' && args[0].v !== null)) {
        useTimestamps = objectProp(args[0], 'useTimestamps');
        defaultToNow = objectProp(args[0], 'defaultToNow');
        camel = objectProp(args[0], 'useCamelCase');
      }
      const type = useTimestamps?.k === 'lit' && useTimestamps.v === true ? 'timestamp' : 'datetime';
      const isCamel = camel?.k === 'lit' && camel.v === true;
      const now = defaultToNow?.k === 'lit' && defaultToNow.v === true;
      for (const n of isCamel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) {
        const col = newColumnState(type, n, [], site, null);
        if (now) {
          col.notNull = true;
          col.defaultKind = 'volatile';
        }
        tb.actions.push({ a: 'col', col });
      }
      return { k: 'undef' };
    }
    case 'index':
    case 'unique':
    case 'primary': {
      const cols = staticStrings(args[0]);
      if (cols === null) {
        tb.unanalyzable(`${method}() columns are not static: ${describe(site.argText[0])}`, site.start, site.end);
        return { k: 'tb', tb };
      }
      const opt = args[1];
      const name = optString(opt) ?? optString(objectProp(opt, method === 'primary' ? 'constraintName' : 'indexName'));
      if (method === 'primary') {
        tb.actions.push({ a: 'pk', columns: cols, ...(name ? { name } : {}), start: site.start, end: site.end });
      } else if (method === 'unique') {
        const uc = objectProp(opt, 'useConstraint');
        const pred = objectProp(opt, 'predicate');
        const useConstraint = uc?.k === 'lit' ? uc.v === true : pred === undefined;
        pushUnique(tb, cols, name, useConstraint, span);
      } else {
        const indexType = optString(objectProp(args[2], 'indexType'));
        pushIndex(tb, cols, name ?? knexIndexName(table.name, cols, 'index'), indexType?.toLowerCase() === 'unique', span);
      }
      return { k: 'tb', tb };
    }
    case 'foreign': {
      const cols = staticStrings(args[0]);
      if (cols === null) {
        tb.unanalyzable(`foreign() columns are not static: ${describe(site.argText[0])}`, site.start, site.end);
        return { k: 'unknown' };
      }
      const fk: ForeignState = { columns: cols, start: site.start, end: site.end };
      const name = optString(args[1]);
      if (name) fk.name = name;
      tb.actions.push({ a: 'fk', fk });
      return { k: 'fk', fk, tb, chain };
    }
    case 'dropColumn':
    case 'dropColumns': {
      const names: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const s = staticStrings(args[i]);
        if (s === null) {
          tb.unanalyzable(`column name is not a static string: ${describe(site.argText[i])}`, site.start, site.end);
          return { k: 'tb', tb };
        }
        names.push(...s);
      }
      for (const column of names) {
        tb.pushOp({ kind: 'drop-column', table, column, ifExists: false, cascade: false, span });
      }
      return { k: 'tb', tb };
    }
    case 'dropTimestamps': {
      const camel = args[0]?.k === 'lit' && args[0].v === true;
      for (const column of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) {
        tb.pushOp({ kind: 'drop-column', table, column, ifExists: false, cascade: false, span });
      }
      return { k: 'tb', tb };
    }
    case 'renameColumn': {
      const from = args[0];
      const to = args[1];
      if (!isStaticString(from) || !isStaticString(to)) {
        const bad = !isStaticString(from) ? 0 : 1;
        tb.unanalyzable(`column name is not a static string: ${describe(site.argText[bad])}`, site.start, site.end);
      } else {
        tb.pushOp({ kind: 'rename-column', table, column: from.v, to: to.v, span });
      }
      return { k: 'tb', tb };
    }
    case 'setNullable':
    case 'dropNullable': {
      const col = args[0];
      if (!isStaticString(col)) {
        tb.unanalyzable(`column name is not a static string: ${describe(site.argText[0])}`, site.start, site.end);
      } else if (method === 'setNullable') {
        tb.pushOp({ kind: 'drop-not-null', table, column: col.v, span });
      } else {
        tb.pushOp({ kind: 'set-not-null', table, column: col.v, span });
      }
      return { k: 'tb', tb };
    }
    case 'dropIndex':
    case 'dropUnique':
    case 'dropUniqueIfExists':
    case 'dropForeign':
    case 'dropForeignIfExists':
    case 'dropPrimary':
    case 'dropPrimaryIfExists': {
      const ifExists = method.endsWith('IfExists');
      const base = ifExists ? method.slice(0, -'IfExists'.length) : method;
      let name: string | undefined;
      if (base === 'dropPrimary') {
        name = args[0] === undefined || args[0].k === 'undef' ? `${table.name}_pkey` : optString(args[0]);
      } else {
        name = optString(args[1]);
        if (name === undefined && (args[1] === undefined || args[1].k === 'undef')) {
          const cols = staticStrings(args[0]);
          if (cols !== null) {
            const type = base === 'dropIndex' ? 'index' : base === 'dropUnique' ? 'unique' : 'foreign';
            name = knexIndexName(table.name, cols, type);
          }
        }
      }
      if (name === undefined) {
        tb.unanalyzable(`${method}() target is not static: ${describe(site.argText.join(', '))}`, site.start, site.end);
        return { k: 'tb', tb };
      }
      const asIndex = base === 'dropIndex' || (base === 'dropUnique' && tb.dialect === 'sqlite');
      if (asIndex) {
        tb.pushOp({ kind: 'drop-index', name, table, concurrently: false, ifExists, span });
      } else {
        tb.pushOp({ kind: 'drop-constraint', table, name, span });
      }
      return { k: 'tb', tb };
    }
    case 'check': {
      const name = optString(args[2]);
      tb.pushOp({
        kind: 'add-constraint',
        table,
        ...(name ? { name } : {}),
        constraint: 'check',
        notNullColumns: notNullColumnsOf(args[0], args[1]),
        validated: true,
        span,
      });
      return tb.mode === 'create' ? { k: 'tb', tb } : { k: 'undef' };
    }
    case 'dropChecks': {
      const names = args.flatMap((a) => staticStrings(a) ?? []);
      for (const n of names) tb.pushOp({ kind: 'drop-constraint', table, name: n, span });
      return { k: 'undef' };
    }
    case 'comment':
    case 'engine':
    case 'charset':
    case 'collate':
    case 'inherits':
    case 'queryContext':
      return { k: 'undef' };
    default:
      return null;
  }
}

function newColumnState(method: string, name: string, args: Val[], site: CallSite, chain: KCall[] | null): ColumnState {
  const lower = method.toLowerCase();
  const inc = lower === 'increments' || lower === 'bigincrements';
  const pkOpt = objectProp(args[1], 'primaryKey');
  return {
    method,
    name,
    args,
    start: site.start,
    end: site.end,
    chain,
    notNull: inc ? true : undefined,
    defaultKind: 'none',
    primary: inc && !(pkOpt?.k === 'lit' && pkOpt.v === false) ? {} : null,
    unique: null,
    index: null,
    alter: null,
    drop: false,
    fk: null,
    checks: [],
  };
}

function newColumn(tb: TableBuilderState, method: string, name: string, args: Val[], site: CallSite, chain: KCall[]): Val {
  const col = newColumnState(method, name, args, site, chain);
  tb.actions.push({ a: 'col', col });
  return { k: 'col', col, tb };
}

function pushUnique(tb: TableBuilderState, cols: string[], name: string | undefined, useConstraint: boolean, span: Span): void {
  const n = name ?? knexIndexName(tb.table.name, cols, 'unique');
  if (tb.dialect === 'sqlite' || !useConstraint) {
    tb.pushOp({ kind: 'create-index', table: tb.table, name: n, unique: true, concurrently: false, ifNotExists: false, columns: cols, span });
  } else {
    tb.pushOp({ kind: 'add-constraint', table: tb.table, name: n, constraint: 'unique', notNullColumns: [], validated: true, span });
  }
}

function pushIndex(tb: TableBuilderState, cols: string[], name: string, unique: boolean, span: Span): void {
  tb.pushOp({ kind: 'create-index', table: tb.table, name, unique, concurrently: false, ifNotExists: false, columns: cols, span });
}

const CHECK_MODIFIERS = new Set(['check', 'checkPositive', 'checkNegative', 'checkIn', 'checkNotIn', 'checkBetween', 'checkLength', 'checkRegex']);
const IGNORED_MODIFIERS = new Set(['unsigned', 'first', 'after', 'comment', 'collate', 'queryContext', 'deferrable', 'withKeyName', 'onUpdate', 'onDelete', 'alterType', 'useNative']);

/** A modifier on a column builder. Returns false for a method the column builder does not have. */
export function columnCall(col: ColumnState, method: string, args: Val[], site: CallSite): boolean {
  if (site.start === col.start) col.end = Math.max(col.end, site.end);
  const at: { at?: At } = site.methodStart !== undefined ? { at: { start: site.methodStart, end: site.end } } : {};
  switch (method) {
    case 'notNullable':
    case 'notNull':
      col.notNull = true;
      return true;
    case 'nullable':
      col.notNull = args[0]?.k === 'lit' && args[0].v === false;
      return true;
    case 'defaultTo':
    case 'default':
    case 'defaultsTo':
      col.defaultKind = defaultKindOf(args[0]);
      return true;
    case 'primary':
      if (!col.method.toLowerCase().includes('increments')) {
        const name = optString(args[0]) ?? optString(objectProp(args[0], 'constraintName'));
        col.primary = { ...(name ? { name } : {}), ...at };
      }
      return true;
    case 'unique': {
      if (col.method.toLowerCase().includes('increments')) return true;
      const opt = args[0];
      const name = optString(opt) ?? optString(objectProp(opt, 'indexName'));
      const uc = objectProp(opt, 'useConstraint');
      const pred = objectProp(opt, 'predicate');
      col.unique = { ...(name ? { name } : {}), useConstraint: uc?.k === 'lit' ? uc.v === true : pred === undefined, ...at };
      return true;
    }
    case 'index': {
      if (col.method.toLowerCase().includes('increments')) return true;
      const name = optString(args[0]);
      const indexType = optString(objectProp(args[1], 'indexType'));
      col.index = { ...(name ? { name } : {}), unique: indexType?.toLowerCase() === 'unique', ...at };
      return true;
    }
    case 'references': {
      const target = optString(args[0]);
      col.fk ??= { columns: [col.name], start: col.start, end: col.end };
      if (target !== undefined) {
        const dot = target.indexOf('.');
        if (dot > 0) {
          col.fk.inTable = target.slice(0, dot);
          col.fk.references = target.slice(dot + 1);
        } else {
          col.fk.references = target;
        }
      }
      return true;
    }
    case 'inTable':
    case 'on': {
      const t = optString(args[0]);
      if (col.fk && t !== undefined) col.fk.inTable = t;
      return true;
    }
    case 'alter': {
      const nullable = objectProp(args[0], 'alterNullable');
      const type = objectProp(args[0], 'alterType');
      col.alter = {
        alterNullable: !(nullable?.k === 'lit' && nullable.v === false),
        alterType: !(type?.k === 'lit' && type.v === false),
      };
      return true;
    }
    case 'drop':
      col.drop = true;
      return true;
    default:
      if (CHECK_MODIFIERS.has(method)) {
        const name = optString(method === 'check' ? args[2] : args[args.length - 1]);
        col.checks.push({ ...(name ? { name } : {}), notNullColumns: method === 'check' ? notNullColumnsOf(args[0], args[1]) : [], ...at });
        return true;
      }
      return IGNORED_MODIFIERS.has(method);
  }
}

/** A call on `table.foreign(...)`'s chain. */
export function foreignCall(fk: ForeignState, method: string, args: Val[], site: CallSite): boolean {
  if (site.start === fk.start) fk.end = Math.max(fk.end, site.end);
  switch (method) {
    case 'references': {
      const target = staticStrings(args[0]);
      if (target && target.length === 1 && target[0]!.includes('.')) {
        const t = target[0]!;
        const dot = t.indexOf('.');
        fk.inTable = t.slice(0, dot);
        fk.references = t.slice(dot + 1);
      } else if (target) {
        fk.references = target.join(',');
      }
      return true;
    }
    case 'inTable':
    case 'on': {
      const t = optString(args[0]);
      if (t !== undefined) fk.inTable = t;
      return true;
    }
    case 'withKeyName': {
      const n = optString(args[0]);
      if (n !== undefined) fk.name = n;
      return true;
    }
    case 'onDelete':
    case 'onUpdate':
    case 'deferrable':
    case 'queryContext':
      return true;
    default:
      return false;
  }
}

/** The SQL type Knex gives a column, as the dialect spells it (best effort, for messages and rules). */
export function columnType(method: string, args: readonly Val[], dialect: Dialect): string | undefined {
  const m = method.toLowerCase();
  const num = (i: number, d: number | null): number | null => {
    const v = args[i];
    return v?.k === 'lit' && typeof v.v === 'number' ? v.v : v === undefined || v.k === 'undef' || (v.k === 'lit' && v.v === null) ? d : null;
  };
  const pg = dialect === 'postgres';
  const my = dialect === 'mysql';
  switch (m) {
    case 'increments':
      return pg ? 'serial' : my ? 'int unsigned' : 'integer';
    case 'bigincrements':
      return pg ? 'bigserial' : my ? 'bigint unsigned' : 'integer';
    case 'integer':
    case 'int':
      return my ? 'int' : 'integer';
    case 'biginteger':
    case 'bigint':
      return 'bigint';
    case 'tinyint':
      return pg ? 'smallint' : 'tinyint';
    case 'smallint':
      return 'smallint';
    case 'mediumint':
      return pg ? 'integer' : 'mediumint';
    case 'string':
    case 'varchar': {
      const n = num(1, 255);
      return `varchar(${n ?? 255})`;
    }
    case 'char': {
      const n = num(1, 255);
      return `char(${n ?? 255})`;
    }
    case 'text':
      return 'text';
    case 'float':
      return pg ? 'real' : 'float';
    case 'double':
      return pg ? 'double precision' : 'double';
    case 'real':
      return 'real';
    case 'decimal': {
      const p = num(1, 8);
      const s = num(2, 2);
      return p === null && args[1]?.k === 'lit' && args[1].v === null ? 'decimal' : `decimal(${p ?? 8}, ${s ?? 2})`;
    }
    case 'boolean':
    case 'bool':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
    case 'timestamp': {
      const useTz = objectProp(args[1], 'useTz');
      if (pg) return useTz?.k === 'lit' && useTz.v === false ? 'timestamp' : 'timestamptz';
      return m;
    }
    case 'time':
      return 'time';
    case 'uuid':
      return pg ? 'uuid' : 'char(36)';
    case 'json':
      return pg || my ? 'json' : 'json';
    case 'jsonb':
      return pg ? 'jsonb' : my ? 'json' : 'json';
    case 'binary':
      return pg ? 'bytea' : 'blob';
    case 'enu':
    case 'enum': {
      const enumName = optString(objectProp(args[2], 'enumName'));
      if (pg) return enumName ?? 'text';
      return my ? 'enum' : 'text';
    }
    case 'specifictype':
      return optString(args[1]);
    default:
      return m;
  }
}

function columnInfo(col: ColumnState, dialect: Dialect, inCreate: boolean): ColumnInfo {
  const inc = col.method.toLowerCase().includes('increments');
  const type = columnType(col.method, col.args, dialect);
  return {
    name: col.name,
    ...(type ? { type } : {}),
    notNull: col.notNull === true || (inCreate && col.primary !== null),
    hasDefault: inc || (col.defaultKind !== 'none' && col.defaultKind !== 'null'),
    constantDefault: !inc && col.defaultKind === 'constant',
    ...(col.primary !== null ? { primaryKey: true } : {}),
  };
}

function columnSideOps(tb: TableBuilderState, col: ColumnState, out: Operation[]): void {
  const whole = tb.span(col.start, col.end);
  const spanOf = (m: { at?: At }): Span => (m.at ? tb.span(m.at.start, m.at.end) : whole);
  const table = tb.table;
  if (col.unique) {
    const span = spanOf(col.unique);
    const n = col.unique.name ?? knexIndexName(table.name, [col.name], 'unique');
    if (tb.dialect === 'sqlite' || !col.unique.useConstraint) {
      out.push({ kind: 'create-index', table, name: n, unique: true, concurrently: false, ifNotExists: false, columns: [col.name], span });
    } else {
      out.push({ kind: 'add-constraint', table, name: n, constraint: 'unique', notNullColumns: [], validated: true, span });
    }
  }
  if (col.index) {
    const span = spanOf(col.index);
    const n = col.index.name ?? knexIndexName(table.name, [col.name], 'index');
    out.push({ kind: 'create-index', table, name: n, unique: col.index.unique, concurrently: false, ifNotExists: false, columns: [col.name], span });
  }
  if (col.primary && tb.mode === 'alter' && !col.method.toLowerCase().includes('increments')) {
    out.push({ kind: 'add-constraint', table, name: col.primary.name ?? `${table.name}_pkey`, constraint: 'primary-key', notNullColumns: [col.name], validated: true, span: spanOf(col.primary) });
  }
  for (const c of col.checks) {
    out.push({ kind: 'add-constraint', table, ...(c.name ? { name: c.name } : {}), constraint: 'check', notNullColumns: c.notNullColumns, validated: true, span: spanOf(c) });
  }
  if (col.fk) out.push(fkOp(tb, col.fk, whole));
}

function fkOp(tb: TableBuilderState, fk: ForeignState, span: Span): Operation {
  return {
    kind: 'add-constraint',
    table: tb.table,
    name: fk.name ?? knexIndexName(tb.table.name, fk.columns, 'foreign'),
    constraint: 'foreign-key',
    notNullColumns: [],
    validated: true,
    span,
  };
}

/**
 * The operations of a `createTable` / `alterTable` call once its callback ran. `createSpan` is the
 * span of the `createTable(...)` call (for the create-table operation).
 */
export function tableOps(tb: TableBuilderState, createSpan: Span | null, ifNotExists: boolean): Operation[] {
  const ops: Operation[] = [];
  const table = tb.table;
  if (tb.mode === 'create') {
    const pkCols = new Set<string>();
    for (const act of tb.actions) if (act.a === 'pk') for (const c of act.columns) pkCols.add(c);
    const columns: ColumnInfo[] = [];
    for (const act of tb.actions) {
      if (act.a !== 'col' || act.col.drop) continue;
      const info = columnInfo(act.col, tb.dialect, true);
      columns.push(pkCols.has(info.name) ? { ...info, notNull: true, primaryKey: true } : info);
    }
    ops.push({ kind: 'create-table', table, columns, ifNotExists, span: createSpan ?? tb.span(0, 0) });
  }
  for (const act of tb.actions) {
    switch (act.a) {
      case 'col': {
        const col = act.col;
        const span = tb.span(col.start, col.end);
        if (tb.mode === 'alter') {
          if (col.drop) {
            ops.push({ kind: 'drop-column', table, column: col.name, ifExists: false, cascade: false, span });
            continue;
          }
          if (col.alter) {
            if (col.alter.alterType) {
              const type = columnType(col.method, col.args, tb.dialect);
              ops.push({ kind: 'alter-column-type', table, column: col.name, ...(type ? { type } : {}), span });
            }
            if (col.defaultKind !== 'none') ops.push({ kind: 'set-default', table, column: col.name, span });
            if (col.notNull === true) ops.push({ kind: 'set-not-null', table, column: col.name, span });
            else if (col.alter.alterNullable) ops.push({ kind: 'drop-not-null', table, column: col.name, span });
          } else {
            ops.push({ kind: 'add-column', table, column: columnInfo(col, tb.dialect, false), ifNotExists: false, span });
          }
        }
        columnSideOps(tb, col, ops);
        break;
      }
      case 'op':
        ops.push(act.op);
        break;
      case 'fk':
        ops.push(fkOp(tb, act.fk, tb.span(act.fk.start, act.fk.end)));
        break;
      case 'pk':
        if (tb.mode === 'alter') {
          ops.push({
            kind: 'add-constraint',
            table,
            name: act.name ?? `${table.name}_pkey`,
            constraint: 'primary-key',
            notNullColumns: act.columns,
            validated: true,
            span: tb.span(act.start, act.end),
          });
        }
        break;
    }
  }
  return ops;
}
