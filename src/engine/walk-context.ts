/**
 * The contexts rules see while the engine walks a set. One context per rule and set, reading
 * the walk's position from one shared object the engine updates in place: a set of a thousand
 * migrations no longer builds a fresh context per rule, migration and direction (those object
 * literals, getter and closures included, were a tenth of the engine's time).
 *
 * A rule reads its context during its own call: what `migration`, `statement` or `previous` say
 * is the walk's position at that moment.
 */
import type { Dialect, FormatId, Migration, MigrationSet, Operation, Statement } from '../model.js';
import type { Direction, RuleContext } from './rule.js';
import type { SchemaState } from './schema-state.js';

/** Where the walk is: updated by the engine, read by every rule's context. */
export interface WalkPosition {
  migration: Migration;
  direction: Direction;
  schema: SchemaState;
  statement: Statement | undefined;
  previous: Operation[];
  statements: { readonly up: readonly Statement[]; readonly down: readonly Statement[] | null };
}

export class WalkContext implements RuleContext {
  readonly dialect: Dialect;
  readonly format: FormatId;

  constructor(
    readonly set: MigrationSet,
    private readonly at: WalkPosition,
    readonly postgresVersion: number,
    readonly mysqlVersion: string,
    /** An own property (not a method): a rule may pass `ctx.report` around. */
    readonly report: RuleContext['report'],
  ) {
    this.dialect = set.dialect;
    this.format = set.format;
  }

  get migration(): Migration {
    return this.at.migration;
  }
  get direction(): Direction {
    return this.at.direction;
  }
  get schema(): SchemaState {
    return this.at.schema;
  }
  get statement(): Statement | undefined {
    return this.at.statement;
  }
  get previous(): readonly Operation[] {
    return this.at.previous;
  }
  get statements(): WalkPosition['statements'] {
    return this.at.statements;
  }
}
