import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, findingsOf, dockerfile } from '../helpers.js';

test('RO902 on a missing build context and a missing Dockerfile, at the build key', async () => {
  const a = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build: ./nope\n' }, 'RO902', 'compose.yaml:3:5');
  assert.match(a.message, /context nope does not exist/);
  const b = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: Missing.Dockerfile\n' }, 'RO902', 'compose.yaml:3:5');
  assert.match(b.message, /Missing\.Dockerfile does not exist/);
});

test('RO902 on an entrypoint copied from a repository path that does not exist', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('COPY scripts/entrypoint.sh /entrypoint.sh', 'ENTRYPOINT ["/entrypoint.sh"]') }, 'RO902', 'Dockerfile:5:1');
  assert.match(f.message, /scripts\/entrypoint\.sh, which does not exist/);
});

test('RO902 on a build target that is not a stage', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build:\n      context: .\n      target: nope\n' }, 'RO902');
});

test('RO902 on a build context outside the scanned root, and on a required env_file that does not exist', async () => {
  const a = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build: ../elsewhere\n' }, 'RO902', 'compose.yaml:3:5');
  assert.match(a.message, /build context \.\.\/elsewhere is outside the scanned root/);
  const b = await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    env_file: app.env\n' }, 'RO902', 'compose.yaml:4:15');
  assert.match(b.message, /env_file app\.env does not exist/);
});

test('RO902: a folder copied whole provides only what it holds; a command it does not hold comes from the base image', async () => {
  const files = { Dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nRUN uv pip install --system flask\nCOPY . .\nCMD ["python", "app.py"]\n', 'app.py': '' };
  const r = await findingsOf(files, 'RO902');
  assert.deepEqual(r, []);
  // The script is still followed when the folder holds it.
  const withScript = { ...files, Dockerfile: files.Dockerfile.replace('CMD ["python", "app.py"]', 'CMD ["./run.sh"]'), 'run.sh': '#!/bin/sh\nexec uv run app\n' };
  assert.equal((await findingsOf(withScript, 'UV201'))[0]?.file, 'run.sh');
});
