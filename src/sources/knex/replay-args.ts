/**
 * Abstract values turned into the serialisable arguments (./types.ts `KArg`) that `knexToSql`
 * replays on a connection-less Knex builder.
 */
import type { Expression } from 'oxc-parser';
import type { KArg } from './types.js';
import { unwrap } from './js-values.js';
import { isStaticString, staticJson, type Val } from './values.js';
import type { Interpreter } from './evaluator.js';

export const replayArgMethods = {
  karg(this: Interpreter, v: Val, node: Expression | undefined): KArg {
    const j = staticJson(v);
    if (j !== undefined) return { t: 'lit', v: j };
    const n = node ? unwrap(node) : undefined;
    switch (v.k) {
      case 'undef':
        return { t: 'undefined' };
      case 'array': {
        const els = n?.type === 'ArrayExpression' && n.elements.every((e) => e === null || e.type !== 'SpreadElement') ? n.elements : null;
        return { t: 'array', items: v.items.map((it, i) => this.karg(it, (els?.[i] as Expression | null | undefined) ?? undefined)) };
      }
      case 'object':
        if (v.complete) {
          const valueNode = (key: string): Expression | undefined => {
            if (n?.type !== 'ObjectExpression') return undefined;
            for (const p of n.properties) {
              if (p.type !== 'Property' || p.computed) continue;
              if ((p.key.type === 'Identifier' && p.key.name === key) || (p.key.type === 'Literal' && String(p.key.value) === key)) return p.value;
            }
            return undefined;
          };
          return { t: 'object', entries: [...v.props].map(([k, pv]) => [k, this.karg(pv, valueNode(k))] as [string, KArg]) };
        }
        break;
      case 'special':
        return v.arg;
      case 'raw':
        if (isStaticString(v.raw.sql)) {
          return {
            t: 'raw',
            sql: v.raw.sql.v,
            ...(v.raw.bindings !== undefined && v.raw.bindings.k !== 'undef' ? { bindings: this.karg(v.raw.bindings, v.raw.bindingsNode) } : {}),
          };
        }
        break;
      case 'query':
        return { t: 'query', calls: v.q.calls };
      default:
        break;
    }
    return { t: 'dynamic', text: node ? this.text(node) : v.k === 'unknown' && v.why ? v.why : `a ${v.k} value` };
  },
};
