/** The smoke test through the built action and CLI, as a runner and a user run them (real Docker engine). */
import { test, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { runAction } from '../action/run-action.js';
import { fixtureRepo, seedDockerfile, SEED_COMPOSE, BASE_IMAGE, testWithDocker } from './smoke-fixture.js';
import { PROJECT_ROOT } from '../helpers.js';

const dockerTest = testWithDocker();
const docker = process.env.RO_UV_CHECK_DOCKER || 'docker';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function anyLabelled(): string[] {
  const out: string[] = [];
  for (const args of [['ps', '-aq', '--filter', 'label=ro-uv-check.run'], ['volume', 'ls', '-q', '--filter', 'label=ro-uv-check.run']]) {
    out.push(...spawnSync(docker, args, { encoding: 'utf8' }).stdout.split('\n').filter(Boolean));
  }
  return out;
}

dockerTest('action: smoke-test on the seed recipe → outputs smoke-result, docker-diff, smoke-targets and a summary section', async () => {
  const ws = fixtureRepo({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE });
  dirs.push(ws);
  const r = await runAction({ workspace: ws, inputs: { 'smoke-test': 'true', 'smoke-duration': '3', comment: 'false' }, eventName: 'push' });
  assert.equal(r.status, 0, r.stdout);
  assert.equal(r.outputs['smoke-result'], 'passed');
  assert.equal(r.outputs['smoke-targets'], '["app"]');
  assert.match(r.outputs['docker-diff']!, /^A \/home\/appuser\/\.cache {2}\(expected: mount point\)$/m);
  assert.match(r.summary, /### Read-only smoke test/);
  assert.match(r.summary, /\*\*app\*\*: ✅ passed/);
  assert.deepEqual(anyLabelled(), []);
});

dockerTest('action: a failing smoke test fails the step with its cause, even with fail-on never', async () => {
  const ws = fixtureRepo({ dockerfile: seedDockerfile({ cmd: '["uv", "run", "python3", "/app/app.py"]' }), compose: SEED_COMPOSE });
  dirs.push(ws);
  const r = await runAction({ workspace: ws, inputs: { 'smoke-test': 'true', 'smoke-duration': '3', comment: 'false', 'fail-on': 'never' }, eventName: 'push' });
  assert.equal(r.status, 1);
  assert.equal(r.outputs['smoke-result'], 'failed');
  assert.match(r.stdout, /::error::ro-uv-check: the read-only smoke test failed \(app: exited with code 2/);
  assert.match(r.summary, /Read-only file system \(os error 30\)/);
  assert.match(r.summary, /`uv run` without `--no-sync` writes into the venv|uv run\\` without \\`--no-sync\\`/);
});

test('action: smoke-targets without running the test; a bad smoke input is a clear error', async () => {
  const ws = fixtureRepo({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE });
  dirs.push(ws);
  const r = await runAction({ workspace: ws, inputs: { comment: 'false' }, eventName: 'push' });
  assert.equal(r.outputs['smoke-targets'], '["app"]');
  assert.equal(r.outputs['smoke-result'], 'skipped');
  const bad = await runAction({ workspace: ws, inputs: { comment: 'false', 'smoke-expect': 'forever' }, eventName: 'push' });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /::error::smoke-expect must be running or exit-0 \(got "forever"\)/);
});

dockerTest('action post step removes what a cancelled run left behind', async () => {
  const id = `posttest${Date.now()}`;
  const c = spawnSync(docker, ['run', '-d', '--network', 'none', '--label', `ro-uv-check.run=${id}`, BASE_IMAGE, 'sleep', '300'], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  const post = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'post', 'index.js')], { env: { PATH: process.env.PATH ?? '', 'STATE_smoke-run-id': id, ...(process.env.RO_UV_CHECK_DOCKER ? { RO_UV_CHECK_DOCKER: process.env.RO_UV_CHECK_DOCKER } : {}) }, encoding: 'utf8' });
  assert.equal(post.status, 0, post.stderr);
  assert.match(post.stdout, /ro-uv-check cleanup: removed container/);
  assert.equal(spawnSync(docker, ['ps', '-aq', '--filter', `label=ro-uv-check.run=${id}`], { encoding: 'utf8' }).stdout.trim(), '');
});

dockerTest('action post step removes a cancelled run\'s compose project by the names saved in the state', async () => {
  const id = `postcompose${Date.now()}`;
  const project = `ro-uv-check-${id}-0`;
  // What compose would leave if killed before it could label anything of ours: only compose's own project label.
  const net = spawnSync(docker, ['network', 'create', '--label', `com.docker.compose.project=${project}`, `${project}_default`], { encoding: 'utf8' });
  assert.equal(net.status, 0, net.stderr);
  const c = spawnSync(docker, ['run', '-d', '--network', `${project}_default`, '--label', `com.docker.compose.project=${project}`, BASE_IMAGE, 'sleep', '300'], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  const post = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'post', 'index.js')], { env: { PATH: process.env.PATH ?? '', 'STATE_smoke-run-id': id, 'STATE_smoke-compose-projects': JSON.stringify([project, `${project}w`]), ...(process.env.RO_UV_CHECK_DOCKER ? { RO_UV_CHECK_DOCKER: process.env.RO_UV_CHECK_DOCKER } : {}) }, encoding: 'utf8' });
  assert.equal(post.status, 0, post.stderr);
  assert.match(post.stdout, /ro-uv-check cleanup: removed container .*network /);
  for (const kind of [['ps', '-aq'], ['network', 'ls', '-q']]) {
    assert.equal(spawnSync(docker, [...kind, '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).stdout.trim(), '');
  }
});

dockerTest('CLI: SIGTERM in the middle of a smoke test removes its containers', async () => {
  const ws = fixtureRepo({ dockerfile: seedDockerfile(), compose: SEED_COMPOSE });
  dirs.push(ws);
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js'), ws, '--smoke-test', '--smoke-duration', '120'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && spawnSync(docker, ['ps', '-q', '--filter', 'label=ro-uv-check.run'], { encoding: 'utf8' }).stdout.trim() === '') await new Promise((r) => setTimeout(r, 300));
  assert.notEqual(spawnSync(docker, ['ps', '-q', '--filter', 'label=ro-uv-check.run'], { encoding: 'utf8' }).stdout.trim(), '', 'the container started');
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', (c, sig) => r(c ?? (sig ? -1 : null))));
  assert.notEqual(code, 0);
  assert.deepEqual(anyLabelled(), []);
});
