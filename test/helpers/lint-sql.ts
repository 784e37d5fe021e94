/**
 * Lint SQL migrations held in memory with the real engine, parser and rules, and get findings
 * back with 1-based lines and columns (computed by the reporters' own `spanToRegion`).
 *
 *   await lintSql([{ name: '001_a.sql', up: 'DROP TABLE users;' }])
 *
 * Each migration's up is its own file (`migrations/<name>`), so lines and columns in tests read
 * straight off the `up` string. A `down` string goes to `migrations/<stem>.down.sql`; `down: null`
 * means "this migration has no down". A set whose migrations mention `down` at all is a
 * dbmate-like set (downs supported, each migration in a transaction); otherwise it is a plain SQL
 * set (no downs). `text` gives a whole dbmate/goose/sql-migrate file with its marker comments
 * instead, split by the real marker loader.
 */
import { expect } from 'vitest';
import type { Config } from '../../src/engine/config.js';
import { decodeOutcome, encodeOutcome } from '../../src/cache/outcome-json.js';
import { decodeValue, encodeValue } from '../../src/cache/value-json.js';
import { lint, lintWith, type ChainStates } from '../../src/engine/lint.js';
import { RULES } from '../../src/engine/registry.js';
import type { Rule } from '../../src/engine/rule.js';
import { SchemaState } from '../../src/engine/schema-state.js';
import { applyFixes } from '../../src/fix/apply.js';
import type { Dialect, DownState, Fix, FormatId, Migration, MigrationSet, SourceFile, TransactionMode } from '../../src/model.js';
import { spanToRegion } from '../../src/report/location.js';
import { splitMarkedFile } from '../../src/sources/markers.js';
import { loadParser, type SectionParser } from '../../src/sql/parser.js';
import { parsePostgresSection } from '../../src/sql/postgres.js';
import { withPlaceholdersMasked } from '../../src/sql/template-placeholders.js';

export interface TestMigration {
  /** File name, e.g. `001_create.sql`. */
  readonly name: string;
  /** Up SQL (the whole up file). */
  readonly up?: string;
  /** Down SQL; `null` = no down for this migration; omitted = none given. */
  readonly down?: string | null;
  /** A whole marker file (dbmate, goose, sql-migrate) instead of `up`/`down`. */
  readonly text?: string;
  /** Set format; every migration that names one must agree. */
  readonly format?: FormatId;
  readonly transaction?: TransactionMode;
  /** Override the down state (e.g. `unsupported` for a Flyway project without undo scripts). */
  readonly downState?: DownState;
}

export interface LintSqlOptions {
  readonly dialect?: Dialect;
  readonly format?: FormatId;
  readonly config?: Partial<Config>;
}

export interface TestFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly help?: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly migration?: string;
  /** The source text the finding's span covers. */
  readonly text: string;
  /** The finding's fixes (safe ones first), as the engine attached them. */
  readonly fixes?: readonly Fix[];
}

export const DEFAULT_CONFIG: Config = { rules: {}, ignore: [], postgresVersion: 14 };

const NO_DOWNS: readonly FormatId[] = ['sql', 'prisma', 'drizzle'];
const MARKER_FORMATS = ['dbmate', 'goose', 'sql-migrate'] as const;

function sourceFile(relPath: string, text: string): SourceFile {
  return { path: `/project/${relPath}`, relPath, text };
}

function setFormat(migrations: readonly TestMigration[], options: LintSqlOptions): FormatId {
  const named = new Set(migrations.map((m) => m.format).filter((f): f is FormatId => f !== undefined));
  if (options.format) named.add(options.format);
  if (named.size > 1) throw new Error(`lintSql: migrations disagree on the format: ${[...named].join(', ')}`);
  if (named.size === 1) return [...named][0]!;
  if (migrations.some((m) => m.text !== undefined || m.down !== undefined)) return 'dbmate';
  return 'sql';
}

/** Build the in-memory migration set the loaders would produce for these migrations. */
export function buildSet(migrations: readonly TestMigration[], options: LintSqlOptions = {}): MigrationSet {
  const dialect = options.dialect ?? 'postgres';
  const format = setFormat(migrations, options);
  const downs = !NO_DOWNS.includes(format);
  const defaultTransaction: TransactionMode = format === 'sql' || format === 'prisma' || format === 'golang-migrate' ? 'unknown' : 'transaction';
  const built = migrations.map((t): Migration => {
    const id = t.name.replace(/\.(up\.)?sql$/i, '');
    const transaction = t.transaction ?? defaultTransaction;
    if (t.text !== undefined) {
      if (!(MARKER_FORMATS as readonly string[]).includes(format)) throw new Error(`lintSql: "text" needs a marker format, not ${format}`);
      const file = sourceFile(`migrations/${t.name}`, t.text);
      const split = splitMarkedFile(format as (typeof MARKER_FORMATS)[number], file);
      return {
        id,
        name: t.name,
        dialect,
        transaction: t.transaction ?? split.transaction,
        file,
        up: split.up ?? { file, start: 0, end: file.text.length },
        downState: t.downState ?? (split.down ? 'present' : 'missing'),
        down: split.down,
      };
    }
    const file = sourceFile(`migrations/${t.name}`, t.up ?? '');
    let downState: DownState = t.downState ?? (downs ? 'missing' : 'unsupported');
    let down: Migration['down'] = null;
    if (typeof t.down === 'string') {
      if (!downs) throw new Error(`lintSql: format ${format} has no down migrations`);
      const downFile = sourceFile(`migrations/${id}.down.sql`, t.down);
      downState = t.downState ?? 'present';
      down = { file: downFile, start: 0, end: downFile.text.length };
    }
    return { id, name: t.name, dialect, transaction, file, up: { file, start: 0, end: file.text.length }, downState, down };
  });
  return { format, dialect, root: 'migrations', migrations: built, findings: [] };
}

/** The registered rules without their `operationKinds`: the engine calls each on every operation. */
const UNDISPATCHED: readonly Rule[] = RULES.map(({ operationKinds: _kinds, ...rule }) => rule);

/** A Postgres parser whose every outcome went through the parse cache's encoding (src/cache/outcome-json.ts). */
const postgres = withPlaceholdersMasked(parsePostgresSection, 'postgres');
const cachedParser: SectionParser = (section) => {
  const encoded = encodeOutcome(postgres(section), section.file);
  expect(encoded, 'the parse cache cannot keep this outcome').toBeDefined();
  const decoded = decodeOutcome(encoded!, section.file);
  expect(decoded, 'the parse cache cannot read back this outcome').toBeDefined();
  return decoded!;
};

/** The chain state of one set kept as the parse cache keeps it (src/cache/value-json.ts), in memory. */
function keptInMemory(): ChainStates & { resumed: number } {
  let kept: { length: number; text: string; files: SourceFile[] } | undefined;
  const filesOf = (prefix: readonly Migration[]): SourceFile[] => [...new Set(prefix.flatMap((m) => [m.file, m.up?.file, m.down?.file]).filter((f) => f !== undefined))];
  return {
    resumed: 0,
    chainState(_set, prefix) {
      if (!kept || kept.length > prefix.length) return undefined;
      const state = SchemaState.restore(decodeValue(kept.text, kept.files));
      expect(state, 'a kept schema state is not read back').toBeDefined();
      this.resumed++;
      return { state: state!, length: kept.length };
    },
    storeChainState(_set, prefix, state) {
      const files = filesOf(prefix);
      const text = encodeValue(state.snapshot(), files);
      expect(text, 'the cache cannot keep this schema state').toBeDefined();
      kept = { length: prefix.length, text: text!, files };
    },
  };
}

/** Lint the migrations (one set, in the given order) with every registered rule. */
export async function lintSql(migrations: readonly TestMigration[], options: LintSqlOptions = {}): Promise<TestFinding[]> {
  const set = buildSet(migrations, options);
  const config: Config = { ...DEFAULT_CONFIG, ...options.config };
  const { findings } = await lint([set], RULES, config);
  // Every rule case also checks the rules' `operationKinds` (the engine calls a rule only on the
  // kinds it declares): called on every operation, the rules must find exactly the same.
  const everyOperation = await lint([set], UNDISPATCHED, config);
  expect(everyOperation.findings, "a rule's operationKinds leaves out a kind it reports on").toEqual(findings);
  // And with every Postgres section taken from the parse cache (check --cache).
  if (set.dialect === 'postgres') {
    await loadParser('postgres');
    const fromCache = lintWith([set], RULES, config, () => cachedParser);
    expect(fromCache.findings, 'a section taken from the parse cache gives other findings').toEqual(findings);
  }
  // And, for the last migration of a chain (a commit hook's run), with the schema state of the
  // ones before it kept between runs (check --cache): written out and read back, it must be the
  // state the walk builds.
  if (set.migrations.length > 1) {
    const last = set.migrations.at(-1)!;
    const focused: MigrationSet = { ...set, focus: new Set([last.file, last.up?.file, last.down?.file].filter((f) => f !== undefined).map((f) => f.path)) };
    const parser = set.dialect === 'postgres' ? postgres : await loadParser(set.dialect);
    const walked = lintWith([focused], RULES, config, () => parser);
    const chains = keptInMemory();
    const storing = lintWith([focused], RULES, config, () => parser, chains);
    const resumed = lintWith([focused], RULES, config, () => parser, chains);
    expect(chains.resumed, 'the schema state of the chain before the last migration was not kept').toBe(1);
    expect(storing.findings, 'keeping the schema state changes the findings').toEqual(walked.findings);
    expect(resumed.findings, 'a walk resumed from a kept schema state gives other findings').toEqual(walked.findings);
  }
  return findings.map((f) => {
    const r = spanToRegion(f.span);
    return {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      help: f.help,
      file: f.span.file.relPath,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      migration: f.migration,
      text: f.span.file.text.slice(f.span.start, f.span.end),
      ...(f.fixes ? { fixes: f.fixes } : {}),
    };
  });
}

/** Lint one up migration on its own. */
export function lintUp(up: string, options: LintSqlOptions = {}): Promise<TestFinding[]> {
  return lintSql([{ name: '001_test.sql', up }], options);
}

/** `[ruleId, line, column, endLine?, endColumn?]`: what a table row expects of one finding. */
export type Expected = readonly [ruleId: string, line: number, column: number, endLine?: number, endColumn?: number];

/** The findings reduced to the shape of `Expected` (end given only where the row gives it). */
export function locate(findings: readonly TestFinding[], like: readonly Expected[]): (readonly (string | number)[])[] {
  return findings.map((f, i) => {
    const row = like[i];
    const out: (string | number)[] = [f.ruleId, f.line, f.column];
    if (row && row.length > 3) out.push(f.endLine);
    if (row && row.length > 4) out.push(f.endColumn);
    return out;
  });
}

/** Only the findings of one rule. */
export function only(findings: readonly TestFinding[], ruleId: string): TestFinding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

/** One row of a rule's table: the migrations to lint and, for `must fire` rows, what to expect. */
export interface Case {
  readonly name: string;
  /** A single up migration (`migrations/001_test.sql`). */
  readonly sql?: string;
  /** Or a whole chain. */
  readonly migrations?: readonly TestMigration[];
  readonly options?: LintSqlOptions;
  /** Findings of the rule under test (and of any rule named here), in report order. */
  readonly expect?: readonly Expected[];
  /** Substring of each finding's message, in order (a string applies to the first finding). */
  readonly message?: string | readonly string[];
  /** Substring of the first finding's help. */
  readonly help?: string;
  /** File every expected finding is in (relPath), when not the first migration's up file. */
  readonly file?: string;
}

/** Lint a case and keep the findings of `ruleId` and of the rules its `expect` rows name. */
export async function findingsOf(ruleId: string, c: Case): Promise<TestFinding[]> {
  const migrations = c.migrations ?? [{ name: '001_test.sql', up: c.sql ?? '' }];
  const all = await lintSql(migrations, c.options);
  const ids = new Set([ruleId, ...(c.expect ?? []).map((e) => e[0])]);
  return all.filter((f) => ids.has(f.ruleId));
}

/** Run a `must fire` row: exact locations, then messages, help and file. */
export async function expectFires(ruleId: string, c: Case): Promise<void> {
  const found = await findingsOf(ruleId, c);
  const rows = c.expect ?? [];
  expect(locate(found, rows)).toEqual(rows.map((r) => [...r]));
  const messages = typeof c.message === 'string' ? [c.message] : (c.message ?? []);
  messages.forEach((m, i) => expect(found[i]?.message ?? '').toContain(m));
  if (c.help !== undefined) expect(found[0]?.help ?? '').toContain(c.help);
  if (c.file !== undefined) expect(found.map((f) => f.file)).toEqual(found.map(() => c.file));
  // Every must-fire row of every rule: its fixes, applied, re-parse and silence the rule.
  if (found.some((f) => f.ruleId === ruleId && f.fixes?.length)) await applyRuleFixes(ruleId, c);
}

/** The migrations with one file's text replaced (files named as `buildSet` names them). */
function withFileText(migrations: readonly TestMigration[], relPath: string, text: string): TestMigration[] {
  return migrations.map((m) => {
    const id = m.name.replace(/\.(up\.)?sql$/i, '');
    if (`migrations/${m.name}` === relPath) return m.text !== undefined ? { ...m, text } : { ...m, up: text };
    if (`migrations/${id}.down.sql` === relPath) return { ...m, down: text };
    return m;
  });
}

function fileText(migrations: readonly TestMigration[], relPath: string): string {
  for (const m of migrations) {
    const id = m.name.replace(/\.(up\.)?sql$/i, '');
    if (`migrations/${m.name}` === relPath) return m.text ?? m.up ?? '';
    if (`migrations/${id}.down.sql` === relPath && typeof m.down === 'string') return m.down;
  }
  throw new Error(`lintSql: no file ${relPath}`);
}

/**
 * Apply the fixes of `ruleId`'s findings (the safe one, else the first suggestion), re-lint, and
 * repeat while any is left (as `check --fix` does). Afterwards the rule reports nothing where it
 * offered a fix, and no syntax error appeared: every fix is re-parsed and re-linted. Returns the
 * migrations as fixed, and how many fixes were applied.
 */
export async function applyRuleFixes(ruleId: string, c: Case): Promise<{ migrations: TestMigration[]; applied: number }> {
  let migrations = [...(c.migrations ?? [{ name: '001_test.sql', up: c.sql ?? '' }])];
  let all = await lintSql(migrations, c.options);
  const syntaxErrors = (fs: readonly TestFinding[]): string[] => fs.filter((f) => f.ruleId === 'syntax-error').map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
  const before = syntaxErrors(all);
  const unfixable = all.filter((f) => f.ruleId === ruleId && !f.fixes?.length).length;
  let applied = 0;
  for (let pass = 0; pass < 5; pass++) {
    const fixable = all.filter((f) => f.ruleId === ruleId && f.fixes?.length);
    if (fixable.length === 0) break;
    for (const file of new Set(fixable.map((f) => f.file))) {
      const items = fixable.filter((f) => f.file === file).map((f) => ({ fix: f.fixes![0]! }));
      const out = applyFixes(fileText(migrations, file), items);
      applied += out.applied.length;
      migrations = withFileText(migrations, file, out.text);
    }
    all = await lintSql(migrations, c.options);
  }
  expect(syntaxErrors(all), 'the fixed migration parses').toEqual(before);
  const left = all.filter((f) => f.ruleId === ruleId);
  expect(left.filter((f) => f.fixes?.length).map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`), 'no fixable finding is left').toEqual([]);
  expect(left.length, 'the fixed findings are gone').toBe(unfixable);
  return { migrations, applied };
}

/** Run a `must not fire` row: no finding of `ruleId` at all. */
export async function expectSilent(ruleId: string, c: Case): Promise<void> {
  const found = (await findingsOf(ruleId, c)).filter((f) => f.ruleId === ruleId);
  expect(found.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
}
