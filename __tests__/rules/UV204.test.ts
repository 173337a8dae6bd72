import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('UV204 notes uv run and uvx at start', async () => {
  await expectFinding({ Dockerfile: dockerfile('') }, 'UV204', 'Dockerfile:7:6');
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uvx", "--from", "x", "tool"]') }, 'UV204', 'Dockerfile:7:6');
});

test('UV204 is silent when the venv runs the app directly', async () => {
  await expectNone({ Dockerfile: dockerfile('ENV PATH="/app/.venv/bin:$PATH"', 'CMD ["uvicorn", "app:app"]') }, 'UV204');
});

test('UV204 once per service, at the command that starts the app (the last uv run), not where UV201 fires', async () => {
  const script = '#!/bin/sh\nset -e\nuv run --no-sync alembic upgrade head\nexec uv run --no-sync uvicorn app:app\n';
  const files = { Dockerfile: dockerfile('COPY start.sh /app/start.sh', 'CMD ["/app/start.sh"]'), 'start.sh': script };
  await expectFinding(files, 'UV204', 'start.sh:4:6');
  // Without --no-sync, UV201 asks for it on that line: no second finding about the same command.
  await expectNone({ ...files, 'start.sh': script.replace('exec uv run --no-sync', 'exec uv run') }, 'UV204');
  await expectFinding({ ...files, 'start.sh': script.replace('exec uv run --no-sync', 'exec uv run') }, 'UV201', 'start.sh:4:6');
  // With UV201 ignored by the config, nothing else speaks about that command: UV204 does.
  await expectFinding({ ...files, 'start.sh': script.replace('exec uv run --no-sync', 'exec uv run'), '.ro-uv-check.yml': 'ignore: [UV201]\n' }, 'UV204', 'start.sh:4:6');
});

test('UV204: one finding for an image that several services run, naming each', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n  worker:\n    build: .\n' }, 'UV204', 'Dockerfile:7:6');
  assert.match(f.message, /service "api" and service "worker" start their app through `uv run`/);
});
