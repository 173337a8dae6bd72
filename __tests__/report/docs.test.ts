import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../src/core/rules/index.js';
import { ruleDoc, withRulesTable } from '../../src/report/docs.js';
import { PROJECT_ROOT } from '../helpers.js';

test('every rule has an up-to-date docs/rules page (run `npm run docs` to regenerate)', () => {
  for (const r of RULES) {
    const p = path.join(PROJECT_ROOT, 'docs', 'rules', `${r.id}.md`);
    assert.ok(fs.existsSync(p), `${p} is missing`);
    assert.equal(fs.readFileSync(p, 'utf8'), ruleDoc(r), `${r.id}.md is out of date`);
  }
});

test('README has a row for every rule (run `npm run docs` to regenerate)', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, withRulesTable(readme, RULES));
  for (const r of RULES) assert.match(readme, new RegExp(`\\| \\[${r.id}\\]\\(docs/rules/${r.id}\\.md\\) \\| ${r.name} \\| ${r.severity} \\|`));
});

test('rule metadata is complete and ids are unique', () => {
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
  for (const r of RULES) {
    assert.match(r.id, /^(UV1|UV2|PY3|CT4|EP5|RO9)\d\d$/);
    for (const k of ['summary', 'rationale', 'fix'] as const) assert.ok(r[k].length > 5, `${r.id}.${k}`);
  }
});

test('each rule lives in its own file with its own tests', () => {
  for (const r of RULES) {
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, 'src', 'core', 'rules', `${r.id}.ts`)), `${r.id}.ts`);
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, '__tests__', 'rules', `${r.id}.test.ts`)), `${r.id}.test.ts`);
  }
});
