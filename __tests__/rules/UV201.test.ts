import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile, findingsOf, HARDENED_COMPOSE } from '../helpers.js';

const img = (cmd: string, body = 'RUN uv sync --locked --no-dev'): string => dockerfile(body, cmd);

test('UV201 fires on CMD uv run without --no-sync', async () => {
  await expectFinding({ Dockerfile: img('CMD ["uv", "run", "app"]') }, 'UV201', 'Dockerfile:7:6');
});

test('UV201: --locked and --frozen do not help', async () => {
  await expectFinding({ Dockerfile: img('CMD ["uv", "run", "--frozen", "app"]') }, 'UV201');
  await expectFinding({ Dockerfile: img('CMD uv run --locked app') }, 'UV201', 'Dockerfile:7:5');
});

test('UV201: --no-sync after the command belongs to the app, not to uv', async () => {
  await expectFinding({ Dockerfile: img('CMD ["uv", "run", "app", "--no-sync"]') }, 'UV201');
});

test('UV201 follows an entrypoint script copied into the image, and exec "$@"', async () => {
  const files = {
    Dockerfile: dockerfile('COPY docker/start.sh /usr/local/bin/start.sh', 'ENTRYPOINT ["start.sh"]\nCMD ["uv", "run", "gunicorn"]'),
    'docker/start.sh': '#!/bin/sh\nset -e\necho starting\nexec "$@"\n',
  };
  const f = await expectFinding(files, 'UV201');
  assert.equal(`${f.file}:${f.line}:${f.column}`, 'Dockerfile:8:6');
});

test('UV201 points into the script when the script runs uv', async () => {
  const files = {
    Dockerfile: dockerfile('COPY . .', 'ENTRYPOINT ["./entrypoint.sh"]'),
    'entrypoint.sh': '#!/bin/bash\nif [ -n "$MIGRATE" ]; then\n  uv run alembic upgrade head\nfi\nexec uv run --no-sync app\n',
  };
  await expectFinding(files, 'UV201', 'entrypoint.sh:3:3');
});

test('UV201 reads compose command (string form) and sh -c', async () => {
  const compose = HARDENED_COMPOSE + '    command: sh -c "sleep 1 && uv run app"\n';
  await expectFinding({ Dockerfile: img('CMD ["true"]'), 'compose.yaml': compose }, 'UV201', 'compose.yaml:9:32');
});

for (const [label, files] of [
  ['--no-sync', { Dockerfile: img('CMD ["uv", "run", "--no-sync", "app"]') }],
  ['UV_NO_SYNC=1 in the image', { Dockerfile: img('CMD ["uv", "run", "app"]', 'ENV UV_NO_SYNC=1') }],
  ['UV_NO_SYNC in compose environment', { Dockerfile: img('CMD ["uv", "run", "app"]'), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      UV_NO_SYNC: "true"\n' }],
  ['UV_NO_SYNC exported in the script', { Dockerfile: dockerfile('COPY e.sh /e.sh', 'ENTRYPOINT ["/e.sh"]'), 'e.sh': '#!/bin/sh\nexport UV_NO_SYNC=1\nexec uv run app\n' }],
  ['an inline assignment', { Dockerfile: img('CMD UV_NO_SYNC=1 exec uv run app') }],
] as const) {
  test(`UV201 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV201');
  });
}

test('UV201: compose environment can turn UV_NO_SYNC off again', async () => {
  const f = await findingsOf({ Dockerfile: img('CMD ["uv", "run", "app"]', 'ENV UV_NO_SYNC=1'), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      - UV_NO_SYNC=0\n' }, 'UV201');
  assert.equal(f.length, 1);
});

test('UV201 reads env_file: UV_NO_SYNC there satisfies it; a later file and `environment` override earlier values', async () => {
  const compose = (envFile: string, environment = '') => `${HARDENED_COMPOSE}    env_file: ${envFile}\n${environment}`;
  const Dockerfile = img('CMD ["uv", "run", "app"]');
  await expectNone({ Dockerfile, 'compose.yaml': compose('.env.app'), '.env.app': 'UV_NO_SYNC=1\n' }, 'UV201');
  await expectNone({ Dockerfile, 'compose.yaml': compose('[a.env, b.env]'), 'a.env': 'UV_NO_SYNC=0\n', 'b.env': 'UV_NO_SYNC=1\n' }, 'UV201');
  await expectFinding({ Dockerfile, 'compose.yaml': compose('[b.env, a.env]'), 'a.env': 'UV_NO_SYNC=0\n', 'b.env': 'UV_NO_SYNC=1\n' }, 'UV201', 'Dockerfile:7:6');
  await expectFinding({ Dockerfile, 'compose.yaml': compose('.env.app', '    environment:\n      UV_NO_SYNC: "0"\n'), '.env.app': 'UV_NO_SYNC=1\n' }, 'UV201');
  // An optional env_file that does not exist is skipped in silence, as compose does.
  await expectFinding({ Dockerfile, 'compose.yaml': compose('\n      - path: missing.env\n        required: false') }, 'UV201');
});

test('UV201 follows a script run through a shell: `sh /app/start.sh`, `bash -e start.sh`', async () => {
  const script = '#!/bin/sh\nexec uv run app\n';
  await expectFinding({ Dockerfile: img('CMD ["sh", "/app/start.sh"]', 'COPY start.sh /app/start.sh'), 'start.sh': script }, 'UV201', 'start.sh:2:6');
  await expectFinding({ Dockerfile: img('CMD ["bash", "-e", "start.sh"]', 'COPY start.sh ./'), 'start.sh': script }, 'UV201', 'start.sh:2:6');
  // `sh -c TEXT` runs TEXT, not a script file.
  await expectFinding({ Dockerfile: img('CMD ["sh", "-c", "exec uv run app"]'), 'start.sh': script }, 'UV201', 'Dockerfile:7:24');
  // sh opens a bare name in the working directory only; bash looks on PATH too.
  await expectNone({ Dockerfile: img('CMD ["sh", "start.sh"]', 'COPY start.sh /usr/local/bin/'), 'start.sh': script }, 'UV201');
  await expectFinding({ Dockerfile: img('CMD ["bash", "start.sh"]', 'COPY start.sh /usr/local/bin/'), 'start.sh': script }, 'UV201', 'start.sh:2:6');
});

test('UV201 follows a relative script from the compose working_dir, which replaces the WORKDIR', async () => {
  const files = {
    Dockerfile: img('CMD ["./start.sh"]', 'COPY start.sh /srv/start.sh'),
    'start.sh': '#!/bin/sh\nexec uv run app\n',
  };
  await expectNone(files, 'UV201');
  await expectFinding({ ...files, 'compose.yaml': `${HARDENED_COMPOSE}    working_dir: /srv\n` }, 'UV201', 'start.sh:2:6');
});

test('UV201 sees the CMD after `ENTRYPOINT []` (uv\'s Docker example resets the entrypoint so)', async () => {
  await expectFinding({ Dockerfile: img('ENTRYPOINT []\nCMD ["uv", "run", "app"]') }, 'UV201', 'Dockerfile:8:6');
  await expectNone({ Dockerfile: img('ENTRYPOINT []\nCMD ["uv", "run", "--no-sync", "app"]') }, 'UV201');
});

test('UV201 checks the HEALTHCHECK too (it runs every interval): Dockerfile exec and shell forms, compose test forms', async () => {
  const hc = (line: string) => ({ Dockerfile: img(`${line}\nCMD ["uv", "run", "--no-sync", "app"]`) });
  const f = await expectFinding(hc('HEALTHCHECK --interval=30s CMD ["uv", "run", "python", "check.py"]'), 'UV201', 'Dockerfile:7:33');
  assert.match(f.message, /in the healthcheck of Dockerfile: it syncs the environment at every check/);
  await expectFinding(hc('HEALTHCHECK CMD uv run check.py || exit 1'), 'UV201', 'Dockerfile:7:17');
  await expectNone(hc('HEALTHCHECK CMD uv run --no-sync check.py || exit 1'), 'UV201');
  // compose healthcheck.test replaces the image's; NONE / disable turn it off.
  const compose = (test: string) => ({ Dockerfile: img('HEALTHCHECK CMD uv run check.py'), 'compose.yaml': `${HARDENED_COMPOSE}    healthcheck:\n      ${test}\n` });
  await expectFinding(compose('test: ["CMD", "uv", "run", "check.py"]'), 'UV201', 'compose.yaml:10:21');
  await expectFinding(compose('test: ["CMD-SHELL", "uv run check.py || exit 1"]'), 'UV201', 'compose.yaml:10:28');
  await expectFinding(compose('test: uv run check.py'), 'UV201', 'compose.yaml:10:13');
  await expectNone(compose('test: ["CMD", "curl", "-f", "http://localhost/"]'), 'UV201');
  await expectNone(compose('test: ["NONE"]'), 'UV201');
  await expectNone(compose('disable: true'), 'UV201');
});

test('UV201: an `environment` entry without a value takes it from the .env file, as compose does', async () => {
  const files = { Dockerfile: img('CMD ["uv", "run", "app"]'), 'compose.yaml': `${HARDENED_COMPOSE}    environment:\n      - UV_NO_SYNC\n` };
  await expectNone({ ...files, '.env': 'UV_NO_SYNC=1\n' }, 'UV201');
  await expectFinding(files, 'UV201', 'Dockerfile:7:6');
});

test('UV201 points into a compose command written as a literal block, `sh -c` strings inside it included', async () => {
  const compose = [
    'services:',
    '  b:',
    '    build: .',
    '    command: |',
    '      sh -c "uv run --no-sync migrate &&',
    '             exec uv run web"',
    '  c:',
    '    build: .',
    '    command:',
    '      - sh',
    '      - -c',
    '      - |',
    '        uv run --no-sync migrate',
    '        exec uv run web',
    '  d:',
    '    build: .',
    '    command: >',
    '      uv run worker',
    '',
  ].join('\n');
  const f = await findingsOf({ Dockerfile: img('CMD ["uv", "run", "--no-sync", "app"]'), 'compose.yaml': compose }, 'UV201');
  assert.deepEqual(f.map((x) => `${x.line}:${x.column}`), ['6:19', '14:14', '18:7']);
});

test('UV201: a cd inside sh -c is followed to the script it runs (and ends with that shell)', async () => {
  const files = (cmd: string): Record<string, string> => ({
    Dockerfile: dockerfile('COPY start.sh /srv/start.sh', `CMD ${cmd}`),
    'start.sh': '#!/bin/sh\nexec uv run app\n',
  });
  const f = await findingsOf(files('["sh", "-c", "cd /srv && ./start.sh"]'), 'UV201');
  assert.deepEqual(f.map((x) => `${x.file}:${x.line}`), ['start.sh:2']);
  assert.deepEqual(await findingsOf(files('["sh", "-c", "(cd /srv) && ./start.sh"]'), 'UV201'), []);
});

test('UV201: `uv run` outside any project syncs nothing (no pyproject.toml in the image where it runs, or above)', async () => {
  const df = (copy: string): string => `FROM python:3.12-slim\nRUN pip install uv==0.12.5\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\n${copy}CMD ["uv", "run", "uvicorn", "src.main:app"]\n`;
  const base = { 'requirements.txt': 'uvicorn==0.30.0\n', 'src/main.py': '' };
  await expectNone({ ...base, Dockerfile: df('COPY src ./src\n') }, 'UV201');
  await expectNone({ ...base, Dockerfile: df('COPY . .\n') }, 'UV201');
  // A project in the image (copied, or in the whole context), a bind mount over the folder, a base of unknown content.
  await expectFinding({ ...base, 'pyproject.toml': '[project]\nname = "a"\n', Dockerfile: df('COPY . .\n') }, 'UV201');
  await expectFinding({ ...base, 'pyproject.toml': '[project]\nname = "a"\n', Dockerfile: df('COPY pyproject.toml /\n') }, 'UV201');
  // A bind mount of the repository over the folder: its files count (none here, then one).
  const mounted = { ...base, Dockerfile: df('COPY src ./src\n'), 'compose.yaml': 'services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n' };
  await expectNone(mounted, 'UV201');
  await expectFinding({ ...mounted, 'pyproject.toml': '[project]\nname = "a"\n' }, 'UV201');
  await expectFinding({ ...mounted, 'compose.yaml': 'services:\n  api:\n    build: .\n    volumes:\n      - /srv/app:/app\n' }, 'UV201');
  await expectFinding({ ...base, Dockerfile: df('COPY src ./src\n').replace('FROM python:3.12-slim', 'FROM org/base:1') }, 'UV201');
});

test('UV201 follows a script copied by a COPY with quoted words (`COPY "." "$CODE_DIR/"`: Docker removes the quotes)', async () => {
  const files = {
    Dockerfile: 'FROM python:3.12-slim\nENV CODE_DIR=/app\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY "." "$CODE_DIR/"\nRUN uv sync --locked\nENTRYPOINT ["/app/bin/start.sh"]\n',
    'bin/start.sh': '#!/bin/sh\nexec uv run app\n',
    'pyproject.toml': '[project]\nname = "a"\n',
    'uv.lock': 'version = 1\n',
  };
  assert.equal((await expectFinding(files, 'UV201')).file, 'bin/start.sh');
  await expectFinding({ ...files, Dockerfile: files.Dockerfile.replace('COPY "." "$CODE_DIR/"', "COPY '.' \"${CODE_DIR}\"/") }, 'UV201');
});
