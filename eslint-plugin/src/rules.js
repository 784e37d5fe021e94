/**
 * One ESLint rule per migralint rule, generated from migralint's registry: same ids, messages,
 * help, docs URLs and dialects. No rule logic lives here: every rule reports the findings of its
 * id from the one engine run made for the file (parse() for SQL, the first rule for Knex).
 */
import { docsUrl, RULES } from 'migralint';
import { knexFindings } from './engine.js';
import { eslintFixes } from './suggestions.js';

/**
 * @typedef {import('migralint').Finding} Finding
 */

/** Languages a generated rule runs in: SQL files, and JS/TS files holding Knex migrations. */
export const RULE_LANGUAGES = ['migralint/sql', 'js/js'];

/**
 * @param {import('eslint').Rule.RuleContext} context
 * @returns {{ findings: Finding[], sqlDialect?: import('migralint').Dialect }}
 */
function findingsOf(context) {
  const ast = /** @type {any} */ (context.sourceCode.ast);
  if (ast?.migralint) return { findings: ast.migralint.findings, sqlDialect: ast.migralint.dialect };
  return { findings: knexFindings(context) };
}

/**
 * @param {import('migralint').Rule} rule
 * @returns {import('eslint').Rule.RuleModule}
 */
function toEslintRule(rule) {
  const { id, description, help, recommended, dialects, defaultLevel, fixable } = rule.meta;
  return {
    meta: {
      type: 'problem',
      docs: { description, recommended, url: docsUrl(id) },
      messages: {
        finding: '{{message}}',
        findingWithHelp: '{{message}} {{help}}',
      },
      // A fixable rule's findings carry safe fixes (`fix`), suggestions (`suggest`), or both.
      ...(fixable ? { fixable: 'code', hasSuggestions: true } : {}),
      schema: [],
      // @ts-ignore -- ESLint 10 checks rules against the config's language; ESLint 9 ignores it.
      languages: RULE_LANGUAGES,
      // migralint's own metadata, for tools that read rule metas.
      ...{ migralint: { dialects: [...dialects], defaultLevel, help } },
    },
    create(context) {
      return {
        Program() {
          const { findings } = findingsOf(context);
          const sourceCode = context.sourceCode;
          for (const f of findings) {
            if (f.ruleId !== id) continue;
            const start = sourceCode.getLocFromIndex(f.span.start);
            const end = sourceCode.getLocFromIndex(Math.max(f.span.start, f.span.end));
            const shownHelp = f.help ?? help;
            context.report({
              loc: { start, end },
              messageId: shownHelp ? 'findingWithHelp' : 'finding',
              data: { message: /[.!?]$/.test(f.message) || !shownHelp ? f.message : `${f.message}.`, help: shownHelp ?? '' },
              ...eslintFixes(f),
            });
          }
        },
      };
    },
  };
}

/** @type {Record<string, import('eslint').Rule.RuleModule>} */
export const rules = Object.fromEntries(RULES.map((r) => [r.meta.id, toEslintRule(r)]));

/** The recommended rules at their migralint default levels (`info` is a warning in ESLint). */
export const recommendedRules = Object.fromEntries(
  RULES.filter((r) => r.meta.recommended).map((r) => [`migralint/${r.meta.id}`, r.meta.defaultLevel === 'error' ? 'error' : 'warn']),
);
