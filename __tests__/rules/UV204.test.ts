import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('UV204 notes uv run and uvx at start', async () => {
  await expectFinding({ Dockerfile: dockerfile('') }, 'UV204', 'Dockerfile:7:6');
  await expectFinding({ Dockerfile: dockerfile('', 'CMD ["uvx", "--from", "x", "tool"]') }, 'UV204', 'Dockerfile:7:6');
});

test('UV204 is silent when the venv runs the app directly', async () => {
  await expectNone({ Dockerfile: dockerfile('ENV PATH="/app/.venv/bin:$PATH"', 'CMD ["uvicorn", "app:app"]') }, 'UV204');
});
