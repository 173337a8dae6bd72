import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const files = (body: string, extra: Record<string, string> = {}) => ({ Dockerfile: dockerfile(body), 'pyproject.toml': '[project]\nname = "a"\n', 'uv.lock': 'version = 1\n', ...extra });

test('UV105 fires when uv.lock is never copied before the locked sync', async () => {
  const f = await expectFinding(files('COPY pyproject.toml ./\nRUN uv sync --locked'), 'UV105', 'Dockerfile:6:5');
  assert.match(f.message, /nothing copies or bind-mounts it to \/app\/uv\.lock/);
});

test('UV105 fires when uv.lock is copied only after the sync', async () => {
  await expectFinding(files('RUN uv sync --frozen\nCOPY uv.lock ./'), 'UV105', 'Dockerfile:5:5');
});

test('UV105 fires when the context has no uv.lock, or .dockerignore drops it', async () => {
  const a = await expectFinding({ Dockerfile: dockerfile('COPY pyproject.toml uv.lock ./\nRUN UV_LOCKED=1 uv sync') }, 'UV105');
  assert.match(a.message, /uv\.lock does not exist in the build context/);
  const b = await expectFinding(files('COPY . .\nRUN uv sync --locked', { '.dockerignore': '.venv\nuv.lock\n' }), 'UV105');
  assert.match(b.message, /\.dockerignore excludes uv\.lock/);
});

for (const [label, body] of [
  ['COPY of uv.lock to the WORKDIR', 'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked'],
  ['COPY . .', 'COPY . .\nRUN uv sync --locked'],
  ['a bind mount of uv.lock', 'RUN --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked'],
  ['a bind mount of the whole context', 'RUN --mount=type=bind,target=/app uv sync --locked'],
  ['no lockfile enforcement (UV101 speaks)', 'RUN uv sync'],
] as const) {
  test(`UV105 is satisfied by ${label}`, async () => {
    await expectNone(files(body), 'UV105');
  });
}

test('UV105 follows uv.lock copied from a builder stage', async () => {
  const df = 'FROM python:3.12 AS src\nWORKDIR /src\nCOPY uv.lock pyproject.toml ./\nFROM ghcr.io/astral-sh/uv:0.12.5\nWORKDIR /app\nCOPY --from=src /src/uv.lock /src/pyproject.toml ./\nRUN uv sync --locked\n';
  await expectNone({ Dockerfile: df, 'uv.lock': 'x', 'pyproject.toml': 'x' }, 'UV105');
});

test('UV105: a workspace member synced below the workspace root finds the root uv.lock', async () => {
  await expectNone(files('COPY . .\nWORKDIR /app/packages/api\nRUN uv sync --locked --package api'), 'UV105');
});
