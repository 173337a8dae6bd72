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

// Where the sync runs (issue 14, item 5): the WORKDIR in force at the RUN, `cd` inside it, --directory/--project.
for (const [label, body] of [
  ['cd in a shell-form RUN', 'COPY . /src\nRUN cd /src && uv sync --locked'],
  ['cd in a heredoc RUN', 'COPY . /src\nRUN <<EOF\nset -e\ncd /src\nuv sync --locked\nEOF'],
  ['cd inside sh -c', 'COPY . /src\nRUN sh -c "cd /src && uv sync --locked"'],
  ['cd in a subshell', 'COPY . /src\nRUN (cd /src && uv sync --locked)'],
  ['a relative cd', 'COPY . /app/sub\nRUN cd sub && uv sync --frozen'],
  ['--project', 'COPY . /src\nRUN uv sync --locked --project /src'],
  ['--directory before the subcommand', 'COPY . /src\nRUN uv --directory=/src sync --locked'],
  ['--directory with a relative --project', 'COPY . /src/api\nRUN uv sync --locked --directory /src --project api'],
  ['UV_PROJECT', 'COPY . /src\nENV UV_PROJECT=/src\nRUN uv sync --locked'],
  ['a WORKDIR set after the RUN (shell form)', 'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nWORKDIR /srv'],
  ['a WORKDIR set after the RUN (heredoc)', 'COPY pyproject.toml uv.lock ./\nRUN <<EOF\nuv sync --locked\nEOF\nWORKDIR /srv'],
  ['uv lock earlier in the stage', 'COPY pyproject.toml ./\nRUN uv lock\nRUN uv sync --locked'],
  ['an unlocked sync earlier in the same RUN', 'COPY pyproject.toml ./\nRUN uv sync --no-install-project && uv sync --frozen'],
  ['an ARG in a bind mount target', 'RUN --mount=type=bind,source=uv.lock,target=/home/${NAME}/uv.lock --mount=type=bind,source=pyproject.toml,target=/home/${NAME}/pyproject.toml uv sync --locked --project /home/${NAME}'],
] as const) {
  test(`UV105 follows ${label}`, async () => {
    const repo = files(label.includes('ARG') ? `ARG NAME=appuser\n${body}` : body);
    await expectNone(repo, 'UV105');
  });
}

for (const [label, body, where] of [
  ['a cd elsewhere', 'COPY . /src\nRUN cd /opt && uv sync --locked', '/opt/uv.lock'],
  ['a cd that ends with its subshell', 'COPY . /src\nRUN (cd /src) && uv sync --locked', '/app/uv.lock'],
  ['a cd that ends with its sh -c', "COPY . /src\nRUN sh -c 'cd /src' && uv sync --locked", '/app/uv.lock'],
  ['the WORKDIR in force, not a later one', 'COPY pyproject.toml uv.lock /srv/\nRUN <<EOF\nuv sync --locked\nEOF\nWORKDIR /srv', '/app/uv.lock'],
  ['uv lock --check (writes nothing)', 'COPY pyproject.toml ./\nRUN uv lock --check\nRUN uv sync --locked', '/app/uv.lock'],
  ['uv lock of another project', 'COPY pyproject.toml ./\nRUN uv lock --project /other\nRUN uv sync --locked', '/app/uv.lock'],
] as const) {
  test(`UV105 still fires with ${label}`, async () => {
    const f = await expectFinding(files(body), 'UV105');
    assert.match(f.message, new RegExp(`it to ${where.replace(/\./g, '\\.')} before`));
  });
}

test('UV105: an unknown cd or --project makes no claim', async () => {
  await expectNone(files('COPY . /src\nRUN cd "$SRC" && uv sync --locked'), 'UV105');
  await expectNone(files('COPY . /src\nRUN uv sync --locked --project "$(cat /where)"'), 'UV105');
});

test('UV105: a base image whose content is unknown (built from another Dockerfile here, private, or a variable) may hold uv.lock', async () => {
  const df = (from: string): string => `${from}\nWORKDIR /app\nRUN uv sync --locked\n`;
  for (const from of ['FROM org/app-base:latest', 'FROM ghcr.io/org/base@sha256:0123', 'ARG BASE=base\nFROM ${BASE}']) {
    await expectNone({ Dockerfile: df(from), 'base.Dockerfile': 'FROM python:3.12\nCOPY . /app\n', 'uv.lock': 'x' }, 'UV105');
  }
  // A public image holds no project files: nothing copied is missing.
  for (const from of ['FROM python:3.12-slim', 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm', 'FROM docker.io/library/debian:bookworm']) {
    await expectFinding({ Dockerfile: df(from), 'uv.lock': 'x' }, 'UV105');
  }
});

// Issue 14, item 5 and the corpus: a lockfile copied through a pattern, and a base image of unknown content.
test('UV105: `COPY uv.lock* ./` copies the lockfile the context has; it is missing only when the context has none', async () => {
  await expectNone(files('COPY pyproject.toml uv.lock* ./\nRUN uv sync --frozen'), 'UV105');
  await expectNone(files('COPY pyproject.toml uv.lock* .\nRUN uv sync --frozen'), 'UV105');
  await expectNone({ ...files('COPY sub/pyproject.toml sub/uv.l?ck ./\nRUN uv sync --locked'), 'sub/pyproject.toml': 'x', 'sub/uv.lock': 'x' }, 'UV105');
  const f = await expectFinding({ Dockerfile: dockerfile('COPY pyproject.toml uv.lock* ./\nRUN uv sync --frozen'), 'pyproject.toml': 'x' }, 'UV105');
  assert.match(f.message, /nothing copies or bind-mounts it to \/app\/uv\.lock/);
});

test('UV105: `COPY . /app` over a base image of unknown content (built elsewhere, a variable) that may hold uv.lock: no claim', async () => {
  const body = (from: string): string => `ARG REGISTRY=org\n${from}\nWORKDIR /app\nCOPY . /app\nRUN uv sync --locked --no-dev\n`;
  await expectNone({ Dockerfile: body('FROM ${REGISTRY}/base-python-deps:latest'), 'pyproject.toml': 'x' }, 'UV105');
  await expectNone({ Dockerfile: body('FROM org/base-python-deps:latest'), 'pyproject.toml': 'x' }, 'UV105');
  // A public base holds none of the repository's files: the lockfile is missing.
  const f = await expectFinding({ Dockerfile: body('FROM python:3.12-slim'), 'pyproject.toml': 'x' }, 'UV105');
  assert.match(f.message, /uv\.lock does not exist in the build context/);
});
