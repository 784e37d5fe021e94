/**
 * The dialect of a migration set when no framework file names it (a knexfile, Prisma's lock file
 * and Drizzle's journal do; their readers decide there): from the folder's name
 * (`migrations/postgres`, `db/mysql`, `sqlite3/`), from the SQL itself (`AUTO_INCREMENT`,
 * `ENGINE=`, `AUTOINCREMENT`, `PRAGMA`, `::` casts, `$$` bodies, ...), from the Knex client
 * names the code compares against, and from the drivers the project's package.json depends on.
 * Where nothing says it, the result is marked `assumed` (the run says so once).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dialect, FormatId } from '../model.js';

export interface DialectDecision {
  readonly dialect: Dialect;
  /** Nothing in the project named or implied it: the fallback was used. */
  readonly assumed: boolean;
  /** What decided it, for messages: `the folder name`, `the SQL`, `package.json`, ... */
  readonly source: string;
}

/** Names a folder may carry for a dialect: the whole folder name, or a word of it (`pg_migrations`). */
const FOLDER_WORDS: readonly [Dialect, RegExp][] = [
  ['postgres', /^(?:postgres|postgresql|pg|psql|pgsql|cockroach|cockroachdb|supabase)$/i],
  ['mysql', /^(?:mysql|mysql2|mariadb|maria|tidb|planetscale)$/i],
  ['sqlite', /^(?:sqlite|sqlite3|libsql|turso|d1|better-sqlite3)$/i],
];

/** The dialect a folder (or one of its two parents, below `stop`) is named after. */
export function dialectFromPath(dir: string, stop?: string): Dialect | undefined {
  let d = dir;
  for (let depth = 0; depth < 3; depth++) {
    const name = path.basename(d);
    for (const word of [name, ...name.split(/[-_.\s]+/)]) {
      for (const [dialect, re] of FOLDER_WORDS) if (re.test(word)) return dialect;
    }
    const up = path.dirname(d);
    if (up === d || (stop !== undefined && (d === stop || !up.startsWith(stop)))) break;
    d = up;
  }
  return undefined;
}

/** Signs of a dialect in SQL text, with weights (strong signs outweigh backticks, which SQLite accepts too). */
const SQL_SIGNS: readonly [Dialect, RegExp, number][] = [
  ['mysql', /\bAUTO_INCREMENT\b/i, 3],
  ['mysql', /\)\s*ENGINE\s*=/i, 3],
  ['mysql', /\bDEFAULT\s+CHARSET\b|\bCHARACTER\s+SET\s+utf8/i, 2],
  ['mysql', /\bMODIFY\s+(?:COLUMN\s+)?`?\w/i, 2],
  ['mysql', /\b(?:TINYINT|MEDIUMINT|MEDIUMTEXT|LONGTEXT|LONGBLOB)\b|\bINT\(\d+\)|\bUNSIGNED\b/i, 2],
  ['mysql', /`\w+`/, 1],
  ['sqlite', /\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b/i, 4],
  ['sqlite', /\bAUTOINCREMENT\b/i, 3],
  ['sqlite', /\bPRAGMA\s+\w/i, 3],
  ['sqlite', /\bWITHOUT\s+ROWID\b/i, 3],
  ['postgres', /\w::[a-z_]/i, 2],
  ['postgres', /\$\$|\$[a-z_]+\$/i, 2],
  ['postgres', /\b(?:BIGSERIAL|SMALLSERIAL|SERIAL)\b/i, 2],
  ['postgres', /\b(?:JSONB|TIMESTAMPTZ|TIMESTAMP\s+WITH\s+TIME\s+ZONE|UUID_GENERATE_V4|GEN_RANDOM_UUID|TSVECTOR|BYTEA)\b/i, 2],
  ['postgres', /\bCREATE\s+(?:EXTENSION|SCHEMA|TYPE\s+\w+\s+AS\s+ENUM)\b/i, 2],
  ['postgres', /\bCONCURRENTLY\b|\bplpgsql\b|\bUSING\s+(?:gin|gist|brin)\b/i, 2],
  ['postgres', /\bGENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b/i, 2],
];

/** How much of each file is read for signs. */
const SNIFF_BYTES = 64 * 1024;

/** The dialect the SQL texts lean to, when one clearly does. */
export function dialectFromSql(texts: Iterable<string>): Dialect | undefined {
  const score: Record<Dialect, number> = { postgres: 0, mysql: 0, sqlite: 0 };
  let files = 0;
  for (const full of texts) {
    if (++files > 200) break;
    const text = stripComments(full.length > SNIFF_BYTES ? full.slice(0, SNIFF_BYTES) : full);
    for (const [dialect, re, weight] of SQL_SIGNS) if (re.test(text)) score[dialect] += weight;
  }
  const ranked = (Object.entries(score) as [Dialect, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 2 || best[1] === second![1]) return undefined;
  return best[0];
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** Knex client names, per dialect (what `client:` says and what code compares against). */
const CLIENTS: readonly [Dialect, RegExp][] = [
  ['postgres', /^(?:pg|postgres|postgresql|pgnative|pg-native|cockroachdb|pgsql)$/],
  ['mysql', /^(?:mysql|mysql2|mariadb)$/],
  ['sqlite', /^(?:sqlite|sqlite3|better-sqlite3|@libsql\/client|libsql|@libsql\/knex-libsql)$/],
];

export function dialectOfClient(name: string): Dialect | undefined {
  const n = name.trim().toLowerCase();
  for (const [dialect, re] of CLIENTS) if (re.test(n)) return dialect;
  return undefined;
}

/**
 * The one dialect whose client names the Knex code compares against (`client === 'sqlite3'`,
 * `.includes('mysql')`), when exactly one dialect appears.
 */
export function dialectFromKnexCode(texts: Iterable<string>): Dialect | undefined {
  const seen = new Set<Dialect>();
  const re = /\bclient\b[^;\n]{0,80}?['"`]([@\w/-]+)['"`]|\bdialect\b[^;\n]{0,40}?['"`]([@\w/-]+)['"`]|\bis(?:SQLite|Sqlite|Postgres|PG|Pg|MySQL|Mysql)\b/g;
  for (const text of texts) {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[1] ?? m[2];
      if (name) {
        const d = dialectOfClient(name);
        if (d) seen.add(d);
      }
    }
  }
  return seen.size === 1 ? [...seen][0] : undefined;
}

/** Database drivers a package.json may depend on. */
const DRIVERS: readonly [Dialect, readonly string[]][] = [
  ['postgres', ['pg', 'postgres', 'pg-promise', 'pg-native', '@neondatabase/serverless', '@vercel/postgres', '@electric-sql/pglite', 'slonik']],
  ['mysql', ['mysql', 'mysql2', 'mariadb', '@planetscale/database']],
  ['sqlite', ['sqlite3', 'better-sqlite3', '@libsql/client', 'sqlite', '@libsql/knex-libsql']],
];

/**
 * The dialect of the drivers in the nearest package.json at or above `dir` (not above `stop`,
 * when given), when they name exactly one.
 */
export function dialectFromPackageJson(dir: string, stop?: string): Dialect | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (existsSync(file)) {
      let deps: Record<string, unknown> = {};
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
          const v = pkg[key];
          if (v && typeof v === 'object') deps = { ...deps, ...(v as Record<string, unknown>) };
        }
      } catch {
        return undefined;
      }
      const found = DRIVERS.filter(([, names]) => names.some((n) => n in deps)).map(([dialect]) => dialect);
      return found.length === 1 ? found[0] : undefined;
    }
    if (path.dirname(d) === d || (stop !== undefined && d === stop)) return undefined;
  }
}

export interface DialectInputs {
  readonly format: FormatId;
  /** Absolute directory of the set. */
  readonly root: string;
  /** The set's file texts (read lazily; only what is needed). */
  readonly texts: () => Iterable<string>;
  /** Used when nothing decides. */
  readonly fallback: Dialect;
}

/** Decide the dialect of a set that no framework file named. */
export function decideDialect(input: DialectInputs): DialectDecision {
  const fromPath = dialectFromPath(input.root);
  if (fromPath) return { dialect: fromPath, assumed: false, source: 'the folder name' };
  if (input.format === 'knex') {
    const fromCode = dialectFromKnexCode(input.texts());
    const fromPackage = dialectFromPackageJson(input.root);
    if (fromPackage) return { dialect: fromPackage, assumed: false, source: 'package.json' };
    if (fromCode) return { dialect: fromCode, assumed: false, source: 'the Knex client the code compares against' };
    return { dialect: input.fallback, assumed: true, source: 'assumed' };
  }
  const fromSql = dialectFromSql(input.texts());
  if (fromSql) return { dialect: fromSql, assumed: false, source: 'the SQL' };
  const fromPackage = dialectFromPackageJson(input.root);
  if (fromPackage) return { dialect: fromPackage, assumed: false, source: 'package.json' };
  return { dialect: input.fallback, assumed: true, source: 'assumed' };
}
