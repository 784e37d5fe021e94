/**
 * Seeding existing tables with realistic, valid rows before a migration runs (confirm step 2).
 *
 * Tables are read from the catalogs (seed/introspect.ts); rows are built per column from the
 * column's type, its bounds from CHECK constraints (seed/checks.ts) and its role: unique
 * columns get injective values, foreign keys take their parents' keys (parents first, parents
 * outside the list seeded when empty, self-references and cycles set after insertion),
 * nullable columns get a share of NULLs, others a share of shared values and of values at
 * the edge of their type (seed/values.ts). Columns the database fills (DEFAULT, identity,
 * serial, the SQLite rowid) are left to it; generated columns are never written.
 *
 * Rows that would still break a constraint the seeder could not reason about are dropped by
 * the database, not forced: Postgres inserts through `ON CONFLICT DO NOTHING` and a WHERE that
 * evaluates the table's CHECKs, SQLite through `INSERT OR IGNORE`; a short fall is topped up
 * from further candidates (up to three rounds), and a batch the database rejects is retried row
 * by row. The result says how many rows each table got, and why none when none.
 *
 * Deterministic: the values of a column depend only on (seed, table, column, row index).
 */
import type { Driver } from './driver.js';
import { toDbError } from './driver.js';
import { introspectPostgres, introspectSqlite } from './seed/introspect.js';
import type { ColumnInfo, ForeignKey, TableInfo } from './seed/model.js';
import { columnBounds, loadCheckParser, type ColumnPair } from './seed/checks.js';
import type { JsonShape } from './seed/json-shapes.js';
import { hashSeed, prng, render, valueFor, type Bounds, type Mode } from './seed/values.js';
import { parseTableName, quoteIdent, quoteTable } from './table-name.js';

export interface SeedOptions {
  readonly rows: number;
  readonly seed: number;
  /** The JSON shape of columns by name, from how the chain uses them (seed/json-shapes.ts). */
  readonly jsonShapes?: ReadonlyMap<string, JsonShape>;
}

export interface SeedResult {
  readonly table: string;
  readonly rows: number;
  readonly skipped?: string;
  /** Rows the table held before seeding. */
  readonly existing?: number;
  /** Seeded only because a requested table references it. */
  readonly asParent?: boolean;
  /** Of the first round's candidate rows, how many the database refused (a constraint the seeder could not satisfy up front, a duplicate key). */
  readonly dropped?: number;
}

const BATCH_ROWS = 500;
const BATCH_CHARS = 1_000_000;
const NULL_SHARE = 0.1;
const MAX_ROUNDS = 5;

interface Plan {
  readonly table: TableInfo;
  readonly insert: ColumnInfo[];
  readonly bounds: Map<string, Bounds & { readonly notNull?: boolean }>;
  /** CHECKs comparing two columns: rows are fixed up by swapping the two values. */
  readonly pairs: ColumnPair[];
  /** Columns given injective values. */
  readonly unique: Set<string>;
  /** FKs filled from parent keys at insert time. */
  readonly fks: ForeignKey[];
  /** FKs left NULL at insert and set afterwards (self-references, broken cycles). */
  readonly later: ForeignKey[];
  /** FKs whose key tuples must be distinct per row (the FK columns are unique). */
  readonly distinctFks: Set<ForeignKey>;
  /** Composite uniques made only of FK columns: enumerate combinations of parent keys. */
  readonly comboFks: ForeignKey[] | undefined;
}

function ref(t: TableInfo) {
  return t.schema === undefined ? { name: t.name } : { schema: t.schema, name: t.name };
}

async function count(driver: Driver, t: TableInfo): Promise<number> {
  const r = await driver.query(`SELECT count(*) AS n FROM ${quoteTable(ref(t))}`);
  return Number(r.rows[0]?.n ?? 0);
}

/** Parent key tuples as SQL literals, ready to go into VALUES. */
async function parentKeys(driver: Driver, parent: TableInfo, cols: readonly string[]): Promise<string[][]> {
  const q = cols.map(quoteIdent);
  const sel = cols.map((c, i) =>
    driver.dialect === 'postgres' ? `quote_literal(${q[i]}::text) AS k${i}` : `quote(${q[i]}) AS k${i}`);
  const where = q.map((c) => `${c} IS NOT NULL`).join(' AND ');
  const r = await driver.query(`SELECT DISTINCT ${sel.join(', ')} FROM ${quoteTable(ref(parent))} WHERE ${where} ORDER BY ${cols.map((_, i) => `k${i}`).join(', ')} LIMIT 20000`);
  return r.rows.map((row) => cols.map((_, i) => String(row[`k${i}`])));
}

/** Order tables parents first; edges that close a cycle are returned to be filled later. */
function order(catalog: Map<string, TableInfo>, keys: readonly string[]): { order: string[]; later: Map<string, ForeignKey[]>; stuck: Map<string, string> } {
  const set = new Set(keys);
  const done = new Set<string>();
  const out: string[] = [];
  const later = new Map<string, ForeignKey[]>();
  const stuck = new Map<string, string>();
  const pending = (k: string): ForeignKey[] =>
    (catalog.get(k)?.fks ?? []).filter((f) => f.parent !== k && set.has(f.parent) && !done.has(f.parent) && !(later.get(k) ?? []).includes(f));
  const remaining = [...keys];
  while (remaining.length > 0) {
    const idx = remaining.findIndex((k) => pending(k).length === 0);
    if (idx >= 0) {
      const k = remaining.splice(idx, 1)[0]!;
      done.add(k);
      out.push(k);
      continue;
    }
    // A cycle: break it at a table whose pending FKs are all nullable (they are set afterwards).
    const nullable = (k: string, f: ForeignKey) => f.columns.every((c) => !catalog.get(k)!.columns.find((x) => x.name === c)?.notNull);
    const breakAt = remaining.findIndex((k) => pending(k).every((f) => nullable(k, f)));
    if (breakAt < 0) {
      for (const k of remaining) stuck.set(k, 'its foreign keys form a cycle with NOT NULL columns on every edge');
      break;
    }
    const k = remaining[breakAt]!;
    later.set(k, [...(later.get(k) ?? []), ...pending(k)]);
  }
  return { order: out, later, stuck };
}

function plan(t: TableInfo, later: readonly ForeignKey[], dialect: Driver['dialect']): Plan {
  const fkCols = new Set(t.fks.flatMap((f) => f.columns));
  const uniqueCols = new Set(t.uniques.flat());
  const insert = t.columns.filter(
    (c) => !c.neverInsert && (!c.hasDefault || fkCols.has(c.name) || (uniqueCols.has(c.name) && c.constantDefault)),
  );
  const inserted = new Set(insert.map((c) => c.name));
  const selfOrLater = [...later, ...t.fks.filter((f) => f.parent === t.key && !later.includes(f))];
  // A NOT NULL self-reference cannot wait: it points at its own row (keys we generate).
  const selfNow = selfOrLater.filter((f) => f.parent === t.key && f.columns.some((c) => t.columns.find((x) => x.name === c)?.notNull));
  const laterFks = selfOrLater.filter((f) => !selfNow.includes(f));
  const fks = t.fks.filter((f) => !selfOrLater.includes(f) && f.columns.every((c) => inserted.has(c)));
  const unique = new Set<string>();
  const distinctFks = new Set<ForeignKey>();
  let comboFks: ForeignKey[] | undefined;
  for (const u of t.uniques) {
    // Satisfied by a column the database fills (serial, identity, uuid default)?
    if (u.some((c) => !inserted.has(c))) continue;
    const free = u.find((c) => !fkCols.has(c));
    if (free) {
      unique.add(free);
      continue;
    }
    const involved = fks.filter((f) => f.columns.some((c) => u.includes(c)));
    if (involved.length === 1) distinctFks.add(involved[0]!);
    else if (involved.length > 1) comboFks = involved;
  }
  for (const f of selfNow) for (const c of f.parentColumns) unique.add(c);
  const { columns: bounds, pairs } = columnBounds(t, dialect);
  return { table: t, insert, bounds, pairs, unique, fks, later: laterFks, distinctFks, comboFks };
}

interface RowContext {
  readonly plan: Plan;
  readonly keys: Map<ForeignKey, string[][]>;
  readonly dialect: Driver['dialect'];
  readonly rowStream: () => number;
  /** Per insert column, what building its value needs (computed once per table). */
  readonly cols: readonly {
    readonly c: ColumnInfo;
    readonly fk?: { readonly fk: ForeignKey; readonly pos: number };
    readonly later: boolean;
    readonly stream: () => number;
    readonly bounds: Bounds & { readonly notNull?: boolean };
    readonly unique: boolean;
  }[];
  readonly fkNullable: Map<ForeignKey, boolean>;
  /** NOT NULL self-references: set to the row's own key. */
  readonly selfNow: readonly ForeignKey[];
}

function context(p: Plan, keys: Map<ForeignKey, string[][]>, dialect: Driver['dialect'], seed: number): RowContext {
  const fkOf = new Map<string, { fk: ForeignKey; pos: number }>();
  for (const f of p.fks) f.columns.forEach((c, pos) => fkOf.set(c, { fk: f, pos }));
  const laterCols = new Set(p.later.flatMap((f) => f.columns));
  const notNull = new Set(p.table.columns.filter((c) => c.notNull).map((c) => c.name));
  return {
    plan: p,
    keys,
    dialect,
    rowStream: prng(hashSeed(seed, p.table.key, '\u0000row')),
    cols: p.insert.map((c) => ({
      c,
      ...(fkOf.has(c.name) ? { fk: fkOf.get(c.name)! } : {}),
      later: laterCols.has(c.name),
      stream: prng(hashSeed(seed, p.table.key, c.name)),
      bounds: p.bounds.get(c.name) ?? {},
      unique: p.unique.has(c.name),
    })),
    fkNullable: new Map(p.fks.map((f) => [f, f.columns.every((c) => !notNull.has(c))])),
    selfNow: p.table.fks.filter((f) => f.parent === p.table.key && !p.later.includes(f) && !p.fks.includes(f)),
  };
}

/** One candidate row (SQL literals per insert column), or why no (further) row can be built. */
function buildRow(ctx: RowContext, i: number): string[] | { readonly reason: string } {
  const { plan: p } = ctx;
  const values = new Map<string, string>();
  const chosen = new Map<ForeignKey, string[] | null>();
  const r0 = ctx.rowStream;
  if (p.comboFks) {
    let idx = i;
    for (const f of p.comboFks) {
      const ks = ctx.keys.get(f) ?? [];
      if (ks.length === 0) return { reason: `its foreign key to ${f.parent} has no parent rows` };
      chosen.set(f, ks[idx % ks.length]!);
      idx = Math.floor(idx / ks.length);
    }
    if (idx > 0) return { reason: 'every combination of parent keys its unique key allows is used' };
  }
  for (const f of p.fks) {
    if (chosen.has(f)) continue;
    const ks = ctx.keys.get(f) ?? [];
    const nullable = ctx.fkNullable.get(f)!;
    if (p.distinctFks.has(f)) {
      if (i >= ks.length) return { reason: `its unique foreign key to ${f.parent} has only ${ks.length} parent rows to point at` };
      chosen.set(f, ks[i]!);
    } else if (ks.length === 0 || (nullable && r0() < NULL_SHARE)) {
      if (!nullable) return { reason: `its foreign key to ${f.parent} has no parent rows` };
      chosen.set(f, null);
    } else chosen.set(f, ks[Math.floor(r0() * ks.length)]!);
  }
  for (const { c, fk, later, stream: r, bounds: b, unique } of ctx.cols) {
    if (fk) {
      const tuple = chosen.get(fk.fk);
      values.set(c.name, tuple ? tuple[fk.pos]! : 'NULL');
      continue;
    }
    if (later) {
      values.set(c.name, 'NULL');
      continue;
    }
    const u = r();
    let mode: Mode = unique ? 'unique' : u < NULL_SHARE + 0.2 ? 'common' : u < NULL_SHARE + 0.28 ? 'edge' : 'typical';
    if (!c.notNull && !b.notNull && !unique && !b.oneOf && u < NULL_SHARE) {
      values.set(c.name, 'NULL');
      continue;
    }
    let v = valueFor(c.type, mode, i, r, b, ctx.dialect);
    if (v === null && mode !== 'typical' && mode !== 'unique') {
      mode = 'typical';
      v = valueFor(c.type, mode, i, r, b, ctx.dialect);
    }
    for (let tries = 0; v !== null && b.notOneOf && tries < 4 && b.notOneOf.includes('text' in v ? v.text : v.sql); tries++) {
      v = valueFor(c.type, 'typical', i + tries * 7919, r, b, ctx.dialect);
    }
    if (v === null && (c.notNull || b.notNull)) {
      return {
        reason: c.type.k === 'unknown'
          ? `it cannot generate values of type ${c.sqlType} for NOT NULL column ${c.name}`
          : `no value of type ${c.sqlType} satisfies the CHECK constraints on NOT NULL column ${c.name}`,
      };
    }
    values.set(c.name, render(v));
  }
  for (const f of ctx.selfNow) {
    f.columns.forEach((c, k) => {
      const own = values.get(f.parentColumns[k]!);
      if (own !== undefined) values.set(c, own);
    });
  }
  for (const pair of p.pairs) {
    const l = values.get(pair.left);
    const r = values.get(pair.right);
    if (l === undefined || r === undefined || l === 'NULL' || r === 'NULL') continue;
    const cmp = compareLiterals(l, r);
    if (cmp === undefined) continue;
    const ok = pair.op === '<' ? cmp < 0 : pair.op === '<=' ? cmp <= 0 : pair.op === '>' ? cmp > 0 : cmp >= 0;
    if (!ok) {
      values.set(pair.left, r);
      values.set(pair.right, l);
    }
  }
  return p.insert.map((c) => values.get(c.name) ?? 'NULL');
}

/** Order of two literals of the same kind (numbers, ISO dates/timestamps); undefined otherwise. */
function compareLiterals(a: string, b: string): number | undefined {
  const unq = (s: string) => (s.startsWith("'") ? s.slice(1, -1) : s);
  const x = unq(a);
  const y = unq(b);
  const nx = Number(x);
  const ny = Number(y);
  if (x.trim() !== '' && y.trim() !== '' && Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
  if (/^\d{4}-\d\d-\d\d/.test(x) && /^\d{4}-\d\d-\d\d/.test(y)) return x < y ? -1 : x > y ? 1 : 0;
  return undefined;
}

/**
 * The INSERT for a batch of candidate rows. `limit` caps how many go in (later rounds generate
 * more candidates than needed, so a table never gets more rows than asked for).
 */
function insertSql(driver: Driver, p: Plan, rows: string[][], filter: boolean, limit?: number): string {
  const t = quoteTable(ref(p.table));
  const cols = p.insert.map((c) => quoteIdent(c.name)).join(', ');
  const plain = rows.map((r) => `(${r.join(', ')})`).join(',\n');
  if (driver.dialect === 'sqlite') {
    return limit === undefined
      ? `INSERT OR IGNORE INTO ${t} (${cols}) VALUES ${plain}`
      : `INSERT OR IGNORE INTO ${t} (${cols}) SELECT * FROM (VALUES ${plain}) LIMIT ${limit}`;
  }
  const checks = filter ? p.table.checks : [];
  if (checks.length === 0 && limit === undefined) return `INSERT INTO ${t} (${cols}) VALUES ${plain} ON CONFLICT DO NOTHING`;
  // Typed through the first row, so the WHERE compares values of the columns' own types.
  const first = rows[0]!.map((v, k) => `${v}::${p.insert[k]!.sqlType}`);
  const values = [`(${first.join(', ')})`, ...rows.slice(1).map((r) => `(${r.join(', ')})`)].join(',\n');
  const where = checks.length ? ` WHERE ${checks.map((c) => `(${c}) IS NOT FALSE`).join(' AND ')}` : '';
  return `INSERT INTO ${t} (${cols}) SELECT * FROM (VALUES ${values}) AS v (${cols})${where}${limit === undefined ? '' : ` LIMIT ${limit}`} ON CONFLICT DO NOTHING`;
}

/** Insert candidate rows; returns how many went in and the first error when some could not. */
async function insertRows(driver: Driver, p: Plan, rows: string[][], limit?: number): Promise<{ inserted: number; error?: string }> {
  let inserted = 0;
  let error: string | undefined;
  let filter = true;
  for (let start = 0; start < rows.length; ) {
    let end = start;
    let chars = 0;
    while (end < rows.length && end - start < BATCH_ROWS && chars < BATCH_CHARS) {
      chars += rows[end]!.reduce((n, v) => n + v.length + 2, 0);
      end++;
    }
    const batch = rows.slice(start, end);
    start = end;
    try {
      const cap = limit === undefined ? undefined : limit - inserted;
      if (cap !== undefined && cap <= 0) break;
      inserted += (await driver.query(insertSql(driver, p, batch, filter, cap))).rowCount ?? 0;
      continue;
    } catch (e) {
      const err = toDbError(e);
      if (filter && err.code === '42703') {
        // A CHECK names a column the seeder leaves to its default: no filter, retry.
        filter = false;
        start -= batch.length;
        continue;
      }
      error ??= oneLine(err.message);
    }
    // Row by row, giving up when nothing goes in.
    let failures = 0;
    let ok = 0;
    for (const row of batch) {
      if (limit !== undefined && inserted + ok >= limit) break;
      try {
        ok += (await driver.query(insertSql(driver, p, [row], false))).rowCount ?? 0;
      } catch (e) {
        const err = toDbError(e);
        failures++;
        if (err.code === '25P02') return { inserted: inserted + ok, error: oneLine(err.message) };
        if (ok === 0 && failures >= 20) break;
      }
    }
    inserted += ok;
    if (ok === 0) return { inserted, error };
  }
  return error === undefined ? { inserted } : { inserted, error };
}

function oneLine(s: string): string {
  const line = s.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** Point a share of rows' deferred foreign keys (self-references, broken cycles) at parent rows. */
async function fillLater(driver: Driver, t: TableInfo, fks: readonly ForeignKey[], catalog: Map<string, TableInfo>): Promise<void> {
  for (const f of fks) {
    const parent = catalog.get(f.parent);
    if (!parent) continue;
    const cols = f.columns.map(quoteIdent).join(', ');
    const pcols = f.parentColumns.map((c) => `p.${quoteIdent(c)}`).join(', ');
    const notNull = f.parentColumns.map((c) => `p.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    const half = driver.dialect === 'postgres' ? `(('x' || substr(md5(ctid::text), 1, 8))::bit(32)::int % 2) = 0` : `rowid % 2 = 0`;
    const sub = `(SELECT ${pcols} FROM ${quoteTable(ref(parent))} AS p WHERE ${notNull} ORDER BY ${pcols} LIMIT 1)`;
    const set = f.columns.length === 1 ? `${cols} = ${sub}` : `(${cols}) = ${sub}`;
    try {
      await driver.query(`UPDATE ${quoteTable(ref(t))} SET ${set} WHERE ${half}`);
    } catch {
      // A CHECK or trigger disagrees: the references stay NULL, which is valid.
    }
  }
}

async function introspect(driver: Driver): Promise<Map<string, TableInfo>> {
  return driver.dialect === 'postgres' ? introspectPostgres(driver) : introspectSqlite(driver);
}

async function resolve(driver: Driver, catalog: Map<string, TableInfo>, name: string): Promise<string | undefined> {
  const r = parseTableName(name);
  if (driver.dialect === 'sqlite') {
    return catalog.has(r.name) ? r.name : [...catalog.keys()].find((k) => k.toLowerCase() === r.name.toLowerCase());
  }
  if (r.schema !== undefined) return catalog.has(`${r.schema}.${r.name}`) ? `${r.schema}.${r.name}` : undefined;
  const path = (await driver.query(`SELECT unnest(current_schemas(false)) AS s`)).rows.map((x) => String(x.s));
  for (const s of path) if (catalog.has(`${s}.${r.name}`)) return `${s}.${r.name}`;
  return undefined;
}

/**
 * The result when every requested Postgres table already holds the rows asked for (seeded
 * before an earlier migration): two cheap queries per table instead of the catalog
 * introspection, which is the costly part of seeding and would change nothing here.
 */
async function alreadySeeded(driver: Driver, tables: readonly string[], want: number): Promise<SeedResult[] | undefined> {
  if (driver.dialect !== 'postgres' || tables.length === 0) return undefined;
  const out: SeedResult[] = [];
  for (const name of tables) {
    const rel = (await driver.query(
      `SELECT n.nspname AS s, c.relname AS t, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
      [name],
    )).rows[0];
    if (!rel || (rel.kind !== 'r' && rel.kind !== 'p')) return undefined;
    const key = `${String(rel.s)}.${String(rel.t)}`;
    if (out.some((r) => r.table === key)) continue;
    const have = await count(driver, { key, schema: String(rel.s), name: String(rel.t), columns: [], uniques: [], fks: [], checks: [] });
    if (have < want) return undefined;
    out.push({ table: key, rows: 0, existing: have, skipped: `it already holds ${have} rows` });
  }
  return out;
}

/** The catalog with each json column the chain reads as arrays or objects given that shape (a DEFAULT's shape comes first). */
function withJsonShapes(catalog: Map<string, TableInfo>, shapes: ReadonlyMap<string, JsonShape> | undefined): Map<string, TableInfo> {
  if (!shapes || shapes.size === 0) return catalog;
  const shapeOf = (c: ColumnInfo): JsonShape | undefined => (c.type.k === 'json' && !c.type.shape ? (shapes.get(c.name) ?? shapes.get(c.name.toLowerCase())) : undefined);
  for (const [k, t] of catalog) {
    if (!t.columns.some((c) => shapeOf(c))) continue;
    catalog.set(k, { ...t, columns: t.columns.map((c) => {
      const shape = shapeOf(c);
      return shape ? { ...c, type: { k: 'json', shape } } : c;
    }) });
  }
  return catalog;
}

/** Seed the given existing tables; see the module comment. */
export async function seedTables(driver: Driver, tables: readonly string[], opts: SeedOptions): Promise<SeedResult[]> {
  if (tables.length === 0) return [];
  const full = await alreadySeeded(driver, tables, opts.rows);
  if (full) return full;
  const catalog = withJsonShapes(await introspect(driver), opts.jsonShapes);
  if ([...catalog.values()].some((t) => t.checks.length > 0 || t.columns.some((c) => c.domainChecks?.length))) await loadCheckParser();
  const results = new Map<string, SeedResult>();
  const requested: string[] = [];
  const unresolved: SeedResult[] = [];
  for (const name of tables) {
    const k = await resolve(driver, catalog, name);
    if (k === undefined) unresolved.push({ table: name, rows: 0, skipped: 'table does not exist' });
    else if (!requested.includes(k)) requested.push(k);
  }
  // Parents of requested tables, transitively.
  const all = [...requested];
  for (let i = 0; i < all.length; i++) {
    for (const f of catalog.get(all[i]!)!.fks) if (catalog.has(f.parent) && !all.includes(f.parent)) all.push(f.parent);
  }
  const existing = new Map<string, number>();
  for (const k of all) existing.set(k, catalog.get(k)!.notSeedable ? 0 : await count(driver, catalog.get(k)!));
  const { order: ordered, later, stuck } = order(catalog, all);
  const keyCache = new Map<string, string[][]>();
  const keysFor = async (f: ForeignKey): Promise<string[][]> => {
    const id = `${f.parent}\u0000${f.parentColumns.join('\u0000')}`;
    let ks = keyCache.get(id);
    if (!ks) {
      ks = await parentKeys(driver, catalog.get(f.parent)!, f.parentColumns);
      keyCache.set(id, ks);
    }
    return ks;
  };
  const deferred: [TableInfo, ForeignKey[]][] = [];
  for (const k of [...ordered, ...stuck.keys()]) {
    const t = catalog.get(k)!;
    const asParent = !requested.includes(k);
    const have = existing.get(k) ?? 0;
    const base = { table: k, ...(have > 0 ? { existing: have } : {}), ...(asParent ? { asParent: true } : {}) };
    if (stuck.has(k)) {
      results.set(k, { ...base, rows: 0, skipped: stuck.get(k)! });
      continue;
    }
    if (t.notSeedable) {
      if (!asParent) results.set(k, { ...base, rows: 0, skipped: t.notSeedable });
      continue;
    }
    if (asParent && have > 0) continue; // its rows serve as parents
    if (have >= opts.rows) {
      if (!asParent) results.set(k, { ...base, rows: 0, skipped: `it already holds ${have} rows` });
      continue;
    }
    const p = plan(t, later.get(k) ?? [], driver.dialect);
    const keys = new Map<ForeignKey, string[][]>();
    for (const f of p.fks) keys.set(f, await keysFor(f));
    const ctx = context(p, keys, driver.dialect, opts.seed);
    const want = opts.rows - have;
    let inserted = 0;
    let dropped = 0;
    let error: string | undefined;
    let next = have;
    let exhausted: string | undefined;
    if (p.insert.length === 0) {
      // Every column is filled by the database: DEFAULT VALUES, one statement per row.
      for (let n = 0; n < want; n++) {
        try {
          await driver.query(`INSERT INTO ${quoteTable(ref(t))} DEFAULT VALUES`);
          inserted++;
        } catch (e) {
          error = oneLine(toDbError(e).message);
          break;
        }
      }
    } else {
      let acceptance = 1;
      for (let round = 0; round < MAX_ROUNDS && inserted < want && !exhausted; round++) {
        const rows: string[][] = [];
        const need = want - inserted;
        // After a round that lost candidates, generate enough more to make up for the same rate.
        const candidates = round === 0 ? need : Math.min(need * 20, Math.ceil((need / Math.max(acceptance, 0.05)) * 1.2));
        while (rows.length < candidates) {
          const row = buildRow(ctx, next++);
          if (!Array.isArray(row)) {
            exhausted = (row as { reason: string }).reason;
            break;
          }
          rows.push(row);
        }
        if (rows.length === 0) break;
        const res = await insertRows(driver, p, rows, round === 0 ? undefined : need);
        acceptance = res.inserted / rows.length;
        inserted += res.inserted;
        if (round === 0) dropped = rows.length - res.inserted;
        error ??= res.error;
        if (res.inserted === 0) break;
      }
    }
    if (p.later.length > 0) deferred.push([t, p.later]);
    const r: SeedResult = {
      ...base,
      rows: inserted,
      ...(dropped > 0 ? { dropped } : {}),
      ...(inserted === 0
        ? { skipped: error ?? exhausted ?? (t.checks.length ? `every candidate row broke a CHECK constraint it could not satisfy: ${t.checks.map((c) => `CHECK ${c}`).join(', ')}` : 'no row could be inserted') }
        : {}),
    };
    results.set(k, r);
    // Keys of this table may be needed by its children.
    for (const [id] of keyCache) if (id.startsWith(`${k}\u0000`)) keyCache.delete(id);
  }
  for (const [t, fks] of deferred) await fillLater(driver, t, fks, catalog);
  const ordering = [...requested, ...all.filter((k) => !requested.includes(k))];
  return [...ordering.filter((k) => results.has(k)).map((k) => results.get(k)!), ...unresolved];
}
