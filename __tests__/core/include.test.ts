import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { analyzeRepo, dockerfile } from '../helpers.js';

const uvApp = dockerfile('RUN uv sync --locked --no-dev --no-editable --compile-bytecode', 'CMD ["uv", "run", "app"]');

test('compose include: included files are projects of their own (their folder, their paths), each analysed once', async () => {
  const r = await analyzeRepo({
    'compose.yaml': 'include:\n  - infra/api.yml\n  - path: [jobs/base.yml, jobs/extra.yml]\n  - path: other/compose.yaml\n  - missing.yml\n  - ../../outside.yml\n',
    'infra/api.yml': 'services:\n  api:\n    build: .\n    read_only: true\n',
    'infra/Dockerfile': uvApp,
    'infra/uv.lock': 'version = 1\n',
    'jobs/base.yml': 'services:\n  job:\n    build: ../infra\n',
    'jobs/extra.yml': 'services:\n  job:\n    read_only: true\n',
    // Also found by discovery: analysed once, not twice.
    'other/compose.yaml': 'services:\n  other:\n    build: ../infra\n    read_only: true\n',
  });
  const uv201 = r.findings.filter((f) => f.ruleId === 'UV201').map((f) => `${f.file} ${f.message.match(/service "\w+"/)![0]}`);
  assert.deepEqual(uv201.sort(), ['infra/Dockerfile service "api"', 'infra/Dockerfile service "job"', 'infra/Dockerfile service "other"']);
  const job = r.project.services.find((s) => s.service.name === 'job')!;
  assert.equal(job.runtime?.readOnly, true, 'a path list is merged like overrides');
  assert.deepEqual(
    r.findings.filter((f) => f.ruleId === 'RO902').map((f) => `${f.file}:${f.line} ${f.message}`),
    ['compose.yaml:5 include: missing.yml does not exist', 'compose.yaml:6 include: ../../outside.yml is outside the scanned root: not analysed'],
  );
  assert.equal(r.project.services.filter((s) => s.service.name === 'other').length, 1);
});

test('compose include: project_directory sets the folder paths resolve against; excluded folders and cycles are not followed', async () => {
  const r = await analyzeRepo({
    'compose.yaml': 'include:\n  - path: deploy/app.yml\n    project_directory: src\n  - vendor/lib.yml\n',
    'deploy/app.yml': 'services:\n  app:\n    build: .\n    read_only: true\n  loop:\n    image: x\ninclude:\n  - ../compose.yaml\n',
    'src/Dockerfile': uvApp,
    'vendor/lib.yml': 'services:\n  lib:\n    build: ../src\n',
    '.ro-uv-check.yml': 'exclude: ["vendor/**"]\n',
  });
  const app = r.project.services.find((s) => s.service.name === 'app')!;
  assert.equal(app.runtime?.image?.file, 'src/Dockerfile');
  assert.equal(r.project.services.some((s) => s.service.name === 'lib'), false, 'vendor/ is excluded');
  assert.equal(r.project.services.filter((s) => s.service.name === 'app').length, 1, 'the include cycle ends');
});
