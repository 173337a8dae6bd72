import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf, dockerfile } from '../helpers.js';

const PACKAGE = '[project]\nname = "app"\nversion = "1"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';
const VIRTUAL = '[project]\nname = "app"\nversion = "1"\n';
const LOCK_EDITABLE = 'version = 1\n\n[[package]]\nname = "app"\nversion = "1"\nsource = { editable = "." }\n';
const LOCK_VIRTUAL = 'version = 1\n\n[[package]]\nname = "app"\nversion = "1"\nsource = { virtual = "." }\n';
/** A repository whose Dockerfile copies pyproject.toml and uv.lock into /app before `body`. */
const repo = (body: string, pyproject = PACKAGE, extra: Record<string, string> = {}, lock = LOCK_EDITABLE): Record<string, string> => ({
  Dockerfile: dockerfile(`COPY pyproject.toml uv.lock ./\n${body}`),
  'pyproject.toml': pyproject,
  'uv.lock': lock,
  ...extra,
});

test('UV102 fires as a warning on an editable sync of a packaged project in a single-stage image', async () => {
  const f = await expectFinding(repo('RUN uv sync --locked --no-dev'), 'UV102', 'Dockerfile:6:5');
  assert.equal(f.severity, 'warning');
});

test('UV102 is an error when the final stage copies only the venv from the builder', async () => {
  const df = `FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS builder
WORKDIR /app
COPY . .
RUN uv sync --locked --no-dev
FROM python:3.12-slim
RUN useradd -u 1001 -m appuser
ENV PYTHONDONTWRITEBYTECODE=1
COPY --from=builder /app/.venv /app/.venv
USER appuser
CMD ["/app/.venv/bin/app"]
`;
  const f = await expectFinding({ Dockerfile: df, 'pyproject.toml': PACKAGE, 'uv.lock': LOCK_EDITABLE }, 'UV102', 'Dockerfile:4:5');
  assert.equal(f.severity, 'error');
});

test('UV102: tool.uv.package = true installs a project without [build-system]', async () => {
  await expectFinding(repo('RUN uv sync --locked', `${VIRTUAL}\n[tool.uv]\npackage = true\n`), 'UV102');
});

test('UV102: --no-install-project still installs the workspace members the project depends on', async () => {
  const root = `${VIRTUAL}dependencies = ["lib"]\n\n[tool.uv.sources]\nlib = { workspace = true }\n\n[tool.uv.workspace]\nmembers = ["libs/lib"]\n`.replace('version = "1"\ndependencies', 'version = "1"\ndependencies');
  const files = {
    Dockerfile: dockerfile('COPY . .\nRUN uv sync --locked --no-install-project'),
    'pyproject.toml': root,
    'uv.lock': LOCK_VIRTUAL,
    'libs/lib/pyproject.toml': '[project]\nname = "lib"\nversion = "1"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
  };
  const f = await expectFinding(files, 'UV102');
  assert.match(f.message, /workspace member lib/);
  await expectNone({ ...files, Dockerfile: dockerfile('COPY . .\nRUN uv sync --locked --no-install-workspace') }, 'UV102');
  await expectNone({ ...files, 'libs/lib/pyproject.toml': '[project]\nname = "lib"\nversion = "1"\n' }, 'UV102');
});

for (const [label, files] of [
  ['--no-editable', repo('RUN uv sync --locked --no-editable')],
  ['UV_NO_EDITABLE=1', repo('ENV UV_NO_EDITABLE=1\nRUN uv sync --locked')],
  ['--no-install-project (the project is not installed at all, and there is no workspace)', repo('RUN uv sync --locked --no-install-project')],
  ['UV_NO_INSTALL_PROJECT=1', repo('ENV UV_NO_INSTALL_PROJECT=1\nRUN uv sync --locked')],
  ['--no-install-workspace', repo('RUN uv sync --locked --no-install-workspace')],
  ['a virtual project (no [build-system]): uv installs only its dependencies', repo('RUN uv sync --locked', VIRTUAL, {}, LOCK_VIRTUAL)],
  ['tool.uv.package = false', repo('RUN uv sync --locked', `${PACKAGE}\n[tool.uv]\npackage = false\n`)],
  ["--frozen with uv.lock's root package virtual (uv installs what the lock says)", repo('RUN uv sync --frozen', PACKAGE, {}, LOCK_VIRTUAL)],
  ['a pyproject.toml the sync does not read (nothing copies one into its folder)', { Dockerfile: dockerfile('RUN uv sync --locked'), 'pyproject.toml': PACKAGE }],
] as const) {
  test(`UV102 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV102');
  });
}

test('UV102 ignores a stage the final image is not built from', async () => {
  const df = `FROM ghcr.io/astral-sh/uv:0.12.5 AS tests
COPY . .
RUN uv sync --locked
FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim
COPY . .
RUN useradd -u 1001 -m appuser && uv sync --locked --no-editable
USER appuser
`;
  await expectNone({ Dockerfile: df, 'pyproject.toml': PACKAGE }, 'UV102');
});

test('UV102 fires on uv pip install -e . / --editable (an editable install of the project)', async () => {
  await expectFinding({ Dockerfile: dockerfile('COPY . .\nRUN uv pip install --system -e .') }, 'UV102', 'Dockerfile:6:5');
  await expectFinding({ Dockerfile: dockerfile('COPY . .\nRUN uv pip install --editable=. --compile-bytecode') }, 'UV102');
  assert.deepEqual(await findingsOf({ Dockerfile: dockerfile('COPY . .\nRUN uv pip install --system .') }, 'UV102'), []);
});

test('UV102: `uv sync --package app` at a virtual workspace root installs that member (a package) editable', async () => {
  const files = {
    Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY backend/pyproject.toml /app/backend/\nCOPY backend/app /app/backend/app\nRUN uv sync --frozen --package app\n',
    'pyproject.toml': '[dependency-groups]\ndev = ["ruff"]\n\n[tool.uv.workspace]\nmembers = ["backend"]\n',
    'uv.lock': 'version = 1\n',
    'backend/pyproject.toml': '[project]\nname = "app"\nversion = "1"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    'backend/app/__init__.py': '',
  };
  const f = await expectFinding(files, 'UV102', 'Dockerfile:6:5');
  assert.match(f.message, /installs workspace member app editable/);
  await expectNone({ ...files, Dockerfile: files.Dockerfile.replace('--package app', '--package app --no-editable') }, 'UV102');
  // Another member name, or a virtual member: nothing installed editable.
  await expectNone({ ...files, Dockerfile: files.Dockerfile.replace('--package app', '--package other') }, 'UV102');
  await expectNone({ ...files, 'backend/pyproject.toml': '[project]\nname = "app"\nversion = "1"\n' }, 'UV102');
});

test('UV102/UV104 read the project where the sync runs: the WORKDIR in force at the RUN, not a later one', async () => {
  const files = {
    Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nWORKDIR /app/backend\nCMD ["/app/.venv/bin/app"]\n',
    'pyproject.toml': '[project]\nname = "app"\nversion = "1"\n\n[dependency-groups]\ndev = ["ruff"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    'uv.lock': 'version = 1\n',
  };
  await expectFinding(files, 'UV102', 'Dockerfile:4:5');
  await expectFinding(files, 'UV104', 'Dockerfile:4:5');
});

test('UV102: a pyproject.toml bind-mounted to a relative target lands in the RUN\'s WORKDIR (a later WORKDIR does not move it)', async () => {
  const files = {
    Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nRUN --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen\nWORKDIR /app/backend\nCMD ["/app/.venv/bin/app"]\n',
    'pyproject.toml': PACKAGE,
    'uv.lock': LOCK_EDITABLE,
  };
  await expectFinding(files, 'UV102', 'Dockerfile:3:115');
});

test('UV102: the error form needs a final stage that gets nothing but the venv: a COPY of the source from the context back where the editable install points is only the warning', async () => {
  const df = (extra: string): string => `FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS builder\nWORKDIR /code\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nFROM python:3.12-slim\nWORKDIR /code\nCOPY --from=builder /code/.venv /code/.venv\n${extra}CMD ["/code/.venv/bin/app"]\n`;
  const files = { 'pyproject.toml': PACKAGE, 'uv.lock': LOCK_EDITABLE, 'app/__init__.py': '' };
  assert.equal((await expectFinding({ ...files, Dockerfile: df('') }, 'UV102')).severity, 'error');
  const back = await expectFinding({ ...files, Dockerfile: df('COPY ./app /code/app\n') }, 'UV102');
  assert.equal(back.severity, 'warning');
  assert.doesNotMatch(back.message, /not in the image/);
});
