import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const compose = (tmpfs: string, user = ''): string => `services:\n  api:\n    build: .\n    read_only: true\n${user}    tmpfs:\n      - "${tmpfs}"\n`;

test('CT405 fires when the tmpfs uid differs from the runtime user, with the right fix', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('/home/appuser/.cache:uid=1000,gid=1000') }, 'CT405', 'compose.yaml:6:9');
  assert.equal(f.fix, '/home/appuser/.cache:uid=1001,gid=1001');
});

test('CT405 reads the uid/gid from groupadd + useradd -g', async () => {
  const df = 'FROM ghcr.io/astral-sh/uv:0.12.5\nRUN groupadd -g 2000 app && useradd -u 1500 -g app -m app\nUSER app\n';
  const f = await expectFinding({ Dockerfile: df, 'compose.yaml': compose('/tmp:uid=1500,gid=1500') }, 'CT405');
  assert.match(f.message, /gid=1500 but the container runs with gid 2000/);
});

test('CT405 fires when the mode denies the user', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('/tmp:mode=755') }, 'CT405');
});

test('CT405 uses the compose user over the image USER', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('/tmp:uid=1001,gid=1001', '    user: "2000:2000"\n') }, 'CT405');
});

for (const [label, tmpfs] of [
  ['matching uid/gid', '/home/appuser/.cache:uid=1001,gid=1001'],
  ['no options (mode 1777)', '/tmp'],
  ['a mode that lets everyone write', '/tmp:mode=1777'],
] as const) {
  test(`CT405 is satisfied by ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile(''), 'compose.yaml': compose(tmpfs) }, 'CT405');
  });
}
