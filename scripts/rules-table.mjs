// Rewrites the rules table in README.md from the rules' metadata (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';

const { RULES } = await import('../dist/src/engine/registry.js');
const { renderRulesMarkdown } = await import('../dist/src/cli/rules-table.js');
const readme = new URL('../README.md', import.meta.url);
const text = readFileSync(readme, 'utf8');
const next = text.replace(/(<!-- rules:start -->\n)[\s\S]*?(\n<!-- rules:end -->)/, `$1${renderRulesMarkdown(RULES)}$2`);
writeFileSync(readme, next);
console.log(next === text ? 'README rules table already up to date' : 'README rules table rewritten');
