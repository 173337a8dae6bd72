import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone } from '../helpers.js';
import { olderThan } from '../../src/core/rules/UV110.js';

test('version comparison', () => {
  assert.equal(olderThan('0.8.3', '0.8.7'), true);
  assert.equal(olderThan('0.8.7', '0.8.7'), false);
  assert.equal(olderThan('0.10.0', '0.9.9'), false);
});

test('UV110 fires when the pinned uv predates the variable', async () => {
  const f = await expectFinding({ Dockerfile: 'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.8.3 /uv /bin/\nENV UV_NO_DEV=1\nRUN uv sync --locked\n' }, 'UV110', 'Dockerfile:3:5');
  assert.match(f.message, /since uv 0\.8\.7.*pins uv 0\.8\.3/);
  await expectFinding({ Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.6.0-python3.12-bookworm\nRUN UV_NO_EDITABLE=1 uv sync --locked\n' }, 'UV110');
  await expectFinding({ Dockerfile: 'FROM python:3.12\nRUN pip install uv==0.4.0\nENV UV_LOCKED=1\nRUN uv sync\n' }, 'UV110');
});

test('UV110 is silent with a new enough uv, or when no version is known', async () => {
  await expectNone({ Dockerfile: 'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/\nENV UV_NO_DEV=1\nRUN uv sync --locked\n' }, 'UV110');
  await expectNone({ Dockerfile: 'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\nENV UV_NO_DEV=1\nRUN uv sync --locked\n' }, 'UV110');
});
