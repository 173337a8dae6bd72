/**
 * `npm run accuracy`: the built script (build/scripts/accuracy.js, from scripts/accuracy.ts) runs the built CLI on every
 * subfolder of a folder of repositories, counts findings per repository, rule and severity, and compares them with a
 * judgements file. Needs `npm run build` first (as `npm test` does).
 */
import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../helpers.js';
import { parseJudgements, summarize, type AccuracyReport, type RepoRun } from '../../scripts/accuracy.js';

const SCRIPT = path.join(PROJECT_ROOT, 'build', 'scripts', 'accuracy.js');
const CLI = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');
let dir: string;

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accuracy-'));
  const repos = path.join(dir, 'repos');
  // alpha: `uv sync` without --locked at line 4 (UV101), uv run at the start (UV201).
  write(path.join(repos, 'alpha', 'Dockerfile'), ['FROM ghcr.io/astral-sh/uv:0.9.5-python3.12-bookworm-slim', 'WORKDIR /app', 'COPY pyproject.toml uv.lock ./', 'RUN uv sync', 'COPY . .', 'CMD ["uv", "run", "app.py"]', ''].join('\n'));
  write(path.join(repos, 'alpha', 'pyproject.toml'), '[project]\nname = "alpha"\nversion = "0.1.0"\n');
  write(path.join(repos, 'alpha', 'uv.lock'), '');
  // beta: `uv sync --no-dev` without --locked at line 5 (UV101).
  write(path.join(repos, 'beta', 'Dockerfile'), ['FROM python:3.12-slim', 'COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/uv', 'WORKDIR /app', 'COPY . .', 'RUN uv sync --no-dev', 'USER 1000', 'CMD ["/app/.venv/bin/python", "app.py"]', ''].join('\n'));
  write(path.join(repos, 'beta', 'pyproject.toml'), '[project]\nname = "beta"\nversion = "0.1.0"\n');
  write(path.join(repos, 'beta', 'uv.lock'), '');
  write(path.join(repos, 'not-a-repo.txt'), 'a file beside the repositories is not a repository\n');
  write(
    path.join(dir, 'judgements.tsv'),
    [
      'repo\tfile\tline\truleId\tverdict\treason',
      'alpha\tDockerfile\t4\tUV101\ttrue\tunlocked sync',
      'beta\tDockerfile\t5\tUV101\tfalse\tjudged wrong for the test',
      '# a comment line',
      'alpha\tDockerfile\t2\tUV999\tnoise\ta finding that is no longer reported',
      'gamma\tDockerfile\t1\tCT401\ttrue\ta repository that is not in the folder',
      '',
    ].join('\n'),
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runScript = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 });

/** What the CLI itself reports for one repository, counted per rule. */
function cliCounts(repo: string): Record<string, number> {
  const r = spawnSync(process.execPath, [CLI, repo, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const counts: Record<string, number> = {};
  for (const f of JSON.parse(r.stdout).findings as { ruleId: string }[]) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return counts;
}

test('counts per repository, rule and severity match what the CLI reports on each subfolder; judgements are matched', () => {
  assert.ok(fs.existsSync(SCRIPT), `${SCRIPT} is missing: run npm run build`);
  const r = runScript([path.join(dir, 'repos'), '--judgements', path.join(dir, 'judgements.tsv'), '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as AccuracyReport;
  assert.deepEqual(report.repos.map((x) => x.repo), ['alpha', 'beta'], 'every subfolder, sorted; the file is not a repository');
  const alpha = cliCounts(path.join(dir, 'repos', 'alpha'));
  const beta = cliCounts(path.join(dir, 'repos', 'beta'));
  assert.deepEqual(report.repos[0]!.perRule, alpha);
  assert.deepEqual(report.repos[1]!.perRule, beta);
  assert.equal(alpha.UV101, 1);
  assert.equal(beta.UV101, 1);
  assert.equal(report.perRule.UV101!.total, 2);
  assert.equal(report.perRule.UV101!.error, 2);
  const total = Object.values(alpha).reduce((a, b) => a + b, 0) + Object.values(beta).reduce((a, b) => a + b, 0);
  assert.equal(report.total, total);
  assert.equal(Object.values(report.perSeverity).reduce((a, b) => a + b, 0), total);

  const j = report.judged!;
  assert.deepEqual(j.perRule.UV101, { true: 1, false: 1, noise: 0, unjudged: 0 });
  assert.deepEqual(j.totals, { true: 1, false: 1, noise: 0, unjudged: total - 2 });
  assert.equal(j.unjudged.length, total - 2);
  assert.ok(j.unjudged.every((f) => f.ruleId !== 'UV101'));
  assert.ok(j.unjudged.some((f) => f.repo === 'alpha' && f.ruleId === 'UV201' && f.file === 'Dockerfile' && f.line === 6));
  // The UV999 judgement of alpha is gone; gamma was not in the folder, so its judgement was not measured, not gone.
  assert.deepEqual(j.gone.map((g) => `${g.repo} ${g.file}:${g.line} ${g.ruleId} ${g.verdict}`), ['alpha Dockerfile:2 UV999 noise']);
});

test('text report: per repository, per rule with severities, verdicts, new and gone findings', () => {
  const r = runScript([path.join(dir, 'repos'), '--judgements', path.join(dir, 'judgements.tsv')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# 2 repositories, \d+ findings$/m);
  assert.match(r.stdout, /^alpha\s+\d+\s+.*UV101:1/m);
  assert.match(r.stdout, /^UV101\s+2\s+2\s+0\s+0\s*$/m, 'UV101: total 2, both errors');
  assert.match(r.stdout, /^UV101\s+1\s+1\s+0\s+0\s*$/m, 'UV101 judged: 1 true, 1 false, 0 noise, 0 unjudged');
  assert.match(r.stdout, /^## Not judged yet \(new since the judgement\): \d+$/m);
  assert.match(r.stdout, /^alpha\tDockerfile\t6\tUV201\terror\t/m);
  assert.match(r.stdout, /^## Judged, no longer found: 1\nalpha\tDockerfile\t2\tUV999\tnoise\ta finding that is no longer reported$/m);
});

test('a repository the CLI cannot analyse is reported, not dropped; bad judgements and arguments exit 2 with the place', () => {
  const failing = path.join(dir, 'failing-cli.js');
  write(failing, 'process.stderr.write("boom\\n"); process.exit(2);\n');
  const r = runScript([path.join(dir, 'repos'), '--cli', failing, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as AccuracyReport;
  assert.deepEqual(report.repos.map((x) => [x.repo, x.error]), [['alpha', 'exit 2: boom'], ['beta', 'exit 2: boom']]);
  assert.match(runScript([path.join(dir, 'repos'), '--cli', failing]).stdout, /^alpha\s+NOT ANALYSED: exit 2: boom$/m);

  const bad = path.join(dir, 'bad.tsv');
  write(bad, 'alpha\tDockerfile\t4\tUV101\ttrue\tok\nalpha\tDockerfile\t5\tUV102\tmaybe\tnot a verdict\n');
  const b = runScript([path.join(dir, 'repos'), '--judgements', bad]);
  assert.equal(b.status, 2);
  assert.match(b.stderr, /bad\.tsv:2: verdict "maybe" is not one of true, false, noise/);
  assert.equal(runScript([]).status, 2);
  assert.equal(runScript([path.join(dir, 'no-such-dir')]).status, 2);
  assert.equal(runScript([path.join(dir, 'repos'), '--bogus']).status, 2);
});

test('several findings at one place are matched one judgement each; the rest are new', () => {
  const f = (line: number) => ({ repo: 'r', ruleId: 'UV103', severity: 'warning', file: 'Dockerfile', line, message: 'm' });
  const runs: RepoRun[] = [{ repo: 'r', findings: [f(3), f(3), f(3), f(9)] }, { repo: 's', findings: [], error: 'exit 2' }];
  const judgements = parseJudgements(['r\tDockerfile\t3\tUV103\tnoise\ta', 'r\tDockerfile\t3\tUV103\ttrue\tb', 'r\tDockerfile\t9\tUV104\tfalse\tc', 's\tDockerfile\t1\tCT401\ttrue\td'].join('\n'));
  const rep = summarize(runs, judgements);
  assert.deepEqual(rep.judged!.perRule.UV103, { true: 1, false: 0, noise: 1, unjudged: 2 });
  assert.deepEqual(rep.judged!.unjudged.map((x) => x.line), [3, 9]);
  assert.deepEqual(rep.judged!.gone.map((g) => g.ruleId), ['UV104'], 'the judgement of a repository that failed to run is not counted as gone');
  assert.equal(rep.repos[1]!.error, 'exit 2');
});
