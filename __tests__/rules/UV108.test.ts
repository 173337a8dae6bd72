import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile, HARDENED_COMPOSE } from '../helpers.js';

test('UV108 fires on a truthy UV_FROZEN with --locked, and UV_LOCKED with --frozen', async () => {
  await expectFinding({ Dockerfile: dockerfile('ENV UV_FROZEN=true\nRUN uv sync --locked') }, 'UV108', 'Dockerfile:6:5');
  await expectFinding({ Dockerfile: dockerfile('RUN UV_LOCKED=1 uv sync --frozen') }, 'UV108');
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked --frozen') }, 'UV108');
});

test('UV108 checks the runtime too (compose environment)', async () => {
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uv", "run", "--locked", "--no-sync", "app"]'), 'compose.yaml': HARDENED_COMPOSE + '    environment:\n      UV_FROZEN: "1"\n' }, 'UV108', 'Dockerfile:7:6');
});

test('UV108 is satisfied by one of them only, or a falsy other', async () => {
  await expectNone({ Dockerfile: dockerfile('RUN uv sync --locked') }, 'UV108');
  await expectNone({ Dockerfile: dockerfile('ENV UV_FROZEN=0\nRUN uv sync --locked') }, 'UV108');
});
