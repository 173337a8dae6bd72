import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const compose = (extra: string) => `services:\n  api:\n    build: .\n    read_only: true\n    tmpfs: ["/home/appuser/.cache"]\n${extra}`;

test('PY303 fires on gunicorn in a read-only service without a writable /tmp', async () => {
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["gunicorn", "app:app"]'), 'compose.yaml': compose('') }, 'PY303', 'Dockerfile:7:6');
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--no-sync", "gunicorn", "--worker-tmp-dir", "/app/tmp", "app:app"]'), 'compose.yaml': compose('') }, 'PY303');
});

test('PY303 fires on uv with UV_NO_CACHE and no writable $TMPDIR', async () => {
  await expectFinding({ Dockerfile: dockerfile('ENV UV_NO_CACHE=1'), 'compose.yaml': compose('') }, 'PY303', 'Dockerfile:7:6');
});

for (const [label, cmd, extra] of [
  ['a tmpfs on /tmp', 'CMD ["gunicorn", "app:app"]', '    volumes:\n      - type: tmpfs\n        target: /tmp\n'],
  ['--worker-tmp-dir /dev/shm', 'CMD ["gunicorn", "--worker-tmp-dir", "/dev/shm", "app:app"]', ''],
  ['--worker-tmp-dir=/dev/shm', 'CMD ["python", "-m", "gunicorn", "--worker-tmp-dir=/dev/shm", "app:app"]', ''],
  ['GUNICORN_CMD_ARGS', 'CMD ["gunicorn", "app:app"]', '    environment:\n      GUNICORN_CMD_ARGS: "--worker-tmp-dir /dev/shm"\n'],
  ['TMPDIR on a tmpfs', 'CMD ["gunicorn", "app:app"]', '    environment:\n      TMPDIR: /home/appuser/.cache/tmp\n'],
] as const) {
  test(`PY303 is satisfied by ${label}`, async () => {
    await expectNone({ Dockerfile: dockerfile('', cmd), 'compose.yaml': compose(extra) }, 'PY303');
  });
}

test('PY303 ignores services that are not read-only', async () => {
  await expectNone({ Dockerfile: dockerfile('', 'CMD ["gunicorn", "app:app"]'), 'compose.yaml': 'services:\n  api:\n    build: .\n' }, 'PY303');
});

test('PY303 sees gunicorn behind `uv run -m` (uv runs `python -m gunicorn`) and behind `uv run --`', async () => {
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--no-sync", "-m", "gunicorn", "app:app"]'), 'compose.yaml': compose('') }, 'PY303', 'Dockerfile:7:38');
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--no-sync", "--module", "gunicorn", "app:app"]'), 'compose.yaml': compose('') }, 'PY303', 'Dockerfile:7:44');
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--no-sync", "--", "gunicorn", "app:app"]'), 'compose.yaml': compose('') }, 'PY303', 'Dockerfile:7:38');
  await expectNone({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--no-sync", "-m", "gunicorn", "--worker-tmp-dir", "/dev/shm", "app:app"]'), 'compose.yaml': compose('') }, 'PY303');
});
