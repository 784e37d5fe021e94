/**
 * Suggestions (never autofixes) where a safe textual rewrite of the reported SQL statement
 * exists. Each says what it changes beyond the statement: CONCURRENTLY cannot run inside a
 * transaction block, so the migration must also run outside one.
 */

/**
 * @typedef {import('migralint').Finding} Finding
 * @typedef {{ desc: string, fix: (fixer: any) => any }} Suggestion
 * @typedef {(finding: Finding, text: string, outsideTx: string | undefined) => Suggestion[]} Suggester
 */

/**
 * Where to insert a keyword: right after the statement's leading words matched by `head`
 * (searched from the start of the finding's span, so a finding's own statement is rewritten).
 * @param {string} text
 * @param {number} from
 * @param {RegExp} head a sticky-free regexp anchored with ^ on the statement text
 */
function insertionPoint(text, from, head) {
  const m = head.exec(text.slice(from, from + 400));
  return m ? from + m.index + m[0].length : -1;
}

/** @type {Suggester} */
const addConcurrently = (finding, text, outsideTx) => {
  const at = insertionPoint(text, finding.span.start, /^\s*(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|REINDEX\s+(?:\(\s*[^)]*\)\s*)?(?:INDEX|TABLE))\b/i);
  if (at < 0 || /^\s+CONCURRENTLY\b/i.test(text.slice(at))) return [];
  const where = outsideTx ? ` ${outsideTx}` : ' Run the migration outside a transaction.';
  return [
    {
      desc: `Add CONCURRENTLY (does not block writes). This changes transaction behaviour: CONCURRENTLY cannot run inside a transaction block.${where}`,
      fix: (fixer) => fixer.insertTextAfterRange([at, at], ' CONCURRENTLY'),
    },
  ];
};

/** @type {Suggester} */
const addIfNotExists = (finding, text) => {
  const s = finding.span.start;
  const create = insertionPoint(text, s, /^\s*CREATE\s+(?:(?:UNIQUE\s+)?INDEX(?:\s+CONCURRENTLY)?|(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE|SCHEMA|SEQUENCE|EXTENSION)\b/i);
  const addColumn = create < 0 ? insertionPoint(text, s, /^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?[^;]*?\bADD\s+COLUMN\b/i) : -1;
  const drop = create < 0 && addColumn < 0 ? insertionPoint(text, s, /^\s*DROP\s+(?:TABLE|INDEX(?:\s+CONCURRENTLY)?|SCHEMA|SEQUENCE|VIEW|TYPE)\b/i) : -1;
  const at = Math.max(create, addColumn, drop);
  if (at < 0) return [];
  const words = drop >= 0 ? 'IF EXISTS' : 'IF NOT EXISTS';
  if (new RegExp(`^\\s+${words.replace(/ /g, '\\s+')}\\b`, 'i').test(text.slice(at))) return [];
  return [
    {
      desc: `Add ${words} (the statement can be re-run after a partial failure; no change to locking or transactions).`,
      fix: (fixer) => fixer.insertTextAfterRange([at, at], ` ${words}`),
    },
  ];
};

/** Rules (by id) whose findings have a safe rewrite in SQL. Rules not in the registry never fire. */
export const SUGGESTERS = /** @type {Record<string, Suggester[]>} */ ({
  'require-concurrent-index': [addConcurrently],
  'require-concurrent-index-drop': [addConcurrently],
  'require-concurrent-reindex': [addConcurrently],
  'prefer-robust-stmts': [addIfNotExists],
});

/**
 * @param {Finding} finding
 * @param {string} text the file's text
 * @param {import('migralint').Dialect | undefined} sqlDialect the SQL file's dialect; undefined for a Knex file
 * @param {string} ruleHelp the rule's generic help
 * @returns {Suggestion[]}
 */
export function suggestionsFor(finding, text, sqlDialect, ruleHelp) {
  const suggesters = SUGGESTERS[finding.ruleId];
  // Knex migrations are rewritten in JS, not SQL; the rewrites are Postgres syntax.
  if (!suggesters || sqlDialect !== 'postgres') return [];
  // A finding's own help names how its framework runs a migration outside a transaction; the
  // rule's generic help does not.
  const outsideTx = finding.help !== undefined && finding.help !== ruleHelp ? finding.help : undefined;
  return suggesters.flatMap((s) => s(finding, text, outsideTx));
}
