import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const DEV = '[project]\nname = "app"\nversion = "1"\n\n[dependency-groups]\ndev = ["pytest"]\n';
/** A repository whose Dockerfile copies pyproject.toml (given content) into the project folder before `body`. */
const repo = (body: string, pyproject = DEV, extra: Record<string, string> = {}): Record<string, string> => ({
  Dockerfile: dockerfile(`COPY pyproject.toml uv.lock ./\n${body}`),
  'pyproject.toml': pyproject,
  'uv.lock': 'version = 1\n',
  ...extra,
});

test('UV104 fires on uv sync that includes the dev group', async () => {
  await expectFinding(repo('RUN uv sync --locked'), 'UV104', 'Dockerfile:6:5');
});

test('UV104 fires on the legacy tool.uv.dev-dependencies, and with default-groups = "all"', async () => {
  await expectFinding(repo('RUN uv sync --locked', '[project]\nname = "app"\n[tool.uv]\ndev-dependencies = ["pytest"]\n'), 'UV104');
  await expectFinding(repo('RUN uv sync --locked', `${DEV}\n[tool.uv]\ndefault-groups = "all"\n`), 'UV104');
});

test('UV104 fires on --group dev even with default-groups = []', async () => {
  await expectFinding(repo('RUN uv sync --locked --group dev', `${DEV}\n[tool.uv]\ndefault-groups = []\n`), 'UV104');
});

test('UV104 reads the pyproject.toml copied into the folder the sync runs in (a bind mount too)', async () => {
  const files = {
    Dockerfile: dockerfile('COPY svc/pyproject.toml /srv/\nRUN uv sync --locked --directory /srv'),
    'svc/pyproject.toml': DEV,
    'pyproject.toml': '[project]\nname = "root"\n',
  };
  await expectFinding(files, 'UV104');
  await expectFinding({ Dockerfile: dockerfile('RUN --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked'), 'pyproject.toml': DEV }, 'UV104');
});

for (const [label, files] of [
  ['no dev group: only an optional-dependencies extra named dev (a plain sync never installs it)', repo('RUN uv sync --locked', '[project]\nname = "app"\n[project.optional-dependencies]\ndev = ["pytest"]\n')],
  ['no dependency groups at all', repo('RUN uv sync --locked', '[project]\nname = "app"\n')],
  ['a pyproject.toml the sync does not read (nothing copies one into its folder)', { Dockerfile: dockerfile('RUN uv sync --locked'), 'pyproject.toml': DEV }],
  ['--no-dev', repo('RUN uv sync --locked --no-dev')],
  ['UV_NO_DEV=1', repo('ENV UV_NO_DEV=1\nRUN uv sync --locked')],
  ['--no-default-groups', repo('RUN uv sync --locked --no-default-groups')],
  ['UV_NO_DEFAULT_GROUPS=true', repo('RUN UV_NO_DEFAULT_GROUPS=true uv sync --locked')],
  ['--only-group', repo('RUN uv sync --locked --only-group prod')],
  ['--no-group dev', repo('RUN uv sync --locked --no-group dev')],
  ['--no-group=dev', repo('RUN uv sync --locked --no-group=dev')],
  ['default-groups without dev', repo('RUN uv sync --locked', `${DEV}\n[tool.uv]\ndefault-groups = ["docs"]\n`)],
  ['default-groups without dev in a uv.toml beside it (which wins over [tool.uv])', repo('COPY uv.toml ./\nRUN uv sync --locked', `${DEV}\n[tool.uv]\ndefault-groups = ["dev"]\n`, { 'uv.toml': 'default-groups = []\n' })],
] as const) {
  test(`UV104 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV104');
  });
}

// One problem, one finding: uv sync is exact, so the last sync of an environment decides what it holds.
test('UV104: the two-step pattern without --no-dev on either sync is one finding, at the last sync, naming the first', async () => {
  const f = await expectFinding(repo('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked'), 'UV104', 'Dockerfile:9:5');
  assert.match(f.message, /the `uv sync` at line 7 installed it too; `--no-dev` here removes it, as uv sync is exact/);
});

test('UV104: an earlier sync that installs dev is covered by a later exact sync with --no-dev; not by an --inexact one', async () => {
  await expectNone(repo('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev'), 'UV104');
  await expectFinding(repo('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev --inexact'), 'UV104', 'Dockerfile:7:5');
  // Another environment (UV_PROJECT_ENVIRONMENT) is not covered.
  await expectFinding(repo('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN UV_PROJECT_ENVIRONMENT=/opt/venv uv sync --locked --no-dev'), 'UV104', 'Dockerfile:7:5');
});

test('UV104/UV103: a builder sync whose environment the final stage copies and syncs again is decided by the final sync', async () => {
  const df = `FROM python:3.13-slim AS builder\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\n\nFROM python:3.13-slim\nCOPY --from=builder /bin/uv /bin/\nWORKDIR /app\nCOPY --from=builder /app/.venv /app/.venv\nCOPY . .\nRUN uv sync --frozen\nCMD ["/app/.venv/bin/app"]\n`;
  const files = { Dockerfile: df, 'pyproject.toml': DEV, 'uv.lock': 'version = 1\n' };
  const f = await expectFinding(files, 'UV104', 'Dockerfile:12:5');
  assert.match(f.message, /line 5 installed it too/);
  const c = await expectFinding(files, 'UV103', 'Dockerfile:12:5');
  assert.match(c.message, /also compiles what `uv sync` at line 5 installed/);
  await expectNone({ ...files, Dockerfile: df.replace('RUN uv sync --frozen\nCMD', 'RUN uv sync --frozen --no-dev\nCMD') }, 'UV104');
});
