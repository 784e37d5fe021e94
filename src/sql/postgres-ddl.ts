/**
 * Postgres statements lowered beyond the core DDL of postgres.ts: maintenance (REINDEX, VACUUM,
 * CLUSTER), partitions, domains, databases, run-time settings, and the normalized spelling of a
 * column type with its modifiers. Pure functions over libpg-query's JSON AST.
 */
import type { Operation, Span, TableRef } from '../model.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = Record<string, any>;

function rangeVar(r: PgNode | undefined): TableRef {
  const rv = r?.RangeVar ?? r ?? {};
  return rv.schemaname ? { schema: rv.schemaname, name: rv.relname ?? '?' } : { name: rv.relname ?? '?' };
}

function hasOption(list: PgNode[] | undefined, name: string): boolean {
  return (list ?? []).some((o) => o.DefElem?.defname === name && o.DefElem?.arg?.Boolean?.boolval !== false && !/^(?:false|off|0)$/i.test(String(o.DefElem?.arg?.String?.sval ?? '')));
}

/** The constant a SET assigns, as text (`'2s'` → `2s`, `1000` → `1000`, `0` → `0`). */
function constText(c: PgNode | undefined): string | null {
  const a = c?.A_Const ?? c?.TypeCast?.arg?.A_Const;
  if (!a) return null;
  if (a.sval) return String(a.sval.sval ?? '');
  if (a.ival) return String(a.ival.ival ?? 0);
  if (a.fval) return String(a.fval.fval ?? '0');
  if (a.boolval) return String(a.boolval.boolval ?? false);
  return null;
}

const REINDEX_TARGETS: Record<string, 'index' | 'table' | 'schema' | 'database' | 'system'> = {
  REINDEX_OBJECT_INDEX: 'index',
  REINDEX_OBJECT_TABLE: 'table',
  REINDEX_OBJECT_SCHEMA: 'schema',
  REINDEX_OBJECT_DATABASE: 'database',
  REINDEX_OBJECT_SYSTEM: 'system',
};

/** libpg-query's LockStmt.mode: Postgres's lock mode numbers (lockdefs.h). */
const LOCK_MODES: Record<number, string> = {
  1: 'ACCESS SHARE',
  2: 'ROW SHARE',
  3: 'ROW EXCLUSIVE',
  4: 'SHARE UPDATE EXCLUSIVE',
  5: 'SHARE',
  6: 'SHARE ROW EXCLUSIVE',
  7: 'EXCLUSIVE',
  8: 'ACCESS EXCLUSIVE',
};

/** Statements postgres.ts does not lower itself; undefined when this module does not either. */
export function lowerPostgresDdl(type: string, n: PgNode, span: Span): Operation[] | undefined {
  switch (type) {
    case 'ReindexStmt': {
      const target = REINDEX_TARGETS[n.kind as string] ?? 'table';
      const table = n.relation ? rangeVar(n.relation) : undefined;
      const name = table ? (table.schema ? `${table.schema}.${table.name}` : table.name) : String(n.name ?? '');
      // `REINDEX (CONCURRENTLY)` (PG 12+ options list) and the older `concurrent` flag.
      const concurrently = hasOption(n.params, 'concurrently') || !!n.concurrent;
      return [{ kind: 'reindex', span, target, name, ...(target === 'table' && table ? { table } : {}), concurrently }];
    }
    case 'VacuumStmt': {
      if (n.is_vacuumcmd === false) return undefined; // ANALYZE
      const tables = (n.rels ?? []).map((r: PgNode) => rangeVar(r.VacuumRelation?.relation));
      return [{ kind: 'vacuum', span, full: hasOption(n.options, 'full'), tables }];
    }
    case 'ClusterStmt':
      return [{ kind: 'cluster', span, ...(n.relation ? { table: rangeVar(n.relation) } : {}) }];
    case 'AlterDomainStmt': {
      const names: string[] = (n.typeName ?? []).map((x: PgNode) => x.String?.sval).filter(Boolean);
      const name = names.join('.') || '?';
      const sub = n.subtype as string;
      if (sub === 'C') return [{ kind: 'alter-domain', span, name, action: 'add-constraint', validated: !n.def?.Constraint?.skip_validation }];
      if (sub === 'O') return [{ kind: 'alter-domain', span, name, action: 'set-not-null', validated: true }];
      if (sub === 'V') return [{ kind: 'alter-domain', span, name, action: 'validate-constraint', validated: true }];
      return [{ kind: 'alter-domain', span, name, action: 'other', validated: true }];
    }
    case 'LockStmt': {
      const tables = (n.relations ?? []).map((r: PgNode) => rangeVar(r));
      return [{ kind: 'lock-table', span, tables, mode: LOCK_MODES[Number(n.mode ?? 8)] ?? 'ACCESS EXCLUSIVE' }];
    }
    case 'DropdbStmt':
      return [{ kind: 'drop-database', span, name: String(n.dbname ?? '?'), ifExists: !!n.missing_ok }];
    case 'VariableSetStmt': {
      const kind = n.kind as string;
      const name = String(n.name ?? '').toLowerCase();
      if (!name) return undefined;
      if (kind === 'VAR_SET_VALUE') return [{ kind: 'set-setting', span, name, value: constText(n.args?.[0]), local: !!n.is_local }];
      if (kind === 'VAR_SET_DEFAULT' || kind === 'VAR_RESET') return [{ kind: 'set-setting', span, name, value: null, local: !!n.is_local }];
      return undefined;
    }
    default:
      return undefined;
  }
}

/** ALTER TABLE sub-commands postgres.ts does not lower itself. */
export function lowerAlterTableCmd(cmd: PgNode, table: TableRef, span: Span): Operation | undefined {
  if (cmd.subtype === 'AT_DetachPartition') {
    const pc: PgNode = cmd.def?.PartitionCmd ?? {};
    return { kind: 'detach-partition', span, table, partition: rangeVar(pc.name), concurrently: !!pc.concurrent };
  }
  return undefined;
}

/** `varchar(20)`, `numeric(10,2)`, `int4[]`: the type name Postgres resolves to, with its modifiers. */
export function pgFullType(tn: PgNode | undefined): string | undefined {
  const names: string[] = (tn?.names ?? []).map((x: PgNode) => x.String?.sval).filter(Boolean);
  if (names.length === 0) return undefined;
  const base = names[names.length - 1]!;
  const mods: string[] = (tn?.typmods ?? []).map((m: PgNode) => constText(m) ?? '?');
  const array = tn?.arrayBounds ? '[]' : '';
  return `${base}${mods.length ? `(${mods.join(',')})` : ''}${array}`;
}

/** A USING expression other than a bare reference to the column itself. */
export function isUsingExpr(expr: PgNode | undefined, column: string): boolean {
  if (!expr) return false;
  const fields: PgNode[] = expr.ColumnRef?.fields ?? [];
  return !(fields.length === 1 && fields[0]!.String?.sval === column);
}
