/**
 * The npm package as users get it: `npm pack`, installed from the tarball into an empty folder with an empty cache
 * and --offline (so nothing may come from the registry), and run there with `npx ro-uv-check`.
 */
import { test, beforeAll } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT, writeRepo } from '../helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-pack-'));
const npm = (args: string[], cwd: string) => spawnSync('npm', ['--no-audit', '--no-fund', '--cache', path.join(tmp, 'cache'), ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
let files: string[] = [];
let tarball = '';

beforeAll(() => {
  const r = npm(['pack', '--json', '--pack-destination', tmp], PROJECT_ROOT);
  assert.equal(r.status, 0, r.stderr);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path).sort();
  tarball = path.join(tmp, info!.filename);
});

test('package.json: publishable, a bin, no runtime dependencies (the CLI is bundled), engines', () => {
  assert.equal(pkg.private, undefined);
  assert.deepEqual(pkg.bin, { 'ro-uv-check': 'dist/cli/index.js' });
  assert.equal(pkg.dependencies, undefined, 'dist/ bundles everything: consumers install nothing');
  assert.equal(pkg.engines.node, '>=20');
  assert.match(fs.readFileSync(path.join(PROJECT_ROOT, pkg.bin['ro-uv-check']), 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('npm pack ships the CLI bundle, its shell parser, the schema, README, CHANGELOG and LICENSE, and nothing else', () => {
  assert.deepEqual(files, [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/cli/index.js',
    'dist/cli/licenses.txt',
    'dist/cli/package.json',
    'dist/node_modules/mvdan-sh/LICENSE',
    'dist/node_modules/mvdan-sh/index.js',
    'dist/node_modules/mvdan-sh/package.json',
    'package.json',
    'schema/ro-uv-check.schema.json',
  ]);
});

test('installed from the tarball into an empty folder, offline with an empty cache, `npx ro-uv-check` runs', () => {
  const project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), '{"name": "consumer", "version": "1.0.0", "private": true}\n');
  const install = npm(['install', '--offline', tarball], project);
  assert.equal(install.status, 0, install.stdout + install.stderr);
  assert.doesNotMatch(install.stderr, /EBADENGINE/);
  assert.equal(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')).join(' '), 'ro-uv-check', 'no dependency installed');

  const npx = (args: string[]) => npm(['exec', '--offline', '--', 'ro-uv-check', ...args], project);
  assert.equal(npx(['--version']).stdout.trim(), pkg.version);
  // A command substitution is beyond the shell fast path: mvdan-sh must load from the installed package.
  const repo = writeRepo({ Dockerfile: 'FROM python:3.12-slim\nRUN echo "$(date)" > /built && uv sync --no-dev\n' });
  const r = npx([repo, '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const ids = JSON.parse(r.stdout).findings.map((f: { ruleId: string; line: number; column: number }) => `${f.ruleId} ${f.line}:${f.column}`);
  assert.ok(ids.includes('UV101 2:32'), ids.join(', '));
  // The schema is where the README tells editors to find it.
  assert.ok(fs.existsSync(path.join(project, 'node_modules', 'ro-uv-check', 'schema', 'ro-uv-check.schema.json')));
});
