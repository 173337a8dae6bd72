import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf } from '../helpers.js';
import { uvRefPinned } from '../../src/core/rules/UV106.js';

test('UV106 pinned references', () => {
  for (const r of ['ghcr.io/astral-sh/uv:0.12.5', 'ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim', `ghcr.io/astral-sh/uv@sha256:${'a'.repeat(64)}`]) assert.equal(uvRefPinned(r), true, r);
  for (const r of ['ghcr.io/astral-sh/uv', 'ghcr.io/astral-sh/uv:latest', 'ghcr.io/astral-sh/uv:0.12', 'ghcr.io/astral-sh/uv:python3.12-bookworm-slim']) assert.equal(uvRefPinned(r), false, r);
});

test('UV106 fires on FROM uv:latest at the image reference', async () => {
  await expectFinding({ Dockerfile: 'FROM ghcr.io/astral-sh/uv:latest\nRUN uv --version\n' }, 'UV106', 'Dockerfile:1:6');
});

test('UV106 fires on COPY --from a minor-only tag, expanded from an ARG', async () => {
  await expectFinding({ Dockerfile: 'FROM python:3.12\nARG UV=0.12\nCOPY --from=ghcr.io/astral-sh/uv:${UV} /uv /bin/\n' }, 'UV106', 'Dockerfile:3:1');
});

test('UV106 fires on pip install uv without a version and on the unversioned installer', async () => {
  const f = await findingsOf({ Dockerfile: 'FROM python:3.12\nRUN pip install uv\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\n' }, 'UV106');
  assert.deepEqual(f.map((x) => `${x.line}:${x.column}`), ['2:17', '3:16']);
});

test('UV106 fires on a quoted FROM image with an ARG minor version (ARG UV_VERSION=0.9, FROM "ghcr.io/astral-sh/uv:${UV_VERSION}" AS uv)', async () => {
  const df = 'ARG UV_VERSION=0.9\nFROM "ghcr.io/astral-sh/uv:${UV_VERSION}" AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /uvx /bin/\n';
  const f = await expectFinding({ Dockerfile: df }, 'UV106', 'Dockerfile:2:6');
  assert.match(f.message, /ghcr\.io\/astral-sh\/uv:0\.9 names no exact uv version/);
});

test("UV106 fires on uv's documented installer form: ADD https://astral.sh/uv/install.sh, then RUN sh /uv-installer.sh", async () => {
  const df = 'FROM python:3.12-slim\nADD https://astral.sh/uv/install.sh /uv-installer.sh\nRUN sh /uv-installer.sh && rm /uv-installer.sh\n';
  const f = await expectFinding({ Dockerfile: df }, 'UV106', 'Dockerfile:2:5');
  assert.match(f.message, /installer script without a version/);
  await expectFinding({ Dockerfile: 'FROM python:3.12-slim\nADD https://github.com/astral-sh/uv/releases/latest/download/uv-installer.sh /i.sh\nRUN sh /i.sh\n' }, 'UV106', 'Dockerfile:2:5');
});

for (const [label, df] of [
  ['a quoted FROM image with an exact version from an ARG', 'ARG UV_VERSION=0.9.5\nFROM "ghcr.io/astral-sh/uv:${UV_VERSION}" AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /uvx /bin/\n'],
  ['the versioned installer URL fetched by ADD', 'FROM python:3.12-slim\nADD https://astral.sh/uv/0.9.5/install.sh /uv-installer.sh\nRUN sh /uv-installer.sh && rm /uv-installer.sh\n'],
  ['an exact tag', 'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/\n'],
  ['an exact tag from a global ARG', 'ARG UV_VERSION=0.12.5\nFROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv\nFROM python:3.12\nCOPY --from=uv /uv /bin/\n'],
  ['pip install uv==X.Y.Z', 'FROM python:3.12\nRUN pip install uv==0.12.5\n'],
  ['a versioned installer', 'FROM python:3.12\nRUN curl -LsSf https://astral.sh/uv/0.12.5/install.sh | sh\n'],
] as const) {
  test(`UV106 is satisfied by ${label}`, async () => {
    await expectNone({ Dockerfile: df }, 'UV106');
  });
}
