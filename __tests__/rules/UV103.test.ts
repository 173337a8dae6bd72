import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf, dockerfile } from '../helpers.js';

test('UV103 fires on uv sync without compiling', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked') }, 'UV103', 'Dockerfile:5:5');
});

test('UV103 fires on uv pip install without compiling', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN uv pip install --system -r requirements.txt') }, 'UV103', 'Dockerfile:5:5');
});

test('UV103 fires when UV_COMPILE_BYTECODE is falsy, even with pyproject compile-bytecode', async () => {
  await expectFinding(
    { Dockerfile: dockerfile('ENV UV_COMPILE_BYTECODE=0\nRUN uv sync --locked'), 'pyproject.toml': '[tool.uv]\ncompile-bytecode = true\n' },
    'UV103',
  );
});

for (const [label, files] of [
  ['--compile-bytecode', { Dockerfile: dockerfile('RUN uv sync --locked --compile-bytecode') }],
  ['--compile (pip)', { Dockerfile: dockerfile('RUN uv pip install --compile -r r.txt') }],
  ['UV_COMPILE_BYTECODE=1', { Dockerfile: dockerfile('ENV UV_COMPILE_BYTECODE=1\nRUN uv sync --locked') }],
  ['compile-bytecode in [tool.uv]', { Dockerfile: dockerfile('RUN uv sync --locked'), 'pyproject.toml': '[project]\nname = "x"\n\n[tool.uv]\ncompile-bytecode = true\n' }],
  ['compile-bytecode in uv.toml', { Dockerfile: dockerfile('RUN uv sync --locked'), 'uv.toml': 'compile-bytecode = true\n' }],
] as const) {
  test(`UV103 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV103');
  });
}

test('UV103: a later compiling sync into the same venv covers the first sync of the two-step pattern', async () => {
  const body = 'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked --compile-bytecode';
  await expectNone({ Dockerfile: dockerfile(body) }, 'UV103');
  // In a stage built FROM the builder too.
  const df = 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS deps\nWORKDIR /app\nRUN uv sync --locked --no-install-project\nFROM deps\nCOPY . .\nRUN uv sync --locked --compile-bytecode\n';
  await expectNone({ Dockerfile: df }, 'UV103');
});

test('UV103: the flag missing on both syncs of the two-step pattern is one finding, at the last, naming the first', async () => {
  const body = 'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked';
  const f = await expectFinding({ Dockerfile: dockerfile(body) }, 'UV103', 'Dockerfile:8:5');
  assert.match(f.message, /also compiles what `uv sync` at line 6 installed/);
});

test('UV103: python -m compileall over the venv (or site-packages) after the install covers it; -l or another folder does not', async () => {
  await expectNone({ Dockerfile: dockerfile('RUN uv sync --locked && python -m compileall -q /app/.venv') }, 'UV103');
  await expectNone({ Dockerfile: dockerfile('RUN uv sync --locked\nRUN .venv/bin/python -m compileall -j 0 .') }, 'UV103');
  await expectNone({ Dockerfile: dockerfile('RUN uv pip install --system -r r.txt\nRUN python3 -m compileall /usr/local/lib/python3.12/site-packages') }, 'UV103');
  const builder = 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS builder\nWORKDIR /app\nRUN uv sync --locked\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app/.venv /app/.venv\nRUN python -m compileall /app/.venv\n';
  await expectNone({ Dockerfile: builder }, 'UV103');
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked && python -m compileall -l /app/.venv') }, 'UV103');
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked && python -m compileall /srv/other') }, 'UV103');
  await expectFinding({ Dockerfile: dockerfile('RUN python -m compileall /app/.venv && uv sync --locked') }, 'UV103');
});

test('UV103: installs into different environments are separate findings', async () => {
  const f = await findingsOf({ Dockerfile: dockerfile('RUN uv pip install --system -r r.txt\nRUN uv sync --locked') }, 'UV103');
  assert.equal(f.length, 2);
});

// An install guarded by a file test never runs when the file is certainly not in the image (issue 14, item 19).
const guardedInstalls = [
  'COPY . .\nRUN if [ -f requirements.txt ]; then uv pip install --system -r requirements.txt; fi',
  'COPY . .\nRUN [ -f requirements.txt ] && uv pip install --system -r requirements.txt || true',
  'COPY . .\nRUN cd /app/sub && if test -e extra.txt; then uv pip install --system -r extra.txt; fi',
  'RUN --mount=type=bind,target=/app if [ -s requirements.txt ]; then uv pip install --system -r requirements.txt; fi',
  'RUN if [ -f /app/requirements.txt ]; then uv pip install --system -r /app/requirements.txt; fi',
];
for (const body of guardedInstalls) {
  test(`UV103: no finding on an install whose guard file does not exist: ${body.split('\n').pop()}`, async () => {
    await expectNone({ Dockerfile: dockerfile(body), 'app.py': '' }, 'UV103');
  });
}

test('UV103: an install guarded by a file that is there (or may be) is still checked', async () => {
  const present = { 'requirements.txt': 'flask\n', 'sub/extra.txt': 'flask\n' };
  for (const body of guardedInstalls.slice(0, 4)) await expectFinding({ Dockerfile: dockerfile(body), ...present }, 'UV103');
  // Written by an earlier command, or the base image is not known to lack it.
  await expectFinding({ Dockerfile: dockerfile('RUN uv export --no-hashes -o requirements.txt\nRUN if [ -f requirements.txt ]; then uv pip install --system -r requirements.txt; fi') }, 'UV103');
  await expectFinding({ Dockerfile: 'FROM org/base\nRUN if [ -f requirements.txt ]; then uv pip install --system -r requirements.txt; fi\n' }, 'UV103');
  // .dockerignore leaves it out: absent again.
  await expectNone({ Dockerfile: dockerfile(guardedInstalls[0]!), 'requirements.txt': 'x', '.dockerignore': 'requirements.txt\n' }, 'UV103');
});

test('UV103 fires on uv add (it syncs the environment) without compiling, with the flag as its edit', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('RUN uv add requests') }, 'UV103', 'Dockerfile:5:5');
  if (!f.edits?.length || !/uv add/.test(f.message)) throw new Error(JSON.stringify(f));
});

for (const [label, body] of [
  ['--compile-bytecode', 'RUN uv add --compile-bytecode requests'],
  ['UV_COMPILE_BYTECODE=1', 'ENV UV_COMPILE_BYTECODE=1\nRUN uv add requests'],
  ['--frozen (no sync)', 'RUN uv add --frozen requests'],
  ['--no-sync', 'RUN uv add --no-sync requests'],
] as const) {
  test(`UV103 says nothing on uv add with ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile(body) }, 'UV103');
  });
}
