import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('CT406 fires on compose user root / 0 / 0:0', async () => {
  for (const u of ['root', '"0"', '"0:0"']) await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': `services:\n  api:\n    build: .\n    user: ${u}\n` }, 'CT406', 'compose.yaml:4:11');
});

test('CT406 is satisfied by a non-root compose user', async () => {
  await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    user: "1001"\n' }, 'CT406');
});
