import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { profileWrites } from '../../src/smoke/profile.js';
import { classifyDiff } from '../../src/smoke/diff.js';

test('the uv cache: a tmpfs on ~/.cache owned by the runtime user', () => {
  const p = profileWrites('C /home\nC /home/appuser\nA /home/appuser/.cache\nA /home/appuser/.cache/uv\nA /home/appuser/.cache/uv/.lock\n', { uid: 1001, gid: 1001 });
  assert.deepEqual(p.tmpfs, ['/home/appuser/.cache']);
  assert.equal(p.snippet, 'tmpfs:\n  - "/home/appuser/.cache:uid=1001,gid=1001"');
});

test('never a tmpfs over image content: the venv and state next to the code get a named cause', () => {
  const p = profileWrites('C /app\nC /app/.venv\nC /app/.venv/lib\nA /app/.venv/lib/x.py\nA /app/state.json\nC /app/.venv/pyvenv.cfg\n', { venv: '/app/.venv', workdir: '/app' });
  assert.deepEqual(p.tmpfs, []);
  assert.ok(p.causes.some((c) => c.path === '/app/.venv' && /--no-sync/.test(c.cause)));
  assert.ok(p.causes.some((c) => c.path === '/app/state.json' && /state file written next to the code/.test(c.cause)));
});

test('/tmp writes propose /tmp; new folders in /var/lib propose that folder; __pycache__ is a cause', () => {
  const p = profileWrites('C /tmp\nA /tmp/a\nA /tmp/a/b\nC /var\nC /var/lib\nA /var/lib/app\nA /var/lib/app/db\nC /app\nA /app/__pycache__\nA /app/__pycache__/m.pyc\n', { uid: 0 });
  assert.deepEqual(p.tmpfs, ['/tmp', '/var/lib/app']);
  assert.equal(p.snippet, 'tmpfs:\n  - "/tmp"\n  - "/var/lib/app"');
  assert.ok(p.causes.some((c) => /PYTHONDONTWRITEBYTECODE/.test(c.cause)));
});

test('writes under the existing mounts are not proposed again', () => {
  assert.deepEqual(profileWrites('A /tmp/x\n', { existingMounts: ['/tmp'] }).tmpfs, []);
});

test('diff classification: mount points, their parents and allowed globs are expected', () => {
  const d = classifyDiff('C /home\nC /home/appuser\nA /home/appuser/.cache\nA /app/log.txt\nA /var/run/app.pid\n', ['/home/appuser/.cache'], ['/var/run/*.pid']);
  assert.deepEqual(d.map((x) => [x.path, x.expected]), [['/home', true], ['/home/appuser', true], ['/home/appuser/.cache', true], ['/app/log.txt', false], ['/var/run/app.pid', true]]);
});
