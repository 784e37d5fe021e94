/**
 * Relative imports of a Knex migration, followed statically: `import { TABLE } from
 * '../models/schedules.js'`, `require('./constants')`, re-exports. The module is parsed and its
 * top level interpreted with the same static evaluator (never executed); its constants (strings,
 * numbers, arrays, objects, enums) cross over, and its functions as foreign functions: a call
 * interprets the body in this module's file and scope (./foreign-calls.ts), for its value only.
 * Knex values do not cross. Reads stay inside the project root (the nearest folder with a
 * package.json or .git, real paths compared), are size-capped, and a cycle reads as "not a
 * constant".
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../../model.js';
import { readSourceFile } from '../../discover/read-file.js';
import { Interpreter, type ModuleLoader } from './evaluator.js';
import { parseJsProgram } from './parse-js.js';
import { runTopLevel } from './program.js';
import { crossModules, Scope, type ForeignModule, type Val } from './values.js';

/** A module larger than this is not read (constants modules are small). */
const MAX_MODULE_BYTES = 512 * 1024;
/** Imports followed from a migration, transitively. */
const MAX_DEPTH = 8;
const EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts'];

/** The nearest folder at or above `dir` holding a package.json or .git: imports stay under it. */
export function projectRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json')) || existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Node/TypeScript resolution of a relative specifier: as written, `.js` → `.ts`, added extensions, `index.*`. */
export function resolveRelative(specifier: string, fromPath: string): string | null {
  if (!/^\.\.?(?:\/|$)/.test(specifier)) return null;
  const base = path.resolve(path.dirname(fromPath), specifier);
  const candidates = [base];
  const ext = path.extname(base);
  if (['.js', '.mjs', '.cjs'].includes(ext)) candidates.push(base.slice(0, -ext.length) + ext.replace('js', 'ts'));
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const e of EXTENSIONS) candidates.push(path.join(base, `index${e}`));
  return candidates.find(isFile) ?? null;
}

/**
 * A `ModuleLoader` over the file system for migrations under `root` (default: the project root
 * of each importing file). One loader per set: modules are read once.
 */
export function createFsModuleLoader(options: { root?: string; cwd?: string } = {}): ModuleLoader {
  const cache = new Map<string, ReadonlyMap<string, Val> | null | 'loading'>();
  let depth = 0;
  const load = (specifier: string, fromPath: string): ReadonlyMap<string, Val> | null => {
    const resolved = resolveRelative(specifier, fromPath);
    if (!resolved) return null;
    let real: string;
    let rootReal: string;
    try {
      real = realpathSync(resolved);
      rootReal = realpathSync(options.root ?? projectRoot(path.dirname(fromPath)));
    } catch {
      return null;
    }
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) return null;
    const cached = cache.get(real);
    if (cached === 'loading') return null;
    if (cached !== undefined) return cached;
    if (depth >= MAX_DEPTH) return null;
    try {
      if (statSync(real).size > MAX_MODULE_BYTES) {
        cache.set(real, null);
        return null;
      }
    } catch {
      return null;
    }
    cache.set(real, 'loading');
    depth++;
    try {
      const r = readSourceFile(real, options.cwd ?? path.dirname(real));
      const file: SourceFile | null = r.ok ? r.file : null;
      const parsed = file ? parseJsProgram(file.path, file.text) : null;
      if (!file || !parsed) {
        cache.set(real, null);
        return null;
      }
      const interp = new Interpreter(file, 'postgres', () => []);
      interp.modules = load;
      const top = new Scope(null);
      const exp = runTopLevel(interp, parsed.program, top);
      // Its functions, called later, read this scope but may not write it.
      top.freeze();
      // A module with syntax errors is what the parser recovered: its constants are read as before,
      // its functions (whose bodies may be cut) are not followed.
      const owner: ForeignModule | null = parsed.hasErrors ? null : { file, load };
      const out = new Map<string, Val>();
      for (const [name, entry] of exp.named) out.set(name, crossModules(entry.val, owner, false));
      if (exp.whole) {
        const whole = crossModules(exp.whole.val, owner, false);
        if (whole.k === 'object') for (const [k, v] of whole.props) if (!out.has(k)) out.set(k, v);
        out.set('default', whole);
      }
      cache.set(real, out);
      return out;
    } catch {
      cache.set(real, null);
      return null;
    } finally {
      depth--;
    }
  };
  return load;
}
