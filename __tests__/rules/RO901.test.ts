import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, findingsOf, dockerfile } from '../helpers.js';

test('RO901 on unparseable YAML, with its line and column, and no crash', async () => {
  const f = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build: [.\n    image: x\n' }, 'RO901');
  assert.equal(f.file, 'compose.yaml');
  assert.ok(f.line >= 3, `line ${f.line}`);
});

test('RO901 on a compose file whose root is not a mapping, and on services as a list', async () => {
  await expectFinding({ 'compose.yaml': '- a\n- b\n' }, 'RO901', 'compose.yaml:1:1');
  await expectFinding({ 'compose.yaml': 'services:\n  - api\n' }, 'RO901', 'compose.yaml:1:1');
});

test('RO901 on duplicate keys', async () => {
  await expectFinding({ 'compose.yaml': 'services:\n  api:\n    image: a\n    image: b\n' }, 'RO901');
});

test('RO901 on a YAML alias bomb, bounded', async () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
  const f = await expectFinding({ 'compose.yaml': bomb.join('\n') + '\nservices: {}\n' }, 'RO901');
  assert.match(f.message, /alias bomb/);
});

test('RO901 on an unknown Dockerfile instruction and on broken exec-form JSON', async () => {
  const f = await findingsOf({ Dockerfile: 'FROM python:3.12\nFOOBAR x\nCMD ["uv", "run"\n' }, 'RO901');
  assert.deepEqual(f.map((x) => `${x.line}:${x.column}`), ['2:1', '3:5']);
});

test('RO901 on a shell syntax error in an entrypoint script, at its line', async () => {
  const files = {
    Dockerfile: dockerfile('COPY entrypoint.sh /entrypoint.sh', 'ENTRYPOINT ["/entrypoint.sh"]'),
    'entrypoint.sh': '#!/bin/sh\nif true; then\n  echo "unterminated\n',
  };
  const f = await expectFinding(files, 'RO901');
  assert.equal(f.file, 'entrypoint.sh');
});

test('RO901 on a binary file named Dockerfile', async () => {
  const f = await expectFinding({ Dockerfile: 'FROM x\0\0\0' }, 'RO901', 'Dockerfile:1:1');
  assert.match(f.message, /binary/);
});
