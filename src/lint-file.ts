/**
 * Lint one file in the context of its migration set, synchronously: what an editor integration
 * (the ESLint plugin) needs on every keystroke. The file's own text comes from the caller (the
 * editor's buffer); the other files of its set are read from disk, exactly as `migralint check
 * FILE` would find and read them (same discovery, same loaders, same engine).
 *
 * A `FileLinter` keeps what does not change between calls: a file whose stat is what it was just
 * before it was read is not read again (see LoadContext), a section whose text is unchanged is
 * not parsed again, and the schema the migrations before the linted one build is not walked again
 * while they are unchanged (src/engine/kept-chains.ts).
 *
 *   const linter = await FileLinter.create();
 *   const { findings } = linter.lint('/repo/db/migrations/002_drop.sql', { cwd: '/repo', text });
 */
import path from 'node:path';
import { discoverSync, prepareSyncDiscovery, type SyncDiscovery } from './discover/discover.js';
import { ConfigError, DEFAULT_CONFIG, loadConfigSync, type Config } from './engine/config.js';
import { KeptChains } from './engine/kept-chains.js';
import { lintWith } from './engine/lint.js';
import { RULES } from './engine/registry.js';
import type { Dialect, FileProblem, Finding, MigrationSet, Section, SourceFile } from './model.js';
import type { KnexProgram } from './sources/knex/interpret.js';
import { LoadContext } from './sources/set-builder.js';
import type { ParseOutcome, SectionParser } from './sql/parser.js';

export interface FileLintOptions {
  /** Working directory: relative paths in messages, and where `ignore` globs start. */
  readonly cwd: string;
  /** The file's current text (an editor buffer); read from disk when omitted. */
  readonly text?: string;
  /** Forces the dialect (else detected as the CLI detects it: knexfile client, Prisma lock, ...). */
  readonly dialect?: Dialect;
  readonly postgresVersion?: number;
  /** A Knex file's Program, already parsed (ESLint's own AST), used instead of oxc-parser's. */
  readonly knexProgram?: KnexProgram;
  /**
   * Run the opt-in rules too (at `warn`): the ESLint plugin reports each rule only where the
   * ESLint config turns it on, so the engine must not leave any out.
   */
  readonly allRules?: boolean;
}

export interface FileLintResult {
  /** Findings located in this file (every rule at its default level, or every rule with `allRules`; suppressions applied). */
  readonly findings: Finding[];
  /** The sets the file was linted in (usually one). */
  readonly sets: MigrationSet[];
  /** Why the file, or another file of its set, could not be read. */
  readonly fileProblems: FileProblem[];
}

export class FileLinter {
  private readonly contexts = new Map<string, LoadContext>();
  private readonly parsed = new WeakMap<SourceFile, Map<string, ParseOutcome>>();
  private readonly parsers = new Map<Dialect, SectionParser>();
  /** The schema each set's migrations before the linted one build, for the next lint after them. */
  private readonly chains = new KeptChains();

  private constructor(private readonly loaded: SyncDiscovery) {}

  /**
   * Loads the layout loaders and the Postgres parser (the only asynchronous step); `dialects`
   * names other parsers to load now rather than on first use.
   */
  static async create(dialects: readonly Dialect[] = []): Promise<FileLinter> {
    return new FileLinter(await prepareSyncDiscovery(dialects));
  }

  private parserOf(dialect: Dialect): SectionParser {
    let parser = this.parsers.get(dialect);
    if (!parser) {
      parser = this.cachedParser(dialect, this.loaded.parserOf(dialect));
      this.parsers.set(dialect, parser);
    }
    return parser;
  }

  lint(file: string, options: FileLintOptions): FileLintResult {
    const abs = path.resolve(options.cwd, file);
    // The project's migralint config, the nearest one above the file (what `migralint check` run
    // in the file's project finds): its dialect, layout, server versions, file-size cap and
    // ignore globs apply here too (the caller's options win). Rule levels stay the caller's
    // (ESLint's config decides those).
    let project: Config;
    const problems: FileProblem[] = [];
    try {
      project = loadConfigSync(options.cwd, undefined, path.dirname(abs));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      project = DEFAULT_CONFIG;
      problems.push({ path: options.cwd, reason: `${err.message}; linting with the defaults` });
    }
    const context = this.contextFor(options.cwd);
    const overrides = options.text === undefined ? undefined : new Map([[abs, options.text]]);
    const found = discoverSync(
      [abs],
      {
        cwd: options.cwd,
        dialect: options.dialect ?? project.dialect,
        ...(project.format ? { format: project.format } : {}),
        ...(project.maxFileSizeMiB !== undefined ? { maxFileSizeMiB: project.maxFileSizeMiB } : {}),
        ignore: project.ignore,
        overrides,
        context,
        knexPrograms: options.knexProgram ? new Map([[abs, options.knexProgram]]) : undefined,
      },
      this.loaded,
    );
    const rules = options.allRules ? Object.fromEntries(RULES.filter((r) => r.meta.defaultLevel === 'off').map((r) => [r.meta.id, 'warn' as const])) : {};
    const config: Config = {
      rules,
      ignore: [],
      postgresVersion: options.postgresVersion ?? project.postgresVersion,
      ...(project.mysqlVersion !== undefined ? { mysqlVersion: project.mysqlVersion } : {}),
    };
    const { findings } = lintWith(found.sets, RULES, config, (d) => this.parserOf(d), this.chains);
    return {
      findings: findings.filter((f) => f.span.file.path === abs),
      sets: found.sets,
      fileProblems: [...problems, ...found.fileProblems],
    };
  }

  private contextFor(cwd: string): LoadContext {
    let ctx = this.contexts.get(cwd);
    if (!ctx) {
      // What a context knows of a file is its own: one context's reads say nothing about the
      // text another context cached (an ESLint instance with another cwd, SQL beside Knex).
      ctx = new LoadContext(cwd, true);
      this.contexts.set(cwd, ctx);
    }
    return ctx;
  }

  /** A parser that remembers its outcome per file text and section. */
  private cachedParser(dialect: Dialect, parser: SectionParser): SectionParser {
    return (section: Section) => {
      let byRange = this.parsed.get(section.file);
      if (!byRange) {
        byRange = new Map();
        this.parsed.set(section.file, byRange);
      }
      const key = `${dialect}:${section.start}:${section.end}`;
      let out = byRange.get(key);
      if (!out) {
        out = parser(section);
        byRange.set(key, out);
      }
      return out;
    };
  }
}
