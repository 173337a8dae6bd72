import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('UV107 fires on COPY . . without a .dockerignore, or one without .venv', async () => {
  const a = await expectFinding({ Dockerfile: dockerfile('COPY . .') }, 'UV107', 'Dockerfile:5:1');
  assert.match(a.message, /there is no \.dockerignore/);
  await expectFinding({ Dockerfile: dockerfile('ADD ./ /app/'), '.dockerignore': '__pycache__\n' }, 'UV107');
});

for (const [label, files] of [
  ['.venv in .dockerignore', { Dockerfile: dockerfile('COPY . .'), '.dockerignore': '.venv\n' }],
  ['**/.venv', { Dockerfile: dockerfile('COPY . .'), '.dockerignore': '# comment\n**/.venv\n' }],
  ['/.venv/ with slashes', { Dockerfile: dockerfile('COPY . .'), '.dockerignore': '/.venv/\n' }],
  ['Dockerfile.dockerignore beside the Dockerfile', { Dockerfile: dockerfile('COPY . .'), 'Dockerfile.dockerignore': '.venv\n' }],
  ['copying named files only', { Dockerfile: dockerfile('COPY app.py pyproject.toml ./') }],
  ['COPY --from another stage', { Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5 AS b\nFROM python:3.12\nCOPY --from=b . .\n' }],
] as const) {
  test(`UV107 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV107');
  });
}

test('UV107: a later !.venv re-includes it', async () => {
  await expectFinding({ Dockerfile: dockerfile('COPY . .'), '.dockerignore': '.venv\n!.venv\n' }, 'UV107');
});
