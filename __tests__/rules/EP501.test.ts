import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const withScript = (script: string, cmd = 'ENTRYPOINT ["/entrypoint.sh"]') => ({ Dockerfile: dockerfile('COPY entrypoint.sh /entrypoint.sh', cmd), 'entrypoint.sh': script });

test('EP501 fires when the last command starts the app without exec', async () => {
  await expectFinding(withScript('#!/bin/sh\nset -e\nuv run --no-sync app\n'), 'EP501', 'entrypoint.sh:3:1');
  await expectFinding(withScript('#!/bin/sh\necho start\n"$@"\n', 'ENTRYPOINT ["/entrypoint.sh"]\nCMD ["app"]'), 'EP501', 'entrypoint.sh:3:1');
});

for (const [label, script] of [
  ['exec', '#!/bin/sh\nset -e\nexec uv run --no-sync app\n'],
  ['exec "$@"', '#!/bin/bash\nset -euo pipefail\nexport A=1\nexec "$@"\n'],
  ['a script that ends with exit', '#!/bin/sh\nexec app || exit 1\nexit 0\n'],
] as const) {
  test(`EP501 is satisfied by ${label}`, async () => {
    await expectNone(withScript(script), 'EP501');
  });
}

test('EP501 follows a shell function: `main "$@"` whose function execs the server is fine; one that runs it without exec is reported in the function', async () => {
  await expectNone(withScript('#!/bin/sh\nset -e\nmigrate() {\n  echo migrating\n}\nmain() {\n  migrate\n  exec uv run --no-sync app\n}\nmain "$@"\n'), 'EP501');
  await expectNone(withScript('#!/bin/bash\nstart() { exec gunicorn app:app; }\nmain() {\n  echo hi\n  start\n}\nmain "$@"\n'), 'EP501');
  await expectFinding(withScript('#!/bin/sh\nmain() {\n  echo start\n  uv run --no-sync app\n}\nmain "$@"\n'), 'EP501', 'entrypoint.sh:4:3');
  // A function that calls itself is not followed forever.
  await expectNone(withScript('#!/bin/sh\nloop() {\n  loop\n}\nloop\n'), 'EP501');
});

const oneShot = (service: string) => ({
  Dockerfile: dockerfile('COPY migrate.sh /migrate.sh'),
  'migrate.sh': '#!/bin/sh\nset -e\nuv run --no-sync alembic upgrade head\n',
  'compose.yaml': `services:\n${service}`,
});

test('EP501: a one-shot job (migrations) is not the app\'s start: a service others wait on with service_completed_successfully, or one with restart: "no"', async () => {
  const migrate = '  migrate:\n    build: .\n    command: ["/migrate.sh"]\n';
  await expectNone(oneShot(`${migrate}  api:\n    build: .\n    depends_on:\n      migrate:\n        condition: service_completed_successfully\n`), 'EP501');
  await expectNone(oneShot(`${migrate}    restart: "no"\n`), 'EP501');
  await expectNone(oneShot(`${migrate}    restart: no\n`), 'EP501');
  // The same service without either is judged (it could be the app).
  await expectFinding(oneShot(`${migrate}  api:\n    build: .\n    depends_on:\n      migrate:\n        condition: service_started\n`), 'EP501', 'migrate.sh:3:1');
});

test('EP501: a last command after an exec elsewhere in the script is the path for other arguments, not certainly the app', async () => {
  const files = (script: string): Record<string, string> => ({ Dockerfile: dockerfile('COPY start /start', 'ENTRYPOINT ["/start"]\nCMD ["runserver"]'), start: script });
  await expectNone(files('#!/bin/sh\nmain() {\n  [ "$1" = runserver ] && exec /app/.venv/bin/server\n  /app/.venv/bin/manage "$@"\n}\nmain "$@"\n'), 'EP501');
  await expectFinding(files('#!/bin/sh\nmain() {\n  /app/.venv/bin/manage migrate\n  /app/.venv/bin/server\n}\nmain "$@"\n'), 'EP501');
});

test('EP501: the exec may sit in a function defined after the one the last command is in', async () => {
  const files = { Dockerfile: dockerfile('COPY start /start', 'ENTRYPOINT ["/start"]\nCMD ["runserver"]'), start: '#!/bin/sh\nrun_cmd() {\n  /app/.venv/bin/manage "$@"\n}\nserve() {\n  exec /app/.venv/bin/server\n}\nif [ "$1" = runserver ]; then serve; fi\nrun_cmd "$@"\n' };
  await expectNone(files, 'EP501');
});
