/**
 * migralint's fixes in ESLint terms. The engine attaches them to its findings (SQL files only:
 * a Knex file's findings carry none); nothing is rewritten here. A safe fix (it changes neither
 * locking nor transaction behaviour: `IF NOT EXISTS`, `timestamptz` in a new column) becomes the
 * report's `fix`, applied by `eslint --fix`; the others (adding `CONCURRENTLY`, a `NOT VALID` +
 * `VALIDATE` split) become `suggest` entries, applied only when a person picks one.
 */

/**
 * @typedef {import('migralint').Finding} Finding
 * @typedef {import('migralint').Fix} Fix
 * @typedef {{ desc: string, fix: (fixer: any) => any }} Suggestion
 */

/**
 * @param {Fix} fix
 * @returns {(fixer: any) => any}
 */
function toFixer(fix) {
  return (fixer) => fix.edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text));
}

/**
 * The ESLint `fix` and `suggest` of a finding.
 * @param {Finding} finding
 * @returns {{ fix?: (fixer: any) => any, suggest?: Suggestion[] }}
 */
export function eslintFixes(finding) {
  const fixes = finding.fixes ?? [];
  const safe = fixes.find((f) => f.safe);
  const suggest = fixes.filter((f) => !f.safe).map((f) => ({ desc: f.description, fix: toFixer(f) }));
  return { ...(safe ? { fix: toFixer(safe) } : {}), ...(suggest.length > 0 ? { suggest } : {}) };
}
