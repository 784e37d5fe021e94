/**
 * The safety filter: decides, on the real Postgres parse tree, whether a statement may run on the
 * throwaway database. A statement that could reach outside that database (files, programs, other
 * databases, roles, the server's configuration, foreign servers, native code) is never executed;
 * the caller reports it `skipped` with the reason this module gives.
 *
 * Every node of the tree is walked, so a forbidden function is found inside any expression
 * (a DEFAULT, a CHECK, a view's query, a CTE). PL/pgSQL bodies (DO blocks, functions) are parsed
 * with libpg-query's PL/pgSQL parser and each embedded SQL statement or expression is walked the
 * same way; SQL-language function bodies are parsed as SQL. What cannot be checked before it
 * runs (EXECUTE of SQL built at run time, a body in another language) is not run either.
 */
import { loadModule, parsePlPgSQLSync, parseSync } from '../sql/libpg-query.js';

/** Extensions that stay inside the database (no files, no network, no other languages). */
export const EXTENSION_ALLOW_LIST: ReadonlySet<string> = new Set([
  'plpgsql', 'pgcrypto', 'uuid-ossp', 'citext', 'hstore', 'pg_trgm', 'btree_gin', 'btree_gist',
  'ltree', 'intarray', 'cube', 'earthdistance', 'fuzzystrmatch', 'unaccent', 'tablefunc', 'isn',
  'seg', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'bloom', 'dict_int', 'dict_xsyn', 'lo',
  'moddatetime', 'autoinc', 'insert_username', 'refint', 'pg_walinspect', 'pgstattuple',
  'pg_visibility', 'amcheck', 'pg_buffercache', 'pg_freespacemap', 'pg_surgery', 'pageinspect',
  'pg_stat_statements', 'vector', 'postgis', 'postgis_topology', 'pg_uuidv7', 'pg_ivm', 'pg_hashids',
]);

/** Functions that touch files, programs, other databases, other sessions or the server itself. */
const FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set([
  'lo_import', 'lo_export', 'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file',
  'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir',
  'pg_ls_logicalmapdir', 'pg_ls_replslotdir', 'pg_ls_summariesdir', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'pg_reload_conf', 'pg_rotate_logfile',
  'pg_logfile_rotate', 'pg_terminate_backend', 'pg_cancel_backend', 'pg_signal_backend', 'pg_promote',
  'pg_switch_wal', 'pg_create_restore_point', 'pg_backup_start', 'pg_backup_stop', 'pg_start_backup',
  'pg_stop_backup', 'pg_create_physical_replication_slot', 'pg_create_logical_replication_slot',
  'pg_drop_replication_slot', 'pg_copy_physical_replication_slot', 'pg_copy_logical_replication_slot',
  'pg_replication_origin_create', 'pg_replication_origin_drop', 'pg_log_backend_memory_contexts',
  'pg_stat_reset_shared', 'pg_stat_reset_slru', 'pg_wal_replay_pause', 'pg_wal_replay_resume',
  'pg_current_logfile',
]);
const FORBIDDEN_PREFIXES = ['dblink', 'postgres_fdw'];

/** Statement (node) types that act outside the database or on the cluster as a whole. */
const FORBIDDEN_NODES: Readonly<Record<string, string>> = {
  AlterSystemStmt: 'ALTER SYSTEM changes the server configuration',
  CreatedbStmt: 'CREATE DATABASE acts outside the throwaway database',
  DropdbStmt: 'DROP DATABASE acts outside the throwaway database',
  AlterDatabaseStmt: 'ALTER DATABASE acts on a database by name',
  AlterDatabaseSetStmt: 'ALTER DATABASE acts on a database by name',
  AlterDatabaseRefreshCollStmt: 'ALTER DATABASE acts on a database by name',
  CreateRoleStmt: 'roles are shared by every database of the server',
  AlterRoleStmt: 'roles are shared by every database of the server',
  AlterRoleSetStmt: 'roles are shared by every database of the server',
  DropRoleStmt: 'roles are shared by every database of the server',
  GrantRoleStmt: 'role membership is shared by every database of the server',
  ReassignOwnedStmt: 'REASSIGN OWNED also changes shared objects (databases, tablespaces)',
  DropOwnedStmt: 'DROP OWNED also revokes privileges on shared objects',
  CreateTableSpaceStmt: 'tablespaces are directories on the server',
  DropTableSpaceStmt: 'tablespaces are directories on the server',
  AlterTableSpaceOptionsStmt: 'tablespaces are directories on the server',
  LoadStmt: 'LOAD loads native code into the server',
  CreateFdwStmt: 'foreign-data wrappers reach outside the database',
  AlterFdwStmt: 'foreign-data wrappers reach outside the database',
  CreateForeignServerStmt: 'foreign servers reach outside the database',
  AlterForeignServerStmt: 'foreign servers reach outside the database',
  CreateUserMappingStmt: 'user mappings hold credentials for foreign servers',
  AlterUserMappingStmt: 'user mappings hold credentials for foreign servers',
  ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA connects to a foreign server',
  CreateForeignTableStmt: 'foreign tables read outside the database',
  CreateSubscriptionStmt: 'a subscription connects to another server',
  AlterSubscriptionStmt: 'a subscription connects to another server',
};

/** Objects that live outside the database: naming them in GRANT, COMMENT, RENAME, OWNER TO. */
const SHARED_OBJECT_TYPES: ReadonlySet<string> = new Set(['OBJECT_DATABASE', 'OBJECT_TABLESPACE', 'OBJECT_ROLE', 'OBJECT_FDW', 'OBJECT_FOREIGN_SERVER', 'OBJECT_SUBSCRIPTION']);

/** Settings that load native code into later sessions. */
const FORBIDDEN_SETTINGS: ReadonlySet<string> = new Set(['session_preload_libraries', 'local_preload_libraries', 'shared_preload_libraries', 'dynamic_library_path']);

const SAFE_LANGUAGES: ReadonlySet<string> = new Set(['sql', 'plpgsql']);

type Node = Record<string, unknown>;

let ready: Promise<void> | undefined;

/** Loads libpg-query (once). */
export function loadSafety(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

/**
 * Why `sql` must not run, or undefined when it may. `ast` is the statement node the parser
 * already produced (`{ CreateStmt: {...} }`); without it the text is parsed here. Call
 * `loadSafety()` once first.
 */
export function unsafeReason(sql: string, ast?: unknown): string | undefined {
  let nodes: unknown[];
  if (ast !== undefined) nodes = [ast];
  else {
    try {
      nodes = ((parseSync(sql) as { stmts?: { stmt: unknown }[] }).stmts ?? []).map((s) => s.stmt);
    } catch (err) {
      // The database will refuse it too; running it shows the real error, and it cannot act.
      return undefined;
    }
  }
  for (const n of nodes) {
    const r = walk(n, sql, 0);
    if (r) return r;
  }
  return undefined;
}

function walk(value: unknown, sql: string, depth: number): string | undefined {
  if (depth > 200) return 'the statement is nested too deeply to be checked';
  if (Array.isArray(value)) {
    for (const v of value) {
      const r = walk(v, sql, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const obj = value as Node;
  for (const [key, child] of Object.entries(obj)) {
    const node = (child ?? {}) as Node;
    const here = check(key, node, sql);
    if (here) return here;
    const r = walk(child, sql, depth + 1);
    if (r) return r;
  }
  return undefined;
}

function str(n: unknown): string | undefined {
  const o = n as { String?: { sval?: string }; sval?: string } | undefined;
  return o?.String?.sval ?? o?.sval;
}

function check(type: string, n: Node, sql: string): string | undefined {
  const forbidden = FORBIDDEN_NODES[type];
  if (forbidden) return forbidden;
  switch (type) {
    case 'CopyStmt': {
      if (n.is_program) return `COPY ... ${n.is_from ? 'FROM' : 'TO'} PROGRAM runs a program on the server`;
      if (n.filename) return `COPY ... ${n.is_from ? 'FROM' : 'TO'} a file reads or writes the server's file system`;
      return n.is_from ? 'COPY ... FROM STDIN needs rows on the client connection, which a replay does not send' : 'COPY ... TO STDOUT only sends rows to the client: nothing to confirm';
    }
    case 'FuncCall': {
      const names = ((n.funcname as unknown[]) ?? []).map(str).filter((s): s is string => s !== undefined);
      const name = (names[names.length - 1] ?? '').toLowerCase();
      if (FORBIDDEN_FUNCTIONS.has(name) || FORBIDDEN_PREFIXES.some((p) => name.startsWith(p))) return `it calls ${name}(), which reaches outside the database`;
      return undefined;
    }
    case 'CreateExtensionStmt': {
      const name = String(n.extname ?? '');
      return EXTENSION_ALLOW_LIST.has(name) ? undefined : `extension "${name}" is not on the allow-list of extensions that stay inside the database`;
    }
    case 'VariableSetStmt': {
      const name = String(n.name ?? '').toLowerCase();
      return FORBIDDEN_SETTINGS.has(name) ? `SET ${name} loads native code into the server` : undefined;
    }
    case 'GrantStmt':
    case 'CommentStmt':
    case 'SecLabelStmt':
    case 'AlterOwnerStmt': {
      const t = String(n.objtype ?? n.objectType ?? '');
      return SHARED_OBJECT_TYPES.has(t) ? `it acts on a ${t.slice(7).toLowerCase().replace(/_/g, ' ')}, which lives outside the database` : undefined;
    }
    case 'RenameStmt': {
      const t = String(n.renameType ?? '');
      return SHARED_OBJECT_TYPES.has(t) ? `it renames a ${t.slice(7).toLowerCase().replace(/_/g, ' ')}, which lives outside the database` : undefined;
    }
    case 'DoStmt':
      return checkBody(n.args as unknown[], sql, 'DO block');
    case 'CreateFunctionStmt': {
      if (n.sql_body) return undefined; // BEGIN ATOMIC / RETURN: already part of this tree
      return checkBody(n.options as unknown[], sql, n.is_procedure ? 'procedure' : 'function');
    }
    default:
      return undefined;
  }
}

/** The language and body of a DO block or a function definition, checked by what they run. */
function checkBody(options: unknown[] | undefined, sql: string, what: string): string | undefined {
  let language = 'plpgsql';
  const bodies: string[] = [];
  for (const o of options ?? []) {
    const def = (o as { DefElem?: { defname?: string; arg?: unknown } }).DefElem;
    if (!def) continue;
    if (def.defname === 'language') language = (str(def.arg) ?? language).toLowerCase();
    if (def.defname === 'as') {
      const arg = def.arg as { List?: { items?: unknown[] } } | undefined;
      const items = arg?.List?.items ?? [arg];
      for (const i of items) {
        const s = str(i);
        if (s !== undefined) bodies.push(s);
      }
    }
  }
  if (!SAFE_LANGUAGES.has(language)) return `the ${what} is written in ${language}, which can run code outside the database`;
  if (language === 'sql') {
    for (const body of bodies) {
      const r = unsafeReason(body);
      if (r) return `the ${what} body: ${r}`;
    }
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = parsePlPgSQLSync(sql);
  } catch (err) {
    return `the ${what}'s PL/pgSQL could not be parsed to check what it runs (${(err as Error).message.split('\n')[0]})`;
  }
  const r = walkPlpgsql(parsed, 0);
  return r ? `the ${what} ${r}` : undefined;
}

/** Every SQL statement and expression embedded in a PL/pgSQL tree, checked as SQL. */
function walkPlpgsql(value: unknown, depth: number): string | undefined {
  if (depth > 200) return 'is nested too deeply to be checked';
  if (Array.isArray(value)) {
    for (const v of value) {
      const r = walkPlpgsql(v, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value as Node)) {
    if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors' || key === 'PLpgSQL_stmt_open') {
      const q = (child as { query?: { PLpgSQL_expr?: { query?: string } }; dynquery?: { PLpgSQL_expr?: { query?: string } } }) ?? {};
      const expr = q.query?.PLpgSQL_expr?.query ?? q.dynquery?.PLpgSQL_expr?.query;
      if (expr !== undefined) {
        const constant = constantString(expr);
        if (constant === undefined) return 'runs EXECUTE on SQL built at run time, which cannot be checked before it runs';
        const r = unsafeReason(constant);
        if (r) return `runs EXECUTE of SQL that ${r.replace(/^it /, '')}`;
      }
    }
    if (key === 'PLpgSQL_expr') {
      const query = (child as { query?: string }).query ?? '';
      const r = checkEmbedded(query);
      if (r) return r;
      continue;
    }
    const r = walkPlpgsql(child, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/** A PL/pgSQL expression or statement: SQL as is, an expression as `SELECT expr`, `x := expr` by its right side. */
function checkEmbedded(query: string): string | undefined {
  const attempts = [query, `SELECT ${query}`];
  const assign = /^\s*[^:=]+?\s*:?=\s*/.exec(query);
  if (assign) attempts.push(`SELECT ${query.slice(assign[0].length)}`);
  for (const text of attempts) {
    let stmts: { stmt: unknown }[];
    try {
      stmts = (parseSync(text) as { stmts?: { stmt: unknown }[] }).stmts ?? [];
    } catch {
      continue;
    }
    for (const s of stmts) {
      const r = walk(s.stmt, text, 0);
      if (r) return r.startsWith('it ') ? r.slice(3) : `runs a statement where ${r}`;
    }
    return undefined;
  }
  return 'holds an expression that could not be parsed to check it';
}

/** The value of an expression that is a single string constant, else undefined. */
function constantString(expr: string): string | undefined {
  try {
    const stmts = (parseSync(`SELECT ${expr}`) as { stmts?: { stmt: { SelectStmt?: { targetList?: { ResTarget?: { val?: { A_Const?: { sval?: { sval?: string } } } } }[] } } }[] }).stmts ?? [];
    const targets = stmts[0]?.stmt.SelectStmt?.targetList ?? [];
    if (stmts.length !== 1 || targets.length !== 1) return undefined;
    return targets[0]?.ResTarget?.val?.A_Const?.sval?.sval;
  } catch {
    return undefined;
  }
}

/** SQLite functions that read or write files or load native code. */
const SQLITE_FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set(['load_extension', 'readfile', 'writefile', 'edit', 'fts3_tokenizer', 'zipfile', 'sqlar_compress']);

/**
 * The same decision for SQLite, on sql-parser-cst's tree (`Statement.ast`): ATTACH opens another
 * database file, VACUUM INTO writes one, and a few functions touch files or load native code.
 * Without a tree (Knex SQL), the text is parsed here.
 */
export async function unsafeSqliteReason(sql: string, ast?: unknown): Promise<string | undefined> {
  let tree = ast;
  if (tree === undefined) {
    try {
      const { parse } = await import('sql-parser-cst');
      tree = parse(sql, { dialect: 'sqlite' });
    } catch {
      return undefined; // SQLite refuses it too, without running anything
    }
  }
  return walkSqlite(tree, 0);
}

function walkSqlite(value: unknown, depth: number): string | undefined {
  if (depth > 200) return 'the statement is nested too deeply to be checked';
  if (Array.isArray(value)) {
    for (const v of value) {
      const r = walkSqlite(v, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const n = value as { type?: string; intoKw?: unknown; name?: { name?: string } };
  if (n.type === 'attach_database_stmt') return 'ATTACH DATABASE opens another database file';
  if (n.type === 'detach_database_stmt') return 'DETACH DATABASE acts on another database file';
  if (n.type === 'vacuum_stmt' && n.intoKw) return 'VACUUM INTO writes a database file';
  if (n.type === 'func_call') {
    const name = String(n.name?.name ?? '').toLowerCase();
    if (SQLITE_FORBIDDEN_FUNCTIONS.has(name)) return `it calls ${name}(), which reaches outside the database`;
  }
  for (const child of Object.values(value as Record<string, unknown>)) {
    if (child && typeof child === 'object') {
      const r = walkSqlite(child, depth + 1);
      if (r) return r;
    }
  }
  return undefined;
}
