import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, HARDENED_COMPOSE } from '../helpers.js';

const base = 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nENV PYTHONDONTWRITEBYTECODE=1\n';

test('CT401 fires without USER, at the final FROM', async () => {
  await expectFinding({ Dockerfile: `${base}CMD ["app"]\n` }, 'CT401', 'Dockerfile:1:1');
});

test('CT401 fires on USER root / 0 / 0:0 at the USER line', async () => {
  for (const u of ['root', '0', '0:0']) await expectFinding({ Dockerfile: `${base}USER ${u}\nCMD ["app"]\n` }, 'CT401', 'Dockerfile:3:1');
});

test('CT401 resolves USER from an ARG', async () => {
  await expectFinding({ Dockerfile: `${base}ARG RUNAS=root\nUSER \${RUNAS}\nCMD ["app"]\n` }, 'CT401', 'Dockerfile:4:1');
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
  await expectFinding({ Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5 AS uv\nFROM gcr.io/distroless/python3-debian12:debug\nCOPY --from=uv /uv /bin/\nCMD ["app.py"]\n' }, 'CT401');
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

const uvCopy = 'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nENV PYTHONDONTWRITEBYTECODE=1\nCMD ["uv", "run", "--no-sync", "app"]\n';

for (const [label, from] of [
  ['a Red Hat UBI Python image (uid 1001)', 'registry.access.redhat.com/ubi9/python-312:latest'],
  ['a Red Hat UBI 8 Python image from registry.redhat.io', 'registry.redhat.io/ubi8/python-311'],
  ['a Software Collections Python image on quay.io', 'quay.io/sclorg/python-312-c9s'],
  ['a Bitnami application image (uid 1001)', 'docker.io/bitnami/pytorch:2'],
  ['a Jupyter docker-stacks image (jovyan)', 'quay.io/jupyter/scipy-notebook:2024-05-27'],
] as const) {
  test(`CT401: ${label} runs as non-root by default: no finding`, async () => {
    await expectNone({ Dockerfile: `FROM ${from}\n${uvCopy}` }, 'CT401');
  });
}

test('CT401: a UBI Python image runs as 1001 with HOME /opt/app-root/src (the uv cache UV203 names)', async () => {
  const f = await expectFinding({ Dockerfile: `FROM registry.access.redhat.com/ubi9/python-312\n${uvCopy}`, 'compose.yaml': 'services:\n  app:\n    build: .\n    read_only: true\n' }, 'UV203');
  assert.equal(f.fix, 'tmpfs: ["/opt/app-root/src/.cache:uid=1001,gid=0"]');
});

for (const [label, from] of [
  ['an official library image', 'python:3.12-slim'],
  ['an official library image by its full name', 'docker.io/library/python:3.12-slim'],
  ['a uv image', 'ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim'],
  ['Bitnami python (which sets no USER)', 'bitnami/python:3.12'],
  ['nvidia/cuda', 'nvidia/cuda:12.4.1-runtime-ubuntu22.04'],
] as const) {
  test(`CT401: ${label} runs as root: an error`, async () => {
    const f = await expectFinding({ Dockerfile: `FROM ${from}\n${uvCopy}` }, 'CT401', 'Dockerfile:1:1');
    assert.equal(f.severity, 'error');
  });
}

test('CT401: an unknown third-party base image: its user is unknown, said in a notice (not claimed root)', async () => {
  for (const from of ['myorg/python-base:3.12', 'registry.example.com/platform/python:3.12', 'docker:dind-rootless']) {
    const f = await expectFinding({ Dockerfile: `FROM ${from}\n${uvCopy}` }, 'CT401', 'Dockerfile:1:1');
    assert.equal(f.severity, 'notice', from);
    assert.match(f.message, /runs as the default user of .*, which ro-uv-check does not know/);
  }
  // A base named by a build arg that has no value: unknown too.
  const f = await expectFinding({ Dockerfile: `ARG BASE\nFROM \${BASE}\n${uvCopy}` }, 'CT401');
  assert.equal(f.severity, 'notice');
  // Through a stage of the same Dockerfile, the external base is what counts; a USER still decides.
  assert.equal((await expectFinding({ Dockerfile: `FROM myorg/base AS b\nFROM b\n${uvCopy}` }, 'CT401')).severity, 'notice');
  await expectNone({ Dockerfile: `FROM myorg/base\nUSER 1001\n${uvCopy}` }, 'CT401');
  assert.equal((await expectFinding({ Dockerfile: `FROM myorg/base\nUSER root\n${uvCopy}` }, 'CT401')).severity, 'error');
});

test('CT401: compose `user: "1001:1001"` decides for that service whatever the image says; a service of the same image without it still runs as root', async () => {
  const files = { Dockerfile: `${base}CMD ["app"]\n`, 'compose.yaml': 'services:\n  app:\n    build: .\n    user: "1001:1001"\n' };
  await expectNone(files, 'CT401');
  await expectNone({ ...files, 'compose.yaml': 'services:\n  app:\n    build: .\n    user: "${APP_UID:-1001}:${APP_GID:-1001}"\n' }, 'CT401');
  const f = await expectFinding({ ...files, 'compose.yaml': `${files['compose.yaml']}  worker:\n    build: .\n` }, 'CT401', 'Dockerfile:1:1');
  assert.match(f.message, /service "worker" runs as root/);
});

test('CT401: one finding for an image that several services run, naming each service', async () => {
  const f = await expectFinding({ Dockerfile: `${base}CMD ["app"]\n`, 'compose.yaml': 'services:\n  api:\n    build: .\n  worker:\n    build: .\n    command: ["worker"]\n' }, 'CT401', 'Dockerfile:1:1');
  assert.equal(f.message, 'the final stage sets no USER: service "api" and service "worker" run as root');
});

test('CT401: an entrypoint that starts the app through gosu / su-exec USER drops root: no finding (root or 0 there still is)', async () => {
  const df = (script: string): Record<string, string> => ({ Dockerfile: `${base}COPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["/app/.venv/bin/app"]\n`, 'entrypoint.sh': script });
  await expectNone(df('#!/bin/sh\nset -e\nexec gosu app "$@"\n'), 'CT401');
  await expectNone(df('#!/bin/sh\nexec su-exec "$PUID" /app/.venv/bin/app\n'), 'CT401');
  await expectFinding(df('#!/bin/sh\nexec gosu root "$@"\n'), 'CT401');
  await expectFinding(df('#!/bin/sh\nexec "$@"\n'), 'CT401');
});

test('CT401: an AWS Lambda base image runs the function as Lambda\'s own user: its user is unknown here (a notice, not an error)', async () => {
  const f = await expectFinding({ Dockerfile: 'FROM public.ecr.aws/lambda/python:3.14\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nRUN uv pip install --system -r requirements.txt\nCMD ["app.handler"]\n', 'requirements.txt': '' }, 'CT401');
  assert.equal(f.severity, 'notice');
});
