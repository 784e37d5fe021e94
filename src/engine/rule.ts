/**
 * The rule API. A rule is metadata plus pure functions over normalized operations, the schema
 * state the engine tracks, and the migration being linted. Rules never compute lines or columns:
 * they report spans.
 */
import type { Dialect, Fix, FormatId, Level, Migration, MigrationSet, Operation, Span, Statement } from '../model.js';
import type { SchemaState } from './schema-state.js';

export const DOCS_BASE = 'https://github.com/migralint/migralint/blob/main/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

export interface RuleMeta {
  /** Stable public id: used in configs, suppressions, SARIF and the ESLint plugin. */
  readonly id: string;
  /** One sentence: what the rule reports. */
  readonly description: string;
  /** One sentence: the safe alternative, shown as the help line of every finding. */
  readonly help: string;
  /** Level when the config says nothing (`off`: opt-in, enabled only by the config or --rule). */
  readonly defaultLevel: Level;
  /** Dialects the rule applies to. */
  readonly dialects: readonly Dialect[];
  /** Part of the recommended set (all core rules are). */
  readonly recommended: boolean;
  /** Migration formats the rule applies to (default: every format). */
  readonly formats?: readonly FormatId[];
  /** Reported only by `--confirm` (from what the database did), never statically. */
  readonly confirmOnly?: boolean;
  /** Some findings carry a fix or a suggestion (`report({ fixes })`); shown by `rules --format json`. */
  readonly fixable?: boolean;
}

export type Direction = 'up' | 'down';

export interface RuleContext {
  readonly set: MigrationSet;
  readonly migration: Migration;
  readonly direction: Direction;
  readonly dialect: Dialect;
  readonly format: FormatId;
  /** Schema as it stands just before the current operation. */
  readonly schema: SchemaState;
  /** The statement holding the current operation (undefined in `checkMigration`). */
  readonly statement?: Statement;
  /** Operations of this migration and direction that ran before the current one. */
  readonly previous: readonly Operation[];
  /** All statements of this migration: up, and down (null when there is no down). */
  readonly statements: { readonly up: readonly Statement[]; readonly down: readonly Statement[] | null };
  /** Configured Postgres major version (default 14). */
  readonly postgresVersion: number;
  /** Configured MySQL/MariaDB server version, `8.0.12` style (default `8.4.0`). */
  readonly mysqlVersion: string;
  /** `fixes`: rewrites of the SQL that make this finding go away (see `Fix`); dropped for non-SQL sources. */
  report(finding: { message: string; span: Span; help?: string; fixes?: readonly Fix[] }): void;
}

export type OperationKind = Operation['kind'];

export interface Rule {
  readonly meta: RuleMeta;
  /**
   * The operation kinds `checkOperation` looks at: the engine calls it for those only. Absent:
   * for every operation (a rule that reads each statement, or asks a helper about any kind).
   */
  readonly operationKinds?: readonly OperationKind[];
  /** Called for every operation (of `operationKinds`) of every statement, in order, before the operation is applied. */
  checkOperation?(op: Operation, ctx: RuleContext): void;
  /** Called once per migration and direction, before its statements. */
  checkMigration?(ctx: RuleContext): void;
}

/**
 * A rule that looks at some operation kinds only: its `checkOperation` gets `op` typed as those
 * kinds, so a test of a kind the list leaves out (`op.kind === 'drop-index'`) does not compile.
 */
export function defineRule<const K extends OperationKind>(
  rule: Omit<Rule, 'operationKinds' | 'checkOperation'> & { readonly operationKinds: readonly K[]; checkOperation(op: Extract<Operation, { kind: K }>, ctx: RuleContext): void },
): Rule;
export function defineRule(rule: Omit<Rule, 'operationKinds'>): Rule;
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** How a table reference reads in a message: `schema.name` or `name`. */
export function tableName(t: { schema?: string; name: string }): string {
  return t.schema ? `${t.schema}.${t.name}` : t.name;
}
