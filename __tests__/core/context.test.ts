/** The build context of a Dockerfile that no compose file builds: from a workflow, from its sources, or assumed. */
import { test, describe } from '@jest/globals';
import assert from 'node:assert/strict';
import * as path from 'node:path';
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
  // The lockfile missing from an assumed context is no claim: the context the build really uses may hold it.
  await expectNone(wholeContext, 'UV105');
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
  await expectNone(files, 'UV105');
  const f = await expectFinding(files, 'UV107');
  assert.match(f.message, /assuming the build context is docker\//);
});

test('(a) a workflow matrix: `${{ matrix.X }}` in build-push-action and run steps takes each combination (include, exclude, env)', async () => {
  const repo = {
    'infra/docker/api.Dockerfile': dockerfile('COPY apps/api/pyproject.toml apps/api/uv.lock* ./\nRUN uv sync --no-dev --frozen'),
    'infra/docker/worker.Dockerfile': dockerfile('COPY apps/api/pyproject.toml apps/api/uv.lock ./\nRUN uv sync --no-dev --frozen'),
    'apps/api/pyproject.toml': '[project]\nname = "a"\n',
    'apps/api/uv.lock': 'version = 1\n',
    '.github/workflows/deploy.yml':
      'env:\n  PREFIX: ghcr.io/org\njobs:\n  build:\n    strategy:\n      matrix:\n        include:\n          - image: api\n            dockerfile: infra/docker/api.Dockerfile\n          - image: worker\n            dockerfile: infra/docker/worker.Dockerfile\n' +
      '    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: ${{ matrix.dockerfile }}\n          tags: ${{ env.PREFIX }}/${{ matrix.image }}:latest\n',
  };
  const dir = writeRepo(repo);
  const builds = readWorkflowBuilds(['.github/workflows/deploy.yml'], dir, createReader(dir));
  assert.deepEqual(
    builds.map((b) => [b.dockerfile, b.context, b.names]),
    [
      ['infra/docker/api.Dockerfile', '', ['ghcr.io/org/api']],
      ['infra/docker/worker.Dockerfile', '', ['ghcr.io/org/worker']],
    ],
  );
  const all = await findingsOf(repo);
  assert.deepEqual(all.filter((f) => ['UV105', 'UV107', 'RO902'].includes(f.ruleId)), []);
  // A product of lists, an exclude, and an include that extends the matching combinations.
  const product = writeRepo({
    '.github/workflows/m.yml':
      'jobs:\n  b:\n    strategy:\n      matrix:\n        svc: [api, web]\n        py: ["3.12", "3.13"]\n        exclude:\n          - svc: web\n            py: "3.12"\n        include:\n          - svc: api\n            ctx: services/api\n' +
      '    steps:\n      - run: docker build -f ${{ matrix.ctx || \'x\' }}/Dockerfile -t org/${{ matrix.svc }}:${{ matrix.py }} services/${{ matrix.svc }}\n',
  });
  assert.deepEqual(
    readWorkflowBuilds(['.github/workflows/m.yml'], product, createReader(product)).map((b) => [b.context, b.names]),
    [],
    'an expression other than matrix.X / env.X stays unknown',
  );
  const product2 = writeRepo({
    '.github/workflows/m.yml':
      'jobs:\n  b:\n    strategy:\n      matrix:\n        svc: [api, web]\n        py: ["3.12", "3.13"]\n        exclude:\n          - svc: web\n            py: "3.12"\n        include:\n          - svc: api\n            tag: edge\n' +
      '    steps:\n      - run: docker build -t org/${{ matrix.svc }}-${{ matrix.py }} services/${{ matrix.svc }}\n',
  });
  assert.deepEqual(
    readWorkflowBuilds(['.github/workflows/m.yml'], product2, createReader(product2)).map((b) => [b.context, b.names]),
    [
      ['services/api', ['org/api-3.12']],
      ['services/api', ['org/api-3.13']],
      ['services/web', ['org/web-3.13']],
    ],
  );
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
  // uv.lock missing there is no claim (it may be in the real context); the start script missing is a notice.
  await expectNone(repo, 'UV105');
  const ro902 = await expectFinding(repo, 'RO902');
  assert.equal(ro902.severity, 'notice');
  assert.match(ro902.message, /scripts\/start\.sh, which does not exist \(assuming the build context is the repository root/);
});

test('a Dockerfile at the root has no other context: its findings keep their severity', async () => {
  const f = await expectFinding({ Dockerfile: dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked'), 'pyproject.toml': 'x' }, 'UV105');
  assert.equal(f.severity, 'error');
  assert.doesNotMatch(f.message, /assuming/);
});

test('(b) a folder beside the Dockerfile\'s where every copied path exists is the context (docker build -f docker/app.Dockerfile ../backend)', async () => {
  const repo = {
    'docker/app.Dockerfile': dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN uv sync --frozen --no-dev'),
    'backend/pyproject.toml': '[project]\nname = "a"\n',
    'backend/uv.lock': 'version = 1\n',
    'backend/.dockerignore': '.venv\n',
    'frontend/package.json': '{}\n',
  };
  const all = await findingsOf(repo);
  assert.deepEqual(all.filter((f) => ['UV105', 'UV107', 'RO902'].includes(f.ruleId)), []);
  // Two such folders: which one is unknown, the context stays assumed (and uv.lock missing there is no claim).
  const two = { ...repo, 'worker/pyproject.toml': 'x', 'worker/uv.lock': 'x' };
  await expectNone(two, 'UV105');
  assert.match((await expectFinding(two, 'UV107')).message, /assuming the build context is docker\//);
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

test('build scripts: `docker build` in a .bat, a shell script or a Makefile gives the context and the image name (its folder: the first of the script\'s folder and its ancestors where both exist)', async () => {
  const repo = {
    'docker/app.Dockerfile': dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev --no-editable --compile-bytecode\nCOPY . .'),
    'docker/scripts/build.bat': 'start cmd /k docker build --network=host --file app.Dockerfile --tag org/backend:latest ./../backend\n',
    'docker/docker-compose.yml': 'services:\n  backend:\n    image: org/backend:latest\n    command: python main.py\n',
    'backend/pyproject.toml': '[project]\nname = "a"\n',
    'backend/uv.lock': 'version = 1\n',
    'backend/.dockerignore': '.venv\n',
  };
  const r = await analyzeRepo(repo);
  const backend = r.project.services.find((s) => s.service.name === 'backend');
  assert.equal(backend?.runtime?.image?.file, 'docker/app.Dockerfile');
  assert.equal(path.relative(r.root, backend?.runtime?.contextDir ?? ''), 'backend');
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'CT402').map((f) => f.file), ['docker/docker-compose.yml']);
  // A Makefile recipe (continued line, a make variable for the tag) and a shell script run from the root.
  for (const [name, text] of [
    ['Makefile', 'IMAGE ?= org/backend\nbuild:\n\tdocker build \\\n\t  -f docker/app.Dockerfile -t org/backend:latest backend\n'],
    ['scripts/build.sh', '#!/bin/sh\nset -e\nsudo docker buildx build --load -t org/backend:latest -f docker/app.Dockerfile backend && echo ok\n'],
  ] as const) {
    const files = { ...repo, 'docker/scripts/build.bat': 'rem nothing\n', [name]: text };
    const m = await analyzeRepo(files);
    assert.equal(m.project.services.find((s) => s.service.name === 'backend')?.runtime?.image?.file, 'docker/app.Dockerfile', name);
  }
  // An unknown context word gives nothing: the service stays unlinked.
  const unknown = await analyzeRepo({ ...repo, 'docker/scripts/build.bat': 'docker build --file app.Dockerfile --tag org/backend:latest %CONTEXT%\n' });
  assert.equal(unknown.project.services.find((s) => s.service.name === 'backend')?.runtime?.image, undefined);
});

test('a workflow\'s target and build args choose the stage and the values the image is judged with', async () => {
  const df = 'ARG MODE=dev\nFROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS base\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-editable --compile-bytecode\nFROM base AS prod\nRUN useradd -u 1001 -m app\nENV PYTHONDONTWRITEBYTECODE=1\nUSER app\nCMD ["/app/.venv/bin/app"]\nFROM base AS worker\nCMD ["/app/.venv/bin/app"]\n';
  const files = { Dockerfile: df, 'pyproject.toml': '[project]\nname = "a"\n', 'uv.lock': 'version = 1\n', '.dockerignore': '.venv\n' };
  // Without a workflow the last stage (worker: root, no PYTHONDONTWRITEBYTECODE) is the image.
  assert.equal((await findingsOf(files, 'CT401')).length, 1);
  const action = 'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          target: prod\n          build-args: |\n            MODE=prod\n            SHA=${{ github.sha }}\n';
  const built = { ...files, '.github/workflows/image.yml': action };
  await expectNone(built, 'CT401');
  await expectNone(built, 'PY301');
  const dir = writeRepo(built);
  const [b] = readWorkflowBuilds(['.github/workflows/image.yml'], dir, createReader(dir));
  assert.deepEqual([b?.target, [...(b?.args ?? [])]], ['prod', [['MODE', 'prod']]]);
  // docker build --target / --build-arg in a run step; an unknown target gives nothing.
  await expectNone({ ...files, '.github/workflows/image.yml': 'jobs:\n  b:\n    steps:\n      - run: docker build --target prod --build-arg MODE=prod -t org/app .\n' }, 'CT401');
  assert.equal((await findingsOf({ ...files, '.github/workflows/image.yml': 'jobs:\n  b:\n    steps:\n      - run: docker build --target "$STAGE" -t org/app .\n' }, 'CT401')).length, 1);
});
