/**
 * The shared vocabulary of migralint: source files and spans, migration sets and migrations,
 * normalized operations, findings. Every stage of the pipeline
 * (discover → load → parse → lint → confirm → report) speaks in these types.
 *
 * Offsets in spans are UTF-16 string indices into `SourceFile.text`; only the reporters turn
 * them into 1-based lines and columns.
 */

export type Dialect = 'postgres' | 'sqlite' | 'mysql';
export const DIALECTS: readonly Dialect[] = ['postgres', 'sqlite', 'mysql'];

export type FormatId =
  | 'sql'
  | 'dbmate'
  | 'goose'
  | 'sql-migrate'
  | 'golang-migrate'
  | 'diesel'
  | 'prisma'
  | 'flyway'
  | 'drizzle'
  | 'knex';

export const FORMATS: readonly FormatId[] = [
  'sql',
  'dbmate',
  'goose',
  'sql-migrate',
  'golang-migrate',
  'diesel',
  'prisma',
  'flyway',
  'drizzle',
  'knex',
];

export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the working directory, with forward slashes (what users and SARIF see). */
  readonly relPath: string;
  readonly text: string;
  /**
   * The file began with a UTF-8 byte order mark, stripped from `text`. GitHub's line hashes are
   * computed over the file as stored, BOM included (see src/report/fingerprint.ts).
   */
  readonly bom?: boolean;
}

export interface Span {
  readonly file: SourceFile;
  /** Inclusive start, UTF-16 index into file.text. */
  readonly start: number;
  /** Exclusive end. */
  readonly end: number;
}

/** A part of a file holding the SQL of one direction of a migration. */
export interface Section {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

/**
 * Does the framework wrap the migration in a transaction?
 * `unknown` where the framework leaves it to the driver or the user.
 */
export type TransactionMode = 'transaction' | 'none' | 'unknown';

export type DownState =
  /** Down SQL is present (it may still be empty: see `Migration.down`). */
  | 'present'
  /** The format supports downs and this migration has none. */
  | 'missing'
  /** The format has no down migrations at all (plain SQL, Prisma, Drizzle). */
  | 'unsupported';

export interface Migration {
  /** Stable id within its set: the framework's version or file name. */
  readonly id: string;
  /** Human name: the file or folder name the user knows it by. */
  readonly name: string;
  readonly dialect: Dialect;
  readonly transaction: TransactionMode;
  /** The file the migration is known by (the up file where up and down are split). */
  readonly file: SourceFile;
  readonly up: Section | null;
  readonly downState: DownState;
  readonly down: Section | null;
  /**
   * Statements already lowered by the source (Knex); SQL sources leave this undefined and the
   * parser fills it from the sections.
   */
  readonly upStatements?: Statement[];
  readonly downStatements?: Statement[];
  /** Findings the loader itself produced (malformed markers, journal mismatches, ...). */
  readonly loadFindings?: RawFinding[];
}

export interface MigrationSet {
  readonly format: FormatId;
  readonly dialect: Dialect;
  /** Directory (or the single file) the set was found at, relative to cwd. */
  readonly root: string;
  readonly migrations: Migration[];
  /** Findings about the set as a whole. */
  readonly findings: RawFinding[];
  /**
   * Set when the set was reached through file arguments only: it is linted whole, for the
   * chain's context, but only findings in these files (absolute paths) and in their migrations
   * are reported.
   */
  focus?: ReadonlySet<string>;
  /** Nothing in the project named or implied the dialect: it was assumed (the run says so). */
  dialectAssumed?: boolean;
  /**
   * Set under `--changed-since REF` (src/changed/): how the set's files differ from the merge
   * base with REF. Read by `no-modified-migration` and `no-out-of-order`.
   */
  changes?: SetChanges;
}

/** How a migration set's files differ from the merge base of `--changed-since REF` and HEAD. */
export interface SetChanges {
  /** REF as the user wrote it. */
  readonly ref: string;
  /** Files (absolute paths, as in the set) added or modified since the base; others existed unchanged. */
  readonly files: ReadonlyMap<string, FileChange>;
}

export interface FileChange {
  readonly status: 'added' | 'modified';
  /** The file's text at the base (modified and renamed files). */
  readonly baseText?: string;
  /** Its path at the base, relative to the top of the repository, when it was renamed. */
  readonly renamedFrom?: string;
}

/** A table reference as written (schema optional), already folded the way the dialect folds. */
export interface TableRef {
  readonly schema?: string;
  readonly name: string;
}

export interface ColumnInfo {
  readonly name: string;
  readonly type?: string;
  readonly notNull: boolean;
  /** Has a DEFAULT clause (or is generated/identity/serial, which fill every row). */
  readonly hasDefault: boolean;
  /** The DEFAULT is a constant (no volatile function), so Postgres 11+ adds it without a rewrite. */
  readonly constantDefault: boolean;
  readonly primaryKey?: boolean;
  /** The type with its modifiers, normalized (`varchar(20)`, `numeric(10,2)`, `int4`), where known. */
  readonly fullType?: string;
  /** A column constraint makes it UNIQUE (`ADD COLUMN c text UNIQUE`). */
  readonly unique?: boolean;
  /** A column constraint makes it a foreign key (`REFERENCES other (id)`). */
  readonly references?: boolean;
  /** Where the type is written in the file (Postgres CREATE TABLE / ADD COLUMN): the fixes that rewrite a type start there. */
  readonly typeAt?: number;
}

interface OpBase {
  /** The most precise span for a finding about this operation. */
  readonly span: Span;
  /**
   * It may not run: it sits in a branch decided at run time (a PL/pgSQL IF, CASE, loop or
   * exception handler; a Knex `if` whose test is known only at run time, such as the result of
   * `hasColumn()`). Rules that say the statement fails against the known schema skip it; rules
   * about what it does when it runs do not.
   */
  readonly conditional?: boolean;
}

export type Operation =
  | (OpBase & {
      kind: 'create-table';
      table: TableRef;
      columns: ColumnInfo[];
      ifNotExists: boolean;
      temporary?: boolean;
      asSelect?: boolean;
      /** Postgres `PARTITION BY`: a partitioned parent (set only where the parser knows). */
      partitioned?: boolean;
      /** `CREATE TABLE t (LIKE other ...)`: tables whose columns it copies (before its own). */
      like?: TableRef[];
    })
  | (OpBase & { kind: 'drop-table'; table: TableRef; ifExists: boolean; cascade: boolean })
  /** CREATE [MATERIALIZED] VIEW: a new relation (a materialized one holds rows and takes indexes). */
  | (OpBase & { kind: 'create-view'; table: TableRef; materialized: boolean; orReplace: boolean })
  | (OpBase & { kind: 'truncate'; tables: TableRef[]; cascade: boolean })
  /** CREATE SCHEMA (Postgres); `name` as folded. */
  | (OpBase & { kind: 'create-schema'; name: string; ifNotExists: boolean })
  /** DROP SCHEMA (Postgres): with CASCADE it drops every table in it. */
  | (OpBase & { kind: 'drop-schema'; name: string; ifExists: boolean; cascade: boolean })
  /** RENAME TO (`to`), or a move to another schema (`ALTER TABLE ... SET SCHEMA`: `toSchema`, same name). */
  | (OpBase & { kind: 'rename-table'; table: TableRef; to: string; toSchema?: string })
  | (OpBase & { kind: 'add-column'; table: TableRef; column: ColumnInfo; ifNotExists: boolean })
  | (OpBase & { kind: 'drop-column'; table: TableRef; column: string; ifExists: boolean; cascade: boolean })
  | (OpBase & { kind: 'rename-column'; table: TableRef; column: string; to: string })
  | (OpBase & { kind: 'set-not-null'; table: TableRef; column: string })
  | (OpBase & { kind: 'drop-not-null'; table: TableRef; column: string })
  | (OpBase & { kind: 'set-default'; table: TableRef; column: string })
  | (OpBase & {
      kind: 'alter-column-type';
      table: TableRef;
      column: string;
      type?: string;
      /** The new type with its modifiers, normalized (see `ColumnInfo.fullType`). */
      fullType?: string;
      /** A `USING` expression other than the bare column (which forces a rewrite). */
      usingExpr?: boolean;
    })
  | (OpBase & {
      kind: 'create-index';
      table: TableRef;
      name?: string;
      unique: boolean;
      concurrently: boolean;
      ifNotExists: boolean;
      /**
       * `ON ONLY` (Postgres): on a partitioned table, an empty index on the parent alone, built
       * instantly; its partitions' indexes are built (concurrently) and attached on their own.
       */
      only?: boolean;
      columns: string[];
      /** MySQL `ALGORITHM=` / `LOCK=` options, upper-cased. */
      algorithm?: string;
      lock?: string;
      /** MySQL FULLTEXT / SPATIAL index: InnoDB cannot build these with LOCK=NONE. */
      indexType?: 'fulltext' | 'spatial';
    })
  | (OpBase & { kind: 'drop-index'; name: string; table?: TableRef; concurrently: boolean; ifExists: boolean })
  | (OpBase & {
      kind: 'add-constraint';
      table: TableRef;
      name?: string;
      constraint: 'check' | 'foreign-key' | 'unique' | 'primary-key' | 'exclusion' | 'not-null' | 'other';
      /** Columns the constraint proves NOT NULL (a `CHECK (col IS NOT NULL)`). */
      notNullColumns: string[];
      /** A CHECK's condition over the table's columns, as far as the parser reads it. */
      check?: Predicate;
      /** False for `NOT VALID`. */
      validated: boolean;
      /** `UNIQUE/PRIMARY KEY USING INDEX idx`: attaches an index built before. */
      usingIndex?: string;
    })
  | (OpBase & { kind: 'validate-constraint'; table: TableRef; name: string })
  | (OpBase & { kind: 'drop-constraint'; table: TableRef; name: string })
  | (OpBase & {
      kind: 'update';
      table: TableRef;
      columns: string[];
      hasWhere: boolean;
      /** The column named by a WHERE that is exactly `col IS NULL` (the usual full backfill). */
      nullOnly?: string;
      /** The WHERE clause as far as the parser could read it (absent: read `hasWhere`/`nullOnly`). */
      where?: Predicate;
      /**
       * What each assigned column gets, by column: `null` where the value may be NULL. Absent for
       * sources that do not say (a value is then taken to be non-null).
       */
      values?: Readonly<Record<string, ValueInfo | null>>;
      /** Assigned column → the column of the same table whose value it takes as is (`SET a_new = a`). */
      copies?: Readonly<Record<string, string>>;
    })
  | (OpBase & {
      kind: 'insert';
      table: TableRef;
      columns: string[] | null;
      /** `INSERT ... SELECT ... FROM t` (the leftmost table of a join): whose rows are copied. */
      fromTable?: TableRef;
      /** Per select item, the column of `fromTable` it carries (`*` for all, `?` for none). */
      selectColumns?: string[] | null;
      /** Per select item, whether its value can be NULL (see ValueInfo), where the parser says. */
      selectValues?: (ValueInfo | null)[];
      /** The copy keeps only some rows: the WHERE / LIMIT / GROUP BY it has, as written. */
      filter?: string;
      /** The filter when it is only a WHERE over `fromTable`'s columns, as a predicate. */
      filterWhere?: Predicate;
    })
  | (OpBase & { kind: 'delete'; table: TableRef; hasWhere: boolean; where?: Predicate })
  | (OpBase & { kind: 'transaction'; action: 'begin' | 'commit' | 'rollback' })
  /** REINDEX (Postgres). */
  | (OpBase & { kind: 'reindex'; target: 'index' | 'table' | 'schema' | 'database' | 'system'; name: string; table?: TableRef; concurrently: boolean })
  /** VACUUM (Postgres); `tables` empty = every table of the database. */
  | (OpBase & { kind: 'vacuum'; full: boolean; tables: TableRef[] })
  /** CLUSTER (Postgres); no table = every previously clustered table. */
  | (OpBase & { kind: 'cluster'; table?: TableRef })
  | (OpBase & { kind: 'detach-partition'; table: TableRef; partition: TableRef; concurrently: boolean })
  /** MySQL `ALTER TABLE t DROP PARTITION p, q` / `TRUNCATE PARTITION p | ALL`: the rows in them are deleted. */
  | (OpBase & { kind: 'drop-partition'; table: TableRef; partitions: string[]; truncate: boolean })
  /** ALTER DOMAIN (Postgres): `add-constraint` (with `validated`), `set-not-null`, other changes. */
  | (OpBase & { kind: 'alter-domain'; name: string; action: 'add-constraint' | 'set-not-null' | 'validate-constraint' | 'other'; validated: boolean })
  | (OpBase & { kind: 'drop-database'; name: string; ifExists: boolean })
  /** LOCK TABLE ... IN <mode> MODE (Postgres): `mode` upper-cased (`ACCESS EXCLUSIVE` when none is given). */
  | (OpBase & { kind: 'lock-table'; tables: TableRef[]; mode: string })
  /** SET / SET LOCAL / RESET of a run-time setting (`name` lower-cased; `value` null for RESET/DEFAULT). */
  | (OpBase & { kind: 'set-setting'; name: string; value: string | null; local: boolean })
  /** A statement that Knex (or another JS source) could not resolve statically. */
  | (OpBase & { kind: 'unanalyzable'; reason: string })
  | (OpBase & {
      kind: 'other';
      statement: string;
      /**
       * CREATE FUNCTION / ALTER FUNCTION ... IMMUTABLE|STABLE|VOLATILE (Postgres): the function
       * (its name without schema, as Postgres folds it) and the volatility it is declared with
       * (`written`: in so many words; VOLATILE when a CREATE FUNCTION names none).
       */
      function?: { readonly name: string; readonly volatility: Volatility; readonly written: boolean };
    });

export type Volatility = 'immutable' | 'stable' | 'volatile';

export type OperationKind = Operation['kind'];

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * A WHERE clause, as far as the engine reasons about it (src/engine/backfill.ts): comparisons of
 * the statement's own columns with constants, NULL tests, AND / OR / NOT. Anything else is
 * `unknown` (it may be true, false or NULL on any row).
 */
export type Predicate =
  | { readonly kind: 'const'; readonly value: boolean | null }
  | { readonly kind: 'null-test'; readonly column: string; readonly negated: boolean }
  | { readonly kind: 'compare'; readonly column: string; readonly op: CompareOp; readonly value: number | string | boolean }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Predicate[] }
  | { readonly kind: 'not'; readonly arg: Predicate }
  | { readonly kind: 'unknown' };

/** An assigned value that is never NULL once every column in `nonNullIf` is non-null (`[]`: never NULL). */
export interface ValueInfo {
  readonly nonNullIf: readonly string[];
  /**
   * `INSERT ... SELECT`: the value is a column of a joined table that every copied row matches
   * (an INNER JOIN, or a LEFT JOIN the WHERE demands a match of): non-null when that column is.
   */
  readonly joined?: { readonly table: TableRef; readonly column: string };
}

/** One statement of a migration, with the operations it performs. */
export interface Statement {
  readonly span: Span;
  /** Statement type as the parser names it (e.g. `AlterTableStmt`, `knex.schema.alterTable`). */
  readonly type: string;
  readonly ops: Operation[];
  /** The parser's own AST node, for rules that need more than the normalized operations. */
  readonly ast?: unknown;
  /**
   * The source construct the statement came from when it is not the statement itself (the
   * `knex.raw(...)` call around embedded SQL): a suppression comment above it covers the statement.
   */
  readonly origin?: Span;
}

export type Severity = 'error' | 'warn' | 'info';
export type Level = Severity | 'off';
export const LEVELS: readonly Level[] = ['off', 'info', 'warn', 'error'];

/** One replacement: `text` takes the place of [start, end) of the finding's file (UTF-16 indices into `SourceFile.text`). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * A mechanical rewrite of the migration that makes its finding go away (src/fix/). `safe`: it
 * changes neither locking nor transaction behaviour (adding `IF NOT EXISTS`, `timestamptz` in a
 * new table), and `migralint check --fix` applies it; otherwise it is a suggestion, shown but
 * never applied (adding `CONCURRENTLY`, a `NOT VALID` + `VALIDATE` split).
 */
export interface Fix {
  /** What the rewrite does, and what else it changes (e.g. "the migration must run outside a transaction"). */
  readonly description: string;
  readonly safe: boolean;
  /** Edits in the finding's own file, none overlapping another. */
  readonly edits: readonly TextEdit[];
}

/** What a rule or a loader reports before config, suppressions and severities are applied. */
export interface RawFinding {
  readonly ruleId: string;
  readonly message: string;
  readonly span: Span;
  /** Overrides the rule's help for this finding (e.g. framework-specific advice). */
  readonly help?: string;
  /** Rewrites that make the finding go away (SQL sources only: the engine drops them elsewhere). */
  readonly fixes?: readonly Fix[];
}

export type ConfirmationStatus = 'confirmed' | 'not-reproduced' | 'skipped';

export interface Confirmation {
  readonly status: ConfirmationStatus;
  readonly evidence: string;
  readonly [key: string]: unknown;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly help?: string;
  readonly span: Span;
  /** Set name and migration id, when the finding belongs to a migration. */
  readonly migration?: string;
  /** Safe fixes first, then suggestions (see `Fix`). */
  readonly fixes?: readonly Fix[];
  confirmation?: Confirmation;
}

/** A file that could not be read as a migration (unreadable, binary, not UTF-8). */
export interface FileProblem {
  readonly path: string;
  readonly reason: string;
}
