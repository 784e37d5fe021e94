/**
 * The engine: parse every migration of every set, walk the chain in order with a schema state,
 * run the rules on each operation, then apply levels and suppressions.
 *
 * Down sections are linted against the state right after their up, so "created by the matching
 * up" reads as "new in this migration" to every rule; their effects are then discarded and the
 * chain continues from the state after the up.
 */
import type { Dialect, Finding, Fix, Migration, MigrationSet, Operation, RawFinding, Section, Severity, SourceFile, Span, Statement } from '../model.js';
import { shareParsing, startParseWorkerLate } from '../sql/parse-pool.js';
import type { ParseCache } from '../cache/parse-cache.js';
import { loadParser, type SectionParser } from '../sql/parser.js';
import { DEFAULT_MYSQL_VERSION, type Config } from './config.js';
import { findRule } from './registry.js';
import type { Direction, OperationKind, Rule, RuleContext } from './rule.js';
import { SchemaState } from './schema-state.js';
import { WalkContext, type WalkPosition } from './walk-context.js';
import { applySuppressions } from './suppressions.js';

export interface LintOutput {
  readonly findings: Finding[];
  /** Operations of JS/TS (Knex) migrations resolved statically, out of all seen; undefined without any. */
  readonly analyzable?: { analyzed: number; total: number };
  /** Files the sets were read from (for suppression directives and summaries). */
  readonly files: SourceFile[];
}

interface Pending extends RawFinding {
  readonly migration?: string;
  /** Start of the statement the finding is about: a next-line directive above it covers it. */
  readonly statementStart?: number;
}

export interface ParsedMigration {
  readonly migration: Migration;
  readonly up: Statement[];
  readonly down: Statement[] | null;
}

/**
 * Parse the up and down sections of a migration (sources that pre-lowered them are kept as is);
 * `upOnly` leaves the down out (`down: null`).
 */
export function parseMigration(m: Migration, parser: SectionParser, errors: RawFinding[], upOnly = false): ParsedMigration {
  const parse = (section: Section | null, given: Statement[] | undefined): Statement[] | null => {
    if (given) return given;
    if (!section) return null;
    const out = parser(section);
    errors.push(...out.errors);
    return out.statements;
  };
  const up = parse(m.up, m.upStatements) ?? [];
  const down = m.downState === 'present' && !upOnly ? (parse(m.down, m.downStatements) ?? []) : null;
  return { migration: m, up, down };
}

export interface LintOptions {
  /** `check --cache`: Postgres sections parsed in an earlier run are taken from it, the others stored in it. */
  readonly cache?: ParseCache;
}

export async function lint(sets: readonly MigrationSet[], rules: readonly Rule[], config: Config, options: LintOptions = {}): Promise<LintOutput> {
  const { cache } = options;
  const dialects = [...new Set(sets.map((s) => s.dialect))];
  const parsers = new Map(await Promise.all(dialects.map(async (d) => [d, await loadParser(d)] as const)));
  const pg = parsers.get('postgres');
  // No Postgres set: shareParsing is not asked and stops the worker (started at boot) unused.
  // Sections the cache holds are not the worker's.
  // Rules read statements' ASTs only in the migrations reported on (not in those read only for
  // the chain's schema): the cache keeps ASTs for those alone.
  const reported = cache ? reportedSections(sets) : undefined;
  const sections = pg ? postgresSections(sets).filter((s) => !cache?.has(s, reported!.has(s))) : [];
  // A large run the boot's guess missed (src/cli/prestart.ts): start the worker now, it takes
  // the sections the walk has not reached when it is up.
  await startParseWorkerLate(sections);
  const shared = shareParsing(sections, pg, pg && (await import('../sql/postgres.js')).lowerParsedSection);
  const parsePg = shared?.parse ?? pg;
  const cachedPg: SectionParser | undefined = cache && parsePg && ((section) => {
    const withAsts = reported!.has(section);
    const hit = cache.lookup(section, withAsts);
    if (hit) return hit;
    const outcome = parsePg(section);
    cache.store(section, outcome, withAsts);
    return outcome;
  });
  const parserOf = (d: Dialect): SectionParser => (d === 'postgres' ? parsePg! : parsers.get(d)!);
  try {
    if (!cache) return lintWith(sets, rules, config, parserOf);
    try {
      return lintWith(sets, rules, config, (d) => (d === 'postgres' ? cachedPg! : parserOf(d)), cache);
    } catch {
      // What the cache held passed its checks (well-formed, checksums right) but was not what
      // migralint writes (edited by hand, checksums recomputed): the run is made again without
      // it, and it is written anew. A failure of migralint's own shows again here.
      cache.reset();
      return lintWith(sets, rules, config, parserOf);
    }
  } finally {
    shared?.close();
  }
}

/** The Postgres sections `lintWith` will parse, in chain order (sets reached through a directory). */
function postgresSections(sets: readonly MigrationSet[]): Section[] {
  const out: Section[] = [];
  for (const set of sets) {
    if (set.dialect !== 'postgres' || set.focus) continue;
    for (const m of set.migrations) {
      if (m.up && !m.upStatements) out.push(m.up);
      if (m.down && m.downState === 'present' && !m.downStatements) out.push(m.down);
    }
  }
  return out;
}

/** A migration of a set reached through file arguments is reported on when one of its files is one of them (every migration of another set is). */
export function isFocused(set: MigrationSet, m: Migration): boolean {
  return !set.focus || [m.file, m.up?.file, m.down?.file].some((f) => f !== undefined && set.focus!.has(f.path));
}

/** The sections of the migrations the walk reports on: all of a set's, or those in its focus. */
function reportedSections(sets: readonly MigrationSet[]): Set<Section> {
  const out = new Set<Section>();
  for (const set of sets) {
    for (const m of set.migrations) {
      if (!isFocused(set, m)) continue;
      if (m.up) out.add(m.up);
      if (m.down) out.add(m.down);
    }
  }
  return out;
}

/** Where `lintWith` keeps the schema state after a set's context migrations between runs (`check --cache`). */
export type ChainStates = Pick<ParseCache, 'chainState' | 'storeChainState'>;

/**
 * `lint`, synchronously, with the parsers given (the ESLint plugin's rules are synchronous);
 * `chains`: see ChainStates.
 */
export function lintWith(sets: readonly MigrationSet[], rules: readonly Rule[], config: Config, parserOf: (dialect: Dialect) => SectionParser, chains?: ChainStates): LintOutput {
  const pending: Pending[] = [];
  const files = new Set<SourceFile>();
  let analyzed = 0;
  let total = 0;
  for (const set of sets) {
    const parser = parserOf(set.dialect);
    const active = rules.filter((r) => r.meta.dialects.includes(set.dialect) && levelOf(r.meta.id, config) !== 'off');
    pending.push(...set.findings);
    // A file outside a file argument's focus is not reported on (see inFocus), nor counted.
    for (const f of set.findings) if (!set.focus || set.focus.has(f.span.file.path)) files.add(f.span.file);
    const inFocusSet = (m: Migration): boolean => isFocused(set, m);
    // The migrations before the first one reported on (a commit hook's run on the newest) are
    // read only for the schema their ups build: that state is kept between runs (`chains`), and
    // the walk resumes after the longest run of them it was kept for.
    const firstFocused = chains && set.focus && set.format !== 'knex' ? set.migrations.findIndex(inFocusSet) : -1;
    const prefix = firstFocused > 0 ? set.migrations.slice(0, firstFocused) : undefined;
    const kept = prefix && chains!.chainState(set, prefix);
    const resumeAt = kept ? kept.length : 0;
    // The chain continues from the state after each up; a down works on a clone that is dropped.
    const state = kept ? kept.state : new SchemaState(set.dialect === 'sqlite');
    // One context per rule for the whole set, reading the walk's position from `at`.
    const at: WalkPosition = { migration: set.migrations[0]!, direction: 'up', schema: state, statement: undefined, previous: [], statements: { up: [], down: null } };
    let label = '';
    const contexts = active.map((rule): RuleWithContext => ({
      rule,
      ctx: new WalkContext(set, at, config.postgresVersion, config.mysqlVersion ?? DEFAULT_MYSQL_VERSION, (f) => {
        const m = at.migration;
        const current = at.statement;
        // One object literal of the fields `finish` reads (spreading the rule's object was a
        // tenth of the walk's own time).
        pending.push({
          ruleId: rule.meta.id,
          // Up and down in one file (Knex, dbmate, goose, ...): say which one the finding is in.
          message: at.direction === 'down' && m.down && m.up && m.down.file === m.up.file ? `In the down migration: ${f.message}` : f.message,
          span: f.span,
          help: f.help,
          // Fixes rewrite SQL text: a Knex migration (JS/TS, SQL inside string literals) gets none.
          fixes: f.fixes && set.format !== 'knex' && !current?.origin ? sanitizedFixes(f.fixes, f.span) : undefined,
          migration: label,
          statementStart: current ? (current.origin ?? current.span).start : undefined,
        });
      }),
    }));
    const forKind = operationDispatch(contexts);
    const perMigration = contexts.filter((c) => c.rule.checkMigration);
    // Past the last migration in a file argument's focus, nothing is reported and the schema
    // state is not read again: those migrations are not parsed (Knex ones come pre-lowered and
    // still count in `analyzable`).
    let lastFocused = set.migrations.length - 1;
    if (set.focus && set.format !== 'knex') while (lastFocused >= 0 && !inFocusSet(set.migrations[lastFocused]!)) lastFocused--;
    set.migrations.forEach((m, index) => {
      const migrationLabel = `${set.root}#${m.id}`;
      files.add(m.file);
      if (m.up) files.add(m.up.file);
      if (m.down) files.add(m.down.file);
      if (index > lastFocused || index < resumeAt) return;
      const focused = inFocusSet(m);
      const errors: RawFinding[] = [];
      // A context migration's down is never walked: only its up is parsed.
      const parsed = parseMigration(m, parser, errors, !focused && set.format !== 'knex');
      for (const e of [...errors, ...(m.loadFindings ?? [])]) pending.push({ ...e, migration: migrationLabel });
      if (set.format === 'knex') {
        for (const s of [...parsed.up, ...(parsed.down ?? [])]) {
          total += s.ops.length;
          analyzed += s.ops.filter((op) => op.kind !== 'unanalyzable').length;
        }
      }
      // A migration read only for the chain's context (outside a file argument's focus): its
      // findings would be dropped by inFocus below, so only its effect on the schema matters.
      if (!focused) {
        for (const s of parsed.up) for (const op of s.ops) state.apply(op, m.id);
        if (index === firstFocused - 1) chains!.storeChainState(set, prefix!, state);
        return;
      }
      const walk = (direction: Direction, statements: readonly Statement[], schema: SchemaState): void => {
        const previous: Operation[] = [];
        at.migration = m;
        at.direction = direction;
        at.schema = schema;
        at.statement = undefined;
        at.previous = previous;
        at.statements = { up: parsed.up, down: parsed.down };
        label = migrationLabel;
        for (const c of perMigration) c.rule.checkMigration!(c.ctx);
        // Indexed loops over plain objects: the walk runs mostly before V8 optimizes it, where a
        // destructured `[rule, ctx]` of for-of goes through an iterator per rule and operation.
        for (let i = 0; i < statements.length; i++) {
          const s = statements[i]!;
          at.statement = s;
          const ops = s.ops;
          for (let j = 0; j < ops.length; j++) {
            const op = ops[j]!;
            const checkers = forKind(op.kind);
            for (let k = 0; k < checkers.length; k++) checkers[k]!.rule.checkOperation!(op, checkers[k]!.ctx);
            schema.apply(op, m.id);
            previous.push(op);
          }
        }
      };
      walk('up', parsed.up, state);
      if (parsed.down) walk('down', parsed.down, state.clone());
    });
  }
  const findings = finish(pending, rules, config, files).filter(inFocus(sets));
  return { findings, files: [...files], analyzable: total > 0 ? { analyzed, total } : undefined };
}

/**
 * The rules (with their contexts) whose `checkOperation` looks at an operation kind, in the
 * rules' order: those that declare the kind among their `operationKinds`, and those that declare
 * none. Calling every rule on every operation was most of the walk's own time (47 rules, most
 * of which look at one or two kinds).
 */
function operationDispatch(contexts: readonly RuleWithContext[]): (kind: OperationKind) => readonly RuleWithContext[] {
  const perOp = contexts.filter((c) => c.rule.checkOperation);
  const byKind = new Map<OperationKind, RuleWithContext[]>();
  return (kind) => {
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, (list = perOp.filter((c) => !c.rule.operationKinds || c.rule.operationKinds.includes(kind))));
    return list;
  };
}

/** A rule and its context for the set being walked. */
interface RuleWithContext {
  readonly rule: Rule;
  readonly ctx: RuleContext;
}

/**
 * Sets reached through file arguments report only on those files and their migrations (a
 * golang-migrate up file brings its down file along, and the reverse).
 */
function inFocus(sets: readonly MigrationSet[]): (f: Finding) => boolean {
  const focused = sets.filter((s) => s.focus);
  if (focused.length === 0) return () => true;
  const outOfFocusFiles = new Set<string>();
  const focusLabels = new Set<string>();
  const outLabels = new Set<string>();
  for (const set of focused) {
    for (const m of set.migrations) {
      const label = `${set.root}#${m.id}`;
      const mine = [m.file, m.up?.file, m.down?.file].filter((f): f is SourceFile => f !== undefined);
      if (mine.some((f) => set.focus!.has(f.path))) focusLabels.add(label);
      else {
        outLabels.add(label);
        for (const f of mine) outOfFocusFiles.add(f.path);
      }
    }
    for (const f of set.findings) if (!set.focus!.has(f.span.file.path)) outOfFocusFiles.add(f.span.file.path);
  }
  return (f) => {
    if (f.migration !== undefined && focusLabels.has(f.migration)) return true;
    if (f.migration !== undefined && outLabels.has(f.migration)) return false;
    return !outOfFocusFiles.has(f.span.file.path);
  };
}

function levelOf(ruleId: string, config: Config): Severity | 'off' {
  return config.rules[ruleId] ?? findRule(ruleId)?.meta.defaultLevel ?? 'error';
}

// A directive for a --confirm-only rule cannot be "unused" in a static run: it matters under --confirm.
function finish(pending: Pending[], rules: readonly Rule[], config: Config, files: Set<SourceFile>): Finding[] {
  const known = (id: string): boolean => rules.some((r) => r.meta.id === id) || findRule(id) !== undefined;
  const { kept, unused } = applySuppressions(pending, (f) => (f.statementStart === undefined ? [f.span.start] : [f.span.start, f.statementStart]), known, files, (id) => levelOf(id, config) !== 'off' && !findRule(id)?.meta.confirmOnly);
  // Level and help per rule id, looked up once (thousands of findings, a few dozen rules).
  const byRule = new Map<string, { level: Severity | 'off'; rule: Rule | undefined }>();
  const ruleOf = (id: string): { level: Severity | 'off'; rule: Rule | undefined } => {
    let r = byRule.get(id);
    if (!r) byRule.set(id, (r = { level: levelOf(id, config), rule: rules.find((x) => x.meta.id === id) ?? findRule(id) }));
    return r;
  };
  const out: Finding[] = [];
  for (const f of [...kept, ...unused]) {
    const { level, rule } = ruleOf(f.ruleId);
    if (level === 'off') continue;
    out.push({
      ruleId: f.ruleId,
      severity: level,
      message: capped(f.message),
      help: f.help ?? rule?.meta.help,
      span: f.span,
      migration: (f as Pending).migration,
      ...(f.fixes ? { fixes: f.fixes } : {}),
    });
  }
  return out.sort(compareFindings);
}

/** The fixes whose edits lie in the finding's file, in bounds and apart; safe ones first (undefined: none). */
function sanitizedFixes(fixes: readonly Fix[], span: Span): readonly Fix[] | undefined {
  const n = span.file.text.length;
  const kept = fixes.filter((fix) => {
    if (fix.edits.length === 0) return false;
    const edits = [...fix.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    return edits.every((e, i) => e.start >= 0 && e.start <= e.end && e.end <= n && (i === 0 || e.start >= edits[i - 1]!.end));
  });
  kept.sort((a, b) => Number(b.safe) - Number(a.safe));
  return kept.length > 0 ? kept : undefined;
}

/** A message quoting user text (a parser's "at or near <token>") stays readable on huge input. */
function capped(message: string, max = 500): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}

export function compareFindings(a: { span: Span; ruleId: string }, b: { span: Span; ruleId: string }): number {
  if (a.span.file.relPath !== b.span.file.relPath) return a.span.file.relPath < b.span.file.relPath ? -1 : 1;
  return a.span.start - b.span.start || a.span.end - b.span.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
