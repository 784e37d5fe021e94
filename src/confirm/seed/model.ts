/** What the seeder knows about a table, from catalog introspection (Postgres or SQLite). */

export type ColType =
  | { readonly k: 'int'; readonly min: bigint; readonly max: bigint }
  | { readonly k: 'numeric'; readonly precision?: number; readonly scale?: number }
  | { readonly k: 'float'; readonly bits: 32 | 64 }
  | { readonly k: 'text'; readonly max?: number }
  | { readonly k: 'char'; readonly n: number }
  | { readonly k: 'bool' }
  | { readonly k: 'date' }
  | { readonly k: 'time'; readonly tz: boolean }
  | { readonly k: 'timestamp'; readonly tz: boolean }
  | { readonly k: 'interval' }
  | { readonly k: 'uuid' }
  /** `shape`: what the chain keeps there (seed/json-shapes.ts); absent, JSON of any kind. */
  | { readonly k: 'json'; readonly shape?: 'array' | 'object' }
  | { readonly k: 'bytes' }
  | { readonly k: 'enum'; readonly labels: readonly string[] }
  | { readonly k: 'inet' }
  | { readonly k: 'cidr' }
  | { readonly k: 'macaddr' }
  | { readonly k: 'money' }
  | { readonly k: 'bit'; readonly n: number; readonly varying: boolean }
  | { readonly k: 'xml' }
  | { readonly k: 'tsvector' }
  | { readonly k: 'point' }
  | { readonly k: 'range'; readonly sub: ColType }
  | { readonly k: 'array'; readonly elem: ColType }
  | { readonly k: 'unknown'; readonly name: string };

export interface ColumnInfo {
  readonly name: string;
  readonly type: ColType;
  /** The type as SQL spells it (Postgres format_type; SQLite declared type). */
  readonly sqlType: string;
  readonly notNull: boolean;
  /** Filled by the database when omitted: DEFAULT, identity, serial, rowid alias. */
  readonly hasDefault: boolean;
  /** The default is a constant (not nextval/identity/a function): unique columns still get values. */
  readonly constantDefault: boolean;
  /** Generated column or identity ALWAYS: never inserted. */
  readonly neverInsert: boolean;
  /** CHECK expressions of a domain over the column's type, with VALUE for the value. */
  readonly domainChecks?: readonly string[];
}

export interface ForeignKey {
  readonly columns: readonly string[];
  readonly parent: string; // table key
  readonly parentColumns: readonly string[];
}

export interface TableInfo {
  readonly key: string; // 'public.users' / 'users'
  readonly schema?: string;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  /** PRIMARY KEY, UNIQUE constraints and plain unique indexes: column-name sets. */
  readonly uniques: readonly (readonly string[])[];
  readonly fks: readonly ForeignKey[];
  /** CHECK expressions (without the CHECK keyword). */
  readonly checks: readonly string[];
  /** Why the table cannot be seeded at all (a view, a virtual table...). */
  readonly notSeedable?: string;
}
