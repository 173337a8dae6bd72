/** `# syntax = devthefuture/dockerfile-x` and `FROM ./other.Dockerfile`: the included Dockerfile's stage is the parent. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { findingsOf } from '../helpers.js';
import { syntaxDirective, customFrontend } from '../../src/core/parse/dockerfile.js';

const BASE = `FROM python:3.12-slim
ENV UV_FROZEN=1 UV_COMPILE_BYTECODE=1 PYTHONDONTWRITEBYTECODE=1
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/uv
`;
const EXTRA = `# syntax = devthefuture/dockerfile-x
FROM ./Dockerfile
RUN uv sync --no-dev
`;

const COMPOSE = 'services:\n  app:\n    build:\n      context: .\n      dockerfile: extra.dockerfile\n';

const on = (fs: { file: string; ruleId: string }[], file: string, ...ids: string[]): string[] =>
  fs.filter((f) => f.file === file && ids.includes(f.ruleId)).map((f) => f.ruleId).sort();

test('FROM ./Dockerfile under dockerfile-x inherits the included final stage: no UV101/UV103/PY301 on it', async () => {
  const fs = await findingsOf({ Dockerfile: BASE, 'extra.dockerfile': EXTRA, 'compose.yaml': COMPOSE });
  assert.deepEqual(on(fs, 'extra.dockerfile', 'UV101', 'UV103', 'PY301'), []);
  // The included stage runs as root (python:3.12-slim, no USER): that is still said, at the including stage.
  assert.deepEqual(on(fs, 'extra.dockerfile', 'CT401'), ['CT401']);
});

test('the same include whose Dockerfile sets nothing: the findings are there (the parent is modelled, not skipped)', async () => {
  const fs = await findingsOf({ Dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/uv\n', 'extra.dockerfile': EXTRA, 'compose.yaml': COMPOSE });
  assert.deepEqual(on(fs, 'extra.dockerfile', 'UV101', 'UV103', 'PY301'), ['PY301', 'UV101', 'UV103']);
});

test('USER and a named stage (#stage) of a Dockerfile in another folder are inherited', async () => {
  const base = `FROM python:3.12-slim AS runtime
RUN useradd --uid 1001 app
USER app
ENV PYTHONDONTWRITEBYTECODE=1 UV_LOCKED=1
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/uv
FROM runtime AS other
USER root
`;
  const extra = `# syntax=devthefuture/dockerfile-x
FROM ../base/base.Dockerfile#runtime
RUN uv sync --no-dev --compile-bytecode
CMD ["python", "-m", "app"]
`;
  const fs = await findingsOf({ 'base/base.Dockerfile': base, 'docker/app.Dockerfile': extra });
  assert.deepEqual(on(fs, 'docker/app.Dockerfile', 'CT401', 'PY301', 'UV101', 'UV103'), []);
});

test('an included Dockerfile that is not in the repository is unknown content, not "nothing set"', async () => {
  const fs = await findingsOf({ 'extra.dockerfile': EXTRA, 'compose.yaml': COMPOSE });
  assert.deepEqual(on(fs, 'extra.dockerfile', 'UV101', 'UV103', 'UV104', 'PY301'), []);
  const ct = fs.filter((f) => f.file === 'extra.dockerfile' && f.ruleId === 'CT401');
  assert.equal(ct.length, 1, JSON.stringify(fs));
  assert.ok(ct[0]!.severity === 'notice' && /does not know/.test(ct[0]!.message), JSON.stringify(ct));
});

test('without a custom frontend a relative FROM is not an include (Docker rejects it; nothing is inherited)', async () => {
  const fs = await findingsOf({ Dockerfile: BASE, 'extra.dockerfile': EXTRA.replace('# syntax = devthefuture/dockerfile-x', '# syntax=docker/dockerfile:1'), 'compose.yaml': COMPOSE });
  assert.deepEqual(on(fs, 'extra.dockerfile', 'UV101', 'UV103'), ['UV101', 'UV103']);
});

test('an include cycle does not hang and leaves the base unknown', async () => {
  const a = '# syntax = devthefuture/dockerfile-x\nFROM ./b.Dockerfile\nRUN uv sync\n';
  const b = '# syntax = devthefuture/dockerfile-x\nFROM ./a.Dockerfile\nRUN uv sync\n';
  const fs = await findingsOf({ 'a.Dockerfile': a, 'b.Dockerfile': b });
  assert.ok(fs.every((f) => f.ruleId !== 'RO901'), JSON.stringify(fs));
  assert.deepEqual(fs.filter((f) => f.ruleId === 'CT401' && /does not know/.test(f.message)).map((f) => f.file).sort(), ['a.Dockerfile', 'b.Dockerfile']);
});

test('the syntax directive is read only from the leading directive lines', () => {
  assert.equal(syntaxDirective('# syntax = devthefuture/dockerfile-x\nFROM x\n'), 'devthefuture/dockerfile-x');
  assert.equal(syntaxDirective('# escape=`\n# syntax=docker/dockerfile:1.7\nFROM x\n'), 'docker/dockerfile:1.7');
  assert.equal(syntaxDirective('# a comment\n# syntax=devthefuture/dockerfile-x\nFROM x\n'), undefined);
  assert.equal(syntaxDirective('FROM x\n# syntax=devthefuture/dockerfile-x\n'), undefined);
  assert.equal(customFrontend('docker/dockerfile:1'), false);
  assert.equal(customFrontend('docker.io/docker/dockerfile:1.7@sha256:abc'), false);
  assert.equal(customFrontend('docker/dockerfile-upstream:master'), false);
  assert.equal(customFrontend('devthefuture/dockerfile-x:v1'), true);
  assert.equal(customFrontend(undefined), false);
});
