import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeGitHub } from './fake-github.js';
import { runAction } from './run-action.js';
import { writeRepo, PROJECT_ROOT } from '../helpers.js';

const PR = { pull_request: { number: 7, head: { sha: 'headsha' } }, repository: { full_name: 'o/r' } };
let gh: FakeGitHub;

beforeAll(async () => {
  gh = new FakeGitHub();
  await gh.start();
});
afterAll(async () => {
  await gh.stop();
});

function reset(): void {
  gh.prFiles = [];
  gh.reviewComments = [];
  gh.reviews = [];
  gh.comments = [];
  gh.requests = [];
  gh.failures = [];
}

/** A workspace (the repository) with the app in a sub-folder, as `working-directory` users have it. */
function workspace(app: 'seed-before' | 'seed-after'): string {
  const ws = writeRepo({ 'README.md': 'x' });
  fs.cpSync(path.join(PROJECT_ROOT, 'examples', app), path.join(ws, 'svc'), { recursive: true });
  return ws;
}

test('annotations, outputs, summary and a failing gate on seed-before (not a pull request)', async () => {
  reset();
  const r = await runAction({ workspace: workspace('seed-before'), inputs: { 'working-directory': 'svc' }, eventName: 'push', apiUrl: gh.url });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^::error title=UV101 sync-not-locked,file=svc\/Dockerfile,line=5,endLine=5,col=5,endColumn=12::`uv sync` without `--locked`/m);
  assert.match(r.stdout, /^::warning title=CT403 capabilities-not-dropped,file=svc\/compose.yaml,line=2/m);
  assert.match(r.stdout, /^::notice title=UV204 uv-at-runtime,file=svc\/Dockerfile,line=9/m);
  // the most severe come first (GitHub shows 10 of each type)
  const levels = [...r.stdout.matchAll(/^::(error|warning|notice) title=/gm)].map((m) => m[1]);
  assert.deepEqual(levels, [...levels].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a!) - ['error', 'warning', 'notice'].indexOf(b!)));
  assert.match(r.stdout, /^::error::ro-uv-check: 4 findings at or above error/m);
  assert.equal(r.outputs.errors, '4');
  assert.equal(r.outputs.warnings, '6');
  assert.equal(r.outputs.notices, '2');
  const findings = JSON.parse(r.outputs.findings!);
  assert.equal(findings.length, 12);
  assert.equal(findings[0].file, 'Dockerfile');
  assert.equal(r.outputs['comment-url'], '');
  assert.match(r.summary, /❌ \*\*ro-uv-check failed\*\* in `svc`/);
  assert.match(r.summary, /\[svc\/Dockerfile:5\]\(https:\/\/github\.example\/o\/r\/blob\/abc123\/svc\/Dockerfile#L5\)/);
  assert.match(r.summary, /\[UV101\]\(.*docs\/rules\/UV101\.md\) sync-not-locked/);
  assert.equal(gh.requests.length, 0, 'no API call outside pull requests');
  assert.doesNotMatch(r.stdout + r.stderr + r.summary, /ghs_testtoken123/);
});

test('exit codes for each fail-on level', async () => {
  reset();
  const ws = workspace('seed-after'); // one warning (UV106), one notice
  const code = async (failOn: string) => (await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', 'fail-on': failOn, comment: 'false' }, eventName: 'push' })).status;
  assert.equal(await code('error'), 0);
  assert.equal(await code('warning'), 1);
  assert.equal(await code('notice'), 1);
  assert.equal(await code('never'), 0);
  const bad = await runAction({ workspace: ws, inputs: { 'fail-on': 'loud' }, eventName: 'push' });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /::error::input "fail-on" must be one of error, warning, notice, never \(got "loud"\)/);
});

test('one sticky comment after two runs, found past 150 other comments, updated in place only when it changes', async () => {
  reset();
  gh.addOthers(150);
  const ws = workspace('seed-before');
  const first = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(first.status, 1);
  assert.equal(gh.ours().length, 1);
  const ours = gh.ours()[0]!;
  assert.ok(ours.body.startsWith('<!-- ro-uv-check:svc -->'));
  assert.match(ours.body, /UV101/);
  assert.match(ours.body, /<details><summary>Proposed fixes[\s\S]*```diff\n--- a\/svc\/Dockerfile\n\+\+\+ b\/svc\/Dockerfile[\s\S]*^\+RUN uv sync --locked --no-editable --compile-bytecode --no-dev$/m);
  assert.equal(first.outputs['comment-url'], ours.html_url);
  assert.ok(gh.requests.some((q) => q.auth === 'token ghs_testtoken123'));
  assert.ok(gh.requests.some((q) => q.url.includes('page=2')), 'pages through all comments');

  gh.requests = [];
  const second = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(second.status, 1);
  assert.equal(gh.ours().length, 1, 'never a second comment');
  assert.equal(gh.requests.filter((q) => q.method !== 'GET').length, 0, 'unchanged body: no update');
  assert.equal(second.outputs['comment-url'], ours.html_url);

  // the findings go: the same comment says the PR is clean
  fs.writeFileSync(path.join(ws, 'svc', '.ro-uv-check.yml'), 'severity: {UV101: "off", UV102: "off", UV103: "off", UV104: "off", UV106: "off", UV201: "off", UV203: "off", UV204: "off", PY301: "off", CT401: "off", CT403: "off", CT404: "off"}\n');
  const clean = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(clean.status, 0, clean.stdout);
  assert.equal(gh.ours().length, 1);
  assert.equal(gh.ours()[0]!.id, ours.id);
  assert.match(gh.ours()[0]!.body, /no findings\. This pull request is clean/);
  assert.equal(gh.requests.filter((q) => q.method === 'PATCH').length, 1);
});

test('a clean pull request without an earlier comment gets none', async () => {
  reset();
  const ws = writeRepo({ 'Dockerfile': 'FROM python:3.12\nCMD ["python"]\n' });
  const r = await runAction({ workspace: ws, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 0);
  assert.equal(gh.comments.length, 0);
});

test('403 (fork PR token) is a warning in the log and the summary, the verdict unchanged', async () => {
  reset();
  gh.failures.push({ method: 'POST', status: 403, times: 1 });
  const r = await runAction({ workspace: workspace('seed-after'), inputs: { 'working-directory': 'svc', 'fail-on': 'warning' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1, 'still failing on the warning');
  assert.match(r.stdout, /^::warning::The PR comment could not be posted: the token cannot write comments/m);
  assert.match(r.summary, /The PR comment could not be posted/);
  assert.doesNotMatch(r.stdout, /::error::ro-uv-check: ro-uv-check/);
  reset();
  gh.failures.push({ method: 'POST', status: 403, times: 1 });
  const ok = await runAction({ workspace: workspace('seed-after'), inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(ok.status, 0, 'a comment failure never fails the step');
});

test('502 then 200: the listing is retried and the comment posted', async () => {
  reset();
  gh.failures.push({ method: 'GET', status: 502, times: 1 });
  const r = await runAction({ workspace: workspace('seed-before'), inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1);
  assert.equal(gh.requests.filter((q) => q.method === 'GET').length, 2);
  assert.equal(gh.ours().length, 1);
});

test('SARIF file and output; config errors fail the step', async () => {
  reset();
  const ws = workspace('seed-before');
  const r = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', 'sarif-file': 'out/results.sarif', comment: 'false' }, eventName: 'push' });
  const sarifPath = path.join(ws, 'out', 'results.sarif');
  assert.equal(r.outputs['sarif-file'], sarifPath);
  const sarif = JSON.parse(fs.readFileSync(sarifPath, 'utf8'));
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri.startsWith('svc/'), true);
  fs.writeFileSync(path.join(ws, 'svc', '.ro-uv-check.yml'), 'unknown: 1\n');
  const bad = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', 'fail-on': 'never', comment: 'false' }, eventName: 'push' });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /::error title=RO901 parse-error,file=svc\/.ro-uv-check.yml,line=1/);
});

test('fork-safe workflow_run: untrusted findings are validated, escaped, and posted only to the PR the run checked', async () => {
  reset();
  const ws = writeRepo({ 'README.md': 'x' });
  const hostile = [{ ruleId: 'UV101', name: 'sync-not-locked', severity: 'error', file: 'a|b`<script>x</script>.Dockerfile', line: 3, column: 1, endLine: 3, endColumn: 2, message: 'hi @maintainer <img src=x onerror=alert(1)> ```', fix: '[click](http://evil)' }];
  fs.writeFileSync(path.join(ws, 'findings.json'), JSON.stringify(hostile));
  const event = { workflow_run: { head_sha: 'headsha' }, repository: { full_name: 'o/r' } };
  const r = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', 'pull-request-number': '7', 'fail-on': 'never', annotations: 'false' }, event, eventName: 'workflow_run', apiUrl: gh.url });
  assert.equal(r.status, 0, r.stdout);
  assert.equal(gh.ours().length, 1);
  const body = gh.ours()[0]!.body;
  assert.doesNotMatch(body, /<script>|<img|@maintainer|\]\(http:\/\/evil\)/);
  assert.match(body, /UV101/);

  // a PR number that does not belong to the run's commit: nothing is posted
  reset();
  gh.headSha = 'othersha';
  const wrong = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', 'pull-request-number': '7', 'fail-on': 'never' }, event, eventName: 'workflow_run', apiUrl: gh.url });
  gh.headSha = 'headsha';
  assert.equal(wrong.status, 0);
  assert.equal(gh.comments.length, 0);
  assert.match(wrong.stdout, /::warning::The PR comment was not posted: pull request #7 is not the one the workflow run checked/);

  // findings that do not match the schema are refused
  for (const bad of ['not json', JSON.stringify([{ ...hostile[0], ruleId: 'XX999' }]), JSON.stringify([{ ...hostile[0], extra: 1 }]), JSON.stringify([{ ...hostile[0], name: 'runs-as-root' }])]) {
    fs.writeFileSync(path.join(ws, 'findings.json'), bad);
    const x = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', 'pull-request-number': '7' }, event, eventName: 'workflow_run', apiUrl: gh.url });
    assert.equal(x.status, 1);
    assert.match(x.stdout, /::error::input "findings-file": /);
  }
});

test('a body over the comment limit is cut with a pointer to the job summary', async () => {
  reset();
  const many = Array.from({ length: 2000 }, (_, i) => ({ ruleId: 'UV101', name: 'sync-not-locked', severity: 'error', file: `services/s${i}/Dockerfile`, line: 5, column: 5, endLine: 5, endColumn: 12, message: 'x'.repeat(200), fix: 'add `--locked`' }));
  const ws = writeRepo({ 'findings.json': JSON.stringify(many) });
  const r = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', 'fail-on': 'never', annotations: 'false' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 0, r.stdout);
  const body = gh.ours()[0]!.body;
  assert.ok(body.length <= 65_536, String(body.length));
  assert.match(body, /more findings not shown: see the \[job summary\]\(https:\/\/github\.example\/o\/r\/actions\/runs\/42\)/);
});

test('404 (PR gone) is a warning; 422 (body too large) is retried with a shorter body', async () => {
  reset();
  gh.failures.push({ method: 'GET', status: 404, times: 1 });
  const gone = await runAction({ workspace: workspace('seed-after'), inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(gone.status, 0);
  assert.match(gone.stdout, /^::warning::The PR comment could not be posted: the pull request or its comments were not found/m);
  reset();
  gh.failures.push({ method: 'POST', status: 422, times: 1 });
  const r = await runAction({ workspace: workspace('seed-before'), inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1);
  const posts = gh.requests.filter((q) => q.method === 'POST');
  assert.equal(posts.length, 2);
  assert.equal(gh.ours().length, 1);
  assert.doesNotMatch(r.stdout, /::warning::The PR comment/);
});

test('suggestions: review comments with suggestion blocks only on lines inside the PR diff, replacing earlier ones', async () => {
  reset();
  const ws = workspace('seed-before');
  // The PR touched Dockerfile lines 4-6 (the uv sync line is 5); line 9 (CMD) and compose.yaml are outside the diff.
  gh.prFiles = [{ filename: 'svc/Dockerfile', patch: '@@ -4,2 +4,3 @@ WORKDIR /app\n COPY pyproject.toml uv.lock ./\n-RUN uv pip install .\n+RUN uv sync\n+COPY . .' }];
  const r = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', suggestions: 'true' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1);
  assert.equal(gh.reviews.length, 1);
  const comments = gh.reviews[0]!.comments;
  assert.deepEqual(comments.map((c) => `${c.path}:${c.line}:${c.side}`), ['svc/Dockerfile:5:RIGHT']);
  assert.match(comments[0]!.body, /```suggestion\nRUN uv sync --locked --no-editable --compile-bytecode --no-dev\n```/);
  assert.match(comments[0]!.body, /UV101 sync-not-locked/);
  assert.equal(gh.reviews[0]!.commit_id, 'headsha');
  // the other fixes are still in the sticky comment's patch
  assert.match(gh.ours()[0]!.body, /--no-sync/);

  const again = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', suggestions: 'true' }, event: PR, apiUrl: gh.url });
  assert.equal(again.status, 1);
  assert.equal(gh.reviewComments.length, 1, 'the earlier suggestion was deleted, not piled up');
  assert.equal(gh.requests.filter((q) => q.method === 'DELETE').length, 1);
});

test('an API that never answers times out: a warning, the verdict unchanged', async () => {
  reset();
  gh.hang = true;
  try {
    const r = await runAction({ workspace: workspace('seed-after'), inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url, env: { RO_UV_CHECK_API_TIMEOUT_MS: '300' } });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^::warning::The PR comment could not be posted/m);
  } finally {
    gh.hang = false;
  }
});
