/**
 * JS/TS source to an ESTree program with oxc-parser, for the readers that only look at a file's
 * shape (is it a Knex migration, which constants does a module export). Never runs anything.
 */
import { parseSync } from 'oxc-parser';
import type { Program } from 'oxc-parser';

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

/** Bracket nesting deeper than this is refused: the native parser's stack is finite. */
const MAX_NESTING = 1000;

/** The deepest `(`/`[`/`{` nesting in the text (strings and comments included: an upper bound). */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

/**
 * The program and whether the parser reported errors (the program is then what it recovered),
 * or null when the file cannot be parsed at all (or is nested too deeply to try).
 */
export function parseJsProgram(path: string, text: string): { program: Program; hasErrors: boolean } | null {
  if (maxNesting(text) > MAX_NESTING) return null;
  try {
    const r = parseSync(path, text, { lang: langOf(path), sourceType: sourceTypeOf(path), preserveParens: false });
    return { program: r.program, hasErrors: r.errors.some((e) => e.severity === 'Error') };
  } catch {
    return null;
  }
}
