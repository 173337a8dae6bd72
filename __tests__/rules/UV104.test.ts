import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('UV104 fires on uv sync that includes the dev group', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked') }, 'UV104', 'Dockerfile:5:5');
});

test('UV104 fires on --group dev even with default-groups = []', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked --group dev'), 'pyproject.toml': '[tool.uv]\ndefault-groups = []\n' }, 'UV104');
});

for (const [label, files] of [
  ['--no-dev', { Dockerfile: dockerfile('RUN uv sync --locked --no-dev') }],
  ['UV_NO_DEV=1', { Dockerfile: dockerfile('ENV UV_NO_DEV=1\nRUN uv sync --locked') }],
  ['--no-default-groups', { Dockerfile: dockerfile('RUN uv sync --locked --no-default-groups') }],
  ['UV_NO_DEFAULT_GROUPS=true', { Dockerfile: dockerfile('RUN UV_NO_DEFAULT_GROUPS=true uv sync --locked') }],
  ['--only-group', { Dockerfile: dockerfile('RUN uv sync --locked --only-group prod') }],
  ['--no-group dev', { Dockerfile: dockerfile('RUN uv sync --locked --no-group dev') }],
  ['--no-group=dev', { Dockerfile: dockerfile('RUN uv sync --locked --no-group=dev') }],
  ['default-groups without dev', { Dockerfile: dockerfile('RUN uv sync --locked'), 'pyproject.toml': '[tool.uv]\ndefault-groups = ["docs"]\n' }],
] as const) {
  test(`UV104 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV104');
  });
}
