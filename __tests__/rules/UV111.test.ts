import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, dockerfile } from '../helpers.js';

const PYPROJECT = '[project]\nname = "x"\nversion = "1"\ndependencies = ["requests"]\n';
const repo = (body: string, extra: Record<string, string> = {}): Record<string, string> => ({ Dockerfile: dockerfile(body), 'pyproject.toml': PYPROJECT, 'uv.lock': 'version = 1\n', ...extra });

test('UV111 fires on uv pip install -r pyproject.toml when uv.lock is copied into the image, at the uv pip install words', async () => {
  const f = await expectFinding(repo('COPY pyproject.toml uv.lock ./\nRUN uv pip install --system -r pyproject.toml'), 'UV111', 'Dockerfile:6:5');
  assert.equal(f.endColumn, 19);
  assert.match(f.message, /-r pyproject\.toml.*never reads uv\.lock.*\/app\/uv\.lock \(from uv\.lock\)/);
});

test('UV111 fires on -r requirements.in and on the project folder (-e .) with the lock copied by COPY . .', async () => {
  await expectFinding(repo('COPY . .\nRUN uv pip install --system -r requirements.in', { 'requirements.in': 'requests\n' }), 'UV111', 'Dockerfile:6:5');
  await expectFinding(repo('COPY . .\nRUN uv pip install --system -e .'), 'UV111', 'Dockerfile:6:5');
});

for (const [label, files] of [
  ['the lock is not copied', repo('COPY pyproject.toml ./\nRUN uv pip install --system -r pyproject.toml')],
  ['COPY . . but the repository has no uv.lock', { Dockerfile: dockerfile('COPY . .\nRUN uv pip install --system -r pyproject.toml'), 'pyproject.toml': PYPROJECT }],
  ['uv.lock is .dockerignored', repo('COPY . .\nRUN uv pip install --system -r pyproject.toml', { '.dockerignore': 'uv.lock\n' })],
  ['the lock is copied only after the install', repo('COPY pyproject.toml ./\nRUN uv pip install --system -r pyproject.toml\nCOPY uv.lock ./')],
  ['a pinned requirements.txt (exported from the lock)', repo('COPY pyproject.toml uv.lock requirements.txt ./\nRUN uv pip install --system -r requirements.txt', { 'requirements.txt': 'requests==2.32.3\n' })],
  ['--no-deps (the project alone after uv sync)', repo('COPY . .\nRUN uv sync --locked --no-install-project && uv pip install --no-deps .')],
  ['constraints', repo('COPY . .\nRUN uv pip install --system -r pyproject.toml -c constraints.txt', { 'constraints.txt': 'requests==2.32.3\n' })],
  ['uv sync --locked', repo('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked')],
] as const) {
  test(`UV111 says nothing when ${label}`, async () => {
    await expectNone(files as Record<string, string>, 'UV111');
  });
}
