import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('CT403 fires without cap_drop ALL', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n' }, 'CT403', 'compose.yaml:2:3');
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    cap_drop: [NET_RAW]\n' }, 'CT403', 'compose.yaml:4:5');
});

test('CT403 is satisfied by cap_drop: [ALL] (any case)', async () => {
  await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    cap_drop:\n      - all\n' }, 'CT403');
});
