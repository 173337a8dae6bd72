import { test } from '@jest/globals';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

test('UV103 fires on uv sync without compiling', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN uv sync --locked') }, 'UV103', 'Dockerfile:5:5');
});

test('UV103 fires on uv pip install without compiling', async () => {
  await expectFinding({ Dockerfile: dockerfile('RUN uv pip install --system -r requirements.txt') }, 'UV103', 'Dockerfile:5:5');
});

test('UV103 fires when UV_COMPILE_BYTECODE is falsy, even with pyproject compile-bytecode', async () => {
  await expectFinding(
    { Dockerfile: dockerfile('ENV UV_COMPILE_BYTECODE=0\nRUN uv sync --locked'), 'pyproject.toml': '[tool.uv]\ncompile-bytecode = true\n' },
    'UV103',
  );
});

for (const [label, files] of [
  ['--compile-bytecode', { Dockerfile: dockerfile('RUN uv sync --locked --compile-bytecode') }],
  ['--compile (pip)', { Dockerfile: dockerfile('RUN uv pip install --compile -r r.txt') }],
  ['UV_COMPILE_BYTECODE=1', { Dockerfile: dockerfile('ENV UV_COMPILE_BYTECODE=1\nRUN uv sync --locked') }],
  ['compile-bytecode in [tool.uv]', { Dockerfile: dockerfile('RUN uv sync --locked'), 'pyproject.toml': '[project]\nname = "x"\n\n[tool.uv]\ncompile-bytecode = true\n' }],
  ['compile-bytecode in uv.toml', { Dockerfile: dockerfile('RUN uv sync --locked'), 'uv.toml': 'compile-bytecode = true\n' }],
] as const) {
  test(`UV103 is satisfied by ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV103');
  });
}
