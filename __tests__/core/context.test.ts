/** The build context of a Dockerfile that no compose file builds: from a workflow, from its sources, or assumed. */
import { test, describe } from '@jest/globals';
import assert from 'node:assert/strict';
import { findingsOf, expectFinding, expectNone, dockerfile, writeRepo, analyzeRepo } from '../helpers.js';
import { readWorkflowBuilds } from '../../src/core/model/workflows.js';
import { createReader } from '../../src/core/files.js';

/** A Dockerfile under docker/ that copies the whole context and syncs locked; uv.lock and .dockerignore at the root. */
const wholeContext = {
  'docker/app.Dockerfile': dockerfile('COPY . .\nRUN uv sync --locked'),
  'pyproject.toml': '[project]\nname = "a"\n',
  'uv.lock': 'version = 1\n',
  '.dockerignore': '.venv\n',
};

test('without a workflow, a Dockerfile whose sources do not settle its context: findings name the assumed context and are not errors', async () => {
  const uv105 = await expectFinding(wholeContext, 'UV105');
  assert.equal(uv105.severity, 'warning');
  assert.match(uv105.message, /docker\/uv\.lock does not exist in the build context \(assuming the build context is docker\/ \(its folder\): no compose file or GitHub workflow builds docker\/app\.Dockerfile\)/);
  const uv107 = await expectFinding(wholeContext, 'UV107');
  assert.equal(uv107.severity, 'notice');
  assert.match(uv107.message, /there is no \.dockerignore.*assuming the build context is docker\//);
});

for (const [label, workflow] of [
  ['docker/build-push-action context and file', 'jobs:\n  b:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: docker/app.Dockerfile\n          tags: ghcr.io/org/app:${{ github.sha }}\n'],
  ['docker build -f FILE . in a run step', 'jobs:\n  b:\n    steps:\n      - run: docker build -t org/app:latest -f docker/app.Dockerfile .\n'],
  ['docker buildx build --file=FILE with a tag expression, several lines', 'jobs:\n  b:\n    steps:\n      - run: |\n          echo building\n          docker buildx build --push \\\n            --tag "ghcr.io/org/app:${{ github.sha }}" \\\n            --file=docker/app.Dockerfile .\n'],
  ['a step working-directory', 'jobs:\n  b:\n    steps:\n      - working-directory: docker\n        run: docker build -f app.Dockerfile ..\n'],
  ['defaults.run.working-directory', 'defaults:\n  run:\n    working-directory: ./docker\njobs:\n  b:\n    steps:\n      - run: docker image build --file app.Dockerfile ../\n'],
] as const) {
  test(`(a) a workflow gives the context: ${label} (no false UV105 or UV107)`, async () => {
    const files = { ...wholeContext, '.github/workflows/image.yml': workflow };
    await expectNone(files, 'UV105');
    await expectNone(files, 'UV107');
  });
}

test('(a) a workflow context that is an expression is not guessed', async () => {
  const files = { ...wholeContext, '.github/workflows/image.yml': 'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: ${{ matrix.context }}\n          file: docker/app.Dockerfile\n' };
  const f = await expectFinding(files, 'UV105');
  assert.match(f.message, /assuming the build context is docker\//);
});

test('(a) readWorkflowBuilds: contexts, files and image names; expressions and unknown expansions give nothing', () => {
  const dir = writeRepo({
    '.github/workflows/a.yml':
      'jobs:\n  x:\n    steps:\n      - uses: docker/build-push-action@v5\n        with:\n          tags: |\n            org/web:1\n            ghcr.io/${{ github.repository }}:2\n' +
      '      - run: docker build $EXTRA -f svc/Dockerfile svc\n' +
      '      - run: cd svc && docker build -t Org/Svc:dev .\n' +
      '      - run: cd "$GITHUB_WORKSPACE/x" && docker build .\n',
  });
  const builds = readWorkflowBuilds(['.github/workflows/a.yml'], dir, createReader(dir));
  assert.deepEqual(
    builds.map((b) => [b.dockerfile, b.context, b.names]),
    [
      ['Dockerfile', '', ['org/web']],
      ['svc/Dockerfile', 'svc', ['org/svc']],
    ],
  );
});

/** The same Dockerfile naming its sources: they exist only at the root. */
const named = {
  'docker/app.Dockerfile': dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nCOPY . .\nCOPY scripts/start.sh /start.sh', 'ENTRYPOINT ["/start.sh"]'),
  'pyproject.toml': '[project]\nname = "a"\n',
  'uv.lock': 'version = 1\n',
  '.dockerignore': '.venv\n',
  'scripts/start.sh': '#!/bin/sh\nexec python -m app\n',
};

test('(b) the folder where the copied sources resolve is the context: its .dockerignore applies (no false UV105, UV107, RO902)', async () => {
  const all = await findingsOf(named);
  assert.deepEqual(
    all.filter((f) => ['UV105', 'UV107', 'RO902'].includes(f.ruleId)),
    [],
  );
  // The nearest folder wins a tie: a copy of everything beside the Dockerfile is its context.
  const beside = { ...named, 'docker/pyproject.toml': 'x', 'docker/uv.lock': 'x', 'docker/scripts/start.sh': '#!/bin/sh\nexec uv run app\n' };
  await expectFinding(beside, 'UV107'); // docker/ has no .dockerignore
  assert.equal((await findingsOf(beside, 'UV201'))[0]?.file, 'docker/scripts/start.sh');
});

test('(c) sources that resolve nowhere in full: the best folder is assumed, and the findings say so and are not errors', async () => {
  const files = { ...named, 'uv.lock': undefined, 'scripts/start.sh': undefined } as Record<string, string | undefined>;
  const repo = Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
  const uv105 = await expectFinding(repo, 'UV105');
  assert.equal(uv105.severity, 'warning');
  assert.match(uv105.message, /^uv\.lock is enforced but uv\.lock does not exist in the build context \(assuming the build context is the repository root \(where 1 of the 3 paths it copies exist\)/);
  const ro902 = await expectFinding(repo, 'RO902');
  assert.equal(ro902.severity, 'notice');
  assert.match(ro902.message, /scripts\/start\.sh, which does not exist \(assuming the build context is the repository root/);
});

test('a Dockerfile at the root has no other context: its findings keep their severity', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked'), 'pyproject.toml': 'x' }, 'UV105');
  assert.equal(f.severity, 'error');
  assert.doesNotMatch(f.message, /assuming/);
});

describe('a service that only names an image runs the Dockerfile built under that name elsewhere', () => {
  const base = {
    'docker/Dockerfile': dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev', 'CMD ["uv", "run", "app"]'),
    'pyproject.toml': '[project]\nname = "a"\n',
    'uv.lock': 'version = 1\n',
    'compose.yaml': 'services:\n  app:\n    image: ghcr.io/org/app:${TAG:-latest}\n    read_only: true\n  db:\n    image: postgres:16\n',
  };
  const imageOf = async (files: Record<string, string>, name: string, file = 'compose.yaml'): Promise<string | undefined> => {
    const r = await analyzeRepo(files);
    return r.project.services.find((s) => s.service.name === name && s.file === file)?.runtime?.image?.file;
  };

  test('built by another compose file (docker-compose.build.yml)', async () => {
    const files = { ...base, 'docker-compose.build.yml': 'services:\n  app:\n    image: ghcr.io/org/app:dev\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n' };
    assert.equal(await imageOf(files, 'app'), 'docker/Dockerfile');
    assert.equal(await imageOf(files, 'db'), undefined);
    // The service's own runtime rules now see the image's command: uv run on its read-only root, with no cache.
    assert.equal((await findingsOf(files, 'UV203')).length, 1);
    assert.equal((await findingsOf(base, 'UV203')).length, 0);
    assert.equal(await imageOf(base, 'app'), undefined);
  });

  test('built by a workflow (build-push-action tags, docker build -t)', async () => {
    const action = 'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          file: docker/Dockerfile\n          tags: |\n            ghcr.io/org/app:latest\n';
    assert.equal(await imageOf({ ...base, '.github/workflows/release.yml': action }, 'app'), 'docker/Dockerfile');
    const run = 'jobs:\n  b:\n    steps:\n      - run: docker build -f docker/Dockerfile -t ghcr.io/org/app:${{ github.sha }} -t ghcr.io/org/app .\n';
    assert.equal(await imageOf({ ...base, '.github/workflows/release.yml': run }, 'app'), 'docker/Dockerfile');
    // Another name is not linked.
    assert.equal(await imageOf({ ...base, '.github/workflows/release.yml': run.replace(/org\/app/g, 'org/worker') }, 'app'), undefined);
  });
});
