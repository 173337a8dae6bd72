import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile, HARDENED_COMPOSE } from '../helpers.js';

test('PY302 fires on PYTHONPYCACHEPREFIX and PYTHONOPTIMIZE in the runtime env', async () => {
  await expectFinding({ Dockerfile: dockerfile('ENV PYTHONPYCACHEPREFIX=/tmp/pyc') }, 'PY302', 'Dockerfile:5:5');
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      PYTHONOPTIMIZE: "2"\n' }, 'PY302', 'compose.yaml:10:7');
});

test('PY302 fires on python -O and -X pycache_prefix in the command, also behind uv run', async () => {
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["python", "-OO", "app.py"]') }, 'PY302', 'Dockerfile:7:16');
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--no-sync", "python3", "-X", "pycache_prefix=/tmp", "-m", "app"]') }, 'PY302');
});

test('PY302 is silent without them (PYTHONOPTIMIZE=0 is off; -O after -m belongs to the app)', async () => {
  await expectNone({ Dockerfile: dockerfile('ENV PYTHONOPTIMIZE=0', 'CMD ["python", "-m", "app", "-O"]') }, 'PY302');
});
