import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, HARDENED_COMPOSE } from '../helpers.js';

const df = (env: string): string => `FROM ghcr.io/astral-sh/uv:0.12.5 AS uv
FROM python:3.12-slim AS final
COPY --from=uv /uv /bin/
RUN useradd -u 1001 -m appuser
${env}
USER appuser
CMD ["/app/.venv/bin/app"]
`;

test('PY301 fires on the final stage without PYTHONDONTWRITEBYTECODE', async () => {
  await expectFinding({ Dockerfile: df('') }, 'PY301', 'Dockerfile:2:1');
});

test('PY301 fires when compose empties it', async () => {
  await expectFinding({ Dockerfile: df('ENV PYTHONDONTWRITEBYTECODE=1'), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      PYTHONDONTWRITEBYTECODE: ""\n' }, 'PY301', 'compose.yaml:10:7');
});

for (const [label, files] of [
  ['ENV =1', { Dockerfile: df('ENV PYTHONDONTWRITEBYTECODE=1') }],
  ['any non-empty value, even 0', { Dockerfile: df('ENV PYTHONDONTWRITEBYTECODE=0') }],
  ['compose environment', { Dockerfile: df(''), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      - PYTHONDONTWRITEBYTECODE=1\n' }],
  ['an image that does not use uv', { Dockerfile: 'FROM python:3.12\nUSER 1000\nCMD ["python", "app.py"]\n' }],
] as const) {
  test(`PY301 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'PY301');
  });
}

test('PY301: one finding per image, naming every service that runs it', async () => {
  const compose = 'services:\n  api:\n    build: .\n  worker:\n    build: .\n';
  const unset = await expectFinding({ Dockerfile: df(''), 'compose.yaml': compose }, 'PY301', 'Dockerfile:2:1');
  assert.match(unset.message, /\(run by service "api" and service "worker"\)$/);
  const empty = await expectFinding({ Dockerfile: df('ENV PYTHONDONTWRITEBYTECODE='), 'compose.yaml': compose }, 'PY301', 'Dockerfile:5:5');
  assert.match(empty.message, /empty value for service "api" and service "worker"/);
});
