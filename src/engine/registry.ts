/**
 * Every rule migralint knows, in the order `migralint rules` lists them. A test keeps this list,
 * the files in rules/, their docs and the README's table in agreement.
 */
import drizzleJournalMismatch from '../../rules/drizzle-journal-mismatch.js';
import migrationFailsWithRows from '../../rules/migration-fails-with-rows.js';
import noConcurrentInTransaction from '../../rules/no-concurrent-in-transaction.js';
import noDropColumn from '../../rules/no-drop-column.js';
import noDropTable from '../../rules/no-drop-table.js';
import noLossyChange from '../../rules/no-lossy-change.js';
import noModifiedMigration from '../../rules/no-modified-migration.js';
import noOutOfOrder from '../../rules/no-out-of-order.js';
import noTruncate from '../../rules/no-truncate.js';
import requireConcurrentIndex from '../../rules/require-concurrent-index.js';
import requireDown from '../../rules/require-down.js';
import requireNotNullBackfill from '../../rules/require-not-null-backfill.js';
import requireReversibleDown from '../../rules/require-reversible-down.js';
import syntaxError from '../../rules/syntax-error.js';
import unanalyzableStatement from '../../rules/unanalyzable-statement.js';
import unusedDisable from '../../rules/unused-disable.js';
import type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [
  noDropTable,
  noDropColumn,
  noTruncate,
  requireDown,
  requireConcurrentIndex,
  requireNotNullBackfill,
  noConcurrentInTransaction,
  syntaxError,
  unusedDisable,
  unanalyzableStatement,
  drizzleJournalMismatch,
  requireReversibleDown,
  migrationFailsWithRows,
  noLossyChange,
  noModifiedMigration,
  noOutOfOrder,
];

const byId = new Map(RULES.map((r) => [r.meta.id, r]));

export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}
