import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-domain-constraint',
    description: 'A constraint on a domain is checked against every column of that type in every table, and cannot be changed later without redefining it there.',
    help: 'Put the CHECK on the table columns instead (added NOT VALID, validated later).',
    defaultLevel: 'warn',
    dialects: ['postgres'],
    recommended: true,
  },
  operationKinds: ['alter-domain', 'other'],
  checkOperation(op, ctx) {
    if (op.kind === 'alter-domain') {
      if (op.action === 'add-constraint') {
        const scan = op.validated ? ' It checks every column of the domain in every table, holding a SHARE lock on each table (writes wait) while it scans.' : '';
        ctx.report({ span: op.span, message: `Adding a constraint to domain "${op.name}" applies it to every column of that type.${scan}` });
      } else if (op.action === 'set-not-null') {
        ctx.report({ span: op.span, message: `SET NOT NULL on domain "${op.name}" checks every column of that type in every table, holding a SHARE lock on each (writes wait).` });
      }
      return;
    }
    if (op.kind === 'other' && op.statement === 'CreateDomainStmt') {
      const ast = ctx.statement?.ast as { CreateDomainStmt?: { constraints?: { Constraint?: { contype?: string } }[]; domainname?: { String?: { sval?: string } }[] } } | undefined;
      const node = ast?.CreateDomainStmt;
      const checks = (node?.constraints ?? []).filter((c) => c.Constraint?.contype === 'CONSTR_CHECK');
      if (checks.length === 0) return;
      const name = (node?.domainname ?? []).map((n) => n.String?.sval).filter(Boolean).join('.');
      ctx.report({
        span: op.span,
        message: `Domain "${name}" is created with a CHECK constraint: changing it later means ALTER DOMAIN, which checks every column of the domain in every table.`,
        help: 'Create the domain without constraints and put the CHECK on the columns (or use a plain type with a table CHECK).',
      });
    }
  },
});
