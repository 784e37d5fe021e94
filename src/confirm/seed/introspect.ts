/** Catalog introspection for the seeder: Postgres (pg_catalog) and SQLite (sqlite_schema + PRAGMA). */
import type { Driver } from '../driver.js';
import { jsonShapeOfDefault } from './json-shapes.js';
import type { ColType, ColumnInfo, ForeignKey, TableInfo } from './model.js';

const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const bool = (v: unknown): boolean => v === true || v === 't' || v === 'true' || v === 1;
const json = <T>(v: unknown, dflt: T): T => (v === null || v === undefined ? dflt : (JSON.parse(String(v)) as T));

interface PgType {
  readonly name: string;
  readonly typtype: string;
  readonly category: string;
  readonly elem: string;
  readonly base: string;
  readonly baseMod: number;
  readonly labels: string[];
  readonly checks: string[];
  readonly rangeSub: string;
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-9223372036854775808n, 9223372036854775807n],
  oid: [0n, 4294967295n],
};

function pgColType(types: Map<string, PgType>, oid: string, mod: number, depth = 0): { type: ColType; domainChecks: string[]; domainNotNull: boolean } {
  const t = types.get(oid);
  if (!t || depth > 8) return { type: { k: 'unknown', name: t?.name ?? oid }, domainChecks: [], domainNotNull: false };
  if (t.typtype === 'd') {
    const inner = pgColType(types, t.base, t.baseMod, depth + 1);
    return { type: inner.type, domainChecks: [...inner.domainChecks, ...t.checks], domainNotNull: inner.domainNotNull };
  }
  if (t.typtype === 'e') return { type: { k: 'enum', labels: t.labels }, domainChecks: [], domainNotNull: false };
  if (t.typtype === 'r') return { type: { k: 'range', sub: pgColType(types, t.rangeSub, -1, depth + 1).type }, domainChecks: [], domainNotNull: false };
  if (t.category === 'A' && t.elem !== '0') {
    return { type: { k: 'array', elem: pgColType(types, t.elem, mod, depth + 1).type }, domainChecks: [], domainNotNull: false };
  }
  const r = INT_RANGES[t.name];
  if (r) return { type: { k: 'int', min: r[0], max: r[1] }, domainChecks: [], domainNotNull: false };
  const plain = (type: ColType) => ({ type, domainChecks: [], domainNotNull: false });
  switch (t.name) {
    case 'numeric':
      if (mod < 4) return plain({ k: 'numeric' });
      return plain({ k: 'numeric', precision: ((mod - 4) >> 16) & 0xffff, scale: ((((mod - 4) & 0x7ff) ^ 1024) - 1024) });
    case 'float4':
      return plain({ k: 'float', bits: 32 });
    case 'float8':
      return plain({ k: 'float', bits: 64 });
    case 'varchar':
      return plain(mod >= 4 ? { k: 'text', max: mod - 4 } : { k: 'text' });
    case 'bpchar':
      return plain({ k: 'char', n: mod >= 4 ? mod - 4 : 1 });
    case 'char':
      return plain({ k: 'char', n: 1 });
    case 'text':
    case 'citext':
    case 'name':
      return plain(t.name === 'name' ? { k: 'text', max: 63 } : { k: 'text' });
    case 'bool':
      return plain({ k: 'bool' });
    case 'date':
      return plain({ k: 'date' });
    case 'time':
    case 'timetz':
      return plain({ k: 'time', tz: t.name === 'timetz' });
    case 'timestamp':
    case 'timestamptz':
      return plain({ k: 'timestamp', tz: t.name === 'timestamptz' });
    case 'interval':
      return plain({ k: 'interval' });
    case 'uuid':
      return plain({ k: 'uuid' });
    case 'json':
    case 'jsonb':
      return plain({ k: 'json' });
    case 'bytea':
      return plain({ k: 'bytes' });
    case 'inet':
      return plain({ k: 'inet' });
    case 'cidr':
      return plain({ k: 'cidr' });
    case 'macaddr':
    case 'macaddr8':
      return plain({ k: 'macaddr' });
    case 'money':
      return plain({ k: 'money' });
    case 'bit':
    case 'varbit':
      return plain({ k: 'bit', n: mod > 0 ? mod : t.name === 'bit' ? 1 : 16, varying: t.name === 'varbit' });
    case 'xml':
      return plain({ k: 'xml' });
    case 'tsvector':
      return plain({ k: 'tsvector' });
    case 'point':
      return plain({ k: 'point' });
  }
  if (t.category === 'S') return plain({ k: 'text' });
  return plain({ k: 'unknown', name: t.name });
}

export async function introspectPostgres(driver: Driver): Promise<Map<string, TableInfo>> {
  const typeRows = (await driver.query(`
    SELECT t.oid::text AS oid, t.typname AS name, t.typtype::text AS typtype, t.typcategory::text AS cat, t.typelem::text AS elem,
           t.typbasetype::text AS base, t.typtypmod AS basemod, t.typnotnull AS nn,
           CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(enumlabel ORDER BY enumsortorder)::text FROM pg_enum WHERE enumtypid = t.oid) END AS labels,
           CASE WHEN t.typtype = 'd' THEN (SELECT json_agg(pg_get_constraintdef(k.oid))::text FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') END AS checks,
           CASE WHEN t.typtype = 'r' THEN (SELECT rngsubtype::text FROM pg_range WHERE rngtypid = t.oid) END AS rsub
      FROM pg_type t WHERE t.typtype IN ('b', 'e', 'd', 'r') OR t.typcategory = 'A'`)).rows;
  const types = new Map<string, PgType>();
  const domainNotNull = new Set<string>();
  for (const r of typeRows) {
    if (bool(r.nn)) domainNotNull.add(str(r.oid));
    types.set(str(r.oid), {
      name: str(r.name), typtype: str(r.typtype), category: str(r.cat), elem: str(r.elem), base: str(r.base),
      baseMod: Number(r.basemod), labels: json<string[]>(r.labels, []),
      checks: json<string[]>(r.checks, []).map((c) => c.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '')),
      rangeSub: str(r.rsub),
    });
  }
  const rels = (await driver.query(`
    SELECT c.oid::text AS oid, n.nspname AS s, c.relname AS t, c.relkind::text AS kind, c.relispartition AS part
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND c.relkind IN ('r', 'p')`)).rows;
  const cols = (await driver.query(`
    SELECT a.attrelid::text AS rel, a.attname AS name, a.attnum AS num, a.atttypid::text AS typ, a.atttypmod AS mod,
           format_type(a.atttypid, a.atttypmod) AS fmt, a.attnotnull AS nn, a.atthasdef AS hasdef,
           pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS ident, a.attgenerated::text AS gen
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE ${USER_NS} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`)).rows;
  const cons = (await driver.query(`
    SELECT k.conrelid::text AS rel, k.contype::text AS type, array_to_json(k.conkey)::text AS cols,
           k.confrelid::text AS frel, array_to_json(k.confkey)::text AS fcols, pg_get_constraintdef(k.oid) AS def
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND k.contype IN ('p', 'u', 'f', 'c') ORDER BY k.conrelid, k.contype, k.conname`)).rows;
  const idx = (await driver.query(`
    SELECT i.indrelid::text AS rel, array_to_json(i.indkey::int2[])::text AS cols
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`)).rows;

  const byOid = new Map<string, { key: string; schema: string; name: string; part: boolean; cols: Map<number, ColumnInfo> }>();
  for (const r of rels) {
    byOid.set(str(r.oid), { key: `${str(r.s)}.${str(r.t)}`, schema: str(r.s), name: str(r.t), part: bool(r.part), cols: new Map() });
  }
  for (const r of cols) {
    const rel = byOid.get(str(r.rel));
    if (!rel) continue;
    const ct = pgColType(types, str(r.typ), Number(r.mod));
    const def = r.def === null || r.def === undefined ? '' : str(r.def);
    const ident = str(r.ident);
    const gen = str(r.gen);
    const hasDefault = bool(r.hasdef) || ident !== '';
    const constantDefault = hasDefault && ident === '' && !/\(/.test(def.replace(/::[\w\s."]+(\[\])?/g, ''));
    const shape = ct.type.k === 'json' ? jsonShapeOfDefault(def) : undefined;
    rel.cols.set(Number(r.num), {
      name: str(r.name),
      type: shape ? { k: 'json', shape } : ct.type,
      sqlType: str(r.fmt),
      notNull: bool(r.nn) || domainNotNull.has(str(r.typ)),
      hasDefault,
      constantDefault,
      neverInsert: gen !== '' || ident === 'a',
      ...(ct.domainChecks.length ? { domainChecks: ct.domainChecks } : {}),
    });
  }
  const out = new Map<string, TableInfo>();
  const uniques = new Map<string, string[][]>();
  const fks = new Map<string, ForeignKey[]>();
  const checks = new Map<string, string[]>();
  const names = (oid: string, nums: number[]): string[] | undefined => {
    const rel = byOid.get(oid);
    const ns = nums.map((n) => rel?.cols.get(n)?.name);
    return ns.every((n): n is string => n !== undefined) ? ns : undefined;
  };
  for (const r of cons) {
    const rel = str(r.rel);
    const cn = names(rel, json<number[]>(r.cols, []));
    const type = str(r.type);
    if (type === 'p' || type === 'u') {
      if (cn) uniques.set(rel, [...(uniques.get(rel) ?? []), cn]);
    } else if (type === 'f') {
      const parent = byOid.get(str(r.frel));
      const pc = names(str(r.frel), json<number[]>(r.fcols, []));
      if (cn && parent && pc) fks.set(rel, [...(fks.get(rel) ?? []), { columns: cn, parent: parent.key, parentColumns: pc }]);
    } else if (type === 'c') {
      const expr = str(r.def).replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '').replace(/\s+NO INHERIT$/i, '');
      checks.set(rel, [...(checks.get(rel) ?? []), expr]);
    }
  }
  for (const r of idx) {
    const rel = str(r.rel);
    const cn = names(rel, json<number[]>(r.cols, []));
    if (cn) uniques.set(rel, [...(uniques.get(rel) ?? []), cn]);
  }
  for (const [oid, rel] of byOid) {
    out.set(rel.key, {
      key: rel.key,
      schema: rel.schema,
      name: rel.name,
      columns: [...rel.cols.values()],
      uniques: uniques.get(oid) ?? [],
      fks: fks.get(oid) ?? [],
      checks: checks.get(oid) ?? [],
      ...(rel.part ? { notSeedable: 'it is a partition (rows go in through its parent table)' } : {}),
    });
  }
  return out;
}

/** SQLite declared type -> value kind, by the affinity rules plus the usual spellings. */
export function sqliteColType(declared: string): ColType {
  const t = declared.toUpperCase();
  const n = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(t);
  if (/BOOL/.test(t)) return { k: 'bool' };
  if (/INT/.test(t)) {
    if (/TINYINT/.test(t)) return { k: 'int', min: -128n, max: 127n };
    if (/SMALLINT/.test(t)) return { k: 'int', min: -32768n, max: 32767n };
    if (/MEDIUMINT/.test(t)) return { k: 'int', min: -8388608n, max: 8388607n };
    return { k: 'int', min: -9223372036854775808n, max: 9223372036854775807n };
  }
  if (/UUID/.test(t)) return { k: 'uuid' };
  if (/JSON/.test(t)) return { k: 'json' };
  if (/CHAR|CLOB|TEXT|STRING/.test(t)) return n ? { k: 'text', max: Number(n[1]) } : { k: 'text' };
  if (/BLOB|BINARY/.test(t)) return { k: 'bytes' };
  if (/REAL|FLOA|DOUB/.test(t)) return { k: 'float', bits: 64 };
  if (/DATETIME|TIMESTAMP/.test(t)) return { k: 'timestamp', tz: false };
  if (/DATE/.test(t)) return { k: 'date' };
  if (/TIME/.test(t)) return { k: 'time', tz: false };
  if (/DEC|NUMERIC/.test(t)) return n ? { k: 'numeric', precision: Number(n[1]), scale: n[2] ? Number(n[2]) : 0 } : { k: 'numeric' };
  if (t.trim() === '' || /ANY/.test(t)) return { k: 'text' };
  return { k: 'numeric' };
}

/** CHECK (...) expressions in a CREATE TABLE statement, outside strings, quoted names and comments. */
export function sqliteChecks(sql: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = sql.length;
  const skipQuoted = (j: number): number => {
    const q = sql[j]!;
    const close = q === '[' ? ']' : q;
    let k = j + 1;
    while (k < n) {
      if (sql[k] === close) {
        if (close !== ']' && sql[k + 1] === close) k += 2;
        else return k + 1;
      } else k++;
    }
    return n;
  };
  while (i < n) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      i = skipQuoted(i);
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const m = /^check\s*\(/i.exec(sql.slice(i, i + 12));
    if (m && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      let j = i + m[0].length;
      const start = j;
      let depth = 1;
      while (j < n && depth > 0) {
        const c = sql[j]!;
        if (c === "'" || c === '"' || c === '`' || c === '[') {
          j = skipQuoted(j);
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')') depth--;
        j++;
      }
      out.push(sql.slice(start, j - 1).trim());
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

export async function introspectSqlite(driver: Driver): Promise<Map<string, TableInfo>> {
  const out = new Map<string, TableInfo>();
  const tables = (await driver.query(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)).rows;
  for (const t of tables) {
    const name = str(t.name);
    const sql = str(t.sql);
    if (/^\s*create\s+virtual\b/i.test(sql)) {
      out.set(name, { key: name, name, columns: [], uniques: [], fks: [], checks: [], notSeedable: 'it is a virtual table' });
      continue;
    }
    const withoutRowid = /\bwithout\s+rowid\b/i.test(sql.slice(sql.lastIndexOf(')')));
    const info = (await driver.query(`SELECT * FROM pragma_table_xinfo(?) ORDER BY cid`, [name])).rows;
    const pkCols = info.filter((c) => Number(c.pk) > 0);
    const columns: ColumnInfo[] = [];
    for (const c of info) {
      const hidden = Number(c.hidden);
      if (hidden === 1) continue;
      const declared = str(c.type);
      const rowidAlias = !withoutRowid && pkCols.length === 1 && Number(c.pk) === 1 && declared.toUpperCase() === 'INTEGER';
      const hasDefault = c.dflt_value !== null || rowidAlias;
      const type = sqliteColType(declared);
      const shape = type.k === 'json' && c.dflt_value !== null ? jsonShapeOfDefault(str(c.dflt_value)) : undefined;
      columns.push({
        name: str(c.name),
        type: shape ? { k: 'json', shape } : type,
        sqlType: declared,
        notNull: Number(c.notnull) === 1 || (withoutRowid && Number(c.pk) > 0),
        hasDefault,
        constantDefault: c.dflt_value !== null && !rowidAlias && !/\(/.test(str(c.dflt_value)),
        neverInsert: hidden === 2 || hidden === 3,
      });
    }
    const uniques: string[][] = [];
    for (const ix of (await driver.query(`SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND partial = 0`, [name])).rows) {
      const ic = (await driver.query(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [str(ix.name)])).rows;
      if (ic.every((x) => x.name !== null)) uniques.push(ic.map((x) => str(x.name)));
    }
    if (pkCols.length > 0) uniques.push(pkCols.sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => str(c.name)));
    const fkRows = (await driver.query(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`, [name])).rows;
    const byId = new Map<number, Record<string, unknown>[]>();
    for (const f of fkRows) byId.set(Number(f.id), [...(byId.get(Number(f.id)) ?? []), f]);
    const fks: ForeignKey[] = [];
    for (const parts of byId.values()) {
      fks.push({
        columns: parts.map((p) => str(p.from)),
        parent: str(parts[0]!.table),
        parentColumns: parts.map((p) => (p.to === null ? '' : str(p.to))),
      });
    }
    out.set(name, { key: name, name, columns, uniques, fks, checks: sqliteChecks(sql) });
  }
  // A foreign key without target columns references the parent's primary key.
  for (const [k, t] of out) {
    const fixed = t.fks.map((f) => {
      if (f.parentColumns.every((c) => c !== '')) return f;
      const parent = [...out.values()].find((p) => p.name.toLowerCase() === f.parent.toLowerCase());
      const pk = parent?.uniques[parent.uniques.length - 1];
      return { ...f, parent: parent?.key ?? f.parent, parentColumns: pk && pk.length === f.columns.length ? pk : f.columns };
    }).map((f) => {
      const parent = [...out.values()].find((p) => p.name.toLowerCase() === f.parent.toLowerCase());
      return parent ? { ...f, parent: parent.key } : f;
    });
    out.set(k, { ...t, fks: fixed });
  }
  return out;
}
