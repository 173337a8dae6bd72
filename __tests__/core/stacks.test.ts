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
  // (UV101 and UV106 are about what any build installs: the dev Dockerfile's unlocked sync is still one.)
  assert.deepEqual(r.findings.filter((f) => (f.file.startsWith('deploy/') && f.ruleId !== 'UV101') || f.ruleId === 'CT407'), []);
  assert.deepEqual(at(r.findings, 'UV101'), ['deploy/docker/dev/Dockerfile:3']);
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

for (const name of ['compose.deploy.yml', 'docker-compose.production.yml', 'compose.prd.yaml', 'compose.release.yaml']) {
  test(`${name} names the production stack: the base alone is not judged apart (one problem, one finding)`, async () => {
    const baseName = name.startsWith('docker-') ? 'docker-compose.yml' : 'compose.yaml';
    const r = await analyzeRepo({ ...BASE, [baseName]: 'services:\n  app:\n    build: .\n', [name]: 'services:\n  app:\n    restart: always\n' });
    assert.deepEqual(r.project.stacks.map((s) => [s.files.join('+'), s.production]), [[`${baseName}+${name}`, true]]);
    assert.equal(r.findings.filter((f) => f.ruleId === 'CT402').length, 1);
  });
}

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
  assert.deepEqual(at(r.findings, 'UV103'), [], 'Dockerfile.worker is not judged as production');
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
    'service "shell" (compose.yaml): it only stays up with the source bind-mounted (.:/app): a development shell',
    'service "reload" (compose.yaml): it runs a dev server (`--reload`) over the bind-mounted source (.:/app)',
  ]);
});

test('a local stack: workers and jobs that share the bind-mounted source with a dev server are development too; the frameworks\' dev servers are development alone', async () => {
  const svc = (name: string, command: string, volumes = '      - .:/app\n'): string => `  ${name}:\n    build: .\n    command: ${command}\n${volumes ? `    volumes:\n${volumes}` : ''}`;
  const r = await analyzeRepo({
    ...BASE,
    'compose.yaml': `services:\n${svc('web', 'uv run python manage.py runserver 0.0.0.0:8000', '')}${svc('worker', 'uv run celery -A config worker')}${svc('migrate', 'uv run manage.py migrate')}${svc('tester', 'tail -f README.md', '')}${svc('box', 'tail -f README.md')}  db:\n    image: postgres:16\n`,
  });
  // web runs runserver without a mount: development alone. worker and migrate mount `.` as web does not: not peers.
  assert.deepEqual(scopeStatement(r.project).leftOut, [
    'service "web" (compose.yaml): it runs the framework\'s development server (Django\'s `runserver`), never a production one',
    'service "box" (compose.yaml): it only stays up with the source bind-mounted (.:/app): a development shell',
    'service "worker" (compose.yaml): it bind-mounts the source (.) that service "box" runs in development (it only stays up with the source bind-mounted (.:/app): a development shell)',
    'service "migrate" (compose.yaml): it bind-mounts the source (.) that service "box" runs in development (it only stays up with the source bind-mounted (.:/app): a development shell)',
  ]);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'CT402').map((f) => f.message), ['service "tester" does not set `read_only: true`']);
  // The same stack with web mounting the source: the celery worker beside it is development; a read-only share is not.
  const peers = await analyzeRepo({
    ...BASE,
    'compose.yaml': `services:\n${svc('web', 'uv run uvicorn app:app --reload')}${svc('worker', 'uv run celery -A app worker')}${svc('api', 'uv run --no-sync uvicorn app:app', '      - .:/app:ro\n')}`,
  });
  assert.deepEqual(peers.findings.filter((f) => f.ruleId === 'CT402').map((f) => f.message), ['service "api" does not set `read_only: true`']);
  // A script that starts the server with --reload only in one branch (by an environment variable) is not certainly
  // development: the service is judged.
  const branch = await analyzeRepo({
    ...BASE,
    Dockerfile: `${PROD_DF}COPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n`,
    'entrypoint.sh': '#!/bin/sh\nif [ "$ENVIRONMENT" = dev ]; then\n  exec uv run --no-sync uvicorn app:app --reload\nelse\n  exec uv run --no-sync uvicorn app:app --workers 4\nfi\n',
    'compose.yaml': 'services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n',
  });
  assert.equal(branch.findings.filter((f) => f.ruleId === 'CT402').length, 1);
  // `runserver` of another tool, alone, is not Django's development server.
  const other = await analyzeRepo({ ...BASE, 'compose.yaml': `services:\n${svc('web', 'uv run tool runserver', '')}` });
  assert.equal(other.findings.filter((f) => f.ruleId === 'CT402').length, 1);
  // The command the author wrote names Django's dev server, even where the image's entrypoint script ignores it.
  const declared = await analyzeRepo({
    ...BASE,
    Dockerfile: `${PROD_DF}COPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n`,
    'start.sh': '#!/bin/sh\nexec /app/.venv/bin/gunicorn app.wsgi\n',
    'compose.yaml': 'services:\n  web:\n    build: .\n    command: >\n      sh -c "uv sync --frozen && uv run python manage.py runserver 0.0.0.0:8000"\n',
  });
  assert.equal(declared.findings.filter((f) => f.ruleId === 'CT402').length, 0);
  for (const cmd of ['uv run fastapi dev app/main.py', 'uv run flask run --debug']) {
    const alone = await analyzeRepo({ ...BASE, 'compose.yaml': `services:\n${svc('web', cmd, '')}` });
    assert.equal(alone.findings.filter((f) => f.ruleId === 'CT402').length, 0, cmd);
  }
});

test('a Dockerfile named for development (Dockerfile.dev, test.Dockerfile) that no compose file builds is not judged as production', async () => {
  for (const name of ['Dockerfile.dev', 'test.Dockerfile', 'Dockerfile.local', 'devcontainer.Dockerfile']) {
    const r = await analyzeRepo({ ...BASE, [name]: DEV_DF });
    // Only what holds for any build: the unlocked sync (UV101).
    assert.deepEqual(r.findings.filter((f) => f.file === name).map((f) => f.ruleId), ['UV101'], name);
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

test('an image only development services run: judged by its own CMD when it has one; without one it is their development image', async () => {
  const df = (cmd: string): string => `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-dev --no-editable --compile-bytecode\n${cmd}`;
  const compose = 'services:\n  web:\n    build: .\n    command: uv run python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n  worker:\n    build: .\n    command: uv run celery -A app worker\n    volumes:\n      - .:/app\n';
  const withCmd = await analyzeRepo({ ...BASE, Dockerfile: df('CMD ["uv", "run", "gunicorn", "app.wsgi"]\n'), 'compose.yaml': compose });
  // The services are development; the image with its own CMD is judged as production would run it.
  assert.deepEqual(at(withCmd.findings, 'CT402'), []);
  assert.deepEqual(at(withCmd.findings, 'UV201'), ['Dockerfile:6']);
  assert.deepEqual(at(withCmd.findings, 'CT401'), ['Dockerfile:1']);
  assert.match(withCmd.findings.find((f) => f.ruleId === 'CT401')!.message, /: Dockerfile runs as root/);
  // No CMD: only those services give it a command, so it is their development image (nothing is reported on it).
  const noCmd = await analyzeRepo({ ...BASE, Dockerfile: df(''), 'compose.yaml': compose });
  assert.deepEqual(noCmd.findings.filter((f) => f.file === 'Dockerfile'), []);
  // Its own CMD a dev server: a development image, said in the statement.
  const devCmd = await analyzeRepo({ ...BASE, Dockerfile: df('CMD ["uv", "run", "uvicorn", "app:app", "--reload"]\n'), 'compose.yaml': compose });
  assert.deepEqual(devCmd.findings.filter((f) => f.file === 'Dockerfile'), []);
  assert.ok(scopeStatement(devCmd.project).leftOut.includes('Dockerfile: its own command runs a development server (`--reload`), and only development services run it'), scopeStatement(devCmd.project).leftOut.join('\n'));
  // A production service building the same file (another build arg) keeps it production: no second runtime.
  const both = await analyzeRepo({ ...BASE, Dockerfile: df('CMD ["uv", "run", "gunicorn", "app.wsgi"]\n'), 'compose.yaml': compose, 'deploy/compose.yaml': 'services:\n  app:\n    build:\n      context: ..\n      args: [X=1]\n' });
  assert.match(both.findings.find((f) => f.ruleId === 'CT401')!.message, /: service "app" runs as root/);
});

test('a Dockerfile with no CMD or ENTRYPOINT that copies no code (a base, CI or tool image) is judged for its build only', async () => {
  const tool = 'FROM ubuntu:noble\nRUN apt-get update && apt-get install -y curl\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nRUN uv venv /opt/venv && uv pip install hatch\n';
  const r = await analyzeRepo({ 'dockerfiles/uv.Dockerfile': tool });
  assert.deepEqual(r.findings.map((f) => f.ruleId).sort(), ['UV103', 'UV106']);
  assert.ok(scopeStatement(r.project).leftOut.includes('dockerfiles/uv.Dockerfile: it sets no CMD or ENTRYPOINT and copies no code from its build context: a base, build or tool image: judged for its build only'));
  // Dependency manifests only (pyproject.toml, a uv.lock* pattern): still a base image.
  const deps = await analyzeRepo({ ...BASE, 'base/Dockerfile': 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock* ./\nRUN uv sync --locked --no-install-project\n' });
  assert.deepEqual(at(deps.findings, 'CT401'), []);
  assert.deepEqual(at(deps.findings, 'UV103'), ['base/Dockerfile:5']);
  // The same with code copied, or with a CMD: the app image, judged whole.
  for (const extra of ['COPY src/ ./src/\n', 'CMD ["python", "-m", "app"]\n']) {
    const app = await analyzeRepo({ ...BASE, 'src/app.py': 'x', 'base/Dockerfile': `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock* ./\nRUN uv sync --locked --no-install-project\n${extra}` });
    assert.equal(at(app.findings, 'CT401').length, 1, extra);
  }
});

test('development setups: the source mounted with the image venv kept in an anonymous volume; a develop: only inherited through extends is not the service\'s; an image whose command only keeps it up is no app', async () => {
  const harness = await analyzeRepo({ ...BASE, 'compose.yaml': 'services:\n  api:\n    build: .\n    command: uv run --no-sync pytest -x\n    volumes:\n      - .:/app\n      - /app/.venv\n' });
  assert.deepEqual(at(harness.findings, 'CT402'), []);
  assert.match(scopeStatement(harness.project).leftOut.join('\n'), /keeps the image's venv in an anonymous volume \(\/app\/\.venv\)/);
  const inherited = await analyzeRepo({ ...BASE, 'compose.yaml': 'services:\n  base:\n    build: .\n    develop:\n      watch:\n        - action: sync\n          path: ./src\n          target: /app/src\n  cpu:\n    extends: base\n    command: uv run --no-sync app\n' });
  assert.deepEqual(inherited.findings.filter((f) => f.ruleId === 'CT402').map((f) => f.message), ['service "cpu" does not set `read_only: true`']);
  const sandbox = await analyzeRepo({ 'computer.Dockerfile': 'FROM ubuntu:noble\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nCOPY tools/ /opt/tools/\nRUN uv pip install --system -r /opt/tools/requirements.txt\nCMD ["bash", "-c", "tail -f /dev/null"]\n', 'tools/requirements.txt': 'x==1\n', 'tools/a.py': '' });
  assert.deepEqual(sandbox.findings.filter((f) => ['PY301', 'CT401'].includes(f.ruleId)), []);
});

test('one problem, one finding: an overlay (compose.gpu.yaml) that leaves read_only, cap_drop and security_opt alone repeats nothing the base stack reports', async () => {
  const r = await analyzeRepo({ ...BASE, 'compose.yaml': 'services:\n  app:\n    build: .\n', 'compose.gpu.yaml': 'services:\n  app:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n' });
  assert.deepEqual(at(r.findings, 'CT402'), ['compose.yaml:2']);
  assert.deepEqual(at(r.findings, 'CT403'), ['compose.yaml:2']);
  // An overlay that sets the key itself is judged on its own.
  const own = await analyzeRepo({ ...BASE, 'compose.yaml': 'services:\n  app:\n    build: .\n', 'compose.gpu.yaml': 'services:\n  app:\n    read_only: false\n' });
  assert.deepEqual(at(own.findings, 'CT402').sort(), ['compose.gpu.yaml:3', 'compose.yaml:2']);
});

test('test folders, CI Dockerfiles and test-named last stages are development; workflow files are never compose files', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'tests/compose/docker-compose.yaml': 'services:\n  app:\n    build: ../..\n',
    'Dockerfile.ci': DEV_DF,
    'e2e.Dockerfile': DEV_DF.replace('FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim', 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS base\nFROM base AS testing'),
    'build.Dockerfile': `${DEV_DF.replace('FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim', 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS testing')}`,
    '.github/workflows/compose-prod-smoke.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
  });
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'RO901'), []);
  assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('CT4') || f.ruleId === 'UV103').map((f) => f.file), []);
  const left = scopeStatement(r.project).leftOut.join('\n');
  assert.deepEqual(r.project.stacks.map((st) => [st.files.join('+'), st.production, st.reason]), [['tests/compose/docker-compose.yaml', false, '`tests/` in the path marks development']]);
  assert.match(left, /Dockerfile\.ci: `ci` in the name marks development/);
  assert.match(left, /build\.Dockerfile: its stage `testing` is named for tests or development/);
});

test('an image-only service of a development stack is development, and a development stack\'s build of an image name does not stand for the production one', async () => {
  const r = await analyzeRepo({
    ...BASE,
    'Dockerfile': `FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS development\nWORKDIR /app\nRUN uv sync\nCMD ["uv", "run", "app"]\nFROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS production\nRUN useradd -u 1001 -m app\nENV PYTHONDONTWRITEBYTECODE=1\nUSER app\nCMD ["/app/.venv/bin/app"]\n`,
    'compose.yaml': 'services:\n  api:\n    image: ghcr.io/org/api:latest\n',
    'compose.dev.yaml': 'services:\n  api:\n    image: ghcr.io/org/api:latest\n    build:\n      context: .\n      target: development\n',
    '.github/workflows/image.yml': 'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          target: production\n          tags: ghcr.io/org/api:latest\n',
  });
  // The production stack's api runs the workflow's production stage: no root, PYTHONDONTWRITEBYTECODE set.
  assert.deepEqual(r.findings.filter((f) => ['CT401', 'PY301', 'UV201'].includes(f.ruleId)), []);
  assert.deepEqual(at(r.findings, 'CT402'), ['compose.yaml:2']);
  // Without the workflow's tag (a name the action computes), the development build still links the service to the
  // Dockerfile, at the stage the workflow builds (or the last), not at `target: development`.
  const computed = await analyzeRepo({
    ...BASE,
    Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS development\nWORKDIR /app\nRUN uv sync\nCMD ["uv", "run", "app"]\nFROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS production\nRUN useradd -u 1001 -m app\nENV PYTHONDONTWRITEBYTECODE=1\nUSER app\nCMD ["/app/.venv/bin/app"]\n',
    'compose.yaml': 'services:\n  api:\n    image: ghcr.io/org/api:latest\n',
    'compose.dev.yaml': 'services:\n  api:\n    image: ghcr.io/org/api:latest\n    build:\n      context: .\n      target: development\n',
    '.github/workflows/image.yml': 'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          target: production\n          tags: ${{ steps.meta.outputs.tags }}\n',
  });
  assert.deepEqual(computed.findings.filter((f) => ['CT401', 'PY301', 'UV201'].includes(f.ruleId)), []);
  assert.deepEqual(at(computed.findings, 'CT402'), ['compose.yaml:2']);
});

test('a dash-named file that is only a fragment of the base (docker-compose-embedded.yml: services the base defines, none runnable alone) is an override of it, not a stack of its own', async () => {
  const hardened = HARDENED_COMPOSE.replace('services:\n', '');
  const r = await analyzeRepo({ ...BASE, 'docker-compose.yml': `services:\n${hardened}`, 'docker-compose-embedded.yml': 'services:\n  app:\n    environment:\n      MODE: embedded\n' });
  assert.deepEqual(r.project.stacks.map((s) => s.files.join('+')), ['docker-compose.yml', 'docker-compose.yml+docker-compose-embedded.yml']);
  assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('CT40')), []);
  // A dash file with a runnable service stays a stack of its own.
  const own = await analyzeRepo({ ...BASE, 'docker-compose.yml': `services:\n${hardened}`, 'docker-compose-neo4j.yml': 'services:\n  app:\n    build: .\n' });
  assert.deepEqual(own.project.stacks.map((s) => s.files.join('+')), ['docker-compose.yml', 'docker-compose-neo4j.yml']);
});

test('services only started under test profiles, test folders with a dash (proxy-test/) and files under .github/ are development', async () => {
  const r = await analyzeRepo({ ...BASE, 'compose.yaml': 'services:\n  app:\n    build: .\n  bench:\n    build: .\n    profiles: ["testing", "benchmark"]\n  mon:\n    build: .\n    profiles: ["monitoring"]\n' });
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'CT402').map((f) => f.message), ['service "app" does not set `read_only: true`', 'service "mon" does not set `read_only: true`']);
  assert.ok(scopeStatement(r.project).leftOut.some((l) => l.includes('it only starts under the `testing`, `benchmark` profiles')), scopeStatement(r.project).leftOut.join('\n'));
  const f = await analyzeRepo({ ...BASE, 'scripts/proxy-test/docker-compose.yml': 'services:\n  app:\n    build: ../..\n', '.github/docker/old.Dockerfile': DEV_DF });
  assert.deepEqual(f.findings.filter((x) => x.ruleId.startsWith('CT40') || x.ruleId === 'UV103').map((x) => x.file), []);
});

test('a dash-named file whose header runs it over the base (`docker compose -f docker-compose.yml -f docker-compose-embedded.yml`) is an override of it, even with services of its own', async () => {
  const hardened = HARDENED_COMPOSE.replace('services:\n', '');
  const embedded = '# Use it with docker-compose.yml:\n#   docker compose -f docker-compose.yml -f docker-compose-embedded.yml up\nservices:\n  app:\n    image: org/app:latest\n    environment:\n      MODE: embedded\n  harness:\n    image: nginx:stable\n';
  const r = await analyzeRepo({ ...BASE, 'docker-compose.yml': `services:\n${hardened}`, 'docker-compose-embedded.yml': embedded });
  assert.deepEqual(r.project.stacks.map((s) => s.files.join('+')), ['docker-compose.yml', 'docker-compose.yml+docker-compose-embedded.yml']);
  assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('CT40')), []);
});
