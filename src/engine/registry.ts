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
// Rule breadth (issue 9).
import requireConcurrentIndexDrop from '../../rules/require-concurrent-index-drop.js';
import requireConcurrentReindex from '../../rules/require-concurrent-reindex.js';
import requireConcurrentDetachPartition from '../../rules/require-concurrent-detach-partition.js';
import requireNotValidConstraint from '../../rules/require-not-valid-constraint.js';
import noAddUniqueConstraint from '../../rules/no-add-unique-constraint.js';
import noColumnTypeChange from '../../rules/no-column-type-change.js';
import noVolatileDefault from '../../rules/no-volatile-default.js';
import noVacuumFull from '../../rules/no-vacuum-full.js';
import noDomainConstraint from '../../rules/no-domain-constraint.js';
import noStatementsAfterExclusiveLock from '../../rules/no-statements-after-exclusive-lock.js';
import requireLockTimeout from '../../rules/require-lock-timeout.js';
import requireStatementTimeout from '../../rules/require-statement-timeout.js';
import noDropDatabase from '../../rules/no-drop-database.js';
import noRenameColumn from '../../rules/no-rename-column.js';
import noRenameTable from '../../rules/no-rename-table.js';
import noDropNotNull from '../../rules/no-drop-not-null.js';
import noUnboundedDml from '../../rules/no-unbounded-dml.js';
import preferTimestamptz from '../../rules/prefer-timestamptz.js';
import noCharType from '../../rules/no-char-type.js';
import preferBigint from '../../rules/prefer-bigint.js';
import preferIdentity from '../../rules/prefer-identity.js';
import preferText from '../../rules/prefer-text.js';
import preferRobustStmts from '../../rules/prefer-robust-stmts.js';
import noDuplicateVersion from '../../rules/no-duplicate-version.js';
import noIdentifierTooLong from '../../rules/no-identifier-too-long.js';
import noDuplicateColumn from '../../rules/no-duplicate-column.js';
import noTransactionNesting from '../../rules/no-transaction-nesting.js';
import noUncommittedTransaction from '../../rules/no-uncommitted-transaction.js';
import noMissingDependency from '../../rules/no-missing-dependency.js';
import requireEnumValuePosition from '../../rules/require-enum-value-position.js';
import requireTableSchema from '../../rules/require-table-schema.js';
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
  requireConcurrentIndexDrop,
  requireConcurrentReindex,
  requireConcurrentDetachPartition,
  requireNotValidConstraint,
  noAddUniqueConstraint,
  noColumnTypeChange,
  noVolatileDefault,
  noVacuumFull,
  noDomainConstraint,
  noStatementsAfterExclusiveLock,
  requireLockTimeout,
  requireStatementTimeout,
  noDropDatabase,
  noRenameColumn,
  noRenameTable,
  noDropNotNull,
  noUnboundedDml,
  preferTimestamptz,
  noCharType,
  preferBigint,
  preferIdentity,
  preferText,
  preferRobustStmts,
  requireReversibleDown,
  migrationFailsWithRows,
  noLossyChange,
  noModifiedMigration,
  noOutOfOrder,
  noDuplicateVersion,
  noIdentifierTooLong,
  noDuplicateColumn,
  noTransactionNesting,
  noUncommittedTransaction,
  noMissingDependency,
  requireEnumValuePosition,
  requireTableSchema,
];

const byId = new Map(RULES.map((r) => [r.meta.id, r]));

export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}
