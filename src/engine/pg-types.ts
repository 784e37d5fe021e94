/**
 * Postgres column types as the rules compare them: the name Postgres resolves a spelling to
 * (`character varying(20)` → `varchar` with modifier 20), and which type changes Postgres makes
 * without rewriting the table (each verified on Postgres 15 by comparing pg_class.relfilenode
 * before and after; see rules/no-column-type-change.md).
 */
export interface PgType {
  readonly base: string;
  /** Modifiers (`(20)`, `(10,2)`); empty when none are given. */
  readonly mods: readonly number[];
  readonly array: boolean;
}

const ALIASES: Record<string, string> = {
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  integer: 'int4',
  int: 'int4',
  serial: 'int4',
  serial4: 'int4',
  smallint: 'int2',
  smallserial: 'int2',
  serial2: 'int2',
  bigint: 'int8',
  bigserial: 'int8',
  serial8: 'int8',
  decimal: 'numeric',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'double precision': 'float8',
  double: 'float8',
  real: 'float4',
  float: 'float8',
  boolean: 'bool',
  'bit varying': 'varbit',
};

export function parsePgType(text: string | undefined): PgType | undefined {
  if (!text) return undefined;
  let s = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/^pg_catalog\./, '').replace(/^"|"$/g, '');
  let array = false;
  if (s.endsWith('[]')) {
    array = true;
    s = s.slice(0, -2).trim();
  }
  let mods: number[] = [];
  const m = /^(.*?)\s*\(([^)]*)\)\s*(.*)$/.exec(s);
  if (m) {
    mods = m[2]!.split(',').map((x) => Number(x.trim()));
    if (mods.some((x) => !Number.isFinite(x))) mods = [];
    s = `${m[1]!}${m[3] ? ` ${m[3]}` : ''}`.trim();
  }
  const base = ALIASES[s] ?? s;
  // Postgres' default scale for numeric(p) is 0.
  if (base === 'numeric' && mods.length === 1) mods = [mods[0]!, 0];
  if (base === 'bpchar' && mods.length === 0 && /^(char|character)$/.test(s)) mods = [1];
  return { base, mods, array };
}

/** Internal names a message shows as Postgres' own format_type does (what users write). */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  bpchar: 'character',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varbit: 'bit varying',
};

/** A type as a message shows it: `integer`, `character(26)`, `varchar(3)`, `text[]`. */
export function formatPgType(t: PgType): string {
  return `${DISPLAY_NAMES[t.base] ?? t.base}${t.mods.length ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}`;
}

/**
 * Postgres changes `from` to `to` without rewriting the table (nor rebuilding its indexes):
 * true, false, or `'utc-only'` for timestamp ↔ timestamptz, which skips the rewrite only when
 * the session's TimeZone is UTC (Postgres 12+).
 */
export function isBinaryCompatibleChange(from: PgType, to: PgType): boolean | 'utc-only' {
  if (from.array !== to.array) return false;
  if (from.base === to.base && sameMods(from.mods, to.mods)) return true;
  const noLimit = to.mods.length === 0;
  const widens = (fromN: number | undefined, toN: number | undefined): boolean => fromN !== undefined && toN !== undefined && toN >= fromN;
  const varlen = (b: string): boolean => b === 'varchar' || b === 'text';
  if (varlen(from.base) && to.base === 'text') return true;
  if (from.base === 'varchar' && to.base === 'varchar') return noLimit || widens(from.mods[0], to.mods[0]);
  if (from.base === 'text' && to.base === 'varchar') return noLimit;
  if (from.base === 'varbit' && to.base === 'varbit') return noLimit || widens(from.mods[0], to.mods[0]);
  if (from.base === 'numeric' && to.base === 'numeric') {
    if (noLimit) return true;
    if (from.mods.length === 0) return false;
    return widens(from.mods[0], to.mods[0]) && from.mods[1] === to.mods[1];
  }
  if (from.base === 'cidr' && to.base === 'inet') return true;
  if ((from.base === 'timestamp' && to.base === 'timestamptz') || (from.base === 'timestamptz' && to.base === 'timestamp')) return 'utc-only';
  return false;
}

function sameMods(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
