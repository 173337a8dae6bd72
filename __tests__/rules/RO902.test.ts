import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, expectNone, findingsOf, dockerfile, analyzeRepo } from '../helpers.js';
import { scopeStatement } from '../../src/report/scope.js';

test('RO902 on a missing build context and a missing Dockerfile, at the build key', async () => {
  const a = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build: ./nope\n' }, 'RO902', 'compose.yaml:3:5');
  assert.match(a.message, /context nope does not exist/);
  const b = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: Missing.Dockerfile\n' }, 'RO902', 'compose.yaml:3:5');
  assert.match(b.message, /Missing\.Dockerfile does not exist/);
});

test('RO902 on an entrypoint copied from a repository path that does not exist', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('COPY scripts/entrypoint.sh /entrypoint.sh', 'ENTRYPOINT ["/entrypoint.sh"]') }, 'RO902', 'Dockerfile:5:1');
  assert.match(f.message, /scripts\/entrypoint\.sh, which does not exist/);
});

test('RO902 on a build target that is not a stage', async () => {
  await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build:\n      context: .\n      target: nope\n' }, 'RO902');
});

test('RO902 on a build context outside the scanned root, and on a required env_file that does not exist', async () => {
  const a = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build: ../elsewhere\n' }, 'RO902', 'compose.yaml:3:5');
  assert.match(a.message, /build context \.\.\/elsewhere is outside the scanned root/);
  const b = await expectFinding({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n    env_file: app.env\n' }, 'RO902', 'compose.yaml:4:15');
  assert.match(b.message, /env_file app\.env does not exist/);
});

test('RO902: a folder copied whole provides only what it holds; a command it does not hold comes from the base image', async () => {
  const files = { Dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nRUN uv pip install --system flask\nCOPY . .\nCMD ["python", "app.py"]\n', 'app.py': '' };
  const r = await findingsOf(files, 'RO902');
  assert.deepEqual(r, []);
  // The script is still followed when the folder holds it.
  const withScript = { ...files, Dockerfile: files.Dockerfile.replace('CMD ["python", "app.py"]', 'CMD ["./run.sh"]'), 'run.sh': '#!/bin/sh\nexec uv run app\n', 'pyproject.toml': '[project]\nname = "a"\n' };
  assert.equal((await findingsOf(withScript, 'UV201'))[0]?.file, 'run.sh');
});

test('no RO902 for an env_file created at deploy time (git-ignored, a template beside it, required: false); the statement says its values are unknown', async () => {
  const compose = (envFile: string): string => `services:\n  api:\n    build: .\n    env_file: ${envFile}\n  worker:\n    build: .\n    env_file: ${envFile}\n`;
  const cases: [Record<string, string>, string, string][] = [
    [{ '.gitignore': '# local\n.env\n' }, '.env', '.env: git ignores it (.gitignore:2): created at deploy time, its values are unknown here'],
    [{ 'deploy/.gitignore': '*.env\n' }, 'deploy/prod.env', 'deploy/prod.env: git ignores it (deploy/.gitignore:1): created at deploy time, its values are unknown here'],
    [{ '.env.example': 'A=1\n' }, '.env', '.env: a template (.env.example) is committed beside it: created at deploy time, its values are unknown here'],
    [{ 'config/app.env.sample': 'A=1\n' }, 'config/app.env', 'config/app.env: a template (config/app.env.sample) is committed beside it: created at deploy time, its values are unknown here'],
    [{}, '\n      - path: .env\n        required: false', '.env: `required: false`: created at deploy time, its values are unknown here'],
  ];
  for (const [extra, envFile, line] of cases) {
    const r = await analyzeRepo({ Dockerfile: dockerfile(''), 'compose.yaml': compose(envFile), ...extra });
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'RO902'), [], envFile);
    assert.deepEqual(scopeStatement(r.project).unknownValues, [line], 'said once, for both services');
  }
  // Not ignored (a negation), no template: still RO902.
  const kept = await findingsOf({ Dockerfile: dockerfile(''), 'compose.yaml': compose('.env'), '.gitignore': '.env*\n!.env\n', 'env.example': 'A=1\n' }, 'RO902');
  assert.equal(kept.length, 2);
});

test('an env_file of a service outside scope (postgres) is not named in the statement', async () => {
  const r = await analyzeRepo({ Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n    env_file: db.env\n', '.gitignore': 'db.env\n' });
  assert.deepEqual(scopeStatement(r.project).unknownValues, []);
});

test('RO902: a compose file in a folder of its own whose context resolves from the base file above it is an override of that base (no false "does not exist")', async () => {
  const repo = {
    'compose/docker-compose.yaml': 'services:\n  api:\n    build:\n      context: ../api\n',
    'compose/overrides/docker-compose.yaml': 'services:\n  api:\n    build:\n      context: ../api\n    read_only: true\n',
    'api/Dockerfile': 'FROM python:3.12\nRUN pip install uv==0.12.5 && uv sync --locked\n',
    'api/uv.lock': 'x',
  };
  await expectNone(repo, 'RO902');
  const r = await analyzeRepo(repo);
  assert.deepEqual(r.project.services.map((s) => [s.file, s.runtime?.image?.file]), [
    ['compose/docker-compose.yaml', 'api/Dockerfile'],
    ['compose/overrides/docker-compose.yaml', 'api/Dockerfile'],
  ]);
  // A context that resolves from no folder above it is reported.
  const alone = { 'compose/overrides/docker-compose.yaml': repo['compose/overrides/docker-compose.yaml'], 'web/Dockerfile': repo['api/Dockerfile'] };
  assert.match((await expectFinding(alone, 'RO902')).message, /build context compose\/api does not exist/);
});

test('RO902: an example compose file whose context and Dockerfile exist from the repository root (run with --project-directory ., or copied there) is no "does not exist"', async () => {
  const repo = { Dockerfile: 'FROM python:3.12\nRUN pip install uv==0.12.5\n', 'examples/docker-compose-dev.yml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n' };
  await expectNone(repo, 'RO902');
  // Nowhere to be found: still reported.
  assert.match((await expectFinding({ 'examples/docker-compose-dev.yml': repo['examples/docker-compose-dev.yml'], 'x.txt': '' }, 'RO902')).message, /Dockerfile examples\/Dockerfile does not exist/);
});
