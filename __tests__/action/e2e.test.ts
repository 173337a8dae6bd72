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
  gh.checkRuns = [];
  gh.checkRunPermission = 'forbidden';
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
  assert.match(r.stdout, /^::notice title=CT404 new-privileges-allowed,file=svc\/compose.yaml,line=2/m);
  // UV204 says nothing where UV201 already asks for --no-sync (one problem, one finding).
  assert.doesNotMatch(r.stdout, /title=UV204/);
  // the most severe come first (GitHub shows 10 of each type)
  const levels = [...r.stdout.matchAll(/^::(error|warning|notice) title=/gm)].map((m) => m[1]);
  assert.deepEqual(levels, [...levels].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a!) - ['error', 'warning', 'notice'].indexOf(b!)));
  assert.match(r.stdout, /^::error::ro-uv-check: 4 findings at or above error/m);
  assert.equal(r.outputs.errors, '4');
  assert.equal(r.outputs.warnings, '6');
  assert.equal(r.outputs.notices, '1');
  const findings = JSON.parse(r.outputs.findings!);
  assert.equal(findings.length, 11);
  assert.equal(findings[0].file, 'Dockerfile');
  assert.equal(r.outputs['comment-url'], '');
  assert.match(r.summary, /❌ \*\*ro-uv-check failed\*\* in `svc`/);
  assert.match(r.summary, /\[svc\/Dockerfile:5\]\(https:\/\/github\.example\/o\/r\/blob\/abc123\/svc\/Dockerfile#L5\)/);
  assert.match(r.summary, /\[UV101\]\(.*docs\/rules\/UV101\.md\) sync-not-locked/);
  assert.match(r.summary, /\*\*Judged as production:\*\*\n\n- compose\.yaml \\\(the base compose file\\\)/);
  // the token cannot create a check run (403): the annotations above are workflow commands, and both say so
  assert.deepEqual(gh.requests.map((q) => `${q.method} ${q.url}`), ['POST /repos/o/r/check-runs'], 'no comment API call outside pull requests');
  assert.match(r.stdout, /^ro-uv-check: annotations: 11 as workflow commands; the token cannot create a check run \(403/m);
  assert.match(r.summary.replace(/\\/g, ''), /Annotations: 11 as workflow commands: the token cannot create a check run \(403/);
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
  assert.equal(gh.requests.filter((q) => q.method !== 'GET' && q.url.startsWith('/repos/o/r/issues')).length, 0, 'unchanged body: no update');
  assert.equal(second.outputs['comment-url'], ours.html_url);

  // the findings go: the same comment says the PR is clean
  fs.writeFileSync(path.join(ws, 'svc', '.ro-uv-check.yml'), 'severity: {UV101: "off", UV102: "off", UV103: "off", UV104: "off", UV106: "off", UV201: "off", UV203: "off", UV204: "off", PY301: "off", CT401: "off", CT403: "off", CT404: "off"}\n');
  const clean = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(clean.status, 0, clean.stdout);
  assert.equal(gh.ours().length, 1);
  assert.equal(gh.ours()[0]!.id, ours.id);
  assert.match(gh.ours()[0]!.body, /no findings\. This pull request is clean/);
  assert.equal(gh.requests.filter((q) => q.method === 'PATCH' && q.url.startsWith('/repos/o/r/issues')).length, 1);
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
  gh.failures.push({ method: 'POST', path: '/repos/o/r/issues', status: 403, times: 1 });
  const r = await runAction({ workspace: workspace('seed-after'), inputs: { 'working-directory': 'svc', 'fail-on': 'warning' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1, 'still failing on the warning');
  assert.match(r.stdout, /^::warning::The PR comment could not be posted: the token cannot write comments/m);
  assert.match(r.summary, /The PR comment could not be posted/);
  assert.doesNotMatch(r.stdout, /::error::ro-uv-check: ro-uv-check/);
  reset();
  gh.failures.push({ method: 'POST', path: '/repos/o/r/issues', status: 403, times: 1 });
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
  gh.failures.push({ method: 'POST', path: '/repos/o/r/issues', status: 422, times: 1 });
  const r = await runAction({ workspace: workspace('seed-before'), inputs: { 'working-directory': 'svc' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1);
  const posts = gh.requests.filter((q) => q.method === 'POST' && q.url.startsWith('/repos/o/r/issues'));
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
    assert.match(r.stdout, /^ro-uv-check: annotations: 2 as workflow commands; could not create a check run/m);
  } finally {
    gh.hang = false;
  }
});

/** Findings handed over as a findings file: n of them, severities and single/multi-line ranges mixed. */
function manyFindings(n: number): { ws: string; findings: { ruleId: string; name: string; severity: string; file: string; line: number; column: number; endLine: number; endColumn: number; message: string; fix: string }[] } {
  const sev = ['error', 'warning', 'notice'] as const;
  const findings = Array.from({ length: n }, (_, i) => ({ ruleId: 'UV101', name: 'sync-not-locked', severity: sev[i % 3]!, file: `services/s${i}/Dockerfile`, line: i + 1, column: 3, endLine: i % 2 ? i + 3 : i + 1, endColumn: 9, message: `finding ${i}: \`uv sync\` without \`--locked\``, fix: `fix ${i}: add \`--locked\`` }));
  return { ws: writeRepo({ 'findings.json': JSON.stringify(findings) }), findings };
}

test('checks: write: all 120 annotations arrive on one check run, 50/50/20 per request, with range, level, title, message and fix', async () => {
  reset();
  gh.checkRunPermission = 'allowed';
  const { ws, findings } = manyFindings(120);
  const r = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', comment: 'false' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1, 'errors at or above fail-on: error');
  assert.equal(gh.checkRuns.length, 1);
  const run = gh.checkRuns[0]!;
  assert.equal(run.name, 'ro-uv-check');
  assert.equal(run.head_sha, 'headsha', 'the pull request head, not the merge commit');
  const patches = gh.requests.filter((q) => q.method === 'PATCH' && q.url === `/repos/o/r/check-runs/${run.id}`);
  assert.deepEqual(patches.map((q) => (JSON.parse(q.body!) as { output: { annotations: unknown[] } }).output.annotations.length), [50, 50, 20]);
  // only the last request completes the run, with the verdict
  assert.deepEqual(run.updates.map((u) => u.status ?? ''), ['', '', 'completed']);
  assert.equal(run.status, 'completed');
  assert.equal(run.conclusion, 'failure');
  assert.equal(run.annotations.length, 120);
  // every finding exactly once, most severe first, with everything GitHub shows
  const levels = { error: 'failure', warning: 'warning', notice: 'notice' } as const;
  assert.deepEqual(run.annotations.map((a) => a.annotation_level), [...findings.map((f) => levels[f.severity as keyof typeof levels])].sort((a, b) => ['failure', 'warning', 'notice'].indexOf(a) - ['failure', 'warning', 'notice'].indexOf(b)));
  for (const f of findings) {
    const a = run.annotations.filter((x) => x.path === f.file);
    assert.equal(a.length, 1, f.file);
    const expected: Record<string, unknown> = { path: f.file, start_line: f.line, end_line: f.endLine, annotation_level: levels[f.severity as keyof typeof levels], title: 'UV101 sync-not-locked', message: f.message, raw_details: f.fix };
    // columns only on a single line, as GitHub requires
    if (f.endLine === f.line) Object.assign(expected, { start_column: 3, end_column: 9 });
    assert.deepEqual(a[0], expected);
  }
  // no workflow commands: they would show 10 per type and duplicate the check run's
  assert.doesNotMatch(r.stdout, /^::(error|warning|notice) title=/m);
  assert.match(r.stdout, /^ro-uv-check: annotations: all 120 on check run https:\/\/github\.example\/o\/r\/runs\/\d+ \(Checks API\)/m);
  assert.match(r.summary, /Annotations: all 120 are on the \[check run\]\(https:\/\/github\.example\/o\/r\/runs\/\d+\) \(Checks API\)\./);
  assert.doesNotMatch(r.summary, /GitHub shows 10 annotations/);

  // a passing verdict (fail-on: never) completes the run as a success; a push checks GITHUB_SHA
  reset();
  gh.checkRunPermission = 'allowed';
  const ok = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', comment: 'false', 'fail-on': 'never' }, eventName: 'push', apiUrl: gh.url });
  assert.equal(ok.status, 0, ok.stdout);
  assert.equal(gh.checkRuns[0]!.conclusion, 'success');
  assert.equal(gh.checkRuns[0]!.head_sha, 'abc123');
  assert.equal(gh.checkRuns[0]!.annotations.length, 120);
});

test('checks: a 403 (read-only token) or a 404 falls back to workflow commands, says so, and keeps the verdict', async () => {
  for (const [status, why] of [[403, /the token cannot create a check run \(403: the workflow needs the checks: write permission/], [404, /the token cannot create a check run \(404/]] as const) {
    reset();
    gh.checkRunPermission = 'allowed';
    gh.failures.push({ method: 'POST', path: '/repos/o/r/check-runs', status, times: 1 });
    const r = await runAction({ workspace: workspace('seed-after'), inputs: { 'working-directory': 'svc', 'fail-on': 'warning', comment: 'false' }, event: PR, apiUrl: gh.url });
    assert.equal(r.status, 1, 'still failing on the warning');
    assert.match(r.stdout, /^::error::ro-uv-check: 1 finding at or above warning/m);
    assert.equal(gh.checkRuns.length, 0);
    assert.equal(gh.requests.filter((q) => q.url.startsWith('/repos/o/r/check-runs')).length, 1, `${status} is not retried`);
    assert.match(r.stdout, /^::warning title=UV106 uv-unpinned,file=svc\/Dockerfile/m);
    assert.match(r.stdout, new RegExp(`^ro-uv-check: annotations: 2 as workflow commands; ${why.source}`, 'm'));
    assert.match(r.summary.replace(/\\/g, ''), new RegExp(`Annotations: 2 as workflow commands: ${why.source}`));
  }
});

test('checks: 5xx answers are retried and the annotations still all arrive', async () => {
  reset();
  gh.checkRunPermission = 'allowed';
  gh.failures.push({ method: 'POST', path: '/repos/o/r/check-runs', status: 502, times: 1 }, { method: 'PATCH', path: '/repos/o/r/check-runs', status: 503, times: 1, skip: 1 });
  const { ws } = manyFindings(70);
  const r = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', comment: 'false' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 1);
  const calls = gh.requests.filter((q) => q.url.startsWith('/repos/o/r/check-runs')).map((q) => q.method);
  assert.deepEqual(calls, ['POST', 'POST', 'PATCH', 'PATCH', 'PATCH'], 'the create and the second update are each retried once');
  assert.equal(gh.checkRuns.length, 1);
  assert.equal(gh.checkRuns[0]!.annotations.length, 70);
  assert.equal(gh.checkRuns[0]!.conclusion, 'failure');
  assert.doesNotMatch(r.stdout, /^::(error|warning|notice) title=/m);
});

test('checks: a refusal after the first batches completes the run and sends only the rest as workflow commands', async () => {
  reset();
  gh.checkRunPermission = 'allowed';
  gh.failures.push({ method: 'PATCH', path: '/repos/o/r/check-runs', status: 403, times: 1, skip: 1 });
  const { ws } = manyFindings(120);
  const r = await runAction({ workspace: ws, inputs: { 'findings-file': 'findings.json', comment: 'false', 'fail-on': 'never' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 0, r.stdout);
  const run = gh.checkRuns[0]!;
  assert.equal(run.annotations.length, 50);
  assert.equal(run.status, 'completed', 'no check run is left in progress');
  const commands = [...r.stdout.matchAll(/^::(error|warning|notice) title=UV101 sync-not-locked,file=([^,]+),/gm)].map((m) => m[2]!);
  assert.equal(commands.length, 70);
  const onRun = new Set(run.annotations.map((a) => a.path));
  assert.ok(commands.every((p) => !onRun.has(p)), 'nothing twice');
  assert.equal(new Set([...onRun, ...commands]).size, 120, 'nothing lost');
  assert.match(r.summary, /Annotations: 70 as workflow commands \(50 reached the check run first\): the token cannot add annotations to check run/);
});

test('annotations: commands never calls the Checks API; false emits none; other values are refused', async () => {
  reset();
  gh.checkRunPermission = 'allowed';
  const ws = workspace('seed-after');
  const r = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', annotations: 'commands', comment: 'false' }, event: PR, apiUrl: gh.url });
  assert.equal(r.status, 0);
  assert.equal(gh.requests.length, 0);
  assert.match(r.stdout, /^::warning title=UV106 uv-unpinned/m);
  assert.match(r.summary, /Annotations: 2 as workflow commands: the annotations input is commands\./);
  const off = await runAction({ workspace: ws, inputs: { 'working-directory': 'svc', annotations: 'false', comment: 'false' }, event: PR, apiUrl: gh.url });
  assert.equal(gh.requests.length, 0);
  assert.doesNotMatch(off.stdout, /^::(error|warning|notice) title=/m);
  assert.doesNotMatch(off.summary, /Annotations:/);
  const bad = await runAction({ workspace: ws, inputs: { annotations: 'checks-please' }, eventName: 'push', apiUrl: gh.url });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /::error::input "annotations" must be true, false or commands \(got "checks-please"\)/);
});
