import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../helpers.js';

const action = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { description: string }>; outputs: Record<string, { description: string }>; runs: { using: string; main: string } };
const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

test('action.yml declares node24 and the committed bundle', () => {
  assert.equal(action.runs.using, 'node24');
  assert.equal(action.runs.main, 'dist/index.js');
  assert.ok(fs.existsSync(path.join(PROJECT_ROOT, action.runs.main)));
});

test('README documents every input and output of action.yml, and nothing that does not exist', () => {
  for (const name of Object.keys(action.inputs)) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `input ${name}`);
  for (const name of Object.keys(action.outputs)) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `output ${name}`);
  const documented = [...readme.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
  for (const d of documented) assert.ok(d in action.inputs || d in action.outputs, `README documents ${d}, which action.yml lacks`);
  for (const [name, i] of Object.entries(action.inputs)) assert.ok(i.description.length > 10, name);
});
