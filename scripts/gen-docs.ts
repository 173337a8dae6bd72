/** Writes docs/rules/<ID>.md and the README rules table from the rule registry (`npm run docs`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../src/core/rules/index.js';
import { ruleDoc, withRulesTable } from '../src/report/docs.js';
import { configSchemaJson } from '../src/core/config-schema.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
fs.mkdirSync(path.join(root, 'docs', 'rules'), { recursive: true });
for (const r of RULES) fs.writeFileSync(path.join(root, 'docs', 'rules', `${r.id}.md`), ruleDoc(r));
const readme = path.join(root, 'README.md');
fs.writeFileSync(readme, withRulesTable(fs.readFileSync(readme, 'utf8'), RULES));
console.log(`wrote ${RULES.length} rule pages and the README table`);
fs.mkdirSync(path.join(root, 'schema'), { recursive: true });
fs.writeFileSync(path.join(root, 'schema', 'ro-uv-check.schema.json'), configSchemaJson(RULES));
console.log('wrote schema/ro-uv-check.schema.json');
