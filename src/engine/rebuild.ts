/**
 * Table rebuilds and copies, as the rules see them. SQLite cannot alter a column, so Prisma,
 * Drizzle, Knex and hand-written migrations rebuild the table:
 *
 *   CREATE TABLE new_x (...); INSERT INTO new_x (...) SELECT ... FROM x; DROP TABLE x;
 *   ALTER TABLE new_x RENAME TO x;                         (Prisma `new_x`, Drizzle `__new_x`)
 *
 *   ALTER TABLE x RENAME TO _x_old; CREATE TABLE x (...);
 *   INSERT INTO x SELECT ... FROM _x_old; DROP TABLE _x_old;     (Knex, hand-written)
 *
 *   CREATE TABLE x_backup AS SELECT * FROM x; DROP TABLE x; CREATE TABLE x (...);
 *   INSERT INTO x SELECT ... FROM x_backup; DROP TABLE x_backup;  (backup tables)
 *
 * The schema state records each copy (`TableState.copyOf`: whose rows, which columns, all rows or
 * a filtered part). A copy is a *rebuild* of `x` when the table holding it ends the migration
 * under the name `x` had when the migration began; otherwise it is a copy into another table.
 */
import type { Operation, TableRef } from '../model.js';
import type { OperationKind, RuleContext } from './rule.js';
import { firstIndexAfter, indicesOfKind, statementOps } from './rule-support.js';
import type { TableState } from './schema-state.js';


/** Tables created by this migration that hold a copy of `table`'s rows (or of the rows it holds). */
export function holdersOf(ctx: RuleContext, table: TableState): TableState[] {
  const origin = table.copyOf?.origin ?? table.id;
  const holds = (t: TableState): boolean => t !== table && t.copyOf?.origin === origin && t.createdIn === ctx.migration.id;
  // Most tables dropped have no holder: look among the few that may hold a copy before going
  // through every table the chain knows (in their order: the first holder names the message).
  let any = false;
  for (const t of ctx.schema.mayHoldCopies()) if ((any = holds(t))) break;
  return any ? ctx.schema.allTables().filter(holds) : [];
}

/** Operations of this migration and direction after the current one. */
export function laterOps(ctx: RuleContext, op: Operation): Operation[] {
  const statements = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
  const i = ctx.statement ? statements.indexOf(ctx.statement) : -1;
  if (i < 0) return [];
  const here = statements[i]!.ops;
  return [...here.slice(here.indexOf(op) + 1), ...statements.slice(i + 1).flatMap((s) => s.ops)];
}

/** The kinds `finalName` follows (and so `isRebuild` and `mainHolder`). */
export const NAMING_KINDS = ['rename-table', 'drop-table'] as const;

type OpOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/**
 * `laterOps` of the given kinds only, in order. Looked up in the migration's operations filed by
 * kind (src/engine/rule-support.ts) from the current operation's position, instead of copying
 * every operation still to come on each call: that was quadratic in a migration with many
 * renames (no-rename-column asks on each one).
 */
export function laterOpsOf<K extends OperationKind>(ctx: RuleContext, op: Operation, kinds: readonly K[]): OpOf<K>[] {
  const statements = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
  const flat = statementOps(statements);
  // In the engine's walk `ctx.previous` holds exactly the operations before this one.
  const at = ctx.previous.length;
  if (flat[at] !== op || !ctx.statement?.ops.includes(op)) return laterOps(ctx, op).filter((o): o is OpOf<K> => (kinds as readonly OperationKind[]).includes(o.kind));
  const found: number[] = [];
  for (const kind of kinds) {
    const indices = indicesOfKind(flat, kind);
    for (let i = firstIndexAfter(indices, at); i < indices.length; i++) found.push(indices[i]!);
  }
  if (kinds.length > 1) found.sort((a, b) => a - b);
  return found.map((i) => flat[i] as OpOf<K>);
}


/** The name a table ends this migration with, following the renames still to come. */
export function finalName(ctx: RuleContext, table: TableRef, later: readonly Operation[]): TableRef | undefined {
  const sameName = (a: TableRef, b: TableRef): boolean => ctx.schema.same(a, b);
  let current: TableRef = table;
  for (const op of later) {
    if (op.kind === 'rename-table' && sameName(op.table, current)) current = { ...(current.schema ? { schema: current.schema } : {}), name: op.to };
    else if (op.kind === 'drop-table' && sameName(op.table, current)) return undefined;
  }
  return current;
}

/** The holder ends the migration as the table it copied: a rebuild of that table. */
export function isRebuild(ctx: RuleContext, holder: TableState, later: readonly Operation[]): boolean {
  if (!holder.copyOf) return false;
  const end = finalName(ctx, { ...(holder.schema ? { schema: holder.schema } : {}), name: holder.name }, later);
  return end !== undefined && ctx.schema.same(end, holder.copyOf.originName);
}

/** Of several holders, the one a message is best about: a rebuild first, then a full copy. */
export function mainHolder(ctx: RuleContext, holders: readonly TableState[], later: readonly Operation[]): TableState | undefined {
  return holders.find((h) => isRebuild(ctx, h, later)) ?? holders.find((h) => h.copyOf?.full) ?? holders[0];
}
