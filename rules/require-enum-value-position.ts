/**
 * require-enum-value-position (opt-in): `ALTER TYPE ... ADD VALUE` without BEFORE or AFTER puts
 * the new value last in the enum's sort order, which ORDER BY, comparisons and range checks on
 * the column follow.
 */
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'require-enum-value-position',
    description: "ALTER TYPE ... ADD VALUE without BEFORE or AFTER: the new value sorts after every existing one, and ORDER BY and comparisons on the enum follow that order.",
    help: "Say where the value goes: ALTER TYPE mood ADD VALUE 'meh' BEFORE 'happy' (or AFTER ...); write AFTER '<last value>' when last is meant.",
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    const stmt = ctx.statement;
    if (!stmt || stmt.ops[0] !== op || stmt.type !== 'AlterEnumStmt') return;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const n = (stmt.ast as any)?.AlterEnumStmt;
    if (!n || n.oldVal !== undefined || n.newVal === undefined || n.newValNeighbor !== undefined) return;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const type = (n.typeName ?? []).map((x: any) => x.String?.sval).filter(Boolean).join('.');
    ctx.report({
      span: stmt.span,
      message: `ADD VALUE '${n.newVal}' to enum "${type}" without BEFORE or AFTER: it sorts after every existing value, and ORDER BY, <, > and BETWEEN on columns of this type follow the enum's order, not the values' names.`,
    });
  },
});
