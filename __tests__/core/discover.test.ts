import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { discover, composeProjects } from '../../src/core/discover.js';
import { writeRepo, analyzeRepo } from '../helpers.js';

test('default patterns, hidden folders included, .git/node_modules/.venv skipped', () => {
  const dir = writeRepo({
    'Dockerfile': 'FROM x',
    'svc/api.Dockerfile': 'FROM x',
    'svc/Dockerfile.prod': 'FROM x',
    'svc/Dockerfile.dockerignore': '.venv',
    '.devcontainer/Containerfile': 'FROM x',
    'node_modules/pkg/Dockerfile': 'FROM x',
    '.venv/lib/Dockerfile': 'FROM x',
    '.git/Dockerfile': 'FROM x',
    'compose.yaml': 'services: {}',
    'deploy/docker-compose.override.yml': 'services: {}',
    'deploy/docker-compose.yml': 'services: {}',
    'deploy/docker-compose.prod.yml': 'services: {}',
    'other.yaml': 'x: 1',
  });
  const d = discover(dir);
  assert.deepEqual(d.dockerfiles, ['Dockerfile', 'svc/Dockerfile.prod', 'svc/api.Dockerfile']);
  assert.deepEqual(d.leftOut, [{ file: '.devcontainer/Containerfile', reason: 'a dev container (`.devcontainer/`), not the production runtime' }]);
  assert.deepEqual(d.composeFiles, ['compose.yaml', 'deploy/docker-compose.override.yml', 'deploy/docker-compose.prod.yml', 'deploy/docker-compose.yml']);
  assert.deepEqual(composeProjects(d.composeFiles).map((s) => [s.files, s.role]), [
    [['compose.yaml'], 'production'],
    [['deploy/docker-compose.yml', 'deploy/docker-compose.override.yml'], 'development'],
    [['deploy/docker-compose.yml', 'deploy/docker-compose.prod.yml'], 'production'],
  ]);
});

test('config exclude globs prune folders and files', () => {
  const dir = writeRepo({ 'a/Dockerfile': 'FROM x', 'b/c/Dockerfile': 'FROM x', 'd/Dockerfile': 'FROM x' });
  assert.deepEqual(discover(dir, { exclude: ['b/**', 'd/Dockerfile'] }).dockerfiles, ['a/Dockerfile']);
});

test('explicit patterns replace the defaults', () => {
  const dir = writeRepo({ 'docker/app.docker': 'FROM x', Dockerfile: 'FROM x' });
  assert.deepEqual(discover(dir, { dockerfilePatterns: ['docker/*.docker'] }).dockerfiles, ['docker/app.docker']);
});

test('a symlink leaving the root is not followed and is reported; a symlink loop does not hang', async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
  fs.writeFileSync(path.join(outside, 'Dockerfile'), 'FROM ghcr.io/astral-sh/uv:latest\n');
  const dir = writeRepo({ 'ok/Dockerfile': 'FROM x' });
  fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(dir, 'Dockerfile'));
  fs.symlinkSync(dir, path.join(dir, 'loop'));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'compose.yaml'));
  const d = discover(dir);
  assert.deepEqual(d.dockerfiles, ['ok/Dockerfile']);
  assert.deepEqual(d.skipped.map((s) => s.file).sort(), ['Dockerfile', 'compose.yaml']);
  assert.match(d.skipped.find((s) => s.file === 'Dockerfile')!.reason, /outside the scanned root/);
});

test('a directory named Dockerfile is not a file to read', async () => {
  const r = await analyzeRepo({ 'Dockerfile/readme.txt': 'x' });
  assert.deepEqual(r.findings, []);
});

test('discover: a folder that cannot be listed is reported rather than skipped in silence', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-deep-'));
  const cwd = process.cwd();
  try {
    // A tree deeper than PATH_MAX: the folders past it cannot be listed by their path (ENAMETOOLONG).
    process.chdir(root);
    for (let i = 0; i < 2100; i++) {
      fs.mkdirSync('d');
      process.chdir('d');
    }
    fs.writeFileSync('Dockerfile', 'FROM python:3.12\n');
  } finally {
    process.chdir(cwd);
  }
  try {
    const found = discover(root);
    assert.deepEqual(found.dockerfiles, []);
    assert.equal(found.skipped.length, 1);
    assert.match(found.skipped[0]!.reason, /^a folder that cannot be listed \(ENAMETOOLONG\): not scanned$/);
  } finally {
    // fs.rmSync recurses once per level and runs out of stack on this tree; rm does not.
    execFileSync('rm', ['-rf', root]);
  }
});

test('a lower-case dockerfile (Docker falls back to it) and *.dockerfile names in any case are Dockerfiles', () => {
  const dir = writeRepo({
    'dockerfile': 'FROM x',
    'svc/runpod.dockerfile': 'FROM x',
    'svc/Containerfile.prod': 'FROM x',
    'svc/api.containerfile': 'FROM x',
    'svc/dockerfile.dockerignore': '.venv',
    'svc/Dockerfile.dockerignore': '.venv',
    'docs/dockerfiles.md': '# not one',
  });
  assert.deepEqual(discover(dir).dockerfiles, ['dockerfile', 'svc/Containerfile.prod', 'svc/api.containerfile', 'svc/runpod.dockerfile']);
});

test('compose files named with a dash variant (docker-compose-neo4j.yml, compose-prod.yaml) are read, each a project of its own', () => {
  const dir = writeRepo({
    'docker-compose.yml': 'services: {}',
    'docker-compose-neo4j.yml': 'services: {}',
    'compose-prod.yaml': 'services: {}',
    'docker-composer.yml': 'x: 1',
    'compose_notes.yaml': 'x: 1',
  });
  const d = discover(dir);
  assert.deepEqual(d.composeFiles, ['compose-prod.yaml', 'docker-compose-neo4j.yml', 'docker-compose.yml']);
  assert.deepEqual(composeProjects(d.composeFiles).map((s) => [s.files, s.role]), [[['docker-compose.yml'], 'production'], [['compose-prod.yaml'], 'production'], [['docker-compose-neo4j.yml'], 'production']]);
});

test('a service in docker-compose-X.yml and a lower-case dockerfile are analysed (they were never read)', async () => {
  const r = await analyzeRepo({
    dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\nRUN uv sync --locked\nCMD ["uv", "run", "app"]\n',
    'docker-compose-prod.yml': 'services:\n  app:\n    build: .\n    command: uv run app.py\n',
  });
  const at = (id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}`);
  assert.deepEqual(at('UV106'), ['dockerfile:2']);
  assert.deepEqual(at('UV201'), ['docker-compose-prod.yml:4']);
});

test('a project template folder ({{ cookiecutter.project_slug }}) is left out, and said so: its Jinja is not what Docker reads', async () => {
  const files = {
    '{{ cookiecutter.project_slug }}/Dockerfile': 'FROM python:3.12-slim\n{%- if cookiecutter.uv %}\nRUN uv sync\n{%- endif %}\n',
    '{{ cookiecutter.project_slug }}/pyproject.toml': '[project]\nname = "{{ cookiecutter.project_slug }}"\n{{ cookiecutter.extra }} = "y"\n',
    'cookiecutter.json': '{"project_slug": "app"}\n',
  };
  const dir = writeRepo(files);
  const d = discover(dir);
  assert.deepEqual(d.dockerfiles, []);
  assert.deepEqual(d.leftOut.map((l) => l.file), ['{{ cookiecutter.project_slug }}/']);
  assert.deepEqual((await analyzeRepo(files)).findings, []);
});
