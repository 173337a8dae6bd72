import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { findingsOf, expectNone, dockerfile } from '../helpers.js';

const files = (script: string, tmpfs = '["/home/appuser/.cache", "/run/app"]') => ({
  Dockerfile: dockerfile('COPY entrypoint.sh /entrypoint.sh', 'ENTRYPOINT ["/entrypoint.sh"]'),
  'entrypoint.sh': script,
  'compose.yaml': `services:\n  api:\n    build: .\n    read_only: true\n    tmpfs: ${tmpfs}\n`,
});

test('EP502 fires on each write outside the writable paths, at the written path', async () => {
  const script = '#!/bin/sh\nset -e\necho "$CFG" > /app/config.json\ntouch /var/run/app.pid\nmkdir -p /data\nsed -i s/a/b/ /etc/app.conf\ncp /a /etc/b\nchmod 600 /app/key\nexec app\n';
  const f = await findingsOf(files(script), 'EP502');
  assert.deepEqual(f.map((x) => `${x.line}:${x.column}`), ['3:15', '4:7', '5:10', '6:15', '7:7', '8:11']);
});

test('EP502 is silent for writes under a tmpfs, /dev and /proc, and in a writable service', async () => {
  const script = '#!/bin/sh\necho x > /run/app/config.json\necho y > /dev/stderr\nmkdir -p /home/appuser/.cache/x\nexec app\n';
  await expectNone(files(script), 'EP502');
  const ro = files('#!/bin/sh\necho x > /app/config.json\nexec app\n');
  ro['compose.yaml'] = 'services:\n  api:\n    build: .\n';
  await expectNone(ro, 'EP502');
});

test('EP502 resolves a relative write against the compose working_dir', async () => {
  const script = '#!/bin/sh\necho $$ > app.pid\nexec app\n';
  const f = await findingsOf(files(script), 'EP502');
  assert.deepEqual(f.map((x) => x.message.split(',')[0]), ['entrypoint.sh writes /app/app.pid']);
  const inTmpfs = files(script);
  inTmpfs['compose.yaml'] += '    working_dir: /run/app\n';
  await expectNone(inTmpfs, 'EP502');
});
