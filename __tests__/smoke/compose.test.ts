/**
 * The smoke test of compose services through Docker Compose itself, against the real engine and the real compose
 * (scripts/docker-engine.sh installs Debian's docker-compose v1.29 where no `docker compose` is found). The images
 * use the project's stand-in uv (__tests__/fixtures/smoke/uv-stand-in: not the real uv, which cannot be downloaded
 * here) and a stand-in dependency (__tests__/fixtures/smoke/dep-server.py: answers on port 5432 like a database).
 */
import { test, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { analyze } from '../../src/core/engine.js';
import { runSmokeTests, newRunId, SMOKE_DEFAULTS, type SmokeConfig, type SmokeResult } from '../../src/smoke/index.js';
import { rewriteConfig, mountPointsOf, closure } from '../../src/smoke/compose.js';
import { PROJECT_ROOT } from '../helpers.js';
import { fixtureRepo, seedDockerfile, SEED_COMPOSE, BASE_IMAGE, leftovers, testWithDocker } from './smoke-fixture.js';

const dockerTest = testWithDocker();
const docker = process.env.RO_UV_CHECK_DOCKER || 'docker';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const DEP_DOCKERFILE = `FROM ${BASE_IMAGE}\nCOPY dep-server.py /srv/dep-server.py\nCMD ["python3", "/srv/dep-server.py"]\n`;
const DEP_HEALTH = `    healthcheck:
      test: ["CMD", "python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 5432), 1)"]
      interval: 1s
      timeout: 2s
      retries: 3
`;
/** The seed service (read-only, uv cache tmpfs) with extra keys. */
const app = (name: string, extra = ''): string => SEED_COMPOSE.replace('services:\n', '').replace('  app:\n', `  ${name}:\n`) + extra;

function repo(files: { compose: string; dockerfile?: string; extra?: Record<string, string> }): string {
  const dir = fixtureRepo({ dockerfile: files.dockerfile ?? seedDockerfile(), compose: files.compose });
  fs.writeFileSync(path.join(dir, 'dep.Dockerfile'), DEP_DOCKERFILE);
  fs.copyFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'smoke', 'dep-server.py'), path.join(dir, 'dep-server.py'));
  for (const [f, text] of Object.entries(files.extra ?? {})) fs.writeFileSync(path.join(dir, f), text);
  dirs.push(dir);
  return dir;
}

async function smoke(dir: string, cfg: Partial<SmokeConfig> = {}): Promise<{ results: SmokeResult[]; runId: string; logs: string[] }> {
  const { project } = await analyze({ root: dir });
  const runId = newRunId();
  const logs: string[] = [];
  const r = await runSmokeTests(project, { ...SMOKE_DEFAULTS, duration: 3, timeout: 300, ...cfg }, { runId, log: (m) => logs.push(m) });
  assert.equal(r.error, undefined);
  assert.deepEqual(leftovers(runId), [], 'nothing with the run label remains');
  assert.deepEqual(networksOf(runId), [], 'no network of the run remains');
  return { results: r.results, runId, logs };
}

function networksOf(runId: string): string[] {
  return spawnSync(docker, ['network', 'ls', '-q', '--filter', `label=ro-uv-check.run=${runId}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

const why = (r: SmokeResult): string => `${r.cause}\n${r.quoted.join('\n')}\n${r.logTail}\n${r.note ?? ''}\n${r.buildLog ?? ''}`;

test('rewriteConfig: no ports, no container_name, the run label everywhere, one tag per distinct build, read_only as asked', () => {
  const doc: Record<string, unknown> = {
    services: {
      a: { build: { context: '/x' }, ports: ['8080:80'], container_name: 'fixed', labels: ['k=v'] },
      b: { build: { context: '/x' }, read_only: true },
      c: { build: { context: '/x', target: 'other' } },
      db: { image: 'postgres', ports: [{ published: 5432, target: 5432 }] },
    },
    volumes: { data: {}, ext: { external: true } },
  };
  const rw = rewriteConfig(doc, { runId: 'r1', targets: ['a', 'b'], readOnly: true, buildNetworkHost: true });
  const s = doc.services as Record<string, Record<string, unknown>>;
  assert.equal(s.a!.ports, undefined);
  assert.equal(s.db!.ports, undefined);
  assert.equal(s.a!.container_name, undefined);
  assert.deepEqual(s.a!.labels, { k: 'v', 'ro-uv-check.run': 'r1' });
  assert.equal(s.a!.read_only, true);
  assert.equal(s.c!.read_only, undefined, 'not a target: as written');
  assert.deepEqual(rw.builds.map((b) => b.services), [['a', 'b'], ['c']]);
  assert.equal(s.a!.image, s.b!.image);
  assert.notEqual(s.a!.image, s.c!.image);
  assert.equal((s.a!.build as Record<string, unknown>).network, 'host');
  assert.equal((s.a!.build as Record<string, unknown>).labels, undefined, 'no label on the build: its LABEL step would never be cached');
  assert.deepEqual((doc.networks as Record<string, unknown>).default, { labels: { 'ro-uv-check.run': 'r1' } });
  assert.deepEqual((doc.volumes as Record<string, unknown>).ext, { external: true });
  assert.deepEqual((doc.volumes as Record<string, unknown>).data, { labels: { 'ro-uv-check.run': 'r1' } });
  rewriteConfig(doc, { runId: 'r1', targets: ['a'], readOnly: false, buildNetworkHost: false });
  assert.equal(s.a!.read_only, false);
});

test('mount points and dependencies of a merged service', () => {
  assert.deepEqual(mountPointsOf({ tmpfs: ['/tmp:uid=1', '/run'], volumes: ['/h:/data:rw', 'anon', { type: 'volume', target: '/v' }] }), ['/tmp', '/run', '/data', 'anon', '/v']);
  assert.deepEqual(closure({ a: { depends_on: { b: {} } }, b: { depends_on: ['c'], links: ['d:alias'] }, c: {}, d: {} }, 'a').sort(), ['b', 'c', 'd']);
});

dockerTest('compose: a target that needs a healthy dependency passes; compose started it', async () => {
  const compose = `services:\n${app('app', `    environment:\n      APP_MODE: needs-db\n    depends_on:\n      db:\n        condition: service_healthy\n`)}  db:\n    build:\n      context: .\n      dockerfile: dep.Dockerfile\n    environment:\n      DEP_DELAY: "2"\n    ports: ["5432:5432"]\n${DEP_HEALTH}`;
  const { results } = await smoke(repo({ compose }));
  assert.equal(results.length, 1, 'the dependency is no target');
  const r = results[0]!;
  assert.equal(r.result, 'passed', why(r));
  assert.match(r.runner!, /docker compose|docker-compose/);
  assert.deepEqual(r.dependencies, [{ name: 'db', state: 'running (healthy)' }]);
  assert.match(r.logTail, /connected to db: dep ok/);
});

dockerTest('compose: a dependency that never becomes healthy is named with its logs, the target is not blamed', async () => {
  const compose = `services:\n${app('app', `    environment:\n      APP_MODE: needs-db\n    depends_on:\n      db:\n        condition: service_healthy\n`)}  db:\n    build:\n      context: .\n      dockerfile: dep.Dockerfile\n    environment:\n      DEP_BROKEN: "1"\n${DEP_HEALTH}`;
  const { results } = await smoke(repo({ compose }), { timeout: 120 });
  const r = results[0]!;
  assert.equal(r.result, 'failed');
  assert.equal(r.cause, 'dependency db did not become healthy: app was not started', why(r));
  assert.ok(r.quoted.some((l) => l === 'db | dep: FATAL: could not open the data directory'), r.quoted.join('\n'));
  assert.deepEqual(r.dependencies, [{ name: 'db', state: 'running (unhealthy)' }]);
  assert.equal(r.profile, undefined, 'no write profile for a target that never started');
});

dockerTest('compose: three targets sharing one image are built once and started together', async () => {
  const compose = `services:\n${app('app1')}${app('app2')}${app('app3', '    environment:\n      APP_MODE: serve\n')}`;
  const { results, logs } = await smoke(repo({ compose }));
  assert.deepEqual(results.map((r) => [r.target, r.result]), [['app1', 'passed'], ['app2', 'passed'], ['app3', 'passed']], results.map(why).join('\n'));
  assert.deepEqual(logs.filter((l) => l.startsWith('building')), ['building app1, app2, app3 (' + results[0]!.runner + ')']);
  assert.deepEqual(logs.filter((l) => l.startsWith('starting')), ['starting app1, app2, app3 with their dependencies (' + results[0]!.runner + ')']);
});

dockerTest('compose: the run removes the images it tagged by name: an image another tag also names (the same cached build) stays', async () => {
  const dir = repo({ compose: `services:\n${app('app')}` });
  const keep = `ro-uv-check-test-keep:${newRunId()}`;
  const pre = spawnSync(docker, ['build', '-q', '-t', keep, dir], { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  assert.equal(pre.status, 0, pre.stderr);
  try {
    const { results } = await smoke(dir);
    assert.equal(results[0]!.result, 'passed', why(results[0]!));
    const still = spawnSync(docker, ['image', 'inspect', keep], { encoding: 'utf8' });
    assert.equal(still.status, 0, `${keep} was removed with the run's image`);
  } finally {
    spawnSync(docker, ['image', 'rm', '-f', keep]);
  }
});

dockerTest('compose: a service on a named network reaches its dependency by an alias', async () => {
  const compose = `services:\n${app('app', '    environment:\n      APP_MODE: needs-db\n      DB_HOST: dbalias\n    networks: [backend]\n    depends_on: [db]\n')}  db:\n    build:\n      context: .\n      dockerfile: dep.Dockerfile\n    networks:\n      backend:\n        aliases: [dbalias]\nnetworks:\n  backend: {}\n`;
  const { results } = await smoke(repo({ compose }));
  assert.equal(results[0]!.result, 'passed', why(results[0]!));
  assert.match(results[0]!.logTail, /connected to dbalias: dep ok/);
});

dockerTest('compose: .env interpolation, env_file and $$ as compose does them', async () => {
  const compose = `services:\n${app('app', '    env_file: [app.env]\n    environment:\n      GREETING_SEEN: "${GREETING}"\n      LITERAL: "a$$b"\n')}`;
  const dir = repo({ compose, extra: { '.env': 'GREETING=from-dotenv\n', 'app.env': 'FROM_ENV_FILE=yes\n' } });
  const { results } = await smoke(dir, { probe: `sh -c 'test "$GREETING_SEEN" = from-dotenv && test "$FROM_ENV_FILE" = yes && test "$LITERAL" = "a\\$b"'` });
  assert.equal(results[0]!.result, 'passed', why(results[0]!));
  assert.match(results[0]!.runner!, /compose/);
  const bad = await smoke(dir, { probe: `sh -c 'test "$GREETING_SEEN" = something-else'` });
  assert.equal(bad.results[0]!.result, 'failed', 'the probe can fail: it reads what compose passed');
});

dockerTest('compose: a BuildKit Dockerfile (RUN --mount cache and bind, as uv\'s guide) builds and passes', async () => {
  const saved = process.env.RO_UV_CHECK_DOCKER;
  // Debian's own 20.10 client has BuildKit built in (DOCKER_BUILDKIT=1); the newer client on PATH here has no buildx.
  if (fs.existsSync('/usr/bin/docker')) process.env.RO_UV_CHECK_DOCKER = '/usr/bin/docker';
  try {
    const df = seedDockerfile({ build: 'true' }).replace(
      'COPY app.py pyproject.toml uv.lock ./\nRUN true',
      'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-install-project --no-dev && test -f uv.lock && test -f /root/.cache/uv/.lock\nCOPY app.py pyproject.toml uv.lock ./',
    );
    assert.match(df, /RUN --mount=type=cache/);
    const { results } = await smoke(repo({ compose: SEED_COMPOSE, dockerfile: df }));
    assert.equal(results[0]!.result, 'passed', why(results[0]!));
  } finally {
    if (saved === undefined) delete process.env.RO_UV_CHECK_DOCKER;
    else process.env.RO_UV_CHECK_DOCKER = saved;
  }
});

dockerTest('docker run path: a BuildKit Dockerfile given as smoke-dockerfile builds too', async () => {
  const saved = process.env.RO_UV_CHECK_DOCKER;
  if (fs.existsSync('/usr/bin/docker')) process.env.RO_UV_CHECK_DOCKER = '/usr/bin/docker';
  try {
    const df = seedDockerfile({ env: 'APP_MODE=job', cmd: '["python3", "/app/app.py"]' }).replace('RUN uv sync', 'RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=/tmp/uv.lock test -f /tmp/uv.lock && uv sync');
    const dir = fixtureRepo({ dockerfile: df });
    dirs.push(dir);
    const { results } = await smoke(dir, { dockerfile: 'Dockerfile', expect: 'exit-0', duration: 20 });
    assert.equal(results[0]!.runner, 'docker run');
    assert.equal(results[0]!.result, 'passed', why(results[0]!));
  } finally {
    if (saved === undefined) delete process.env.RO_UV_CHECK_DOCKER;
    else process.env.RO_UV_CHECK_DOCKER = saved;
  }
});

dockerTest('compose: the write profile runs the project with the target\'s read_only off and proposes the tmpfs', async () => {
  const compose = SEED_COMPOSE.replace(/    tmpfs:\n.*\n/, '');
  const { results } = await smoke(repo({ compose }));
  const r = results[0]!;
  assert.equal(r.result, 'failed');
  assert.match(r.runner!, /compose/);
  assert.ok(r.quoted.some((l) => /Failed to initialize cache at `\/home\/appuser\/\.cache\/uv`/.test(l)), r.quoted.join('\n'));
  assert.deepEqual(r.profile?.tmpfs, ['/home/appuser/.cache']);
  assert.match(r.profile!.snippet, /- "\/home\/appuser\/\.cache:uid=1001,gid=1001"/);
});

dockerTest('no Docker Compose: the compose target runs with docker run and the report names the dependencies not started', async () => {
  const saved = process.env.RO_UV_CHECK_COMPOSE;
  process.env.RO_UV_CHECK_COMPOSE = 'none';
  try {
    const compose = `services:\n${app('app', '    depends_on: [db]\n')}${app('app2')}  db:\n    image: ${BASE_IMAGE}\n`;
    const { results, logs } = await smoke(repo({ compose }));
    const r = results[0]!;
    assert.equal(r.result, 'passed', why(r));
    assert.equal(r.runner, 'docker run');
    assert.equal(r.note, 'Docker Compose was not found (neither `docker compose` nor `docker-compose`): ran with `docker run`; its dependencies were therefore not started: db');
    assert.equal(results[1]!.result, 'passed', why(results[1]!));
    assert.equal(results[1]!.note, 'Docker Compose was not found (neither `docker compose` nor `docker-compose`): ran with `docker run`; it has no dependencies to start');
    // the docker run path too builds each distinct image once (by whichever of the two targets, run side by side,
    // asks first)
    const builds = logs.filter((l) => l.startsWith('building'));
    assert.equal(builds.length, 1, builds.join('\n'));
    assert.match(builds[0]!, /^building app2?$/);
  } finally {
    if (saved === undefined) delete process.env.RO_UV_CHECK_COMPOSE;
    else process.env.RO_UV_CHECK_COMPOSE = saved;
  }
});

dockerTest('CLI: SIGTERM in the middle of a compose run leaves no container, network or volume behind', async () => {
  const compose = `services:\n${app('app', '    volumes: ["appdata:/data"]\n    depends_on: [db]\n')}  db:\n    build:\n      context: .\n      dockerfile: dep.Dockerfile\nvolumes:\n  appdata: {}\n`;
  const dir = repo({ compose });
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js'), dir, '--smoke-test', '--smoke-duration', '120'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const running = (): string => spawnSync(docker, ['ps', '-q', '--filter', 'label=ro-uv-check.run', '--filter', 'label=com.docker.compose.service=app'], { encoding: 'utf8' }).stdout.trim();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && running() === '') await new Promise((r) => setTimeout(r, 300));
  assert.notEqual(running(), '', `the target started through compose\n${stderr}`);
  const project = spawnSync(docker, ['ps', '--filter', 'label=com.docker.compose.service=app', '--filter', 'label=ro-uv-check.run', '--format', '{{.Label "com.docker.compose.project"}}'], { encoding: 'utf8' }).stdout.trim();
  assert.match(project, /^ro-uv-check-/);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', (c, sig) => r(c ?? (sig ? -1 : null))));
  assert.notEqual(code, 0);
  const left = (kind: string, filter: string): string[] => spawnSync(docker, [kind, 'ls', '-q', ...(kind === 'container' ? ['-a'] : []), '--filter', filter], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const kind of ['container', 'network', 'volume']) {
    assert.deepEqual(left(kind, 'label=ro-uv-check.run'), [], `${kind}s of the run`);
    assert.deepEqual(left(kind, `label=com.docker.compose.project=${project}`), [], `${kind}s of the compose project`);
  }
});
