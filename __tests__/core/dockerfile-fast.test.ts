/** The Dockerfile fast path against dockerfile-ast: fixed Dockerfiles here, random ones in ./dockerfile-fast.ts. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Keyword } from 'dockerfile-ast';
import { KEYWORDS, takesDockerfileFastPath } from '../../src/core/parse/dockerfile.js';
import { bothDockerfile, runDockerfileFastProperty } from './dockerfile-fast.js';
import { PROJECT_ROOT } from '../helpers.js';

const UV_DOCKERFILE = [
  '# syntax=docker/dockerfile:1.7',
  'ARG PY=3.12',
  'FROM ghcr.io/astral-sh/uv:0.5.1 AS uv',
  'FROM --platform=$BUILDPLATFORM python:${PY}-slim AS builder',
  'ENV UV_COMPILE_BYTECODE=1 \\',
  '    UV_LINK_MODE=copy \\',
  '    UV_PYTHON_DOWNLOADS=never',
  'WORKDIR /app',
  'COPY --from=uv /uv /uvx /bin/',
  'RUN --mount=type=cache,target=/root/.cache/uv \\',
  '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
  '    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\',
  '    # dependencies first, for the layer cache',
  '    uv sync --locked --no-install-project --no-editable --no-dev',
  'COPY . /app',
  'RUN uv sync --locked --no-editable --compile-bytecode --no-dev',
  '',
  'FROM python:${PY}-slim',
  'ARG APP_UID=1001',
  'RUN groupadd --system --gid ${APP_UID} app && \\',
  '    useradd --system --uid ${APP_UID} --gid app --create-home --home-dir /home/app app',
  'COPY --from=builder --chown=app:app /app /app',
  'ENV PATH="/app/.venv/bin:$PATH" PYTHONDONTWRITEBYTECODE=1 LABEL_TEXT="a b"',
  'LABEL org.opencontainers.image.title="app" version=1',
  'USER app',
  'EXPOSE 8000',
  'HEALTHCHECK --interval=30s CMD ["python", "-c", "print(1)"]',
  'ENTRYPOINT ["/app/entrypoint.sh"]',
  'CMD ["uv", "run", "--no-sync", "python", "-m", "app"]',
  '',
].join('\n');

test('Dockerfile fast path: the examples, the benchmark\'s and a full uv Dockerfile take it and match dockerfile-ast', () => {
  const files = [UV_DOCKERFILE];
  for (const ex of fs.readdirSync(path.join(PROJECT_ROOT, 'examples'))) {
    const f = path.join(PROJECT_ROOT, 'examples', ex, 'Dockerfile');
    if (fs.existsSync(f)) files.push(fs.readFileSync(f, 'utf8'));
  }
  assert.ok(files.length >= 3);
  for (const text of files) {
    assert.ok(takesDockerfileFastPath(text), text);
    const { fast, full } = bothDockerfile(text);
    assert.deepEqual(fast, full, text);
  }
});

test('Dockerfile fast path: CRLF, heredocs, the escape directive and a BOM go to dockerfile-ast', () => {
  for (const text of ['FROM a\r\nRUN b\r\n', 'FROM a\nRUN <<EOF\necho\nEOF\n', '# escape=`\nFROM a\nRUN b `\n  c\n', '#ESCAPE=\\\nFROM a\n', '\uFEFFFROM a\n']) {
    assert.equal(takesDockerfileFastPath(text), false, JSON.stringify(text));
    const { fast, full } = bothDockerfile(text);
    assert.deepEqual(fast, full, JSON.stringify(text));
  }
});

test('Dockerfile fast path: tricky continuations, escapes, quotes and JSON match dockerfile-ast', () => {
  for (const text of [
    'RUN a\\\nb \\\n  # c \\\n\n  d\\ e "f g" \\$h \\\\ i\\',
    'ENV A=1\\\nB=2 C="x \\\n y" D=${E:-"f g"} \\\n  # c\n  F=\'h\'',
    'ENV A b c\\\n d',
    'ARG "N"=1\nARG M\nARG\nFROM x AS\nFROM --platform=p y as Z\nCOPY --from=Z --chown=1:1 a b\\\n  c/',
    'CMD ["a",\\\n "b" ]\nENTRYPOINT [ "x\\"y", "z\\\\w" ]\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ["a" "b"]\nCMD [] x',
    'R\\\nUN x\nRUN\\  \n x\nUSER \\\n app\nWORKDIR',
  ]) {
    assert.ok(takesDockerfileFastPath(text), JSON.stringify(text));
    const { fast, full } = bothDockerfile(text);
    assert.deepEqual(fast, full, JSON.stringify(text));
  }
});

test('the instruction keywords are dockerfile-ast\'s', () => {
  assert.deepEqual([...KEYWORDS].sort(), Object.values(Keyword).sort());
});

test('Dockerfile fast path: random Dockerfiles read the same both ways (property)', () => {
  runDockerfileFastProperty(Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 2000));
});
