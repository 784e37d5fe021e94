/**
 * The schema as the engine knows it at one point of a migration chain: which tables exist, which
 * migration created them, their columns, and what earlier statements proved about those columns
 * (backfilled by an UPDATE, covered by a validated `CHECK (col IS NOT NULL)`).
 *
 * A table the chain never created is taken to exist already, with data: that is the safe
 * assumption for a linter that sees only part of a schema's history.
 */
import type { ColumnInfo, Operation, Predicate, Span, TableRef, ValueInfo, Volatility } from '../model.js';
import { coversNulls, TRUE, UNKNOWN, versioned } from './backfill.js';

export interface ColumnState {
  readonly name: string;
  notNull: boolean;
  /** Has a DEFAULT now (it applies to rows inserted from then on). */
  hasDefault: boolean;
  /**
   * Every row got a value when the column was added (a DEFAULT, identity or serial in the ADD
   * COLUMN itself). A later SET DEFAULT leaves the rows that exist as they are.
   */
  filledOnAdd: boolean;
  /** Migration id that added the column, or null when it predates the chain. */
  createdIn: string | null;
  /** Never declared (CREATE TABLE, ADD COLUMN): known only because a statement used it. */
  inferred?: boolean;
  /** Filled by the database for every row (serial, identity, autoincrement, rowid, volatile DEFAULT). */
  generated?: boolean;
  /**
   * No row holds NULL any more: the UPDATEs that gave it non-null values (and the DELETEs) since
   * it was added together cover every row that was NULL (see src/engine/backfill.ts).
   */
  backfilled: boolean;
  /** Some UPDATE assigned the column (whether or not it is known to have filled every row). */
  updated?: boolean;
  /** WHERE clauses (versioned) of the statements that filled or removed rows, for `backfilled`. */
  fills?: Predicate[];
  /** A validated CHECK (col IS NOT NULL) covers it. */
  notNullCheck: boolean;
  /** Its type with modifiers as last declared in the chain (`varchar(20)`), when known. */
  type?: string;
  /** The migration that last renamed it, and the name it had when that migration began. */
  renamed?: { readonly migration: string; readonly from: string };
  /** The migration that last made it NOT NULL. */
  notNullSetIn?: string;
  /** An UPDATE without WHERE of this migration set it to another column's value as is (`SET a_new = a`). */
  copiedFrom?: { readonly migration: string; readonly column: string };
}

export interface CheckState {
  readonly name?: string;
  readonly notNullColumns: string[];
  validated: boolean;
  /** The condition (see src/engine/backfill.ts): no row makes it FALSE once validated. */
  readonly predicate?: Predicate;
}

/**
 * This table holds a copy of another table's rows (INSERT ... SELECT, CREATE TABLE ... AS), made
 * by the migration that created it: the rebuild pattern and its variants (src/engine/rebuild.ts).
 */
export interface CopyState {
  /** `id` of the table the rows first came from (through copies of copies). */
  readonly origin: number;
  /** That table's name when the migration began (what a user calls the table being rebuilt). */
  readonly originName: TableRef;
  /** Every row was copied (no WHERE, LIMIT, GROUP BY, DISTINCT). */
  readonly full: boolean;
  readonly filter?: string;
  /** The INSERT (or CREATE TABLE ... AS) that copied them. */
  readonly span: Span;
  /** Column of this table → the origin's column it holds. */
  readonly columns: Map<string, string>;
  /** The origin's columns at the time of the copy. */
  readonly originColumns: readonly string[];
  /** Not full, and every copy so far filtered by a WHERE alone: those WHEREs (see mergeCopy). */
  readonly wheres?: readonly Predicate[];
}

export interface TableState {
  /** Unique within a chain (kept by clone()). */
  readonly id: number;
  /** Name when the current migration began (undefined: created by it). */
  startName?: TableRef;
  copyOf?: CopyState;
  name: string;
  schema?: string;
  /** Migration id that created the table, or null when it predates the chain. */
  createdIn: string | null;
  /**
   * Rows were put in a table the chain created (CREATE TABLE ... AS, INSERT): it is new but not
   * empty. Tables that predate the chain are taken to have rows anyway.
   */
  hasRows: boolean;
  readonly columns: Map<string, ColumnState>;
  readonly checks: CheckState[];
  /** Postgres `PARTITION BY` parent; undefined when the chain did not create the table. */
  partitioned?: boolean;
  /** WHERE clauses (versioned) of DELETEs: they count for columns first seen afterwards too. */
  removed?: Predicate[];
  /** Version of each column an UPDATE assigned (see `versioned` in src/engine/backfill.ts). */
  versions?: Map<string, number>;
  /** A DELETE without WHERE or a TRUNCATE of this migration emptied it, and nothing was inserted since. */
  emptiedIn?: string;
  /** The relation is a view (or a materialized view) the chain created. */
  view?: 'view' | 'materialized';
  /** Columns the chain dropped or renamed away (until added again). */
  goneColumns?: Map<string, GoneInfo>;
}

/** A function the chain created (Postgres): its volatility as last declared (`written`: in so many words), and the migration that declared it. */
export interface ChainFunction {
  readonly volatility: Volatility;
  readonly written: boolean;
  readonly migration: string;
}

/** How the chain made a table, column or index go away: which migration, and what it did. */
export interface GoneInfo {
  readonly migration: string;
  /** `dropped`, or `renamed to "x"`. */
  readonly how: string;
}

export interface IndexState {
  readonly name: string;
  readonly table: TableRef;
  readonly createdIn: string;
}

/** The columns a predicate reads. */
function predicateColumns(p: Predicate): string[] {
  switch (p.kind) {
    case 'null-test':
    case 'compare':
      return [p.column];
    case 'and':
    case 'or':
      return p.args.flatMap(predicateColumns);
    case 'not':
      return predicateColumns(p.arg);
    default:
      return [];
  }
}

/*
 * Every table and column state is made by `tableState` / `columnState`, with all of its fields
 * (unset ones undefined), and no field is ever deleted: one object shape per kind. Optional fields
 * added in whatever order a chain sets them, and `delete`s (which turn an object into a
 * dictionary), made every read of a table or column by the state and the rules a megamorphic or
 * dictionary lookup: a fifth of the corpus' tables ended up as dictionaries.
 */

function tableState(id: number, name: string, schema: string | undefined, createdIn: string | null, hasRows: boolean, columns: Map<string, ColumnState>): TableState {
  return {
    id,
    startName: undefined,
    copyOf: undefined,
    name,
    schema,
    createdIn,
    hasRows,
    columns,
    checks: [],
    partitioned: undefined,
    removed: undefined,
    versions: undefined,
    emptiedIn: undefined,
    view: undefined,
    goneColumns: undefined,
  };
}

function columnState(name: string, notNull: boolean, hasDefault: boolean, createdIn: string | null): ColumnState {
  return {
    name,
    notNull,
    hasDefault,
    filledOnAdd: false,
    createdIn,
    inferred: undefined,
    generated: undefined,
    backfilled: false,
    updated: undefined,
    fills: undefined,
    notNullCheck: false,
    type: undefined,
    renamed: undefined,
    notNullSetIn: undefined,
    copiedFrom: undefined,
  };
}

/**
 * A column as a CREATE TABLE or ADD COLUMN of `migrationId` declares it (`generated`: its DEFAULT
 * fills every row by itself).
 */
function declaredColumn(c: ColumnInfo, migrationId: string, generated: boolean): ColumnState {
  const column = columnState(c.name, c.notNull, c.hasDefault, migrationId);
  column.filledOnAdd = c.hasDefault;
  if (generated) column.generated = true;
  const type = c.fullType ?? c.type;
  if (type) column.type = type;
  return column;
}

/** `predicateColumns` of a CHECK's condition, worked out once per condition (every UPDATE of the table asks). */
const checkColumnsOf = new WeakMap<Predicate, string[]>();
function checkColumns(p: Predicate): string[] {
  let columns = checkColumnsOf.get(p);
  if (!columns) checkColumnsOf.set(p, (columns = predicateColumns(p)));
  return columns;
}

function key(t: TableRef, fold: boolean): string {
  const k = t.schema && t.schema !== 'public' ? `${t.schema}.${t.name}` : t.name;
  return fold ? k.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : k;
}

export class SchemaState {
  /**
   * @param foldCase table names compare case-insensitively (SQLite folds ASCII letters of every
   * identifier, quoted or not); messages keep the names as written.
   */
  constructor(private readonly foldCase = false) {}

  private key(t: TableRef): string {
    return key(t, this.foldCase);
  }

  /** The same table, as this dialect compares names (`public.t` is `t`). */
  same(a: TableRef, b: TableRef): boolean {
    return this.key(a) === this.key(b);
  }

  private readonly tables = new Map<string, TableState>();
  private readonly indexes = new Map<string, IndexState>();
  /** Schemas the chain created: name → migration id. */
  private readonly schemas = new Map<string, string>();
  private nextId = 1;
  private migration: string | undefined;
  /**
   * Tables whose per-migration marks (a rename's start name, copyOf, emptiedIn) changed in the
   * current migration: the next migration resets only these (resetting every table per
   * migration made a long chain quadratic).
   */
  private marked = new Set<TableState>();
  /** Tables the chain dropped or renamed away, by key: they no longer exist (until created again). */
  private readonly gone = new Map<string, GoneInfo>();
  /** Indexes the chain dropped (until created again). */
  private readonly goneIndexes = new Map<string, GoneInfo>();
  /** Functions the chain created (Postgres), by name: the volatility last declared, and where. */
  private readonly functions = new Map<string, ChainFunction>();

  /** The table if the chain created it (or touched it) so far. */
  table(t: TableRef): TableState | undefined {
    return this.tables.get(this.key(t));
  }

  /** True when the table was created by `migrationId` itself: new, hence unused by the application yet. */
  isNewTable(t: TableRef, migrationId: string): boolean {
    return this.table(t)?.createdIn === migrationId;
  }

  /**
   * No row in it at this point of the migration: created by it and not filled yet, or emptied by
   * a DELETE without WHERE / TRUNCATE of it (inside the migration's transaction). Building an
   * index or validating a constraint on it takes no time, whatever lock it takes.
   */
  holdsNoRows(t: TableRef, migrationId: string): boolean {
    const table = this.table(t);
    return !!table && ((table.createdIn === migrationId && !table.hasRows) || table.emptiedIn === migrationId);
  }

  /** New (see `isNewTable`) and nothing put rows in it yet. */
  isNewEmptyTable(t: TableRef, migrationId: string): boolean {
    const table = this.table(t);
    return table?.createdIn === migrationId && !table.hasRows;
  }

  /** True when the schema was created by `migrationId` itself: everything in it is new too. */
  isNewSchema(name: string, migrationId: string): boolean {
    return this.schemas.get(name) === migrationId;
  }

  /** Tables the chain knows in a schema (`public` also holds the unqualified ones). */
  tablesIn(schema: string): TableState[] {
    return [...this.tables.values()].filter((t) => (t.schema ?? 'public') === schema);
  }

  column(t: TableRef, column: string): ColumnState | undefined {
    return this.table(t)?.columns.get(column);
  }

  /**
   * No row of the table holds NULL in `column`: it is backfilled, or (a column the chain has not
   * seen yet) DELETEs removed every row where it could.
   */
  noNullsLeft(t: TableRef, column: string): boolean {
    const table = this.table(t);
    if (!table) return false;
    const c = table.columns.get(column);
    if (c) return c.backfilled;
    return !!table.removed?.length && coversNulls(column, table.removed);
  }

  index(name: string): IndexState | undefined {
    return this.indexes.get(name);
  }

  /**
   * A copy to walk a down on (dropped afterwards). Copy-on-write: the two states share every
   * table until one of them changes it, and the one that does copies it first. Copying every
   * table for every down made a long chain with downs quadratic.
   */
  clone(): SchemaState {
    const copy = SchemaState.holding(this.snapshot());
    copy.shared = new Set(this.tables.values());
    for (const t of this.tables.values()) this.shared.add(t);
    copy.marked = new Set(this.marked);
    return copy;
  }

  /** A state with the snapshot's tables, indexes, schemas, drops and functions (the Maps copied, their entries not), its next id and migration. */
  private static holding(s: StateSnapshot): SchemaState {
    const state = new SchemaState(s.foldCase);
    for (const [k, t] of s.tables) state.tables.set(k, t);
    for (const [k, i] of s.indexes) state.indexes.set(k, i);
    for (const [k, m] of s.schemas) state.schemas.set(k, m);
    for (const [k, g] of s.gone) state.gone.set(k, g);
    for (const [k, g] of s.goneIndexes) state.goneIndexes.set(k, g);
    for (const [k, f] of s.functions) state.functions.set(k, f);
    state.nextId = s.nextId;
    state.migration = s.migration;
    return state;
  }

  /**
   * Everything this state holds, as plain data (Maps, Sets and plain objects), for `check
   * --cache` to keep between runs (src/cache/parse-cache.ts): `restore` of it, written and read
   * back, is this state. The data is this state's own, not a copy: write it out before the state
   * changes again.
   */
  snapshot(): StateSnapshot {
    return {
      foldCase: this.foldCase,
      tables: this.tables,
      indexes: this.indexes,
      schemas: this.schemas,
      nextId: this.nextId,
      migration: this.migration,
      marked: this.marked,
      gone: this.gone,
      goneIndexes: this.goneIndexes,
      functions: this.functions,
      shared: this.shared,
    };
  }

  /** The state a snapshot holds (its tables and other objects taken over, not copied); undefined when it is not one `snapshot` gave. */
  static restore(s: unknown): SchemaState | undefined {
    if (typeof s !== 'object' || s === null) return undefined;
    const v = s as Partial<Record<keyof StateSnapshot, unknown>>;
    const maps = [v.tables, v.indexes, v.schemas, v.gone, v.goneIndexes, v.functions];
    if (typeof v.foldCase !== 'boolean' || !Number.isInteger(v.nextId) || !(v.migration === undefined || typeof v.migration === 'string')) return undefined;
    if (!maps.every((m) => m instanceof Map) || !(v.marked instanceof Set) || !(v.shared instanceof Set)) return undefined;
    const snap = v as StateSnapshot;
    // What the walk reads without checking again: the objects of each kind have their fields.
    const tables = new Set(snap.tables.values());
    if (![...tables].every(isTableState) || ![...snap.marked, ...snap.shared].every((t) => tables.has(t))) return undefined;
    if (![...snap.indexes.values()].every((i) => isRecord(i) && typeof i.name === 'string' && isRecord(i.table) && typeof i.table.name === 'string')) return undefined;
    if (![...snap.gone.values(), ...snap.goneIndexes.values()].every(isGoneInfo) || ![...snap.schemas.values()].every((m) => typeof m === 'string')) return undefined;
    if (![...snap.functions.values()].every((f) => isRecord(f) && typeof f.migration === 'string' && typeof f.written === 'boolean' && (f.volatility === 'immutable' || f.volatility === 'stable' || f.volatility === 'volatile'))) return undefined;
    const state = SchemaState.holding(snap);
    state.marked = snap.marked;
    state.shared = snap.shared;
    return state;
  }

  /** Tables this state shares with a clone (or the state it was cloned from): copied before a change. */
  private shared = new Set<TableState>();

  /** `t` (at `key`), safe to change: a shared table is replaced by its own copy first. */
  private writable(key: string, t: TableState): TableState {
    if (!this.shared.delete(t)) return t;
    const columns = new Map<string, ColumnState>();
    for (const [n, col] of t.columns) {
      const copy = { ...col };
      if (col.fills) copy.fills = [...col.fills];
      columns.set(n, copy);
    }
    const c: TableState = { ...t, columns, checks: t.checks.map((ch) => ({ ...ch, notNullColumns: [...ch.notNullColumns] })) };
    if (t.versions) c.versions = new Map(t.versions);
    if (t.removed) c.removed = [...t.removed];
    if (t.goneColumns) c.goneColumns = new Map(t.goneColumns);
    this.tables.set(key, c);
    if (this.marked.delete(t)) this.marked.add(c);
    return c;
  }

  /** Get the table's state, recording a pre-existing table the first time the chain touches it. */
  private touch(t: TableRef): TableState {
    const key = this.key(t);
    const known = this.tables.get(key);
    if (known) return this.writable(key, known);
    const state = tableState(this.nextId++, t.name, t.schema, null, true, new Map());
    state.startName = { ...t };
    this.tables.set(key, state);
    return state;
  }

  private touchColumn(t: TableRef, column: string): ColumnState {
    return this.columnIn(this.touch(t), column);
  }

  /** `touchColumn` on a table already made writable (`touch`). */
  private columnIn(table: TableState, column: string): ColumnState {
    let c = table.columns.get(column);
    if (!c) {
      c = columnState(column, false, false, table.createdIn);
      c.inferred = true;
      // A column first seen now existed all along: rows deleted earlier are gone from it too.
      if (table.removed?.length) {
        c.fills = [...table.removed];
        c.backfilled = coversNulls(column, c.fills);
      }
      table.columns.set(column, c);
    }
    return c;
  }

  /**
   * An UPDATE fills the rows its WHERE matches with the values it assigns; a column is backfilled
   * once the fills (and deletes) since it was added cover every row that held NULL.
   */
  private applyUpdate(op: Extract<Operation, { kind: 'update' }>): void {
    const table = this.touch(op.table);
    const legacy: Predicate = !op.hasWhere ? TRUE : op.nullOnly ? { kind: 'null-test', column: op.nullOnly, negated: false } : UNKNOWN;
    const where = versioned(op.where ?? legacy, (c) => table.versions?.get(c) ?? 0);
    for (const name of op.columns) {
      const column = this.columnIn(table, name);
      column.updated = true;
      const from = op.copies?.[name];
      if (from !== undefined && !op.hasWhere && this.migration !== undefined) column.copiedFrom = { migration: this.migration, column: from };
      else column.copiedFrom = undefined;
      const value: ValueInfo | null = op.values ? (op.values[name] ?? null) : { nonNullIf: [] };
      const nonNull = value !== null && value.nonNullIf.every((c) => this.knownNotNull(table, c));
      if (!nonNull) {
        // Some rows may get NULL: what was proven before may no longer hold.
        column.fills = [];
        column.backfilled = false;
        continue;
      }
      (column.fills ??= []).push(where);
      if (!column.backfilled) column.backfilled = coversNulls(name, [...column.fills, ...this.impossibleRows(table, column.fills)]);
    }
    // The assigned columns hold new values: later WHERE clauses on them read other data.
    for (const name of op.columns) (table.versions ??= new Map()).set(name, (table.versions.get(name) ?? 0) + 1);
  }

  /**
   * Rows that cannot exist, as predicates TRUE on them (so they may join any cover): those a
   * validated CHECK forbids (its condition FALSE on the current values; a CHECK that is NULL on a
   * row lets it exist, and NOT NULL is NULL there), and those with NULL in a NOT NULL column.
   */
  private impossibleRows(table: TableState, covers: readonly Predicate[]): Predicate[] {
    // Only about the columns the covers read (each extra column multiplies the cases to try).
    const read = new Set(covers.flatMap(predicateColumns));
    const version = (col: string): number => table.versions?.get(col) ?? 0;
    // A predicate reads `col#<version now>` once versioned: tested before building it.
    const readNow = (col: string): boolean => read.has(`${col}#${version(col)}`);
    const out: Predicate[] = [];
    for (const c of table.checks) {
      if (c.validated && c.predicate && checkColumns(c.predicate).some(readNow)) out.push({ kind: 'not', arg: versioned(c.predicate, version) });
    }
    // A NOT NULL column is never NULL: `col IS NULL` is FALSE on every row that exists. Looked up
    // by the columns read (a table of the chain gathers many columns); the order of the covers
    // does not change what they cover.
    for (const name of read) {
      const col = name.slice(0, name.lastIndexOf('#'));
      const c = table.columns.get(col);
      if (c && (c.notNull || c.notNullCheck) && name === `${col}#${version(col)}`) out.push({ kind: 'null-test', column: name, negated: false });
    }
    return out;
  }

  /**
   * Rows go into the table. An INSERT ... SELECT from another table into a table this migration
   * created records the copy: which rows (all, or filtered) and which columns it carries.
   */
  private applyInsert(op: Extract<Operation, { kind: 'insert' }>, migrationId: string): void {
    const target = this.touch(op.table);
    target.hasRows = true;
    target.emptiedIn = undefined;
    if (!op.fromTable || !op.selectColumns || target.createdIn !== migrationId) return;
    const source = this.touch(op.fromTable);
    if (source === target) return;
    if (target.copyOf) {
      this.mergeCopy(target.copyOf, target, op, source);
      return;
    }
    const sourceColumns = [...source.columns.keys()];
    // Expand `*` to the source's columns, where they are known.
    const items: string[] = op.selectColumns.flatMap((c) => (c === '*' ? (sourceColumns.length > 0 ? sourceColumns : ['*']) : [c]));
    if (items.includes('*')) return;
    // CREATE TABLE ... AS SELECT: the new table gets the selected columns, nullable, holding the
    // same data (so the same proofs about NULLs).
    if (target.columns.size === 0 && op.columns === null) {
      for (const c of items) {
        const from = source.columns.get(c);
        const column = columnState(c, false, false, migrationId);
        column.backfilled = !!from && (from.notNull || from.notNullCheck || from.backfilled);
        target.columns.set(c, column);
      }
    }
    const targetColumns = op.columns ?? [...target.columns.keys()];
    const columns = new Map<string, string>();
    const toOrigin = (c: string): string | undefined => (source.copyOf ? source.copyOf.columns.get(c) : c);
    items.forEach((c, i) => {
      const t = targetColumns[i];
      const o = c === '?' ? undefined : toOrigin(c);
      if (t !== undefined && o !== undefined) columns.set(t, o);
    });
    const originName = source.copyOf?.originName ?? source.startName ?? { ...(source.schema ? { schema: source.schema } : {}), name: source.name };
    this.marked.add(target);
    target.copyOf = {
      origin: source.copyOf?.origin ?? source.id,
      originName,
      full: op.filter === undefined && (source.copyOf?.full ?? true),
      ...(op.filter !== undefined && op.filterWhere && !source.copyOf ? { wheres: [op.filterWhere] } : {}),
      ...(op.filter !== undefined ? { filter: op.filter } : source.copyOf?.filter !== undefined ? { filter: source.copyOf.filter } : {}),
      span: op.span,
      columns,
      originColumns: source.copyOf ? source.copyOf.originColumns : sourceColumns,
    };
  }

  /**
   * A second copy of the same rows into the table: `INSERT ... SELECT ... WHERE name = 'everyone'`
   * then `... WHERE name <> 'everyone'`. The copies together hold every row when their WHEREs
   * cover every row (a NOT NULL column of the source is never NULL, so `name = x` and
   * `name <> x` are complementary there); an unfiltered copy holds them all.
   */
  private mergeCopy(copy: CopyState, target: TableState, op: Extract<Operation, { kind: 'insert' }>, source: TableState): void {
    if (copy.full || source.copyOf || copy.origin !== source.id) return;
    let merged: CopyState;
    if (op.filter === undefined) {
      const { filter: _f, wheres: _w, ...rest } = copy;
      merged = { ...rest, full: true };
    } else if (copy.wheres && op.filterWhere) {
      const wheres = [...copy.wheres, op.filterWhere];
      const now = wheres.map((p) => versioned(p, (col) => source.versions?.get(col) ?? 0));
      if (coversNulls('\u0000row', [...now, ...this.impossibleRows(source, now)])) {
        const { filter: _f, wheres: _w, ...rest } = copy;
        merged = { ...rest, full: true };
      } else merged = { ...copy, wheres };
    } else {
      const { wheres: _w, ...rest } = copy;
      merged = rest;
    }
    target.copyOf = merged;
    this.marked.add(target);
  }

  /**
   * Tables that may hold a copy (`copyOf`): every one that does is among them (copies are made and
   * merged on marked tables only, and are cleared with the marks). A few, where `allTables` is
   * every table of the chain.
   */
  mayHoldCopies(): Iterable<TableState> {
    return this.marked;
  }

  /** Every table the chain knows at this point. */
  allTables(): TableState[] {
    return [...this.tables.values()];
  }

  /** A table with this id, if it still exists. */
  tableById(id: number): TableState | undefined {
    for (const t of this.tables.values()) if (t.id === id) return t;
    return undefined;
  }

  /** The chain dropped or renamed this table away earlier (and did not create it again). */
  isGone(t: TableRef): boolean {
    return this.goneTable(t) !== undefined;
  }

  /** How the chain made this table go away, if it did (and did not create it again). */
  goneTable(t: TableRef): GoneInfo | undefined {
    return this.tables.has(this.key(t)) ? undefined : this.gone.get(this.key(t));
  }

  /** How the chain made this column of a table it knows go away, if it did (and did not add it again). */
  goneColumn(t: TableRef, column: string): GoneInfo | undefined {
    const table = this.table(t);
    return table && !table.columns.has(column) ? table.goneColumns?.get(column) : undefined;
  }

  /** How the chain made this index go away, if it did (and did not create it again). */
  goneIndex(name: string): GoneInfo | undefined {
    return this.indexes.has(name) ? undefined : this.goneIndexes.get(name);
  }

  /** A function the chain created: its volatility as last declared, and the migration that declared it. */
  chainFunction(name: string): ChainFunction | undefined {
    return this.functions.get(name);
  }

  /** Rows matching `where` are gone: for every column, they no longer hold NULL. */
  private removeRows(t: TableRef, where: Predicate): void {
    const table = this.touch(t);
    if (where.kind === 'const' && where.value === true && this.migration !== undefined) {
      table.emptiedIn = this.migration;
      this.marked.add(table);
    }
    const w = versioned(where, (c) => table.versions?.get(c) ?? 0);
    (table.removed ??= []).push(w);
    for (const [name, column] of table.columns) {
      (column.fills ??= []).push(w);
      if (!column.backfilled) column.backfilled = coversNulls(name, column.fills);
    }
  }

  /** The column holds no NULL: declared NOT NULL, proven by a check, or backfilled. */
  private knownNotNull(table: TableState, name: string): boolean {
    const c = table.columns.get(name);
    return !!c && (c.notNull || c.notNullCheck || c.backfilled);
  }

  /** Apply one operation of migration `migrationId`. */
  apply(op: Operation, migrationId: string): void {
    if (this.migration !== migrationId) {
      // A new migration: what each table is called now is what its rebuild will be named after.
      this.migration = migrationId;
      // A copy an earlier migration made is history now: the table is an ordinary table.
      for (const marked of [...this.marked]) {
        const t = this.writable(this.key(marked), marked);
        t.startName = { ...(t.schema ? { schema: t.schema } : {}), name: t.name };
        t.copyOf = undefined;
        t.emptiedIn = undefined;
      }
      this.marked.clear();
    }
    switch (op.kind) {
      case 'create-table': {
        if (op.ifNotExists && this.tables.get(this.key(op.table))) return;
        const columns = new Map<string, ColumnState>();
        // LIKE other: its columns (NOT NULL always comes along; a DEFAULT only fills new rows).
        for (const like of op.like ?? []) {
          for (const c of this.tables.get(this.key(like))?.columns.values() ?? []) {
            columns.set(c.name, columnState(c.name, c.notNull, false, migrationId));
          }
        }
        for (const c of op.columns) columns.set(c.name, declaredColumn(c, migrationId, c.hasDefault && !c.constantDefault));
        this.gone.delete(this.key(op.table));
        const table = tableState(this.nextId++, op.table.name, op.table.schema, migrationId, !!op.asSelect, columns);
        table.partitioned = op.partitioned;
        this.tables.set(this.key(op.table), table);
        return;
      }
      case 'drop-table':
        if (this.tables.delete(this.key(op.table)) || !op.ifExists) this.gone.set(this.key(op.table), { migration: migrationId, how: 'dropped' });
        return;
      case 'create-view':
        // A view (re)created here is new to everyone: an index on a materialized one blocks nobody.
        // CREATE OR REPLACE VIEW of an existing view keeps it as it was.
        if (op.orReplace && this.tables.get(this.key(op.table))) return;
        const view = tableState(this.nextId++, op.table.name, op.table.schema, migrationId, op.materialized, new Map());
        view.view = op.materialized ? 'materialized' : 'view';
        this.tables.set(this.key(op.table), view);
        return;
      case 'other':
        if (op.function) this.functions.set(op.function.name, { volatility: op.function.volatility, written: op.function.written, migration: migrationId });
        return;
      case 'create-schema':
        if (op.ifNotExists && this.schemas.has(op.name)) return;
        this.schemas.set(op.name, migrationId);
        return;
      case 'drop-schema':
        this.schemas.delete(op.name);
        for (const [k, t] of this.tables) if ((t.schema ?? 'public') === op.name) this.tables.delete(k);
        for (const [k, i] of this.indexes) if ((i.table.schema ?? 'public') === op.name) this.indexes.delete(k);
        return;
      case 'rename-table': {
        const t = this.touch(op.table);
        const to: TableRef = { ...((op.toSchema ?? op.table.schema) ? { schema: op.toSchema ?? op.table.schema } : {}), name: op.to };
        this.tables.delete(this.key(op.table));
        this.gone.set(this.key(op.table), { migration: migrationId, how: `renamed to "${op.to}"` });
        this.gone.delete(this.key(to));
        // The start name this migration's rebuilds are named after (what a reset would have set).
        t.startName ??= { ...(t.schema ? { schema: t.schema } : {}), name: t.name };
        this.marked.add(t);
        t.name = op.to;
        if (op.toSchema !== undefined) t.schema = op.toSchema;
        this.tables.set(this.key(to), t);
        return;
      }
      case 'add-column': {
        const t = this.touch(op.table);
        if (op.ifNotExists && t.columns.has(op.column.name)) return;
        t.columns.set(op.column.name, declaredColumn(op.column, migrationId, false));
        return;
      }
      case 'alter-column-type': {
        const type = op.fullType ?? op.type;
        const c = this.touchColumn(op.table, op.column);
        if (type) c.type = type;
        else c.type = undefined;
        return;
      }
      case 'drop-column': {
        const t = this.touch(op.table);
        if (t.columns.delete(op.column) || !op.ifExists) (t.goneColumns ??= new Map()).set(op.column, { migration: migrationId, how: 'dropped' });
        return;
      }
      case 'rename-column': {
        const t = this.touch(op.table);
        const c = this.touchColumn(op.table, op.column);
        t.columns.delete(op.column);
        // Renamed twice in one migration: the name it had before the migration is the first one.
        const renamed = c.renamed?.migration === migrationId ? c.renamed : { migration: migrationId, from: op.column };
        t.columns.set(op.to, { ...c, name: op.to, renamed });
        (t.goneColumns ??= new Map()).set(op.column, { migration: migrationId, how: `renamed to "${op.to}"` });
        return;
      }
      case 'set-not-null': {
        const c = this.touchColumn(op.table, op.column);
        c.notNull = true;
        c.notNullSetIn = migrationId;
        return;
      }
      case 'drop-not-null':
        this.touchColumn(op.table, op.column).notNull = false;
        return;
      case 'set-default':
        this.touchColumn(op.table, op.column).hasDefault = true;
        return;
      case 'insert':
        this.applyInsert(op, migrationId);
        return;
      case 'update':
        this.applyUpdate(op);
        return;
      case 'delete':
        this.removeRows(op.table, op.where ?? (op.hasWhere ? UNKNOWN : TRUE));
        return;
      case 'truncate':
        for (const t of op.tables) this.removeRows(t, TRUE);
        return;
      case 'add-constraint': {
        const t = this.touch(op.table);
        if (op.notNullColumns.length === 0 && !op.check) return;
        t.checks.push({ name: op.name, notNullColumns: [...op.notNullColumns], validated: op.validated, predicate: op.check });
        if (op.validated) for (const c of op.notNullColumns) this.touchColumn(op.table, c).notNullCheck = true;
        return;
      }
      case 'validate-constraint': {
        const t = this.touch(op.table);
        for (const check of t.checks) {
          if (check.name !== op.name) continue;
          check.validated = true;
          for (const c of check.notNullColumns) this.touchColumn(op.table, c).notNullCheck = true;
        }
        return;
      }
      case 'drop-constraint': {
        const t = this.touch(op.table);
        const i = t.checks.findIndex((c) => c.name === op.name);
        if (i >= 0) {
          for (const c of t.checks[i]!.notNullColumns) {
            const col = t.columns.get(c);
            if (col) col.notNullCheck = false;
          }
          t.checks.splice(i, 1);
        }
        return;
      }
      case 'create-index':
        if (op.name) this.indexes.set(op.name, { name: op.name, table: op.table, createdIn: migrationId });
        return;
      case 'drop-index':
        if (this.indexes.delete(op.name) || !op.ifExists) this.goneIndexes.set(op.name, { migration: migrationId, how: 'dropped' });
        return;
      default:
        return;
    }
  }
}

// The shapes SchemaState.restore requires of a snapshot's objects (a cache edited by hand may
// hold anything that is JSON).
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

function isGoneInfo(v: unknown): boolean {
  return isRecord(v) && typeof v.migration === 'string' && typeof v.how === 'string';
}

function isTableState(v: unknown): v is TableState {
  if (!isRecord(v) || typeof v.id !== 'number' || typeof v.name !== 'string' || typeof v.hasRows !== 'boolean' || !Array.isArray(v.checks) || !(v.columns instanceof Map)) return false;
  if (!(v.createdIn === null || typeof v.createdIn === 'string') || !(v.schema === undefined || typeof v.schema === 'string')) return false;
  if (!(v.versions === undefined || v.versions instanceof Map) || !(v.goneColumns === undefined || (v.goneColumns instanceof Map && [...v.goneColumns.values()].every(isGoneInfo)))) return false;
  if (!(v.removed === undefined || Array.isArray(v.removed)) || !v.checks.every((c) => isRecord(c) && Array.isArray(c.notNullColumns) && typeof c.validated === 'boolean')) return false;
  if (!(v.copyOf === undefined || (isRecord(v.copyOf) && v.copyOf.columns instanceof Map && Array.isArray(v.copyOf.originColumns) && isRecord(v.copyOf.span)))) return false;
  for (const [name, c] of v.columns) {
    if (typeof name !== 'string' || !isRecord(c) || typeof c.name !== 'string' || typeof c.notNull !== 'boolean' || typeof c.backfilled !== 'boolean') return false;
    if (!(c.fills === undefined || Array.isArray(c.fills))) return false;
  }
  return true;
}

/** What `SchemaState.snapshot` gives. */
export interface StateSnapshot {
  readonly foldCase: boolean;
  readonly tables: ReadonlyMap<string, TableState>;
  readonly indexes: ReadonlyMap<string, IndexState>;
  readonly schemas: ReadonlyMap<string, string>;
  readonly nextId: number;
  readonly migration: string | undefined;
  readonly marked: Set<TableState>;
  readonly gone: ReadonlyMap<string, GoneInfo>;
  readonly goneIndexes: ReadonlyMap<string, GoneInfo>;
  readonly functions: ReadonlyMap<string, ChainFunction>;
  readonly shared: Set<TableState>;
}
