import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, HARDENED_COMPOSE } from '../helpers.js';

const base = 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nENV PYTHONDONTWRITEBYTECODE=1\n';

test('CT401 fires without USER, at the final FROM', async () => {
  await expectFinding({ Dockerfile: `${base}CMD ["app"]\n` }, 'CT401', 'Dockerfile:1:1');
});

test('CT401 fires on USER root / 0 / 0:0 at the USER line', async () => {
  for (const u of ['root', '0', '0:0']) await expectFinding({ Dockerfile: `${base}USER ${u}\n` }, 'CT401', 'Dockerfile:3:1');
});

test('CT401 resolves USER from an ARG', async () => {
  await expectFinding({ Dockerfile: `${base}ARG RUNAS=root\nUSER \${RUNAS}\n` }, 'CT401', 'Dockerfile:4:1');
  await expectNone({ Dockerfile: `${base}ARG RUNAS=app\nRUN useradd -m \${RUNAS}\nUSER \${RUNAS}\n` }, 'CT401');
});

test('CT401 sees the USER of a parent stage (FROM <stage>)', async () => {
  await expectNone({ Dockerfile: `${base.replace('slim\n', 'slim AS base\n')}USER 1001\nFROM base\nCMD ["app"]\n` }, 'CT401');
});

for (const [label, files] of [
  ['a named USER', { Dockerfile: `${base}RUN useradd -m app\nUSER app\n` }],
  ['a numeric USER', { Dockerfile: `${base}USER 1001:1001\n` }],
  ['a compose user (CT406 judges it)', { Dockerfile: base, 'compose.yaml': HARDENED_COMPOSE + '    user: "1001:1001"\n' }],
  ['a distroless nonroot base', { Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5 AS uv\nFROM gcr.io/distroless/python3-debian12:nonroot\nCOPY --from=uv /uv /bin/\n' }],
  ['a Chainguard base (nonroot by default)', { Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5 AS uv\nFROM cgr.dev/chainguard/python:latest-dev\nCOPY --from=uv /uv /bin/\n' }],
  ['an image that does not use uv', { Dockerfile: 'FROM python:3.12\nCMD ["python"]\n' }],
] as const) {
  test(`CT401 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'CT401');
  });
}

test('CT401: a distroless tag without nonroot runs as root; the nonroot user of known images has its uid and home', async () => {
  await expectFinding({ Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5 AS uv\nFROM gcr.io/distroless/python3-debian12:debug\nCOPY --from=uv /uv /bin/\n' }, 'CT401');
  // UV203's fix names the uv cache of that user: /home/nonroot/.cache, owned by 65532.
  const f = await expectFinding(
    { Dockerfile: 'FROM cgr.dev/chainguard/python:latest-dev\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/\nCMD ["uv", "run", "--no-sync", "app"]\n', 'compose.yaml': 'services:\n  app:\n    build: .\n    read_only: true\n' },
    'UV203',
  );
  assert.equal(f.fix, 'tmpfs: ["/home/nonroot/.cache:uid=65532,gid=65532"]');
});

test('CT401: a compose build arg without a value takes it from .env; absent there, the Dockerfile default holds', async () => {
  const files = {
    Dockerfile: `${base}ARG RUNAS=root\nRUN useradd -m app\nUSER \${RUNAS}\n`,
    'compose.yaml': `${HARDENED_COMPOSE.replace('    build: .\n', '    build:\n      context: .\n      args:\n        - RUNAS\n')}`,
  };
  await expectNone({ ...files, '.env': 'RUNAS=app\n' }, 'CT401');
  await expectFinding(files, 'CT401', 'Dockerfile:5:1');
});
