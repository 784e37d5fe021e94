/**
 * The schema as the engine knows it at one point of a migration chain: which tables exist, which
 * migration created them, their columns, and what earlier statements proved about those columns
 * (backfilled by an UPDATE, covered by a validated `CHECK (col IS NOT NULL)`).
 *
 * A table the chain never created is taken to exist already, with data: that is the safe
 * assumption for a linter that sees only part of a schema's history.
 */
import type { Operation, TableRef } from '../model.js';

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
  /** An UPDATE ... SET col = ... ran on it after it was added. */
  backfilled: boolean;
  /** A validated CHECK (col IS NOT NULL) covers it. */
  notNullCheck: boolean;
  /** Its type with modifiers as last declared in the chain (`varchar(20)`), when known. */
  type?: string;
}

export interface CheckState {
  readonly name?: string;
  readonly notNullColumns: string[];
  validated: boolean;
}

export interface TableState {
  name: string;
  readonly schema?: string;
  /** Migration id that created the table, or null when it predates the chain. */
  createdIn: string | null;
  /**
   * Rows were put in a table the chain created (CREATE TABLE ... AS, INSERT): it is new but not
   * empty. Tables that predate the chain are taken to have rows anyway.
   */
  hasRows: boolean;
  readonly columns: Map<string, ColumnState>;
  readonly checks: CheckState[];
}

export interface IndexState {
  readonly name: string;
  readonly table: TableRef;
  readonly createdIn: string;
}

function key(t: TableRef): string {
  return t.schema && t.schema !== 'public' ? `${t.schema}.${t.name}` : t.name;
}

export class SchemaState {
  private readonly tables = new Map<string, TableState>();
  private readonly indexes = new Map<string, IndexState>();
  /** Schemas the chain created: name → migration id. */
  private readonly schemas = new Map<string, string>();

  /** The table if the chain created it (or touched it) so far. */
  table(t: TableRef): TableState | undefined {
    return this.tables.get(key(t));
  }

  /** True when the table was created by `migrationId` itself: new, hence unused by the application yet. */
  isNewTable(t: TableRef, migrationId: string): boolean {
    return this.table(t)?.createdIn === migrationId;
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

  index(name: string): IndexState | undefined {
    return this.indexes.get(name);
  }

  clone(): SchemaState {
    const copy = new SchemaState();
    for (const [k, t] of this.tables) {
      copy.tables.set(k, {
        ...t,
        columns: new Map([...t.columns].map(([n, c]) => [n, { ...c }])),
        checks: t.checks.map((c) => ({ ...c, notNullColumns: [...c.notNullColumns] })),
      });
    }
    for (const [k, i] of this.indexes) copy.indexes.set(k, i);
    for (const [k, m] of this.schemas) copy.schemas.set(k, m);
    return copy;
  }

  /** Get the table's state, recording a pre-existing table the first time the chain touches it. */
  private touch(t: TableRef): TableState {
    let state = this.tables.get(key(t));
    if (!state) {
      state = { name: t.name, schema: t.schema, createdIn: null, hasRows: true, columns: new Map(), checks: [] };
      this.tables.set(key(t), state);
    }
    return state;
  }

  private touchColumn(t: TableRef, column: string): ColumnState {
    const table = this.touch(t);
    let c = table.columns.get(column);
    if (!c) {
      c = { name: column, notNull: false, hasDefault: false, filledOnAdd: false, createdIn: table.createdIn, backfilled: false, notNullCheck: false };
      table.columns.set(column, c);
    }
    return c;
  }

  /** Apply one operation of migration `migrationId`. */
  apply(op: Operation, migrationId: string): void {
    switch (op.kind) {
      case 'create-table': {
        if (op.ifNotExists && this.tables.get(key(op.table))) return;
        const columns = new Map<string, ColumnState>();
        for (const c of op.columns) {
          columns.set(c.name, {
            name: c.name,
            notNull: c.notNull,
            hasDefault: c.hasDefault,
            filledOnAdd: c.hasDefault,
            createdIn: migrationId,
            backfilled: false,
            notNullCheck: false,
            ...(c.fullType ?? c.type ? { type: c.fullType ?? c.type } : {}),
          });
        }
        this.tables.set(key(op.table), { name: op.table.name, schema: op.table.schema, createdIn: migrationId, hasRows: !!op.asSelect, columns, checks: [] });
        return;
      }
      case 'drop-table':
        this.tables.delete(key(op.table));
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
        this.tables.delete(key(op.table));
        t.name = op.to;
        this.tables.set(key({ schema: op.table.schema, name: op.to }), t);
        return;
      }
      case 'add-column': {
        const t = this.touch(op.table);
        if (op.ifNotExists && t.columns.has(op.column.name)) return;
        t.columns.set(op.column.name, {
          name: op.column.name,
          notNull: op.column.notNull,
          hasDefault: op.column.hasDefault,
          filledOnAdd: op.column.hasDefault,
          createdIn: migrationId,
          backfilled: false,
          notNullCheck: false,
          ...(op.column.fullType ?? op.column.type ? { type: op.column.fullType ?? op.column.type } : {}),
        });
        return;
      }
      case 'alter-column-type': {
        const type = op.fullType ?? op.type;
        const c = this.touchColumn(op.table, op.column);
        if (type) c.type = type;
        else delete c.type;
        return;
      }
      case 'drop-column':
        this.touch(op.table).columns.delete(op.column);
        return;
      case 'rename-column': {
        const t = this.touch(op.table);
        const c = this.touchColumn(op.table, op.column);
        t.columns.delete(op.column);
        t.columns.set(op.to, { ...c, name: op.to });
        return;
      }
      case 'set-not-null':
        this.touchColumn(op.table, op.column).notNull = true;
        return;
      case 'drop-not-null':
        this.touchColumn(op.table, op.column).notNull = false;
        return;
      case 'set-default':
        this.touchColumn(op.table, op.column).hasDefault = true;
        return;
      case 'insert':
        this.touch(op.table).hasRows = true;
        return;
      case 'update':
        // Every row gets the value only without a WHERE, or with `WHERE col IS NULL` for that
        // column; `WHERE id < 1000` leaves the other rows as they were.
        for (const c of op.columns) if (!op.hasWhere || op.nullOnly === c) this.touchColumn(op.table, c).backfilled = true;
        return;
      case 'add-constraint': {
        const t = this.touch(op.table);
        if (op.notNullColumns.length === 0) return;
        t.checks.push({ name: op.name, notNullColumns: [...op.notNullColumns], validated: op.validated });
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
        this.indexes.delete(op.name);
        return;
      default:
        return;
    }
  }
}
