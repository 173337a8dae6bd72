/**
 * The smoke test against the real Docker engine (scripts/docker-engine.sh provisions it; .ci/run sets
 * RO_UV_CHECK_REQUIRE_DOCKER=1 so these fail rather than skip there). Images use the stand-in uv: see
 * smoke-fixture.ts.
 */
import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyze } from '../../src/core/engine.js';
import { runSmokeTests, newRunId, SMOKE_DEFAULTS, type SmokeConfig, type SmokeResult } from '../../src/smoke/index.js';
import { PROJECT_ROOT } from '../helpers.js';
import { fixtureRepo, seedDockerfile, SEED_COMPOSE, dockerAvailable, leftovers, testWithDocker } from './smoke-fixture.js';

const avail = dockerAvailable();
const required = process.env.RO_UV_CHECK_REQUIRE_DOCKER === '1';
const dockerTest = testWithDocker();
const dirs: string[] = [];

beforeAll(() => {
  if (required && !avail.ok) throw new Error(`RO_UV_CHECK_REQUIRE_DOCKER=1 but ${avail.why}`);
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function smoke(files: { dockerfile: string; compose?: string }, cfg: Partial<SmokeConfig> = {}): Promise<{ results: SmokeResult[]; runId: string; error?: string }> {
  const dir = fixtureRepo(files);
  dirs.push(dir);
  const { project } = await analyze({ root: dir });
  const runId = newRunId();
  const r = await runSmokeTests(project, { ...SMOKE_DEFAULTS, duration: 3, timeout: 300, ...cfg }, { runId });
  assert.deepEqual(leftovers(runId), [], 'nothing with the run label remains');
  return { results: r.results, runId, ...(r.error ? { error: r.error } : {}) };
}

dockerTest('the seed recipe passes and its diff is exactly the mount points', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE });
  assert.equal(results.length, 1);
  const r = results[0]!;
  assert.equal(r.result, 'passed', `${r.cause}\n${r.logTail}`);
  // Exactly the mount point and the folders above it (this engine also lists `C /home`, the parent of the parent).
  const lines = r.diff.map((d) => `${d.kind} ${d.path}`);
  assert.ok(lines.includes('A /home/appuser/.cache') && lines.includes('C /home/appuser'), lines.join('\n'));
  assert.deepEqual(lines.filter((l) => !['A /home/appuser/.cache', 'C /home/appuser', 'C /home'].includes(l)), []);
  assert.ok(r.diff.every((d) => d.expected));
});

dockerTest('uv run without --no-sync fails, quoting the read-only failure', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile({ cmd: '["uv", "run", "python3", "/app/app.py"]' }), compose: SEED_COMPOSE });
  const r = results[0]!;
  assert.equal(r.result, 'failed');
  assert.match(r.cause!, /exited with code 2/);
  assert.ok(r.quoted.some((l) => /Read-only file system \(os error 30\)/.test(l)), r.quoted.join('\n'));
  assert.ok(r.profile, 'a failed run gets a write profile');
  assert.ok(r.profile!.causes.some((c) => /--no-sync/.test(c.cause)), JSON.stringify(r.profile));
});

dockerTest('a missing uv cache tmpfs fails', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE.replace(/    tmpfs:\n.*\n/, '') });
  const r = results[0]!;
  assert.equal(r.result, 'failed');
  assert.ok(r.quoted.some((l) => /Failed to initialize cache at `\/home\/appuser\/\.cache\/uv`/.test(l)), r.quoted.join('\n'));
  assert.deepEqual(r.profile?.tmpfs, ['/home/appuser/.cache']);
  assert.match(r.profile!.snippet, /- "\/home\/appuser\/\.cache:uid=1001,gid=1001"/);
});

dockerTest('an app writing outside its tmpfs fails and the write profile proposes that path', async () => {
  const compose = SEED_COMPOSE + '    environment:\n      APP_MODE: write-tmp\n';
  const { results } = await smoke({ dockerfile: seedDockerfile(), compose });
  const r = results[0]!;
  assert.equal(r.result, 'failed');
  assert.deepEqual(r.envKeys, ['APP_MODE']);
  assert.ok(r.quoted.some((l) => /Read-only file system/.test(l)), r.quoted.join('\n'));
  assert.deepEqual(r.profile?.tmpfs, ['/tmp']);
  assert.match(r.profile!.snippet, /- "\/tmp:uid=1001,gid=1001"/);
});

dockerTest('a HEALTHCHECK that reports healthy ends the wait early', async () => {
  const started = Date.now();
  const df = seedDockerfile().replace('USER appuser', 'HEALTHCHECK --interval=1s --timeout=2s CMD ["test", "-f", "/app/app.py"]\nUSER appuser');
  const { results } = await smoke({ dockerfile: df, compose: SEED_COMPOSE }, { duration: 60 });
  assert.equal(results[0]!.result, 'passed', results[0]!.cause);
  assert.ok(Date.now() - started < 50_000, 'did not wait the whole 60 s');
});

dockerTest('the compose healthcheck replaces the image\'s, as in production: a failing one fails the test, NONE turns it off', async () => {
  const df = seedDockerfile().replace('USER appuser', 'HEALTHCHECK --interval=1s --timeout=2s CMD ["test", "-f", "/app/app.py"]\nUSER appuser');
  const failing = await smoke({ dockerfile: df, compose: SEED_COMPOSE + "    healthcheck:\n      test: [\"CMD\", \"test\", \"-f\", \"/app/it's missing\"]\n      interval: 1s\n      retries: 1\n" }, { duration: 30 });
  assert.equal(failing.results[0]!.result, 'failed');
  assert.equal(failing.results[0]!.cause, 'the HEALTHCHECK reports unhealthy');
  const started = Date.now();
  const off = await smoke({ dockerfile: df.replace('/app/app.py', '/nonexistent'), compose: SEED_COMPOSE + '    healthcheck:\n      disable: true\n' }, { duration: 4 });
  assert.equal(off.results[0]!.result, 'passed', off.results[0]!.cause);
  assert.ok(Date.now() - started < 60_000);
});

dockerTest('a one-shot job passes with exit-0', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile({ env: 'APP_MODE=job' }), compose: SEED_COMPOSE }, { expect: 'exit-0', duration: 20 });
  assert.equal(results[0]!.result, 'passed', results[0]!.cause);
  assert.equal(results[0]!.exitCode, 0);
});

dockerTest('the service runs in its compose working_dir (the image\'s last WORKDIR is /)', async () => {
  const dockerfile = seedDockerfile({ env: 'APP_MODE=job', cmd: '["python3", "app.py"]' }).replace('USER appuser', 'WORKDIR /\nUSER appuser');
  const { results } = await smoke({ dockerfile, compose: SEED_COMPOSE + '    working_dir: /app\n' }, { expect: 'exit-0', duration: 20 });
  assert.equal(results[0]!.result, 'passed', `${results[0]!.cause}\n${results[0]!.logTail}`);
});

dockerTest('a compose dockerfile_inline is built from a temporary file, which is removed afterwards', async () => {
  const tmpBefore = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('ro-uv-check-inline-'));
  const inline = seedDockerfile({ env: 'APP_MODE=job' }).trimEnd().split('\n').map((l) => `        ${l}`).join('\n');
  const compose = SEED_COMPOSE.replace('    build: .\n', `    build:\n      context: .\n      dockerfile_inline: |\n${inline}\n`);
  const { results } = await smoke({ dockerfile: 'FROM scratch\n', compose }, { expect: 'exit-0', duration: 20 });
  assert.equal(results[0]!.result, 'passed', `${results[0]!.cause}\n${results[0]!.buildLog ?? ''}`);
  assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('ro-uv-check-inline-')), tmpBefore);
});

dockerTest('a failing probe fails; a passing one passes', async () => {
  const bad = await smoke({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE }, { probe: 'test -f /app/missing' });
  assert.equal(bad.results[0]!.result, 'failed');
  assert.match(bad.results[0]!.cause!, /the probe failed \(exit 1\)/);
  const good = await smoke({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE }, { probe: 'test -f /app/app.py' });
  assert.equal(good.results[0]!.result, 'passed', good.results[0]!.cause);
});

dockerTest('a container that hangs is stopped at the timeout', async () => {
  const started = Date.now();
  const { results } = await smoke({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE }, { expect: 'exit-0', duration: 2 });
  assert.equal(results[0]!.result, 'failed');
  assert.match(results[0]!.cause!, /still running after 2 s/);
  assert.ok(Date.now() - started < 120_000);
});

dockerTest('a broken build is reported with its log, and leaves no container behind', async () => {
  const before = spawnSync(process.env.RO_UV_CHECK_DOCKER || 'docker', ['ps', '-aq'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).length;
  const { results } = await smoke({ dockerfile: seedDockerfile({ build: 'uv sync --locked && false' }), compose: SEED_COMPOSE });
  const r = results[0]!;
  assert.equal(r.result, 'failed');
  assert.equal(r.cause, 'build failed');
  assert.ok(r.buildLog && /returned a non-zero code|exit code/.test(r.buildLog), r.buildLog);
  const after = spawnSync(process.env.RO_UV_CHECK_DOCKER || 'docker', ['ps', '-aq'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).length;
  assert.equal(after, before, 'the failed build step left no container');
});

dockerTest('a missing entrypoint: the container could not start, named as such', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile({ cmd: '["/nonexistent/start"]' }), compose: SEED_COMPOSE });
  assert.equal(results[0]!.result, 'failed');
  assert.match(results[0]!.cause!, /could not start|exited with code 12[67]/);
});

dockerTest('smoke inputs and build args reach no host shell', async () => {
  const marker = `/tmp/pwned-smoke-${process.pid}`;
  const { results } = await smoke(
    { dockerfile: seedDockerfile().replace('FROM ', 'ARG EVIL\nFROM '), compose: SEED_COMPOSE.replace('build: .', `build:\n      context: .\n      args:\n        EVIL: "$(touch ${marker}); \`touch ${marker}\`"`) },
    { allowWrites: [`$(touch ${marker})`], probe: `test -n "$(echo ok)"` },
  );
  assert.equal(results[0]!.result, 'passed', results[0]!.cause);
  assert.equal(fs.existsSync(marker), false);
});

dockerTest('the compose service without read_only still runs read-only, and the report says so', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE.replace('    read_only: true\n', '') });
  assert.equal(results[0]!.serviceNotReadOnly, true);
  assert.equal(results[0]!.result, 'passed', results[0]!.cause);
});

dockerTest('an app killed for memory (mem_limit) fails as out of memory', async () => {
  const { results } = await smoke({ dockerfile: seedDockerfile({ env: 'APP_MODE=oom' }), compose: SEED_COMPOSE + '    mem_limit: 48m\n' });
  assert.equal(results[0]!.result, 'failed');
  assert.match(results[0]!.cause!, /out of memory|exited with code 137/);
});

dockerTest('the daemon going away in the middle: a clear failure, and the built image is still removed', async () => {
  const saved = process.env.RO_UV_CHECK_DOCKER;
  const real = saved || 'docker';
  process.env.REAL_DOCKER = real;
  process.env.RO_UV_CHECK_DOCKER = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'smoke', 'docker-dies-after-build');
  process.env.RO_UV_CHECK_COMPOSE = 'none'; // the docker run path: compose talks to the daemon itself, not through the shim
  try {
    const dir = fixtureRepo({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE });
    dirs.push(dir);
    const { project } = await analyze({ root: dir });
    const runId = newRunId();
    const r = await runSmokeTests(project!, { ...SMOKE_DEFAULTS, duration: 2 }, { runId });
    assert.equal(r.results[0]!.result, 'failed');
    assert.match(r.results[0]!.cause!, /could not start: Cannot connect to the Docker daemon/);
    if (saved === undefined) delete process.env.RO_UV_CHECK_DOCKER;
    else process.env.RO_UV_CHECK_DOCKER = saved;
    // the engine is back: whatever the run created carries its label and is gone
    const { removeLabelled, runLabel } = await import('../../src/smoke/docker.js');
    await removeLabelled(runLabel(runId));
    assert.deepEqual(leftovers(runId), []);
  } finally {
    delete process.env.RO_UV_CHECK_COMPOSE;
    if (saved === undefined) delete process.env.RO_UV_CHECK_DOCKER;
    else process.env.RO_UV_CHECK_DOCKER = saved;
  }
});

test('no Docker daemon: a clear failure, not a skip', async () => {
  const saved = process.env.RO_UV_CHECK_DOCKER;
  process.env.RO_UV_CHECK_DOCKER = '/nonexistent/docker';
  try {
    const dir = fixtureRepo({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE });
    dirs.push(dir);
    const { project } = await analyze({ root: dir });
    const r = await runSmokeTests(project, { ...SMOKE_DEFAULTS, duration: 1 }, { runId: newRunId() });
    assert.equal(r.results[0]!.result, 'failed');
    assert.match(r.results[0]!.cause!, /no Docker daemon answers/);
  } finally {
    if (saved === undefined) delete process.env.RO_UV_CHECK_DOCKER;
    else process.env.RO_UV_CHECK_DOCKER = saved;
  }
});
