/**
 * `check --confirm`: replay every set of a lint result on a throwaway database and attach a
 * confirmation to each of its findings, plus the findings only execution makes. Loaded only
 * under --confirm (dynamic import from the CLI and the library API); drivers load lazily in turn.
 *
 * Postgres sets run on PGlite (one boot per run, emptied between sets) or, with a database URL,
 * on a `migralint_tmp_*` database of that server; SQLite sets on in-memory better-sqlite3;
 * MySQL sets are not replayed: every finding of theirs is `skipped` with that reason.
 */
import type { Config } from '../engine/config.js';
import { compareFindings } from '../engine/lint.js';
import { findRule } from '../engine/registry.js';
import type { LintResult } from '../engine/result.js';
import { applySuppressions } from '../engine/suppressions.js';
import type { Finding, Migration, MigrationSet, Span } from '../model.js';
import { replayChain, type ChainResult } from './chain.js';
import type { Connection, Driver } from './driver.js';
import type { StepRun } from './execute.js';
import { loadSafety } from './safety.js';
import { confirmationFor } from './statuses.js';
import type { SetSummary } from './summary.js';

export interface ConfirmOptions {
  readonly databaseUrl?: string;
  readonly keep: boolean;
  readonly seedRows: number;
  readonly seed: number;
  readonly statementTimeoutMs: number;
  /** Keep not-reproduced findings at their level (else they drop to info). */
  readonly strict: boolean;
  /** Progress lines (the CLI passes one only when stderr is a TTY). */
  readonly progress?: (line: string) => void;
  /** Messages for a person (the kept database's name). */
  readonly notice?: (line: string) => void;
  /** Called with the throwaway database's name right after it is created (tests). */
  readonly onDatabase?: (name: string) => void;
}

/** The throwaway database could not be set up (bad URL, server unreachable): one line for the user. */
export class ConfirmSetupError extends Error {}

export interface ConfirmOutput {
  readonly findings: Finding[];
  readonly summaries: SetSummary[];
}

function levelOf(ruleId: string, config: Config): Finding['severity'] | 'off' {
  return config.rules[ruleId] ?? findRule(ruleId)?.meta.defaultLevel ?? 'error';
}

function contains(outer: Span, inner: Span): boolean {
  return outer.file === inner.file && outer.start <= inner.start && inner.end <= outer.end;
}

function setOf(f: Finding, sets: readonly MigrationSet[]): MigrationSet | undefined {
  if (f.migration) {
    const hit = sets.find((s) => f.migration!.startsWith(`${s.root}#`) && s.migrations.some((m) => `${s.root}#${m.id}` === f.migration));
    if (hit) return hit;
  }
  return sets.find((s) => s.migrations.some((m) => [m.file, m.up?.file, m.down?.file].some((x) => x === f.span.file)));
}

export async function confirmResult(result: LintResult, config: Config & { tableRows?: Record<string, number> }, opts: ConfirmOptions): Promise<ConfirmOutput> {
  await loadSafety();
  const { summarizeSet } = await import('./summary.js');
  const bySet = new Map<MigrationSet, Finding[]>();
  const loose: Finding[] = [];
  for (const f of result.findings) {
    const set = setOf(f, result.sets);
    if (!set) loose.push(f);
    else bySet.set(set, [...(bySet.get(set) ?? []), f]);
  }
  const out: Finding[] = [];
  const summaries: SetSummary[] = [];
  for (const f of loose) out.push({ ...f, confirmation: { status: 'skipped', evidence: 'not part of a migration chain that can be replayed' } });

  let pgDriver: Promise<Driver> | undefined;
  let second: Promise<Connection | undefined> | undefined;
  const drivers: Driver[] = [];
  const postgres = async (): Promise<Driver> => {
    if (!pgDriver) {
      pgDriver = (async () => {
        if (opts.databaseUrl) {
          const { openServer } = await import('./drivers/pg.js');
          const d = await openServer(opts.databaseUrl, { keep: opts.keep, onCreated: opts.onDatabase });
          if (opts.keep) opts.notice?.(`migralint: --keep: the throwaway database ${d.database} is kept`);
          return d;
        }
        const { openPglite } = await import('./drivers/pglite.js');
        return openPglite({ statementTimeoutMs: opts.statementTimeoutMs });
      })();
      drivers.push(await pgDriver);
    }
    return pgDriver;
  };

  const runStarted = performance.now();
  try {
    let first = true;
    for (const set of result.sets) {
      const findings = bySet.get(set) ?? [];
      // Only sets in focus count; a set's chain is replayed whole either way.
      if (set.dialect === 'mysql') {
        for (const f of findings) out.push({ ...f, confirmation: { status: 'skipped', evidence: 'no driver for MySQL: --confirm replays Postgres (PGlite, or a server with --database-url) and SQLite sets' } });
        summaries.push({ root: set.root, driver: 'none (MySQL)', migrations: set.migrations.length, applied: 0, failed: 0, downsVerified: 0, downsFailed: 0, confirmed: 0, notReproduced: 0, skipped: findings.length, note: 'MySQL sets are not replayed' });
        continue;
      }
      let driver: Driver;
      try {
        if (set.dialect === 'sqlite') {
          const { openSqlite } = await import('./drivers/sqlite.js');
          driver = await openSqlite();
          drivers.push(driver);
        } else {
          driver = await postgres();
          if (!first) await driver.reset();
          first = false;
          second ??= driver.second ? driver.second() : Promise.resolve(undefined);
        }
      } catch (err) {
        const why = `no database to replay on: ${(err as Error).message.split('\n')[0]}`;
        for (const f of findings) out.push({ ...f, confirmation: { status: 'skipped', evidence: why } });
        summaries.push({ root: set.root, driver: 'none', migrations: set.migrations.length, applied: 0, failed: 0, downsVerified: 0, downsFailed: 0, confirmed: 0, notReproduced: 0, skipped: findings.length, note: why });
        if (set.dialect === 'postgres' && opts.databaseUrl) throw new ConfirmSetupError((err as Error).message.split('\n')[0]);
        continue;
      }
      const started = performance.now();
      const chain = await replayChain(set, driver, set.dialect === 'postgres' ? await second : undefined, {
        seedRows: opts.seedRows,
        seed: opts.seed,
        timeoutMs: opts.statementTimeoutMs,
        progress: opts.progress
          ? (n, total, m: Migration) => opts.progress!(`migralint --confirm: migration ${n} of ${total}: ${m.file.relPath}, ${((performance.now() - runStarted) / 1000).toFixed(1)} s elapsed`)
          : undefined,
      });
      const confirmed = attach(set, findings, chain, driver, config, opts, result);
      out.push(...confirmed);
      summaries.push(summarizeSet(set, driver.label, chain, confirmed, performance.now() - started));
    }
  } finally {
    for (const d of drivers) await d.close().catch(() => undefined);
  }
  return { findings: out.sort(compareFindings), summaries };
}

function attach(set: MigrationSet, staticFindings: Finding[], chain: ChainResult, driver: Driver, config: Config & { tableRows?: Record<string, number> }, opts: ConfirmOptions, result: LintResult): Finding[] {
  const label = (m: Migration): string => `${set.root}#${m.id}`;
  const outcomes = new Map(chain.outcomes.map((o) => [label(o.migration), o]));
  const runsFor = (span: Span): StepRun[] => chain.runs.filter((r) => contains(r.step.span, span) || (r.step.statement !== undefined && contains(r.step.statement.span, span)) || contains(span, r.step.span));
  const ctx = { label: driver.label, runsFor, outcomeOf: (m: string | undefined) => (m ? outcomes.get(m) : undefined), tableRows: config.tableRows ?? {} };

  // New findings: levels from the config, suppression comments honoured.
  const files = new Set(result.sets.flatMap((s) => s.migrations.flatMap((m) => [m.file, m.up?.file, m.down?.file].filter((x) => x !== undefined))));
  const fresh = chain.findings.filter((f) => levelOf(f.ruleId, config) !== 'off');
  const statementStart = (f: { span: Span }): number => runsFor(f.span)[0]?.step.span.start ?? f.span.start;
  const kept = applySuppressions(fresh, (f) => [f.span.start, statementStart(f)], (id) => findRule(id) !== undefined, files).kept;
  const focus = set.focus;
  const inFocus = (f: { span: Span }): boolean => !focus || focus.has(f.span.file.path);
  const all: Finding[] = [
    ...staticFindings,
    ...kept.filter(inFocus).map((f): Finding => ({ ruleId: f.ruleId, severity: levelOf(f.ruleId, config) as Finding['severity'], message: f.message, help: f.help ?? findRule(f.ruleId)?.meta.help, span: f.span, migration: f.migration })),
  ];
  return all.map((f) => {
    const confirmation = confirmationFor(f, ctx);
    const severity = confirmation.status === 'not-reproduced' && !opts.strict ? 'info' : f.severity;
    return { ...f, severity, confirmation };
  });
}
