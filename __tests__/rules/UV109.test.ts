import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf, dockerfile, HARDENED_COMPOSE } from '../helpers.js';

test('UV109 fires on non-boolean values, the empty string included, at the definition', async () => {
  await expectFinding({ Dockerfile: dockerfile('ENV UV_COMPILE_BYTECODE=enabled') }, 'UV109', 'Dockerfile:5:5');
  await expectFinding({ Dockerfile: dockerfile('ARG UV_NO_DEV=\nRUN uv sync --locked') }, 'UV109', 'Dockerfile:5:5');
  await expectFinding({ Dockerfile: dockerfile('RUN UV_LOCKED=sure uv sync') }, 'UV109', 'Dockerfile:5:5');
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      UV_NO_SYNC: "maybe"\n' }, 'UV109', 'compose.yaml:10:7');
});

test('UV109 checks UV_LINK_MODE and UV_PYTHON_DOWNLOADS values', async () => {
  const f = await findingsOf({ Dockerfile: dockerfile('ENV UV_LINK_MODE=fast UV_PYTHON_DOWNLOADS=sometimes') }, 'UV109');
  assert.deepEqual(f.map((x) => x.message.split('=')[0]), ['UV_LINK_MODE', 'UV_PYTHON_DOWNLOADS']);
});

test('UV109 accepts every boolean spelling uv accepts', async () => {
  const env = ['1', 'true', 'T', 'yes', 'Y', 'on', '0', 'false', 'F', 'no', 'N', 'OFF'].map((v, i) => `${['UV_LOCKED', 'UV_NO_DEV', 'UV_NO_SYNC', 'UV_NO_EDITABLE', 'UV_COMPILE_BYTECODE', 'UV_NO_CACHE'][i % 6]}=${v}`).join(' ');
  await expectNone({ Dockerfile: dockerfile(`ENV ${env} UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never`) }, 'UV109');
});
