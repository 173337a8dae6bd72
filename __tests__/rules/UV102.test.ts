import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('UV102 fires as a warning on an editable sync in a single-stage image', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked --no-dev') }, 'UV102', 'Dockerfile:5:5');
  assert.equal(f.severity, 'warning');
});

test('UV102 is an error when the final stage copies only the venv from the builder', async () => {
  const df = `FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS builder
WORKDIR /app
RUN uv sync --locked --no-dev
FROM python:3.12-slim
RUN useradd -u 1001 -m appuser
ENV PYTHONDONTWRITEBYTECODE=1
COPY --from=builder /app/.venv /app/.venv
USER appuser
CMD ["/app/.venv/bin/app"]
`;
  const f = await expectFinding({ Dockerfile: df }, 'UV102', 'Dockerfile:3:5');
  assert.equal(f.severity, 'error');
});

for (const [label, body] of [
  ['--no-editable', 'RUN uv sync --locked --no-editable'],
  ['UV_NO_EDITABLE=1', 'ENV UV_NO_EDITABLE=1\nRUN uv sync --locked'],
  ['--no-install-project (the project is not installed at all)', 'RUN uv sync --locked --no-install-project'],
] as const) {
  test(`UV102 is satisfied by ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile(body) }, 'UV102');
  });
}

test('UV102 ignores a stage the final image is not built from', async () => {
  const df = `FROM ghcr.io/astral-sh/uv:0.12.5 AS tests
RUN uv sync --locked
FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim
RUN useradd -u 1001 -m appuser && uv sync --locked --no-editable
USER appuser
`;
  await expectNone({ Dockerfile: df }, 'UV102');
});
