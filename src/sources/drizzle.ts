/**
 * Drizzle-kit migrations.
 *
 * Two layouts, both detected by discovery:
 *   classic  <out>/NNNN_tag.sql + <out>/meta/_journal.json; the journal decides which files run,
 *            in which order, and names the dialect.
 *   v1       <out>/<YYYYMMDDHHMMSS>_<name>/migration.sql + snapshot.json, in folder-name order;
 *            the dialect is the snapshot's `dialect`.
 * A `drizzle.config.*` in the out folder or above it (up to cwd) whose `out` is this folder gives
 * the dialect when the journal or snapshot has none. It is read as text, never executed.
 *
 * The SQL of a migration is the whole file: statements are separated by
 * `--> statement-breakpoint`, which every SQL parser reads as a `--` comment (the SQLite/MySQL
 * splitter also ends a statement there). Drizzle has no down migrations, and its migrator runs
 * all pending migrations in one transaction.
 *
 * The classic journal is checked against the folder (`drizzle-journal-mismatch`): files the
 * journal does not list (never run), entries without a file (the migrator fails), entries whose
 * `when` is not newer than an earlier entry's (silently skipped on databases that already applied
 * the earlier one: drizzle's migrator only compares with the newest applied timestamp), and a
 * journal that is not valid JSON (then the files are linted in file-name order).
 */
import { existsSync, statSync } from 'node:fs';
import { readTextFile } from '../discover/read-file.js';
import path from 'node:path';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Dialect, Migration, MigrationSet, RawFinding, SourceFile, Span } from '../model.js';
import { baseName, naturalCompare, type CandidateSet, type LoadContext } from './set-builder.js';

export const DRIZZLE_JOURNAL_RULE = 'drizzle-journal-mismatch';

/** jsonc-parser's error code in words: `CloseBracketExpected` → `close bracket expected`. */
function describeParseError(code: number): string {
  return printParseErrorCode(code).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

const CONFIG_NAMES = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.cts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs', 'drizzle.config.json'];

/** One migration file to load, in run order. */
interface Planned {
  readonly abs: string;
  readonly id: string;
  readonly name: string;
}

interface Plan {
  readonly order: Planned[];
  /** Dialect as the journal or snapshot names it (`postgresql`, `sqlite`, ...). */
  readonly dialectName?: string;
}

export function loadDrizzle(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  const findings: RawFinding[] = [];
  const files = new Set(candidate.files.map((f) => path.normalize(f)));
  const root = path.normalize(candidate.root);

  let outDir: string;
  let plan: Plan;
  if (isFile(root)) {
    ({ outDir, plan } = planSingleFile(root));
  } else {
    outDir = root;
    const journalPath = path.join(outDir, 'meta', '_journal.json');
    if (files.has(journalPath) || existsSync(journalPath)) plan = planClassic(outDir, journalPath, files, ctx, findings);
    else plan = planV1(outDir, files, ctx);
  }

  const config = findDrizzleConfig(outDir, ctx.cwd);
  const detected = drizzleDialect(plan.dialectName) ?? drizzleDialect(config?.dialect) ?? driverDialect(config?.driver);
  const dialect = candidate.dialectForced ? candidate.dialect : (detected ?? candidate.dialect);

  const migrations: Migration[] = [];
  for (const { abs, id, name } of plan.order) {
    const file = ctx.read(abs);
    if (!file) continue;
    migrations.push({
      id,
      name,
      dialect,
      transaction: 'transaction',
      file,
      up: { file, start: 0, end: file.text.length },
      downState: 'unsupported',
      down: null,
    });
  }
  return { format: 'drizzle', dialect, root: ctx.rel(candidate.root), migrations, findings };
}

/* ------------------------------------------------------------------------------------------ */
/* Dialects                                                                                    */

/** The dialect a Drizzle journal, snapshot or config names. */
export function drizzleDialect(name: string | undefined): Dialect | undefined {
  switch (name?.trim().toLowerCase()) {
    case 'postgresql':
    case 'postgres':
    case 'pg': // journals written before drizzle-kit 0.21
    case 'cockroach':
    case 'cockroachdb':
      return 'postgres';
    case 'mysql':
    case 'singlestore':
      return 'mysql';
    case 'sqlite':
    case 'turso':
      return 'sqlite';
    default:
      return undefined;
  }
}

/** The dialect implied by a config's `driver` (the only hint in drizzle-kit < 0.21 configs). */
function driverDialect(driver: string | undefined): Dialect | undefined {
  switch (driver?.trim().toLowerCase()) {
    case 'pg':
    case 'pglite':
    case 'aws-data-api':
      return 'postgres';
    case 'mysql2':
      return 'mysql';
    case 'better-sqlite':
    case 'libsql':
    case 'turso':
    case 'd1':
    case 'd1-http':
    case 'expo':
    case 'durable-sqlite':
      return 'sqlite';
    default:
      return undefined;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Classic layout: the journal                                                                 */

function planClassic(outDir: string, journalPath: string, files: ReadonlySet<string>, ctx: LoadContext, findings: RawFinding[]): Plan {
  const topLevelSql = [...files]
    .filter((f) => path.dirname(f) === outDir && /\.sql$/i.test(f))
    .sort((a, b) => naturalCompare(baseName(a), baseName(b)));
  const byFileName = (): Planned[] => topLevelSql.map((abs) => ({ abs, id: baseName(abs).replace(/\.sql$/i, ''), name: baseName(abs) }));

  const journal = ctx.read(journalPath);
  // Unreadable: the context recorded the problem; lint what is there.
  if (!journal) return { order: byFileName() };

  const errors: ParseError[] = [];
  const tree = parseTree(journal.text, errors, { disallowComments: true, allowTrailingComma: false });
  if (!tree || errors.length > 0) {
    // parseTree returns no tree only with an error; the first error is where the JSON breaks.
    const { error, offset } = errors[0]!;
    const atEnd = offset >= journal.text.length;
    const where = atEnd ? 'end of file' : JSON.stringify(journal.text[offset]);
    findings.push({
      ruleId: DRIZZLE_JOURNAL_RULE,
      message: `${journal.relPath} is not valid JSON (${describeParseError(error)} at ${where}): drizzle's migrator cannot read it, so no migration in ${ctx.rel(outDir)} can run. Its .sql files are linted in file-name order instead.`,
      span: { file: journal, start: offset, end: atEnd ? offset : offset + 1 },
      help: 'Fix the JSON syntax of the journal (a merge conflict left in it is the usual cause), or regenerate it with drizzle-kit.',
    });
    return { order: byFileName() };
  }

  const dialect = propertyValue(property(tree, 'dialect'));
  const dialectName = typeof dialect === 'string' ? dialect : undefined;
  const entries = property(tree, 'entries');
  const list = entries?.children?.[1];
  if (!entries || list?.type !== 'array') {
    findings.push({
      ruleId: DRIZZLE_JOURNAL_RULE,
      message: `${journal.relPath} has no "entries" array: drizzle's migrator cannot tell which migrations to run. The .sql files in ${ctx.rel(outDir)} are linted in file-name order instead.`,
      span: entries ? nodeSpan(journal, entries) : { file: journal, start: tree.offset, end: tree.offset + 1 },
      help: 'Restore the journal from version control or regenerate it with drizzle-kit.',
    });
    return { order: byFileName(), dialectName };
  }

  const order: Planned[] = [];
  const listed = new Set<string>();
  let newest: { tag: string; when: number } | undefined;
  for (const entry of list.children ?? []) {
    const tagProperty = property(entry, 'tag');
    const tag = propertyValue(tagProperty);
    if (!tagProperty || typeof tag !== 'string' || tag === '') {
      findings.push({
        ruleId: DRIZZLE_JOURNAL_RULE,
        message: `An entry of ${journal.relPath} has no "tag" naming its migration file: drizzle's migrator cannot load it.`,
        span: nodeSpan(journal, entry),
        help: 'Every journal entry needs "tag": "<file name without .sql>"; regenerate the journal with drizzle-kit.',
      });
      continue;
    }
    const tagSpan = nodeSpan(journal, tagProperty);
    const fileName = `${tag}.sql`;
    const abs = path.join(outDir, fileName);
    const relSql = ctx.rel(abs);

    if (listed.has(fileName)) {
      findings.push({
        ruleId: DRIZZLE_JOURNAL_RULE,
        message: `${journal.relPath} lists "${tag}" twice: drizzle's migrator would run ${relSql} a second time.`,
        span: tagSpan,
        help: 'Remove the duplicate entry from the journal.',
      });
    } else {
      listed.add(fileName);
      if (files.has(abs)) order.push({ abs, id: tag, name: fileName });
      else if (!existsSync(abs)) {
        findings.push({
          ruleId: DRIZZLE_JOURNAL_RULE,
          message: `Journal entry "${tag}" names ${relSql}, which does not exist: drizzle's migrator fails with "No file ${relSql} found" before running any pending migration.`,
          span: tagSpan,
          help: `Restore ${fileName} from version control, or remove its entry from ${journal.relPath} (\`drizzle-kit drop\` removes a migration and its journal entry together).`,
        });
      }
      // else: present but left out by an ignore glob.
    }

    const whenProperty = property(entry, 'when');
    const when = propertyValue(whenProperty);
    if (whenProperty && typeof when === 'number') {
      if (newest && when <= newest.when) {
        const relation = when === newest.when ? 'the same as that of' : 'older than that of';
        findings.push({
          ruleId: DRIZZLE_JOURNAL_RULE,
          message:
            `Journal entry "${tag}" has "when" ${describeWhen(when)}, ${relation} "${newest.tag}" listed before it (${describeWhen(newest.when, ', ')}). ` +
            `Drizzle's migrator runs a migration only when its "when" is newer than the newest migration a database has already applied, ` +
            `so on every database that already applied "${newest.tag}", "${tag}" is silently skipped.`,
          span: nodeSpan(journal, whenProperty),
          help: `Give "${tag}" a "when" newer than every entry before it (regenerate it with drizzle-kit on top of "${newest.tag}"), and apply its SQL by hand where "${newest.tag}" already ran.`,
        });
      }
      if (!newest || when > newest.when) newest = { tag, when };
    }
  }

  for (const abs of topLevelSql) {
    const fileName = baseName(abs);
    if (listed.has(fileName)) continue;
    const file = ctx.read(abs) ?? { path: abs, relPath: ctx.rel(abs), text: '' };
    findings.push({
      ruleId: DRIZZLE_JOURNAL_RULE,
      message: `${file.relPath} is not listed in ${journal.relPath}: drizzle's migrator only runs the migrations the journal lists, so this file never runs.`,
      span: firstLine(file),
      help: `Add an entry with "tag": "${fileName.replace(/\.sql$/i, '')}" to the journal (\`drizzle-kit generate --custom\` creates a hand-written migration together with its entry), or delete the file.`,
    });
  }

  return { order, dialectName };
}

/** `1718200000000 (2024-06-12T13:46:40.000Z)`, or with `sep` between the two. */
function describeWhen(when: number, sep?: string): string {
  const iso = Number.isFinite(when) && Math.abs(when) <= 8.64e15 ? new Date(when).toISOString() : undefined;
  if (!iso) return String(when);
  return sep === undefined ? `${when} (${iso})` : `${when}${sep}${iso}`;
}

function firstLine(file: SourceFile): Span {
  const nl = file.text.search(/\r?\n/);
  return { file, start: 0, end: nl < 0 ? file.text.length : nl };
}

function nodeSpan(file: SourceFile, node: Node): Span {
  return { file, start: node.offset, end: node.offset + node.length };
}

/** The last property node named `key` of an object node (JSON.parse keeps the last duplicate too). */
function property(node: Node, key: string): Node | undefined {
  return node.type === 'object' ? node.children?.findLast((p) => p.children?.[0]?.value === key) : undefined;
}

/** The value of a property node: a string, number, boolean or null (undefined for an object or array). */
function propertyValue(prop: Node | undefined): unknown {
  return prop?.children?.[1]?.value;
}

/* ------------------------------------------------------------------------------------------ */
/* v1 layout and single files                                                                  */

function planV1(outDir: string, files: ReadonlySet<string>, ctx: LoadContext): Plan {
  const order: Planned[] = [...files]
    .filter((f) => baseName(f) === 'migration.sql' && path.dirname(path.dirname(f)) === outDir)
    .map((abs) => ({ abs, id: baseName(path.dirname(abs)), name: baseName(path.dirname(abs)) }))
    .sort((a, b) => naturalCompare(a.id, b.id));
  // The newest snapshot that names a dialect decides.
  let dialectName: string | undefined;
  for (let i = order.length - 1; i >= 0 && dialectName === undefined; i--) {
    const snap = path.join(path.dirname(order[i]!.abs), 'snapshot.json');
    if (!files.has(snap)) continue;
    const text = ctx.read(snap)?.text;
    if (text !== undefined) dialectName = snapshotDialect(text);
  }
  return { order, dialectName };
}

/** A single migration file given on the command line (`--format drizzle`). */
function planSingleFile(abs: string): { outDir: string; plan: Plan } {
  const name = baseName(abs);
  if (name === 'migration.sql') {
    const folder = path.dirname(abs);
    const text = readQuietly(path.join(folder, 'snapshot.json'));
    return {
      outDir: path.dirname(folder),
      plan: { order: [{ abs, id: baseName(folder), name: baseName(folder) }], dialectName: text === undefined ? undefined : snapshotDialect(text) },
    };
  }
  const outDir = path.dirname(abs);
  const journal = readQuietly(path.join(outDir, 'meta', '_journal.json'));
  return { outDir, plan: { order: [{ abs, id: name.replace(/\.sql$/i, ''), name }], dialectName: journal === undefined ? undefined : snapshotDialect(journal) } };
}

/** The top-level `dialect` of a snapshot (or journal). */
function snapshotDialect(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && 'dialect' in value && typeof value.dialect === 'string') return value.dialect;
  } catch {
    // Not JSON: no dialect from it.
  }
  return undefined;
}

/* ------------------------------------------------------------------------------------------ */
/* drizzle.config.*                                                                            */

export interface DrizzleConfigInfo {
  readonly path: string;
  readonly out?: string;
  readonly dialect?: string;
  readonly driver?: string;
}

/**
 * The nearest `drizzle.config.*` from `outDir` up to `cwd` whose `out` is `outDir` (drizzle-kit's
 * default `out` is `./drizzle`; an `out` that is not a string literal is taken to match).
 * Outside cwd, only `outDir` and its parent are searched.
 */
export function findDrizzleConfig(outDir: string, cwd: string): DrizzleConfigInfo | undefined {
  const top = path.resolve(cwd);
  const dirs: string[] = [];
  const rel = path.relative(top, outDir);
  if (rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel))) {
    for (let dir = outDir; ; ) {
      dirs.push(dir);
      const parent = path.dirname(dir);
      if (dir === top || parent === dir) break;
      dir = parent;
    }
  } else dirs.push(outDir, path.dirname(outDir));

  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const p = path.join(dir, name);
      const text = readQuietly(p);
      if (text === undefined) continue;
      const cfg = readDrizzleConfigText(text);
      if (cfg.out === null || path.resolve(dir, cfg.out ?? 'drizzle') === outDir) {
        return { path: p, out: cfg.out ?? undefined, dialect: cfg.dialect, driver: cfg.driver };
      }
    }
  }
  return undefined;
}

/**
 * `out`, `dialect` and `driver` of a drizzle config, from its text (never executed).
 * `out` is null when the key is there but its value is not a string literal.
 */
export function readDrizzleConfigText(text: string): { out?: string | null; dialect?: string; driver?: string } {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\'"`])\/\/[^\n]*/g, '$1');
  const literal = (key: string): string | undefined =>
    new RegExp(`(?:^|[\\s{,])["']?${key}["']?\\s*:\\s*(["'\`])([^"'\`\\n]*)\\1`).exec(code)?.[2];
  const hasKey = (key: string): boolean => new RegExp(`(?:^|[\\s{,])["']?${key}["']?\\s*:`).test(code);
  const out = literal('out') ?? (hasKey('out') ? null : undefined);
  return { out, dialect: literal('dialect'), driver: literal('driver') };
}

function readQuietly(p: string): string | undefined {
  // Regular files only, size-capped: a journal that is a pipe or /dev/zero must not hang the run.
  const read = readTextFile(p);
  return read.ok ? read.text : undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
