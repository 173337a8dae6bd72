import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('CT402 fires on an in-scope service without read_only, at the service key', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n' }, 'CT402', 'compose.yaml:2:3');
});

test('CT402 fires on read_only: false at the key', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    read_only: false\n' }, 'CT402', 'compose.yaml:4:5');
});

test('CT402 is satisfied by read_only: true, also from a production override file or a merge key', async () => {
  await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    read_only: true\n' }, 'CT402');
  await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n', 'compose.prod.yaml': 'services:\n  api:\n    read_only: true\n' }, 'CT402');
  await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': 'x-hard: &hard\n  read_only: true\nservices:\n  api:\n    <<: *hard\n    build: .\n' }, 'CT402');
});

test('CT402 ignores services that do not use uv, unless scope: all', async () => {
  const files = { 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n' };
  await expectNone(files, 'CT402');
  await expectFinding({ ...files, '.ro-uv-check.yml': 'scope: all\n' }, 'CT402', 'compose.yaml:2:3');
});
