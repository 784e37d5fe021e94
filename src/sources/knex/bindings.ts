/**
 * Binding values to names: identifiers, destructuring patterns, defaults and rest elements.
 */
import type { BindingPattern, Expression, ParamPattern } from 'oxc-parser';
import { arrayItems, memberOf } from './js-values.js';
import { isStaticString, type Scope, UNDEF, unknown, type Val } from './values.js';
import type { Interpreter } from './evaluator.js';

export const bindingMethods = {
  bindPattern(this: Interpreter, p: BindingPattern | ParamPattern, v: Val, scope: Scope): void {
    switch (p.type) {
      case 'Identifier':
        if (v.k === 'knex') this.knexNames.add(p.name);
        scope.declare(p.name, v.k === 'fn' && !v.name ? { ...v, name: p.name } : v);
        return;
      case 'AssignmentPattern': {
        const val = v.k === 'undef' ? this.eval(p.right, scope) : v;
        this.bindPattern(p.left, val, scope);
        return;
      }
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') {
            this.bindPattern(prop.argument, unknown(), scope);
            continue;
          }
          const key = prop.computed ? this.eval(prop.key as Expression, scope) : null;
          const name =
            key && isStaticString(key)
              ? key.v
              : !prop.computed && prop.key.type === 'Identifier'
                ? prop.key.name
                : !prop.computed && prop.key.type === 'Literal'
                  ? String(prop.key.value)
                  : null;
          this.bindPattern(prop.value, name === null ? unknown() : memberOf(v, name), scope);
        }
        return;
      case 'ArrayPattern': {
        const items = arrayItems(v);
        p.elements.forEach((el, i) => {
          if (!el) return;
          if (el.type === 'RestElement') {
            this.bindPattern(el.argument, items ? { k: 'array', items: items.slice(i) } : unknown(), scope);
            return;
          }
          this.bindPattern(el, items ? (items[i] ?? UNDEF) : unknown(), scope);
        });
        return;
      }
      case 'RestElement':
        this.bindPattern(p.argument, v, scope);
        return;
      default:
        return;
    }
  },
};
