/**
 * A knexfile, read statically (never required): per environment, the client (hence the dialect)
 * and where the migrations live. For discovery.
 */
import { posix } from 'node:path';
import { parseSync } from 'oxc-parser';
import { tooDeeplyNested } from './nesting.js';
import type { Dialect, SourceFile } from '../../model.js';
import { Interpreter, unwrap } from './evaluator.js';
import { Scope, isStaticString, type Val } from './values.js';

export interface KnexEnvironment {
  /** Environment name (`development`), or `''` when the file exports one config. */
  readonly name: string;
  /** `client` as written (`pg`, `sqlite3`, ...), when static. */
  readonly client?: string;
  readonly dialect?: Dialect;
  /**
   * `migrations.directory` (string or array), relative to the knexfile's directory; Knex's
   * default `migrations` when not set. Empty when set to something not static.
   */
  readonly directories: string[];
  /** `migrations.loadExtensions`, when static. */
  readonly loadExtensions?: string[];
  /** `migrations.tableName` / `schemaName`, when static. */
  readonly tableName?: string;
  readonly schemaName?: string;
}

const CLIENT_DIALECTS: Record<string, Dialect> = {
  pg: 'postgres',
  postgres: 'postgres',
  postgresql: 'postgres',
  pgnative: 'postgres',
  'pg-native': 'postgres',
  cockroachdb: 'postgres',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
};

/** The dialect of a Knex client name, if migralint knows it. */
export function dialectOfClient(client: string): Dialect | undefined {
  return CLIENT_DIALECTS[client.toLowerCase()];
}

function prop(v: Val | undefined, key: string): Val | undefined {
  if (!v) return undefined;
  if (v.k === 'object') return v.props.get(key);
  if (v.k === 'lit' && v.v !== null && typeof v.v === 'object' && !Array.isArray(v.v)) {
    const j = Object.hasOwn(v.v, key) ? v.v[key] : undefined;
    return j === undefined ? undefined : { k: 'lit', v: j };
  }
  return undefined;
}

function strings(v: Val | undefined): string[] | undefined {
  if (!v) return undefined;
  if (isStaticString(v)) return [v.v];
  const items = v.k === 'array' ? v.items : v.k === 'lit' && Array.isArray(v.v) ? v.v.map((j) => ({ k: 'lit', v: j }) as Val) : null;
  if (!items) return undefined;
  const out: string[] = [];
  for (const it of items) if (isStaticString(it)) out.push(it.v);
  return out;
}

function environment(name: string, cfg: Val): KnexEnvironment {
  const clientVal = prop(cfg, 'client');
  const client = isStaticString(clientVal) ? clientVal.v : undefined;
  const dialect = client ? dialectOfClient(client) : undefined;
  const migrations = prop(cfg, 'migrations');
  const dirVal = prop(migrations, 'directory');
  const directories = dirVal === undefined ? ['migrations'] : (strings(dirVal) ?? []).map((d) => posix.normalize(d));
  const loadExtensions = strings(prop(migrations, 'loadExtensions'));
  const tableName = prop(migrations, 'tableName');
  const schemaName = prop(migrations, 'schemaName');
  return {
    name,
    ...(client ? { client } : {}),
    ...(dialect ? { dialect } : {}),
    directories,
    ...(loadExtensions ? { loadExtensions } : {}),
    ...(isStaticString(tableName) ? { tableName: tableName.v } : {}),
    ...(isStaticString(schemaName) ? { schemaName: schemaName.v } : {}),
  };
}

/**
 * Reads `module.exports = {...}` / `export default {...}` of a knexfile: either one config
 * (it has `client` or `migrations`) or one config per environment.
 */
export function readKnexfile(file: SourceFile): KnexEnvironment[] {
  let program;
  // Refused before the parser could crash the process (see ./nesting.ts); callers report it.
  if (tooDeeplyNested(file.text)) return [];
  try {
    program = parseSync(file.path, file.text, { preserveParens: false, sourceType: 'unambiguous' }).program;
  } catch {
    return [];
  }
  const interp = new Interpreter(file, 'postgres', () => []);
  const scope = new Scope(null);
  interp.hoist(program.body, scope);
  let exported: Val | undefined;
  for (const st of program.body) {
    interp.resetBudget();
    try {
      if (st.type === 'ExpressionStatement') {
        const e = unwrap(st.expression);
        if (e.type === 'AssignmentExpression' && e.left.type === 'MemberExpression') {
          const l = e.left;
          const obj = unwrap(l.object);
          if (!l.computed && l.property.type === 'Identifier' && l.property.name === 'exports' && obj.type === 'Identifier' && obj.name === 'module') {
            exported = interp.eval(e.right, scope);
            continue;
          }
        }
      }
      if (st.type === 'ExportDefaultDeclaration' && st.declaration.type !== 'FunctionDeclaration' && st.declaration.type !== 'ClassDeclaration' && st.declaration.type !== 'TSInterfaceDeclaration') {
        exported = interp.eval(st.declaration, scope);
        continue;
      }
      if (st.type === 'TSExportAssignment') {
        exported = interp.eval(st.expression, scope);
        continue;
      }
      interp.exec(st, scope);
    } catch {
      // Code migralint cannot evaluate: whatever it defines stays unknown.
    }
  }
  if (!exported || (exported.k !== 'object' && exported.k !== 'lit')) return [];
  if (prop(exported, 'client') || prop(exported, 'migrations')) return [environment('', exported)];
  const keys = exported.k === 'object' ? [...exported.props.keys()] : exported.v && typeof exported.v === 'object' ? Object.keys(exported.v) : [];
  const out: KnexEnvironment[] = [];
  for (const key of keys) {
    const cfg = prop(exported, key);
    if (cfg && (prop(cfg, 'client') || prop(cfg, 'migrations') || prop(cfg, 'connection'))) out.push(environment(key, cfg));
  }
  return out;
}
