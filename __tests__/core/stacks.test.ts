import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRepo, dockerfile, HARDENED_COMPOSE, writeRepo } from '../helpers.js';
import { discover, composeProjects } from '../../src/core/discover.js';
import { analyze } from '../../src/core/engine.js';
import { scopeStatement, scopeText, scopeMarkdown } from '../../src/report/scope.js';
import type { Finding } from '../../src/core/types.js';
import { smokeTargets } from '../../src/smoke/plan.js';

const at = (fs_: Finding[], id: string): string[] => fs_.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}`);

/** A production Dockerfile that follows the recipe, and a dev one that does everything a production one must not. */
const PROD_DF = dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-editable --compile-bytecode --no-dev');
const DEV_DF = 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nRUN uv sync\nCMD ["uv", "run", "uvicorn", "app:app", "--reload"]\n';
const BASE = { Dockerfile: PROD_DF, 'pyproject.toml': '[project]\nname = "app"\nversion = "1"\n', 'uv.lock': 'version = 1\n', '.dockerignore': '.venv\n' };

test('compose.override.yaml is the development layer: hardening is judged on the base file, with the Dockerfile it names', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'deploy/docker/dev/Dockerfile': DEV_DF,
    'compose.yaml': 'services:\n  api:\n    build: .\n',
    'compose.override.yaml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: deploy/docker/dev/Dockerfile\n    volumes:\n      - .:/app\n',
  });
  // The base file's service, linked to the production Dockerfile, gets the compose hardening findings.
  assert.deepEqual(at(r.findings, 'CT402'), ['compose.yaml:2']);
  // Nothing about the dev Dockerfile or the dev mount: uv sync without flags, uv run --reload, the source mounted over /app.
  assert.deepEqual(r.findings.filter((f) => f.file.startsWith('deploy/') || f.ruleId === 'CT407'), []);
  const api = r.project.services.filter((s) => s.service.name === 'api');
  assert.deepEqual(api.map((s) => [s.runtime?.image?.file, s.development === undefined]), [['Dockerfile', true], ['deploy/docker/dev/Dockerfile', false]]);
  assert.deepEqual(r.project.stacks.map((s) => [s.files.join('+'), s.production]), [['compose.yaml', true], ['compose.yaml+compose.override.yaml', false]]);
});

test('a development stack is still checked for what breaks it: a missing Dockerfile, a read-only service without a uv cache', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'compose.yaml': HARDENED_COMPOSE,
    'compose.dev.yaml': 'services:\n  dev:\n    build: .\n    read_only: true\n  tool:\n    build:\n      context: .\n      dockerfile: missing.Dockerfile\n',
  });
  assert.match(r.findings.find((f) => f.ruleId === 'RO902')?.message ?? '', /missing\.Dockerfile does not exist/);
  assert.deepEqual(at(r.findings, 'UV203'), ['compose.dev.yaml:4']);
  assert.deepEqual(at(r.findings, 'CT402'), []);
});

test('a *.prod.* override forms the production stack with the base file (the base alone is not judged apart)', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'compose.yaml': 'services:\n  app:\n    build: .\n',
    'compose.prod.yaml': HARDENED_COMPOSE.replace('    build: .\n', ''),
  });
  assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('CT')), []);
  assert.deepEqual(r.project.stacks.map((s) => [s.files.join('+'), s.production]), [['compose.yaml+compose.prod.yaml', true]]);
});

for (const name of ['compose.dev.yaml', 'compose.local.yml', 'compose.test.yaml', 'compose.debug.yaml', 'docker-compose.dev.yml']) {
  test(`${name} over the base is development: no hardening findings from it`, async () => {
    const baseName = name.startsWith('docker-') ? 'docker-compose.yml' : 'compose.yaml';
    const r = await analyzeRepo({ ...BASE, [baseName]: HARDENED_COMPOSE, [name]: 'services:\n  app:\n    read_only: false\n    volumes:\n      - ./src:/app/src\n    user: root\n' });
    assert.deepEqual(r.findings.filter((f) => f.file === name), []);
  });
}

test('an environment variant (compose.staging.yaml) is judged as production; one that only adds volumes is an opt-in overlay', async () => {
  // The image holds code in /app/src (CT407 is about mounts over code the image has).
  const files = { ...BASE, Dockerfile: dockerfile('COPY . .\nRUN uv sync --locked --no-editable --compile-bytecode --no-dev'), 'src/app.py': 'x = 1\n', 'compose.yaml': HARDENED_COMPOSE };
  const staging = await analyzeRepo({ ...files, 'compose.staging.yaml': 'services:\n  app:\n    read_only: false\n' });
  assert.deepEqual(at(staging.findings, 'CT402'), ['compose.staging.yaml:3']);
  const overlay = await analyzeRepo({ ...files, 'compose.data.yaml': 'services:\n  app:\n    volumes:\n      - ./src:/app/src\nvolumes:\n  data: {}\n' });
  assert.deepEqual(at(overlay.findings, 'CT407'), []);
  assert.deepEqual(overlay.project.stacks.map((s) => [s.files.join('+'), s.production, s.reason]), [
    ['compose.yaml', true, 'the base compose file'],
    ['compose.yaml+compose.data.yaml', false, 'it only adds volumes to the base services: an opt-in overlay'],
  ]);
  // The same volume in a file that changes anything else is a variant judged as production.
  const judged = await analyzeRepo({ ...files, 'compose.data.yaml': 'services:\n  app:\n    volumes:\n      - ./src:/app/src\n    environment:\n      A: "1"\n' });
  assert.deepEqual(at(judged.findings, 'CT407'), ['compose.data.yaml:4']);
});

test('config `production` names the production files: every other compose file and Dockerfile is development', async () => {
  const files = {
    ...BASE,
    'Dockerfile.worker': DEV_DF,
    'compose.yaml': HARDENED_COMPOSE,
    'compose.override.yaml': 'services:\n  app:\n    read_only: false\n',
    'deploy/compose.yaml': 'services:\n  app:\n    build: ..\n',
  };
  const byName = await analyzeRepo(files);
  assert.ok(at(byName.findings, 'UV101').includes('Dockerfile.worker:3'), 'a Dockerfile no compose file builds is judged by default');
  assert.deepEqual(at(byName.findings, 'CT402'), ['deploy/compose.yaml:2']);
  const r = await analyzeRepo({ ...files, '.ro-uv-check.yml': 'production:\n  - compose.yaml\n  - compose.override.yaml\n' });
  assert.deepEqual(r.configErrors, []);
  assert.deepEqual(at(r.findings, 'UV101'), []);
  assert.deepEqual(at(r.findings, 'CT402'), ['compose.override.yaml:3'], 'the override named as production is judged, deploy/ is not');
  const s = scopeStatement(r.project);
  assert.deepEqual(s.production, ["compose.yaml + compose.override.yaml (named by the config's `production`)"]);
  assert.ok(s.leftOut.includes("Dockerfile.worker: not named by the config's `production`"), s.leftOut.join('\n'));
});

test('config `production`: a list of globs, checked like exclude', async () => {
  const r = await analyzeRepo({ Dockerfile: PROD_DF, '.ro-uv-check.yml': 'production: compose.yaml\n' });
  assert.equal(r.configErrors.length, 1);
  assert.match(r.configErrors[0]!.message, /production must be array/);
  const risky = await analyzeRepo({ Dockerfile: PROD_DF, '.ro-uv-check.yml': 'production: ["*a*b*c*"]\n' });
  assert.match(risky.configErrors[0]?.message ?? '', /production pattern "\*a\*b\*c\*" is not used: more than 2/);
  assert.equal(risky.configErrors[0]?.line, 1);
});

test('services that only exist for development are analysed without the production-only rules, and named in the statement', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'compose.yaml': `${HARDENED_COMPOSE}  watcher:\n    build: .\n    develop:\n      watch:\n        - action: sync\n          path: ./src\n          target: /app/src\n  shell:\n    build: .\n    command: sleep infinity\n    volumes:\n      - .:/app\n  reload:\n    build: .\n    command: ["uv", "run", "--no-sync", "uvicorn", "app:app", "--reload"]\n    volumes:\n      - ./:/app\n  served:\n    build: .\n    command: ["uv", "run", "--no-sync", "uvicorn", "app:app"]\n    volumes:\n      - ./static:/srv/static\n`,
    'static/index.html': 'x',
  });
  const ct402 = r.findings.filter((f) => f.ruleId === 'CT402').map((f) => f.message);
  assert.deepEqual(ct402, ['service "served" does not set `read_only: true`']);
  assert.deepEqual(scopeStatement(r.project).leftOut, [
    'service "watcher" (compose.yaml): it has a `develop:` section (compose watch)',
    'service "shell" (compose.yaml): it sleeps forever with the source bind-mounted (.:/app): a development shell',
    'service "reload" (compose.yaml): it runs a dev server (`--reload`) over the bind-mounted source (.:/app)',
  ]);
});

test('a Dockerfile named for development (Dockerfile.dev, test.Dockerfile) that no compose file builds is not judged as production', async () => {
  for (const name of ['Dockerfile.dev', 'test.Dockerfile', 'Dockerfile.local', 'devcontainer.Dockerfile']) {
    const r = await analyzeRepo({ ...BASE, [name]: DEV_DF });
    assert.deepEqual(r.findings.filter((f) => f.file === name), [], name);
    assert.deepEqual(scopeStatement(r.project).leftOut, [`${name}: \`${name.replace(/Dockerfile|\./g, '')}\` in the name marks development`]);
  }
});

test('.devcontainer/ is left out by default (and said so); the config `production` can name a file there', async () => {
  const files = { ...BASE, '.devcontainer/Dockerfile': DEV_DF, '.devcontainer/compose.yaml': 'services:\n  dev:\n    build: .\n' };
  const dir = writeRepo(files);
  try {
    const d = discover(dir);
    assert.deepEqual(d.dockerfiles, ['Dockerfile']);
    assert.deepEqual(d.leftOut.map((l) => l.file), ['.devcontainer/Dockerfile', '.devcontainer/compose.yaml']);
    const r = await analyze({ root: dir });
    assert.deepEqual(r.findings.filter((f) => f.file.startsWith('.devcontainer')), []);
    assert.match(scopeText(scopeStatement(r.project)), /Not judged as the production runtime:\n {2}- \.devcontainer\/Dockerfile: a dev container/);
    fs.writeFileSync(path.join(dir, '.ro-uv-check.yml'), 'production: [".devcontainer/Dockerfile", Dockerfile]\n');
    const named = await analyze({ root: dir });
    assert.ok(at(named.findings, 'UV101').includes('.devcontainer/Dockerfile:3'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a service that only builds a base image another Dockerfile starts FROM: its build is judged, not its container', async () => {
  const baseDf = 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --no-editable --compile-bytecode --no-dev\n';
  const r = await analyzeRepo({
    ...BASE,
    'docker/base.Dockerfile': baseDf,
    Dockerfile: 'FROM example.org/app-base:1\nRUN useradd -u 1001 -m app\nENV PYTHONDONTWRITEBYTECODE=1\nUSER app\nCMD ["/app/.venv/bin/app"]\n',
    'compose.yaml': `services:\n  base:\n    build:\n      context: .\n      dockerfile: docker/base.Dockerfile\n    image: example.org/app-base:1\n${HARDENED_COMPOSE.replace('services:\n', '')}`,
  });
  assert.deepEqual(at(r.findings, 'UV101'), ['docker/base.Dockerfile:4'], 'the base image build ends up in production');
  assert.deepEqual(r.findings.filter((f) => ['CT401', 'PY301', 'CT402'].includes(f.ruleId)).map((f) => f.message), []);
  assert.deepEqual(scopeStatement(r.project).leftOut, ['service "base" (compose.yaml): it builds example.org/app-base:1, the base image Dockerfile starts FROM: judged for its build, not as a running container']);
});

test('the statement: production stacks always in Markdown; text only when something was left out', async () => {
  const plain = await analyzeRepo({ ...BASE, 'compose.yaml': HARDENED_COMPOSE });
  assert.equal(scopeText(scopeStatement(plain.project)), '');
  assert.equal(scopeMarkdown(scopeStatement(plain.project)), '**Judged as production:**\n\n- compose.yaml \\(the base compose file\\)');
  const dev = await analyzeRepo({ ...BASE, 'compose.yaml': HARDENED_COMPOSE, 'compose.override.yaml': 'services:\n  app:\n    read_only: false\n' });
  assert.equal(
    scopeText(scopeStatement(dev.project)),
    '\nJudged as production:\n  - compose.yaml (the base compose file)\nDevelopment stacks, analysed without the production-only rules:\n  - compose.yaml + compose.override.yaml (the development layer `docker compose up` adds by default)\n',
  );
});

test('composeProjects: stacks per folder, by file name', () => {
  const stacks = composeProjects(['compose.yaml', 'compose.override.yaml', 'compose.prod.yaml', 'compose.staging.yaml', 'x/docker-compose.dev.yml', 'y/compose.yaml', 'y/docker-compose.yml']);
  assert.deepEqual(
    stacks.map((s) => [s.files.join('+'), s.role]),
    [
      ['compose.yaml+compose.override.yaml', 'development'],
      ['compose.yaml+compose.prod.yaml', 'production'],
      ['compose.yaml+compose.staging.yaml', 'variant'],
      ['x/docker-compose.dev.yml', 'development'],
      ['y/docker-compose.yml', 'production'],
      ['y/compose.yaml', 'production'],
    ],
  );
});

test('smoke targets: a service in a production and a development stack is one target, the production one; dev-only services only when named', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'deploy/docker/dev/Dockerfile': DEV_DF,
    'compose.yaml': `${HARDENED_COMPOSE}  shell:\n    build: .\n    command: sleep infinity\n    volumes:\n      - .:/app\n`,
    'compose.override.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: deploy/docker/dev/Dockerfile\n',
  });
  const auto = smokeTargets(r.project, {});
  assert.deepEqual(auto.targets.map((t) => [t.name, t.runtime?.image?.file]), [['app', 'Dockerfile']]);
  assert.deepEqual(smokeTargets(r.project, { service: 'shell' }).targets.map((t) => t.name), ['shell']);
});
