import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('CT404 fires without no-new-privileges', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n' }, 'CT404', 'compose.yaml:2:3');
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    security_opt: ["no-new-privileges:false"]\n' }, 'CT404', 'compose.yaml:4:5');
});

test('CT404 is satisfied by no-new-privileges:true, no-new-privileges, no-new-privileges=true', async () => {
  for (const v of ['no-new-privileges:true', 'no-new-privileges', 'no-new-privileges=true']) {
    await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': `services:\n  api:\n    build: .\n    security_opt:\n      - "${v}"\n` }, 'CT404');
  }
});
