/** schema/ro-uv-check.schema.json: generated from the rule registry, and the very schema the config loader validates with. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { RULES } from '../../src/core/rules/index.js';
import { configSchemaJson } from '../../src/core/config-schema.js';
import { analyzeRepo, dockerfile, PROJECT_ROOT } from '../helpers.js';

const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'ro-uv-check.schema.json');
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));

test('the committed schema is the one the loader uses (run `npm run docs` to regenerate)', () => {
  assert.equal(fs.readFileSync(SCHEMA_FILE, 'utf8'), configSchemaJson(RULES));
});

test('the schema and the rule registry agree: every id and name, nothing else', () => {
  assert.deepEqual([...schema.definitions.rule.enum].sort(), [...RULES.map((r) => r.id), ...RULES.map((r) => r.name)].sort());
  const validate = new Ajv({ allErrors: true }).compile(schema);
  for (const r of RULES) {
    for (const ref of [r.id, r.name]) {
      assert.ok(validate({ ignore: [ref], severity: { [ref]: 'off' } }), `${ref}: ${JSON.stringify(validate.errors)}`);
    }
  }
  assert.equal(validate({ ignore: ['UV999'] }), false);
  assert.equal(validate({ severity: { 'no-such-rule': 'error' } }), false);
  assert.equal(validate({ severity: { UV201: 'loud' } }), false);
  assert.equal(validate({ scope: 'everything' }), false);
});

test('the loader accepts every rule by id and by name, with no RO901', async () => {
  const all = RULES.flatMap((r) => [r.id, r.name]);
  const yml = `# yaml-language-server: $schema=./schema/ro-uv-check.schema.json\nignore: [${all.join(', ')}]\nseverity:\n${all.map((x) => `  ${x}: notice`).join('\n')}\n`;
  const r = await analyzeRepo({ Dockerfile: dockerfile('RUN uv sync'), '.ro-uv-check.yml': yml });
  assert.deepEqual(r.configErrors, []);
  assert.deepEqual(r.findings, [], 'everything ignored');
});

test('schema errors are RO901 at the line of the key or value, in plain words; the valid entries still apply', async () => {
  const yml = ['ignore:', '  - UV999', '  - UV201', 'severity:', '  no-such-rule: error', '  UV204: loud', '  UV104: "off"', 'scope: everything', 'uv-version: "1.2"', 'extra: 1', ''].join('\n');
  const r = await analyzeRepo({ Dockerfile: dockerfile('RUN uv sync --locked --no-editable --compile-bytecode', 'CMD ["uv", "run", "app"]'), '.ro-uv-check.yml': yml });
  assert.deepEqual(r.configErrors.map((f) => `${f.line}:${f.column} ${f.message}`).sort(), [
    '10:1 unknown config key "extra"',
    '2:5 unknown rule "UV999" in ignore',
    '5:3 unknown rule "no-such-rule" in severity',
    '6:10 severity.UV204 must be one of error, warning, notice, off',
    '8:8 scope must be one of uv, all',
    '9:13 uv-version must match pattern "^\\d+\\.\\d+\\.\\d+$"',
  ]);
  const ids = r.findings.filter((f) => f.file === 'Dockerfile').map((f) => f.ruleId);
  assert.ok(!ids.includes('UV201'), 'UV201 is still ignored');
  assert.ok(!ids.includes('UV104'), 'UV104 is still off');
  assert.ok(ids.includes('UV204'), 'UV204 keeps its severity');
});

test('the README points editors at the schema', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const m = /# yaml-language-server: \$schema=(\S+)/.exec(readme);
  assert.ok(m, 'a yaml-language-server modeline in the README');
  assert.match(m[1]!, /schema\/ro-uv-check\.schema\.json$/);
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.files.includes('schema/'), 'the schema ships in the npm package');
});
