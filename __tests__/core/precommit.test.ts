/**
 * .pre-commit-hooks.yaml, run the way pre-commit runs it: `pre-commit try-repo` on this repository (as a clone of
 * it, with the built dist/) in a sample git repository. Needs pre-commit (Debian's package; .ci/run installs it):
 * skipped with the reason when it is missing, unless RO_UV_CHECK_REQUIRE_PRECOMMIT=1 (CI).
 */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { PROJECT_ROOT, writeRepo } from '../helpers.js';

const available = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.RO_UV_CHECK_REQUIRE_PRECOMMIT === '1';
const precommitTest = available || required ? test : test.skip;
if (!available && !required) console.warn('skipping the pre-commit tests: pre-commit is not installed (apt-get install pre-commit)');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pre-commit-home-'));

function sampleRepo(): string {
  const dir = writeRepo({
    Dockerfile: 'FROM python:3.12-slim\nRUN uv sync\n',
    'compose.yaml': 'services:\n  app:\n    build: .\n    command: ["sh", "-c", "uv run app"]\n',
    'README.md': '# sample\n',
  });
  const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' }).status, 0);
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'sample');
  return dir;
}

const tryRepo = (cwd: string, args: string[]) =>
  spawnSync('pre-commit', ['try-repo', PROJECT_ROOT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PRE_COMMIT_HOME: home }, timeout: 240_000 });

test('the hooks file: the CLI bundle as a script, on the whole repository (pass_filenames: false)', () => {
  const hooks = parse(fs.readFileSync(path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; pass_filenames: boolean; files: string }[];
  assert.deepEqual(hooks.map((h) => h.id), ['ro-uv-check', 'ro-uv-check-fix']);
  for (const h of hooks) {
    assert.equal(h.language, 'script');
    assert.equal(h.pass_filenames, false);
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, h.entry.split(' ')[0]!)), h.entry);
    const files = new RegExp(h.files);
    for (const f of ['Dockerfile', 'api/Dockerfile.prod', 'prod.Dockerfile', 'Containerfile', 'compose.yaml', 'deploy/docker-compose.override.yml', '.ro-uv-check.yml', 'docker/entrypoint.sh', 'uv.lock']) assert.match(f, files, f);
    for (const f of ['README.md', 'src/app.py', 'package.json']) assert.doesNotMatch(f, files, f);
  }
});

precommitTest('pre-commit try-repo: the hook fails on findings anywhere in the repository, even for one file passed', () => {
  const dir = sampleRepo();
  const r = tryRepo(dir, ['ro-uv-check', '--files', 'compose.yaml']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /ro-uv-check \(read-only root filesystem readiness of uv containers\)\.+Failed/);
  assert.match(r.stdout, /^compose\.yaml:4:28 error UV201 run-syncs-at-start/m);
  assert.match(r.stdout, /^Dockerfile:2:5 error UV101 sync-not-locked/m, 'the Dockerfile is analysed too (linked from the compose file)');
});

precommitTest('pre-commit try-repo: a commit touching no file the hook reads skips it', () => {
  const dir = sampleRepo();
  const r = tryRepo(dir, ['ro-uv-check', '--files', 'README.md']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\(no files to check\)Skipped/);
});

precommitTest('pre-commit try-repo: the fix hook edits the files (pre-commit reports them modified)', () => {
  const dir = sampleRepo();
  const r = tryRepo(dir, ['ro-uv-check-fix', '--all-files']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /files were modified by this hook/);
  assert.match(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), /"uv run --no-sync app"/);
  assert.match(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /^RUN uv sync --locked/m);
});
