import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const compose = (extra: string): string => `services:
  app:
    build: .
    read_only: true
    cap_drop: [ALL]
${extra}`;

test('UV203 fires for a read-only service running uv with no cache tmpfs, at read_only, with the fix for its user', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked'), 'compose.yaml': compose('') }, 'UV203', 'compose.yaml:4:5');
  assert.equal(f.fix, 'tmpfs: ["/home/appuser/.cache:uid=1001,gid=1001"]');
  assert.match(f.message, /\/home\/appuser\/\.cache\/uv/);
});

test('UV203 honours UV_CACHE_DIR and XDG_CACHE_HOME', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('ENV UV_CACHE_DIR=/cache/uv'), 'compose.yaml': compose('    tmpfs: ["/home/appuser/.cache"]\n') }, 'UV203');
  assert.match(f.message, /\/cache\/uv \(UV_CACHE_DIR\)/);
  const g = await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('    environment:\n      XDG_CACHE_HOME: /xdg\n') }, 'UV203');
  assert.match(g.message, /\/xdg\/uv/);
});

test('UV203 with UV_NO_CACHE needs a writable $TMPDIR', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('ENV UV_NO_CACHE=1'), 'compose.yaml': compose('    tmpfs: ["/home/appuser/.cache"]\n') }, 'UV203');
  assert.match(f.message, /\/tmp/);
  await expectNone({ Dockerfile: dockerfile('ENV UV_NO_CACHE=1'), 'compose.yaml': compose('    tmpfs: ["/tmp"]\n') }, 'UV203');
});

test('UV203 uses the compose user home and ENV HOME', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('ENV HOME=/srv'), 'compose.yaml': compose('') }, 'UV203');
  assert.match(f.message, /\/srv\/\.cache\/uv/);
});

for (const [label, files] of [
  ['a tmpfs on ~/.cache', { Dockerfile: dockerfile(''), 'compose.yaml': compose('    tmpfs:\n      - /home/appuser/.cache:uid=1001,gid=1001\n') }],
  ['a tmpfs on the home folder', { Dockerfile: dockerfile(''), 'compose.yaml': compose('    tmpfs: /home/appuser\n') }],
  ['a named volume on the cache', { Dockerfile: dockerfile(''), 'compose.yaml': compose('    volumes:\n      - uvcache:/home/appuser/.cache/uv\n') }],
  ['a long-syntax tmpfs', { Dockerfile: dockerfile(''), 'compose.yaml': compose('    volumes:\n      - type: tmpfs\n        target: /home/appuser/.cache\n') }],
  ['a service that is not read-only (CT402 speaks for it)', { Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  app:\n    build: .\n' }],
  ['an app that runs without uv', { Dockerfile: dockerfile('', 'CMD ["/app/.venv/bin/app"]'), 'compose.yaml': compose('') }],
] as const) {
  test(`UV203 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV203');
  });
}

test('UV203: a read-only volume does not count', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': compose('    volumes:\n      - uvcache:/home/appuser/.cache:ro\n') }, 'UV203');
});

test('UV203: a HEALTHCHECK that runs uv needs the cache too, even when the command does not run uv', async () => {
  const files = { Dockerfile: dockerfile('ENV PATH="/app/.venv/bin:$PATH"\nHEALTHCHECK CMD ["uv", "run", "--no-sync", "check.py"]', 'CMD ["uvicorn", "app:app"]'), 'compose.yaml': compose('') };
  await expectFinding(files, 'UV203', 'compose.yaml:4:5');
  await expectNone({ ...files, 'compose.yaml': compose('    tmpfs: ["/home/appuser/.cache"]\n') }, 'UV203');
});
