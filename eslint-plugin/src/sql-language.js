/**
 * `migralint/sql`: SQL migration files as an ESLint language, in the shape of @eslint/json and
 * @eslint/css. parse() runs migralint's engine on the file in the context of its migration set
 * (layout detection, earlier migrations read from disk) and keeps the findings on the AST; the
 * generated rules report them. A syntax error is a parse error at its line and column.
 */
import { commentStarts, DIALECTS } from 'migralint';
import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from '@eslint/plugin-kit';
import { internalError, lintSql } from './engine.js';

const commentParser = new ConfigCommentParser();

/** migralint's line breaks: `\n`, `\r\n` and a lone `\r` (the CLI counts lines the same way). */
const LINE_END = /\r\n|[\r\n]/u;

/**
 * @typedef {{ line: number, column: number }} Position
 * @typedef {{ start: Position, end: Position }} Location
 * @typedef {{ type: 'Line' | 'Block', value: string, range: [number, number], loc: Location }} SqlComment
 * @typedef {{ type: 'Program', body: [], comments: SqlComment[], range: [number, number], loc: Location,
 *   migralint: { findings: import('migralint').Finding[], dialect: import('migralint').Dialect } }} SqlProgram
 */

/** @param {string} text @returns {number[]} offsets of line starts */
function lineStarts(text) {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|[\r\n]/gu)) starts.push(m.index + m[0].length);
  return starts;
}

/** @param {number[]} starts @param {number} offset @returns {Position} 1-based line and column */
function position(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/**
 * The comments of a SQL text (string literals, quoted identifiers and dollar quotes skipped, as
 * migralint's own suppression parser skips them).
 * @param {string} text
 * @param {number[]} starts
 * @returns {SqlComment[]}
 */
function sqlComments(text, starts) {
  /** @type {SqlComment[]} */
  const out = [];
  for (const start of [...commentStarts(text, 'sql')].sort((a, b) => a - b)) {
    let end;
    let value;
    /** @type {'Line' | 'Block'} */
    let type;
    if (text.startsWith('--', start)) {
      const m = /\r\n|[\r\n]/u.exec(text.slice(start));
      end = m ? start + m.index : text.length;
      value = text.slice(start + 2, end);
      type = 'Line';
    } else {
      // SQL block comments nest.
      let depth = 1;
      let i = start + 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else i++;
      }
      end = i;
      value = text.slice(start + 2, depth === 0 ? end - 2 : end);
      type = 'Block';
    }
    out.push({ type, value, range: [start, end], loc: { start: position(starts, start), end: position(starts, end) } });
  }
  return out;
}

export class SqlSourceCode extends TextSourceCodeBase {
  /**
   * @override
   * @type {SqlProgram}
   */
  ast;
  /** @type {SqlComment[]} */
  comments;

  /** @param {{ text: string, ast: SqlProgram }} options */
  constructor({ text, ast }) {
    super({ text, ast, lineEndingPattern: LINE_END });
    this.ast = ast;
    this.comments = ast.comments;
  }

  /** Comments that may hold `eslint-disable` / `eslint` directives. */
  getInlineConfigNodes() {
    return this.comments;
  }

  getDisableDirectives() {
    /** @type {{ ruleId: null, message: string, loc: Location }[]} */
    const problems = [];
    /** @type {Directive[]} */
    const directives = [];
    for (const comment of this.comments) {
      const directive = commentParser.parseDirective(comment.value);
      if (!directive) continue;
      const { label, value, justification } = directive;
      if (label === 'eslint-disable-line' && comment.loc.start.line !== comment.loc.end.line) {
        problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      if (label === 'eslint-disable' || label === 'eslint-enable' || label === 'eslint-disable-next-line' || label === 'eslint-disable-line') {
        directives.push(new Directive({ type: /** @type {any} */ (label.slice('eslint-'.length)), node: comment, value, justification }));
      }
    }
    return { problems, directives };
  }

  /** `/* eslint migralint/no-drop-table: off *\/` comments. */
  applyInlineConfig() {
    /** @type {{ ruleId: null, message: string, loc: Location }[]} */
    const problems = [];
    /** @type {{ config: { rules: Record<string, unknown> }, loc: Location }[]} */
    const configs = [];
    for (const comment of this.comments) {
      const directive = commentParser.parseDirective(comment.value);
      if (directive?.label !== 'eslint') continue;
      const parsed = commentParser.parseJSONLikeConfig(directive.value);
      if (parsed.ok) configs.push({ config: { rules: /** @type {Record<string, unknown>} */ (parsed.config) }, loc: comment.loc });
      else problems.push({ ruleId: null, message: parsed.error.message, loc: comment.loc });
    }
    return { configs, problems };
  }

  /**
   * @override
   * @returns {Iterable<VisitNodeStep>}
   */
  traverse() {
    return [
      new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] }),
      new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast, undefined] }),
    ];
  }
}

export const sqlLanguage = {
  meta: { name: 'migralint/sql' },
  fileType: /** @type {const} */ ('text'),
  lineStart: /** @type {const} */ (1),
  columnStart: /** @type {const} */ (1),
  nodeTypeKey: 'type',
  visitorKeys: { Program: [] },
  /** No dialect: detected as the CLI detects it (Prisma lock file, knexfile client); Postgres otherwise. */
  defaultLanguageOptions: {},

  /** @param {Record<string, unknown>} options */
  validateLanguageOptions(options) {
    // Other keys are left alone: ESLint 9 merges its JavaScript defaults (sourceType, ...) into
    // every config object's languageOptions.
    if (options.dialect !== undefined && !DIALECTS.includes(/** @type {any} */ (options.dialect))) {
      throw new TypeError(`Key "dialect": expected one of ${DIALECTS.map((d) => `"${d}"`).join(', ')}, got ${JSON.stringify(options.dialect)}.`);
    }
    const v = options.postgresVersion;
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 9 || v > 99)) {
      throw new TypeError(`Key "postgresVersion": expected a Postgres major version (an integer such as 16), got ${JSON.stringify(v)}.`);
    }
  },

  /**
   * @param {{ body: string | Uint8Array, path: string, physicalPath?: string }} file
   * @param {{ languageOptions?: { dialect?: import('migralint').Dialect, postgresVersion?: number } }} context
   */
  parse(file, context) {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const options = context?.languageOptions ?? {};
    /** @type {import('migralint').Finding[]} */
    let findings;
    /** @type {import('migralint').MigrationSet[]} */
    let sets = [];
    try {
      ({ findings, sets } = lintSql(file.path, text, options));
    } catch (err) {
      // Never a crash of the whole ESLint run: the file is reported as not analysed.
      findings = [internalError(file.path, text, err)];
    }
    const starts = lineStarts(text);
    const syntaxErrors = findings.filter((f) => f.ruleId === 'syntax-error');
    if (syntaxErrors.length > 0) {
      return {
        ok: /** @type {const} */ (false),
        errors: syntaxErrors.map((f) => ({ message: f.message, ...position(starts, f.span.start) })),
      };
    }
    /** @type {SqlProgram} */
    const ast = {
      type: 'Program',
      body: [],
      comments: sqlComments(text, starts),
      range: [0, text.length],
      loc: { start: { line: 1, column: 1 }, end: position(starts, text.length) },
      migralint: { findings, dialect: sets[0]?.dialect ?? options.dialect ?? 'postgres' },
    };
    return { ok: /** @type {const} */ (true), ast };
  },

  /**
   * @param {{ body: string | Uint8Array }} file
   * @param {{ ast: unknown }} parseResult what `parse` gave (ESLint's Language types it as unknown)
   */
  createSourceCode(file, parseResult) {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    return new SqlSourceCode({ text, ast: /** @type {SqlProgram} */ (parseResult.ast) });
  },
};
