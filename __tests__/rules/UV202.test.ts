import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile, HARDENED_COMPOSE } from '../helpers.js';

const withScript = (script: string) => ({ Dockerfile: dockerfile('COPY entrypoint.sh /entrypoint.sh', 'ENTRYPOINT ["/entrypoint.sh"]'), 'entrypoint.sh': script });

test('UV202 fires on uv sync in the entrypoint script, with set -e and exec around it', async () => {
  await expectFinding(withScript('#!/bin/sh\nset -e\nuv sync --locked\nexec uv run --no-sync app\n'), 'UV202', 'entrypoint.sh:3:1');
});

for (const [label, cmd] of [
  ['uv pip install', 'uv pip install -r requirements.txt'],
  ['uv add', 'uv add requests'],
  ['uv lock', 'uv lock'],
  ['uv tool install', 'uv tool install ruff'],
  ['uv python install', 'uv python install 3.12'],
  ['pip install', 'pip install flask'],
  ['python -m pip install', 'python3 -m pip install flask'],
  ['uv run pip install', 'uv run --no-sync pip install x'],
  ['uv run -m pip install (python -m pip)', 'uv run --no-sync -m pip install x'],
] as const) {
  test(`UV202 fires on ${label}`, async () => {
    await expectFinding(withScript(`#!/bin/sh\n${cmd}\nexec app\n`), 'UV202');
  });
}

test('UV202 fires in a compose command', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': HARDENED_COMPOSE + '    command: sh -c "uv sync && exec uv run --no-sync app"\n' }, 'UV202', 'compose.yaml:9:21');
});

test('UV202 is satisfied by installing in a RUN', async () => {
  await expectNone({ Dockerfile: dockerfile('RUN uv sync --locked && pip install x') }, 'UV202');
});
