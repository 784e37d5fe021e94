/**
 * `check --confirm` on the command line: the options, the replay (loaded only here), and the
 * result with confirmations attached and the summary recounted. Imported lazily by main.ts.
 */
import type { Config } from '../engine/config.js';
import type { LintResult } from '../engine/result.js';

export interface ConfirmCliOptions {
  databaseUrl?: string;
  keep?: boolean;
  seedRows?: string;
  seed?: string;
  statementTimeout?: string;
  strict?: boolean;
}

export class ConfirmUsageError extends Error {}

function wholeNumber(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new ConfirmUsageError(`${flag} ${value}: expected a whole number from 0 to ${max.toLocaleString('en-US')}`);
  return Number(value);
}

export interface ConfirmCliIo {
  stderr(text: string): void;
  /** stderr is a terminal: show progress there. */
  readonly progress: boolean;
  /** The terminal's width, when known. */
  readonly columns?: number;
}

export async function confirmCli(result: LintResult, config: Config, opts: ConfirmCliOptions, io: ConfirmCliIo): Promise<{ result: LintResult; summary: string }> {
  const seedRows = wholeNumber('--seed-rows', opts.seedRows, config.confirm?.seedRows ?? 1000, 1_000_000);
  const seed = wholeNumber('--seed', opts.seed, config.confirm?.seed ?? 1, Number.MAX_SAFE_INTEGER);
  let timeoutS = config.confirm?.statementTimeout ?? 60;
  if (opts.statementTimeout !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(opts.statementTimeout) || Number(opts.statementTimeout) <= 0) throw new ConfirmUsageError(`--statement-timeout ${opts.statementTimeout}: expected a number of seconds greater than 0`);
    timeoutS = Number(opts.statementTimeout);
  }
  const databaseUrl = opts.databaseUrl ?? config.confirm?.databaseUrl;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfirmUsageError(`--database-url: expected a postgres:// or postgresql:// URL`);
  if (opts.keep && databaseUrl === undefined) io.stderr('migralint: --keep has no effect without --database-url (PGlite keeps nothing on disk)\n');
  const { confirmResult, ConfirmSetupError } = await import('../confirm/run.js');
  const { formatConfirmSummary } = await import('../confirm/summary.js');
  let lastLen = 0;
  const out = await confirmResult(result, config, {
    databaseUrl,
    keep: opts.keep === true,
    seedRows,
    seed,
    statementTimeoutMs: Math.round(timeoutS * 1000),
    strict: opts.strict === true,
    progress: io.progress
      ? (full) => {
          // One line, rewritten in place: cut to the terminal's width so it never wraps.
          const width = Math.max(20, (io.columns || 80) - 1);
          const line = full.length > width ? `${full.slice(0, width - 1)}…` : full;
          io.stderr(`\r${line.padEnd(lastLen)}`);
          lastLen = line.length;
        }
      : undefined,
    notice: (line) => io.stderr(`${line}\n`),
    onDatabase: process.env.MIGRALINT_TEST_ANNOUNCE_DB === '1' ? (name) => io.stderr(`migralint: throwaway database ${name}\n`) : undefined,
  })
    .catch((err: unknown) => {
      throw err instanceof ConfirmSetupError ? new ConfirmUsageError(err.message) : err;
    })
    .finally(async () => {
      // The booted PGlite (if any) would otherwise keep its worker until the process ends.
      const { shutdownPglite } = await import('../confirm/drivers/pglite.js');
      await shutdownPglite();
    });
  if (io.progress && lastLen > 0) io.stderr(`\r${' '.repeat(lastLen)}\r`);
  const findings = out.findings;
  const summary = {
    ...result.summary,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
  return { result: { ...result, findings, summary, confirm: out.summaries } as LintResult, summary: formatConfirmSummary(out.summaries) };
}
