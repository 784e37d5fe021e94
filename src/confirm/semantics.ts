/**
 * What `--confirm` takes as evidence for each rule: one deliberate entry per rule id, read by
 * statuses.ts. A rule missing here gets DEFAULT_SEMANTICS (skipped, with what was measured) and
 * test/confirm/semantics.test.ts names it, so a new rule is mapped on purpose, not by accident.
 *
 * Kinds (each rule's doc says the same in its `## Confirmation` section):
 * - `static`: a fact about files, comments or the analysis: nothing a replay can show, `skipped`.
 * - `advice`: a design recommendation (a column type): running it shows nothing either way, `skipped`.
 * - `never-run`: the statement reaches outside the database and is never executed, `skipped`.
 * - `fails`: confirmed when the statement fails (with one of `codes`, when given), with the
 *   SQLSTATE; not-reproduced when it runs without error.
 * - `lock`: confirmed when the statement's transaction took a lock on an existing relation that
 *   blocks `blocks` (from pg_locks), or the server's second connection was blocked; not-reproduced
 *   when the locks it took block neither; skipped when its locks could not be observed.
 *   `held: true` also counts locks taken earlier in the same transaction and still held.
 * - `rewrite`: confirmed when a table's relfilenode changed (or, with `lockToo`, a lock blocking
 *   reads was taken); not-reproduced when it ran without a rewrite.
 * - `loss`: confirmed when rows (`rows`) or non-null values (`values`) of seeded rows were lost,
 *   counted before and after; not-reproduced when nothing was lost.
 * - `rows-touched`: confirmed when the statement ran over a table that held rows (every one of
 *   them locked until commit); not-reproduced on empty tables.
 * - `schema-change`: confirmed when the change the rule warns about was observed in the catalog
 *   (a relation renamed, a column renamed, a NOT NULL gone); not-reproduced when it was not.
 * - `after-exclusive`: confirmed when an ACCESS EXCLUSIVE lock on an existing table, taken by an
 *   earlier statement, was still held while this one ran (with how long it ran).
 * - `value-change`: confirmed when values of surviving rows changed (checksums before/after).
 * - `execution`: a finding the replay itself made (its evidence is the finding): `confirmed`.
 * - `syntax`: confirmed when the database refuses the text too.
 */
import type { Blocked } from './probes/locks.js';

export type Semantics =
  | { readonly kind: 'static'; readonly why: string }
  | { readonly kind: 'advice'; readonly why: string }
  | { readonly kind: 'never-run'; readonly why: string }
  | { readonly kind: 'fails'; readonly codes?: readonly string[] }
  | { readonly kind: 'lock'; readonly blocks: Blocked; readonly held?: boolean }
  | { readonly kind: 'rewrite'; readonly lockToo?: boolean }
  | { readonly kind: 'loss'; readonly measure: 'rows' | 'values' }
  | { readonly kind: 'rows-touched' }
  | { readonly kind: 'schema-change'; readonly change: 'rename-table' | 'rename-column' | 'drop-not-null' }
  | { readonly kind: 'after-exclusive' }
  | { readonly kind: 'value-change' }
  | { readonly kind: 'execution' }
  | { readonly kind: 'syntax' }
  | { readonly kind: 'unmapped' };

const ADVICE = 'a recommendation about the column type: running it shows nothing either way';

export const SEMANTICS: Readonly<Record<string, Semantics>> = {
  // Facts about files, comments and the analysis.
  'require-down': { kind: 'static', why: 'a fact about the files (no down migration): nothing to run' },
  'unused-disable': { kind: 'static', why: 'a fact about a suppression comment: nothing to run' },
  'unanalyzable-statement': { kind: 'static', why: 'the statement could not be analysed statically, so there is no SQL to replay' },
  'drizzle-journal-mismatch': { kind: 'static', why: 'a fact about the journal: nothing to run' },
  'no-modified-migration': { kind: 'static', why: 'a fact about the git history (an edited migration): a replay from empty runs the edited text either way' },
  'no-out-of-order': { kind: 'static', why: 'a fact about file order against the git history: the replay applies the chain in its current order' },
  // Column-type recommendations.
  'prefer-timestamptz': { kind: 'advice', why: ADVICE },
  'no-char-type': { kind: 'advice', why: ADVICE },
  'prefer-bigint': { kind: 'advice', why: ADVICE },
  'prefer-identity': { kind: 'advice', why: ADVICE },
  'prefer-text': { kind: 'advice', why: ADVICE },
  // Never executed.
  'no-drop-database': { kind: 'never-run', why: 'DROP DATABASE is never executed (it reaches outside the throwaway database)' },
  // The statement fails.
  'require-not-null-backfill': { kind: 'fails' },
  'migration-fails-with-rows': { kind: 'fails' },
  'no-concurrent-in-transaction': { kind: 'fails', codes: ['25001'] },
  'syntax-error': { kind: 'syntax' },
  // Locks.
  'require-concurrent-index': { kind: 'lock', blocks: 'writes' },
  'require-concurrent-index-drop': { kind: 'lock', blocks: 'reads' },
  'require-concurrent-reindex': { kind: 'lock', blocks: 'writes' },
  'require-concurrent-detach-partition': { kind: 'lock', blocks: 'reads' },
  'require-not-valid-constraint': { kind: 'lock', blocks: 'writes', held: true },
  'no-add-unique-constraint': { kind: 'lock', blocks: 'reads' },
  'no-domain-constraint': { kind: 'lock', blocks: 'writes' },
  'require-lock-timeout': { kind: 'lock', blocks: 'writes' },
  'require-statement-timeout': { kind: 'lock', blocks: 'writes' },
  'no-statements-after-exclusive-lock': { kind: 'after-exclusive' },
  // Rewrites.
  'no-column-type-change': { kind: 'rewrite' },
  'no-volatile-default': { kind: 'rewrite' },
  'no-vacuum-full': { kind: 'rewrite', lockToo: true },
  // Data.
  'no-drop-column': { kind: 'loss', measure: 'values' },
  'no-drop-table': { kind: 'loss', measure: 'rows' },
  'no-truncate': { kind: 'loss', measure: 'rows' },
  'no-unbounded-dml': { kind: 'rows-touched' },
  'no-lossy-change': { kind: 'value-change' },
  // Observed in the catalog.
  'no-rename-column': { kind: 'schema-change', change: 'rename-column' },
  'no-rename-table': { kind: 'schema-change', change: 'rename-table' },
  'no-drop-not-null': { kind: 'schema-change', change: 'drop-not-null' },
  // Made by the replay itself.
  'require-reversible-down': { kind: 'execution' },
  // Chain, naming and transaction-shape rules.
  'no-duplicate-column': { kind: 'fails', codes: ['42701', '42601', 'SQLITE_ERROR'] },
  'no-missing-dependency': { kind: 'fails', codes: ['42P01', '42703', '42704', 'SQLITE_ERROR'] },
  'no-duplicate-version': { kind: 'static', why: 'a fact about the versions in the file names: nothing to run' },
  'no-identifier-too-long': { kind: 'static', why: 'a fact about the name (Postgres truncates it with only a NOTICE): running it shows nothing more' },
  'no-transaction-nesting': { kind: 'static', why: "a fact about the file's transaction statements: the replay groups statements into transactions as the framework does" },
  'no-uncommitted-transaction': { kind: 'static', why: "a fact about the file's transaction statements: the replay groups statements into transactions as the framework does" },
  'require-enum-value-position': { kind: 'advice', why: 'about where a new enum value sorts, which the replay does not judge' },
  'require-table-schema': { kind: 'advice', why: 'about naming the schema, which the replay does not judge' },
  'prefer-robust-stmts': { kind: 'static', why: 'about running a half-applied migration again, which a replay from an empty database does not do' },
};

/** A rule without an entry: nothing is decided from measurements that were not designed for it. */
export const DEFAULT_SEMANTICS: Semantics = { kind: 'unmapped' };

export function semanticsOf(ruleId: string): Semantics {
  return SEMANTICS[ruleId] ?? DEFAULT_SEMANTICS;
}
