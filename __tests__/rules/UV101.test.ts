import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf, dockerfile } from '../helpers.js';

test('UV101 fires on a plain uv sync, at the uv sync words', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('RUN uv sync --no-dev') }, 'UV101', 'Dockerfile:5:5');
  if (f.endColumn !== 12) throw new Error(`end column ${f.endColumn}`);
});

test('UV101 points into a continued RUN at the line of uv sync', async () => {
  await expectFinding(
    { Dockerfile: dockerfile('RUN --mount=type=cache,target=/root/.cache/uv \\\n    apt-get update && \\\n    # comment line\n    uv sync --no-dev') },
    'UV101',
    'Dockerfile:8:5',
  );
});

test('UV101 finds uv sync in a heredoc', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN <<EOF\nset -e\n  uv sync --no-dev\nEOF') }, 'UV101', 'Dockerfile:7:3');
});

test('UV101 finds uv sync inside sh -c in exec form', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN ["sh", "-c", "uv sync --no-dev"]') }, 'UV101', 'Dockerfile:5:19');
});

for (const [label, body] of [
  ['--locked', 'RUN uv sync --locked'],
  ['--frozen', 'RUN uv sync --frozen'],
  ['UV_LOCKED=true in ENV', 'ENV UV_LOCKED=true\nRUN uv sync'],
  ['UV_FROZEN=1 inline', 'RUN UV_FROZEN=1 uv sync'],
  ['UV_LOCKED from ARG', 'ARG UV_LOCKED=yes\nRUN uv sync'],
  ['env wrapper', 'RUN env UV_LOCKED=on uv sync'],
  ['export in the same RUN', 'RUN export UV_LOCKED=1 && uv sync'],
] as const) {
  test(`UV101 is satisfied by ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile(body) }, 'UV101');
  });
}

test('UV101 is not satisfied by a falsy UV_LOCKED', async () => {
  await expectFinding({ Dockerfile: dockerfile('ENV UV_LOCKED=0\nRUN uv sync') }, 'UV101');
});

test('UV101 ignores Dockerfiles that do not use uv', async () => {
  await expectNone({ Dockerfile: 'FROM python:3.12\nRUN pip install -r requirements.txt\n' }, 'UV101');
});

test('UV101 fires in a file with `# escape=`` (its RUN commands were skipped), and sees a flag on a continued line', async () => {
  const head = '# escape=`\nFROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n';
  await expectFinding({ Dockerfile: head + 'RUN uv sync `\n    --no-dev\n' }, 'UV101', 'Dockerfile:5:5');
  await expectNone({ Dockerfile: head + 'RUN uv sync `\n    --no-dev `\n    --locked\n' }, 'UV101');
});

test('UV101: both syncs of the two-step pattern unlocked is one finding, at the first, naming the second, with a fix for both', async () => {
  const body = 'COPY pyproject.toml uv.lock ./\nRUN uv sync --no-install-project --no-dev\nCOPY . .\nRUN uv sync --no-dev';
  const f = await expectFinding({ Dockerfile: dockerfile(body) }, 'UV101', 'Dockerfile:6:5');
  assert.match(f.message, /nor does the `uv sync` at line 8 after it \(`ENV UV_LOCKED=1` before them fixes both\)/);
  assert.deepEqual(f.edits?.map((e) => `${e.line}:${e.text}`), ['6: --locked', '8: --locked']);
  // Two unrelated syncs stay two findings.
  const two = await findingsOf({ Dockerfile: dockerfile('RUN uv sync --no-dev\nRUN uv sync --no-dev --directory /srv') }, 'UV101');
  assert.equal(two.length, 2);
});
test('UV101 fires on uv add in a RUN (it re-locks and syncs), at the uv add words, with no edit', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv add requests "torch>=2.9"'), 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n', 'uv.lock': 'version = 1\n' }, 'UV101', 'Dockerfile:6:5');
  if (f.endColumn !== 11 || !/uv add/.test(f.message) || f.edits || !/uv sync --locked/.test(f.fix ?? '')) throw new Error(JSON.stringify(f));
});

for (const [label, body] of [
  ['--frozen (adds without locking or syncing)', 'RUN uv add --frozen requests'],
  ['UV_FROZEN=1', 'ENV UV_FROZEN=1\nRUN uv add requests'],
  ['--no-sync (nothing installed)', 'RUN uv add --no-sync requests'],
  ['UV_NO_SYNC inline', 'RUN UV_NO_SYNC=1 uv add requests'],
  ['--locked (uv.lock must stay as it is)', 'RUN uv add --locked requests'],
  ['--script (a script, not the project)', 'RUN uv add --script tool.py requests'],
] as const) {
  test(`UV101 says nothing on uv add with ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile(body) }, 'UV101');
  });
}
