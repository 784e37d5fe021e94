/** What one `migralint check` run produced: the input to every reporter. */
import type { Dialect, FileProblem, Finding, MigrationSet } from '../model.js';
import type { Rule } from './rule.js';

export interface LintSummary {
  readonly sets: number;
  readonly migrations: number;
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Share of JS/TS (Knex) operations that could be analysed statically, when any were seen. */
  readonly analyzable?: { readonly analyzed: number; readonly total: number };
  /** Sets whose dialect nothing in the project named or implied: the dialect assumed, and the sets. */
  readonly dialectAssumed?: { readonly dialect: Dialect; readonly sets: readonly string[] };
}

export interface LintResult {
  /** Sorted by file, then position. */
  readonly findings: Finding[];
  readonly fileProblems: FileProblem[];
  readonly sets: MigrationSet[];
  /** Every rule known to the run (core and system rules), for SARIF's rules table. */
  readonly rules: readonly Rule[];
  readonly summary: LintSummary;
  /** Working directory the relative paths are relative to. */
  readonly cwd: string;
}
