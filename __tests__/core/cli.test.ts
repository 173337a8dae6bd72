import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../helpers.js';
import { RULES } from '../../src/core/rules/index.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });

test('examples/seed-before: UV101–UV104, UV201, UV203, PY301, CT401 at their file, line and column (built CLI)', () => {
  const r = run(['examples/seed-before', '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.version, 1);
  const at = (id: string) => json.findings.filter((f: { ruleId: string }) => f.ruleId === id).map((f: { file: string; line: number; column: number }) => `${f.file}:${f.line}:${f.column}`);
  assert.deepEqual(at('UV101'), ['Dockerfile:5:5']);
  assert.deepEqual(at('UV102'), ['Dockerfile:5:5']);
  assert.deepEqual(at('UV103'), ['Dockerfile:5:5']);
  assert.deepEqual(at('UV104'), ['Dockerfile:5:5']);
  assert.deepEqual(at('UV201'), ['Dockerfile:9:6']);
  assert.deepEqual(at('UV203'), ['compose.yaml:6:5']);
  assert.deepEqual(at('PY301'), ['Dockerfile:1:1']);
  assert.deepEqual(at('CT401'), ['Dockerfile:1:1']);
  for (const f of json.findings) assert.deepEqual(Object.keys(f), ['ruleId', 'name', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fix']);
});

test('examples/seed-after: no error, only the uv:latest warning and notices', () => {
  const r = run(['examples/seed-after', '--format', 'json']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const json = JSON.parse(r.stdout);
  const notNotice = json.findings.filter((f: { severity: string }) => f.severity !== 'notice');
  assert.deepEqual(notNotice.map((f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`), ['UV106 Dockerfile:1']);
});

test('exit codes follow --fail-on', () => {
  assert.equal(run(['examples/seed-after']).status, 0);
  assert.equal(run(['examples/seed-after', '--fail-on', 'warning']).status, 1);
  assert.equal(run(['examples/seed-before', '--fail-on', 'never']).status, 0);
  assert.equal(run(['examples/seed-before', '--fail-on', 'loud']).status, 2);
  assert.equal(run(['no/such/dir']).status, 2);
  assert.equal(run(['--bogus']).status, 2);
});

test('text output: file:line:col severity ID name message, then counts', () => {
  const r = run(['examples/seed-before']);
  assert.match(r.stdout, /^Dockerfile:5:5 error UV101 sync-not-locked `uv sync` without/m);
  assert.match(r.stdout, /^\d+ errors, \d+ warnings, \d+ notices$/m);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when not a TTY');
});

test('--output writes the report to a file; --format sarif and markdown', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'out-')), 'r.sarif');
  assert.equal(run(['examples/seed-before', '--format', 'sarif', '--output', out]).status, 1);
  const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.length > 0);
  const md = run(['examples/seed-before', '--format', 'markdown']).stdout;
  assert.match(md, /\| 🔴 error \| \[UV101\]/);
});

test('--list-rules, --version, --help', () => {
  const list = run(['--list-rules']).stdout;
  for (const r of RULES) assert.match(list, new RegExp(`^${r.id}\\s+${r.name}\\s+${r.severity}`, 'm'));
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  assert.equal(run(['--version']).stdout.trim(), pkg.version);
  assert.match(run(['--help']).stdout, /Usage: ro-uv-check/);
});

test('the bundle runs outside the repository (no node_modules needed)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  const out = execFileSync(process.execPath, [path.join(dir, 'dist', 'cli', 'index.js'), path.join(PROJECT_ROOT, 'examples', 'seed-after')], { encoding: 'utf8' });
  assert.match(out, /0 errors/);
  // A redirect and a command substitution are beyond the shell fast path: the full parser (mvdan-sh, shipped as
  // dist/node_modules/mvdan-sh rather than bundled) must load from the copy.
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-repo-'));
  fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM python:3.12-slim\nRUN echo "$(date)" > /built && uv sync --no-dev > /tmp/sync.log\n');
  const r = spawnSync(process.execPath, [path.join(dir, 'dist', 'cli', 'index.js'), repo, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const uv101 = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'UV101');
  assert.deepEqual(uv101.map((f: { line: number; column: number }) => `${f.line}:${f.column}`), ['2:32']);
});
