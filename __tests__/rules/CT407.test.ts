import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const compose = (vol: string) => `services:\n  api:\n    build: .\n    volumes:\n      - ${vol}\n`;

test('CT407 fires on writable mounts over the code or the venv', async () => {
  const a = await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('./src:/app/src') }, 'CT407', 'compose.yaml:5:9');
  assert.match(a.message, /bind mount at \/app\/src covers code in the app folder \/app/);
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('.:/app') }, 'CT407');
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('venv:/app/.venv') }, 'CT407');
});

for (const [label, vol] of [
  [':ro', './src:/app/src:ro'],
  ['a data volume elsewhere', 'data:/var/lib/app'],
  ['a named data volume inside the app folder', 'uploads:/app/uploads'],
] as const) {
  test(`CT407 is satisfied by ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': compose(vol) }, 'CT407');
  });
}
