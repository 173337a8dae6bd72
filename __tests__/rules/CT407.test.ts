import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const compose = (vol: string) => `services:\n  api:\n    build: .\n    volumes:\n      - ${vol}\n`;

/** An image that copies its whole context into /app: a package under src/, data and config beside it. */
const app = { Dockerfile: dockerfile('COPY . .'), '.dockerignore': '.venv\ncoverage/\n', 'src/app/__init__.py': '', 'main.py': '', 'config.yml': 'a: 1\n', 'tmp/.keep': '' };

test('CT407 fires on writable mounts over the code or the venv', async () => {
  const a = await expectFinding({ ...app, 'compose.yaml': compose('./src:/app/src') }, 'CT407', 'compose.yaml:5:9');
  assert.match(a.message, /bind mount at \/app\/src covers code in the app folder \/app \(src\/\)/);
  await expectFinding({ ...app, 'compose.yaml': compose('./main.py:/app/main.py') }, 'CT407');
  // A named volume over code the image provides keeps that code from the first start on (stale after a rebuild).
  await expectFinding({ ...app, 'compose.yaml': compose('code:/app/src') }, 'CT407');
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

for (const [label, vol] of [
  ['coverage output (a path the .dockerignore leaves out)', './coverage:/app/coverage'],
  ['a data folder the repository does not have', './data:/app/data'],
  ['a config file the app rewrites', './config.yml:/app/config.yml'],
  ['a data folder the repository keeps empty (.keep)', './tmp:/app/tmp'],
] as const) {
  test(`CT407: a writable mount over ${label} replaces no code`, async () => {
    await expectNone({ ...app, 'compose.yaml': compose(vol) }, 'CT407');
  });
}

test('CT407: inside the app folder, only what a COPY puts there counts (a folder the Dockerfile does not copy is not code)', async () => {
  const files = { ...app, Dockerfile: dockerfile('COPY main.py .'), 'compose.yaml': compose('./src:/app/src') };
  await expectNone(files, 'CT407');
  await expectFinding({ ...files, 'compose.yaml': compose('./main.py:/app/main.py') }, 'CT407');
});
