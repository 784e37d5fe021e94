/**
 * Schema snapshots and their differences, for checking that a down undoes its up.
 *
 * Postgres (PGlite or a server): user schemas only (not pg_catalog, information_schema, pg_toast,
 * temp schemas; objects owned by an extension are the extension's). Tables with columns (type,
 * NOT NULL, default, identity, generated, collation), constraints (pg_get_constraintdef; the
 * NOT NULL rows Postgres 18 adds to pg_constraint are the columns' nullability), indexes not backing
 * a constraint (pg_get_indexdef), sequences (definition, not the current value: seeding moves it),
 * enum / composite / domain types, views and materialized views (definition), triggers, functions
 * and procedures (definition), schemas, extensions.
 * SQLite: tables from sqlite_schema with table_xinfo, foreign keys, UNIQUE constraints and CHECK
 * clauses; indexes, views and triggers by their normalised SQL.
 *
 * What is deliberately not a difference: OIDs, relfilenodes, statistics, sequence positions,
 * and column order. A down that re-adds a dropped column can only put it last (Postgres has no
 * `ADD COLUMN ... AFTER`), so reporting attnum order would condemn every correct down of a
 * DROP COLUMN; a column's type, nullability and default are compared, its position is not.
 * Names are compared as the database keeps them: a constraint re-created under another name is
 * reported (later migrations drop it by name). A table missing or left behind as a whole is one
 * line; its constraints, indexes and triggers are not listed again.
 */
import type { Driver } from './driver.js';

export interface SchemaSnapshot {
  readonly [key: string]: unknown;
}

interface ColumnShape {
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly extra?: string; // identity / generated / collation / primary key (sqlite)
}

interface TableShape {
  readonly kind: string;
  readonly columns: Record<string, ColumnShape>;
}

interface Snapshot {
  readonly dialect: 'postgres' | 'sqlite';
  readonly schemas: string[];
  readonly extensions: string[];
  readonly tables: Record<string, TableShape>;
  /** key: `table\u0000name` (sqlite: `table\u0000definition`) */
  readonly constraints: Record<string, { table: string; name: string; def: string }>;
  readonly indexes: Record<string, { table: string; def: string }>;
  readonly sequences: Record<string, string>;
  readonly types: Record<string, { kind: string; def: string }>;
  readonly views: Record<string, { kind: string; def: string }>;
  readonly triggers: Record<string, { table: string; name: string; def: string }>;
  readonly functions: Record<string, { kind: string; def: string }>;
}

const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const NOT_EXT = (cls: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cls}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}
function bool(v: unknown): boolean {
  return v === true || v === 't' || v === 'true' || v === 1;
}

async function rows(driver: Driver, sql: string): Promise<Record<string, unknown>[]> {
  return (await driver.query(sql)).rows;
}

async function snapshotPostgres(driver: Driver): Promise<Snapshot> {
  const snap: Snapshot = {
    dialect: 'postgres', schemas: [], extensions: [], tables: {}, constraints: {}, indexes: {},
    sequences: {}, types: {}, views: {}, triggers: {}, functions: {},
  };
  for (const r of await rows(driver, `SELECT n.nspname AS s FROM pg_namespace n WHERE ${USER_NS} AND ${NOT_EXT('pg_namespace', 'n.oid')} ORDER BY 1`)) {
    snap.schemas.push(str(r.s));
  }
  for (const r of await rows(driver, `SELECT extname AS e FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`)) snap.extensions.push(str(r.e));

  const rel = await rows(driver, `
    SELECT n.nspname || '.' || c.relname AS key, c.relkind::text AS kind, c.oid::text AS oid,
           CASE c.relkind WHEN 'v' THEN pg_get_viewdef(c.oid, true) WHEN 'm' THEN pg_get_viewdef(c.oid, true) END AS def
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND ${NOT_EXT('pg_class', 'c.oid')}`);
  const kinds: Record<string, string> = { r: 'table', p: 'partitioned table', f: 'foreign table', v: 'view', m: 'materialized view' };
  for (const r of rel) {
    const kind = kinds[str(r.kind)] ?? str(r.kind);
    if (r.kind === 'v' || r.kind === 'm') snap.views[str(r.key)] = { kind, def: str(r.def).trim() };
    else snap.tables[str(r.key)] = { kind, columns: {} };
  }
  const cols = await rows(driver, `
    SELECT n.nspname || '.' || c.relname AS key, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS nn, pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS ident,
           a.attgenerated::text AS gen,
           CASE WHEN a.attcollation <> t.typcollation THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END AS coll
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE ${USER_NS} AND c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped`);
  for (const r of cols) {
    const t = snap.tables[str(r.key)];
    if (!t) continue;
    const extra: string[] = [];
    if (str(r.ident) === 'a') extra.push('GENERATED ALWAYS AS IDENTITY');
    if (str(r.ident) === 'd') extra.push('GENERATED BY DEFAULT AS IDENTITY');
    const gen = str(r.gen) === 's' ? 'STORED' : str(r.gen) === 'v' ? 'VIRTUAL' : '';
    if (r.coll) extra.push(`COLLATE ${str(r.coll)}`);
    const def = r.def === null || r.def === undefined ? null : str(r.def);
    const shape: ColumnShape = {
      type: str(r.type),
      notNull: bool(r.nn),
      default: gen ? null : def,
      ...(gen ? { extra: [`GENERATED ALWAYS AS (${def}) ${gen}`, ...extra].join(' ') } : extra.length ? { extra: extra.join(' ') } : {}),
    };
    (t.columns as Record<string, ColumnShape>)[str(r.col)] = shape;
  }
  for (const r of await rows(driver, `
    SELECT n.nspname || '.' || c.relname AS key, k.conname AS name, pg_get_constraintdef(k.oid, true) AS def
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND k.contype::text <> 'n'`)) {
    snap.constraints[`${str(r.key)}\u0000${str(r.name)}`] = { table: str(r.key), name: str(r.name), def: str(r.def) };
  }
  for (const r of await rows(driver, `
    SELECT n.nspname || '.' || ic.relname AS key, n2.nspname || '.' || c.relname AS tbl, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n2 ON n2.oid = c.relnamespace
     WHERE ${USER_NS} AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
       AND ${NOT_EXT('pg_class', 'ic.oid')}`)) {
    snap.indexes[str(r.key)] = { table: str(r.tbl), def: str(r.def) };
  }
  for (const r of await rows(driver, `
    SELECT n.nspname || '.' || c.relname AS key,
           'AS ' || format_type(s.seqtypid, NULL) || ' START ' || s.seqstart || ' INCREMENT ' || s.seqincrement ||
           ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache ||
           CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END ||
           coalesce((SELECT ' OWNED BY ' || dc.relname || '.' || da.attname FROM pg_depend d
                       JOIN pg_class dc ON dc.oid = d.refobjid
                       JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' LIMIT 1), '') AS def
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND ${NOT_EXT('pg_class', 'c.oid')}
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')`)) {
    snap.sequences[str(r.key)] = str(r.def);
  }
  for (const r of await rows(driver, `
    SELECT n.nspname || '.' || t.typname AS key, t.typtype::text AS kind,
           CASE t.typtype
             WHEN 'e' THEN (SELECT string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)
             WHEN 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                              FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
             WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END ||
                           coalesce(' DEFAULT ' || t.typdefault, '') ||
                           coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(k.oid, true), ' ' ORDER BY k.conname)
                                       FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype::text <> 'n'), '')
             WHEN 'r' THEN (SELECT format_type(rngsubtype, NULL) FROM pg_range WHERE rngtypid = t.oid)
           END AS def
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE ${USER_NS} AND ${NOT_EXT('pg_type', 't.oid')}
       AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))`)) {
    const kind = { e: 'enum', c: 'composite type', d: 'domain', r: 'range type' }[str(r.kind)] ?? 'type';
    snap.types[str(r.key)] = { kind, def: str(r.def) };
  }
  for (const r of await rows(driver, `
    SELECT n.nspname || '.' || c.relname AS key, t.tgname AS name, pg_get_triggerdef(t.oid, true) AS def
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND NOT t.tgisinternal`)) {
    snap.triggers[`${str(r.key)}\u0000${str(r.name)}`] = { table: str(r.key), name: str(r.name), def: str(r.def) };
  }
  for (const r of await rows(driver, `
    SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS key,
           p.prokind::text AS kind, md5(pg_get_functiondef(p.oid)) AS def
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE ${USER_NS} AND p.prokind IN ('f', 'p') AND ${NOT_EXT('pg_proc', 'p.oid')}`)) {
    snap.functions[str(r.key)] = { kind: str(r.kind) === 'p' ? 'procedure' : 'function', def: str(r.def) };
  }
  return snap;
}

/** SQL text compared modulo layout: whitespace, identifier quoting and keyword case. */
export function normaliseSql(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      const j = sql.indexOf("'", i + 1);
      let end = j < 0 ? sql.length : j + 1;
      while (sql[end] === "'") {
        const k = sql.indexOf("'", end + 1);
        end = k < 0 ? sql.length : k + 1;
      }
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      const j = sql.indexOf(close, i + 1);
      const end = j < 0 ? sql.length : j;
      out += sql.slice(i + 1, end).toLowerCase();
      i = end + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? sql.length : j;
      out += ' ';
    } else if (ch === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? sql.length : j + 2;
      out += ' ';
    } else {
      out += /\s/.test(ch) ? ' ' : ch.toLowerCase();
      i++;
    }
  }
  return out
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),;=<>])\s*/g, '$1')
    .replace(/\bif not exists /g, '')
    .replace(/;$/, '')
    .trim();
}

/** The CHECK (...) clauses of a normalised CREATE TABLE. */
function checkClauses(norm: string): string[] {
  const out: string[] = [];
  const re = /\bcheck\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(norm))) {
    let depth = 0;
    let j = m.index + 5;
    for (; j < norm.length; j++) {
      if (norm[j] === "'") {
        j = norm.indexOf("'", j + 1);
        if (j < 0) break;
      } else if (norm[j] === '(') depth++;
      else if (norm[j] === ')' && --depth === 0) break;
    }
    out.push(`CHECK ${norm.slice(m.index + 5, j + 1)}`);
  }
  return out;
}

async function snapshotSqlite(driver: Driver): Promise<Snapshot> {
  const snap: Snapshot = {
    dialect: 'sqlite', schemas: [], extensions: [], tables: {}, constraints: {}, indexes: {},
    sequences: {}, types: {}, views: {}, triggers: {}, functions: {},
  };
  const objs = await rows(driver, `SELECT type, name, tbl_name AS tbl, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`);
  for (const o of objs) {
    const name = str(o.name);
    const type = str(o.type);
    const sql = normaliseSql(str(o.sql));
    if (type === 'table') {
      const columns: Record<string, ColumnShape> = {};
      const info = (await driver.query(`SELECT * FROM pragma_table_xinfo(?) ORDER BY cid`, [name])).rows;
      for (const c of info) {
        const extra: string[] = [];
        if (Number(c.pk) > 0) extra.push(`PRIMARY KEY${info.filter((x) => Number(x.pk) > 0).length > 1 ? ` (${c.pk})` : ''}`);
        if (Number(c.hidden) === 2 || Number(c.hidden) === 3) extra.push(Number(c.hidden) === 3 ? 'GENERATED STORED' : 'GENERATED VIRTUAL');
        columns[str(c.name)] = {
          type: str(c.type),
          notNull: Number(c.notnull) === 1,
          default: c.dflt_value === null || c.dflt_value === undefined ? null : str(c.dflt_value),
          ...(extra.length ? { extra: extra.join(' ') } : {}),
        };
      }
      snap.tables[name] = { kind: /\bwithout rowid\b/.test(sql) ? 'table (without rowid)' : /\bstrict\b\s*$/.test(sql) ? 'table (strict)' : 'table', columns };
      const add = (def: string): void => {
        snap.constraints[`${name}\u0000${def}`] = { table: name, name: '', def };
      };
      const fks = (await driver.query(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`, [name])).rows;
      const byId = new Map<number, Record<string, unknown>[]>();
      for (const f of fks) byId.set(Number(f.id), [...(byId.get(Number(f.id)) ?? []), f]);
      for (const parts of byId.values()) {
        const f0 = parts[0]!;
        const to = parts.map((p) => str(p.to)).join(', ');
        add(`FOREIGN KEY (${parts.map((p) => str(p.from)).join(', ')}) REFERENCES ${str(f0.table)}${to ? ` (${to})` : ''}` +
          `${str(f0.on_update) !== 'NO ACTION' ? ` ON UPDATE ${str(f0.on_update)}` : ''}${str(f0.on_delete) !== 'NO ACTION' ? ` ON DELETE ${str(f0.on_delete)}` : ''}`);
      }
      for (const ix of (await driver.query(`SELECT name, origin FROM pragma_index_list(?) WHERE origin = 'u'`, [name])).rows) {
        const ic = (await driver.query(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [str(ix.name)])).rows;
        add(`UNIQUE (${ic.map((c) => str(c.name)).join(', ')})`);
      }
      for (const ck of checkClauses(sql)) add(ck);
    } else if (type === 'index') {
      if (o.sql !== null) snap.indexes[name] = { table: str(o.tbl), def: sql };
    } else if (type === 'view') {
      snap.views[name] = { kind: 'view', def: sql };
    } else if (type === 'trigger') {
      snap.triggers[`${str(o.tbl)}\u0000${name}`] = { table: str(o.tbl), name, def: sql };
    }
  }
  return snap;
}

export async function snapshotSchema(driver: Driver): Promise<SchemaSnapshot> {
  const snap = driver.dialect === 'postgres' ? await snapshotPostgres(driver) : await snapshotSqlite(driver);
  return snap as unknown as SchemaSnapshot;
}

/** How a user names an object: `public.` is left out, other schemas stay. */
function shown(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

function compareKeys<T>(
  before: Record<string, T>,
  after: Record<string, T>,
  missing: (k: string, v: T) => string,
  extra: (k: string, v: T) => string,
  changed: (k: string, b: T, a: T) => string[],
): string[] {
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const k of keys) {
    const b = before[k];
    const a = after[k];
    if (b !== undefined && a === undefined) out.push(missing(k, b));
    else if (b === undefined && a !== undefined) out.push(extra(k, a));
    else if (b !== undefined && a !== undefined) out.push(...changed(k, b, a));
  }
  return out;
}

function wasNow(what: string, b: string, a: string): string[] {
  return b === a ? [] : [`${what}: was ${b}, is now ${a}`];
}

/** One human line per difference between two snapshots, in a stable order; [] when equal. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
  const b = before as unknown as Snapshot;
  const a = after as unknown as Snapshot;
  const out: string[] = [];
  const asSet = (xs: string[] | undefined): Record<string, true> => Object.fromEntries((xs ?? []).map((x) => [x, true as const]));
  out.push(...compareKeys(asSet(b.schemas), asSet(a.schemas), (k) => `schema ${k} is missing`, (k) => `schema ${k} still exists`, () => []));
  out.push(...compareKeys(asSet(b.extensions), asSet(a.extensions), (k) => `extension ${k} is missing`, (k) => `extension ${k} still exists`, () => []));
  out.push(...compareKeys(b.types ?? {}, a.types ?? {}, (k, v) => `${v.kind} ${shown(k)} is missing`, (k, v) => `${v.kind} ${shown(k)} still exists`,
    (k, x, y) => (x.kind !== y.kind ? [`type ${shown(k)}: was a ${x.kind}, is now a ${y.kind}`] : wasNow(`${x.kind} ${shown(k)}`, x.def, y.def))));
  out.push(...compareKeys(b.sequences ?? {}, a.sequences ?? {}, (k) => `sequence ${shown(k)} is missing`, (k) => `sequence ${shown(k)} still exists`,
    (k, x, y) => wasNow(`sequence ${shown(k)}`, x, y)));
  out.push(...compareKeys(b.tables ?? {}, a.tables ?? {}, (k, v) => `${v.kind} ${shown(k)} is missing`, (k, v) => `${v.kind} ${shown(k)} still exists`,
    (k, x, y) => {
      const lines = x.kind !== y.kind ? [`table ${shown(k)}: was a ${x.kind}, is now a ${y.kind}`] : [];
      lines.push(...compareKeys(x.columns, y.columns, (c) => `column ${shown(k)}.${c} is missing`, (c) => `column ${shown(k)}.${c} still exists`,
        (c, p, q) => {
          const what = `column ${shown(k)}.${c}`;
          const ls: string[] = [];
          if (p.type !== q.type) ls.push(`${what}: type was ${p.type}, is now ${q.type}`);
          if (p.notNull !== q.notNull) ls.push(`${what}: was ${p.notNull ? 'NOT NULL' : 'nullable'}, is now ${q.notNull ? 'NOT NULL' : 'nullable'}`);
          if (p.default !== q.default) ls.push(`${what}: default was ${p.default ?? 'none'}, is now ${q.default ?? 'none'}`);
          if ((p.extra ?? '') !== (q.extra ?? '')) ls.push(`${what}: was ${p.extra || 'a plain column'}, is now ${q.extra || 'a plain column'}`);
          return ls;
        }));
      return lines;
    }));
  // A table missing (or left behind) as a whole is one line: its constraints, indexes and
  // triggers are not listed again.
  const whole = new Set(
    [...Object.keys(b.tables ?? {}), ...Object.keys(a.tables ?? {})].filter((k) => (b.tables ?? {})[k] === undefined || (a.tables ?? {})[k] === undefined),
  );
  const onSurvivors = <T extends { table: string }>(m: Record<string, T> | undefined): Record<string, T> =>
    Object.fromEntries(Object.entries(m ?? {}).filter(([, v]) => !whole.has(v.table)));
  const constraintName = (v: { table: string; name: string; def: string }): string =>
    v.name ? `constraint ${v.name} on ${shown(v.table)}` : `${shown(v.table)}: ${v.def}`;
  out.push(...compareKeys(onSurvivors(b.constraints), onSurvivors(a.constraints), (_k, v) => `${constraintName(v)} is missing`, (_k, v) => `${constraintName(v)} still exists`,
    (_k, x, y) => wasNow(constraintName(x), x.def, y.def)));
  out.push(...compareKeys(onSurvivors(b.indexes), onSurvivors(a.indexes), (k) => `index ${shown(k)} is missing`, (k) => `index ${shown(k)} still exists`,
    (k, x, y) => wasNow(`index ${shown(k)}`, x.def, y.def)));
  out.push(...compareKeys(b.views ?? {}, a.views ?? {}, (k, v) => `${v.kind} ${shown(k)} is missing`, (k, v) => `${v.kind} ${shown(k)} still exists`,
    (k, x, y) => (x.kind !== y.kind ? [`${x.kind} ${shown(k)} is now a ${y.kind}`] : x.def !== y.def ? [`${x.kind} ${shown(k)}: definition changed`] : [])));
  out.push(...compareKeys(onSurvivors(b.triggers), onSurvivors(a.triggers), (_k, v) => `trigger ${v.name} on ${shown(v.table)} is missing`, (_k, v) => `trigger ${v.name} on ${shown(v.table)} still exists`,
    (_k, x, y) => wasNow(`trigger ${x.name} on ${shown(x.table)}`, x.def, y.def)));
  out.push(...compareKeys(b.functions ?? {}, a.functions ?? {}, (k, v) => `${v.kind} ${shown(k)} is missing`, (k, v) => `${v.kind} ${shown(k)} still exists`,
    (k, x, y) => (x.def !== y.def ? [`${x.kind} ${shown(k)}: definition changed`] : [])));
  return out;
}
