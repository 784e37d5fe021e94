/**
 * JS/TS source to an ESTree program with oxc-parser, for the readers that only look at a file's
 * shape (is it a Knex migration, which constants does a module export). Never runs anything.
 */
import { parseSync } from 'oxc-parser';
import type { Program } from 'oxc-parser';
import { tooDeeplyNested } from './nesting.js';

export function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const p = path.toLowerCase();
  if (p.endsWith('.tsx')) return 'tsx';
  if (p.endsWith('.ts') || p.endsWith('.mts') || p.endsWith('.cts')) return 'ts';
  if (p.endsWith('.jsx')) return 'jsx';
  return 'js';
}

export function sourceTypeOf(path: string): 'module' | 'commonjs' | 'unambiguous' {
  const p = path.toLowerCase();
  if (p.endsWith('.mjs') || p.endsWith('.mts')) return 'module';
  if (p.endsWith('.cjs') || p.endsWith('.cts')) return 'commonjs';
  return 'unambiguous';
}

/**
 * The program and whether the parser reported errors (the program is then what it recovered),
 * or null when the file cannot be parsed at all (or is nested too deeply to try).
 */
export function parseJsProgram(path: string, text: string): { program: Program; hasErrors: boolean } | null {
  // oxc-parser would overflow its native stack and kill the process (see ./nesting.ts).
  if (tooDeeplyNested(text)) return null;
  try {
    const r = parseSync(path, text, { lang: langOf(path), sourceType: sourceTypeOf(path), preserveParens: false });
    return { program: r.program, hasErrors: r.errors.some((e) => e.severity === 'Error') };
  } catch {
    return null;
  }
}
