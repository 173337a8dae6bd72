import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyze } from '../../src/core/engine.js';
import { analyzeRepo, writeRepo, PROJECT_ROOT } from '../helpers.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');
const INLINE = [
  'services:',
  '  app:',
  '    build:',
  '      context: .',
  '      dockerfile_inline: |',
  '        FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim',
  '        RUN useradd --uid 1001 --create-home appuser',
  '        RUN uv sync',
  '        USER appuser',
  '        CMD ["uv", "run", "app"]',
  '    read_only: true',
  '    tmpfs: ["/home/appuser/.cache:uid=1001,gid=1001"]',
  '    cap_drop: [ALL]',
  '    security_opt: ["no-new-privileges:true"]',
  '  job:',
  '    build:',
  '      context: .',
  '      dockerfile_inline: "FROM ghcr.io/astral-sh/uv:0.12.5\\nCMD [\\"uv\\", \\"run\\", \\"--no-sync\\", \\"job\\"]\\n"',
  '',
].join('\n');

test('dockerfile_inline is analysed where it is written in the compose file, each service with its own image', async () => {
  const r = await analyzeRepo({ 'compose.yaml': INLINE });
  const at = (id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}:${f.column}`);
  assert.deepEqual(at('UV101'), ['compose.yaml:8:13']);
  assert.deepEqual(at('UV201'), ['compose.yaml:10:14']);
  assert.deepEqual(at('RO902'), [], 'no "Dockerfile does not exist"');
  const job = r.project.services.find((s) => s.service.name === 'job')!;
  assert.deepEqual(job.runtime?.commands[0]?.words.map((w) => w.text), ['uv', 'run', '--no-sync', 'job']);
  // A quoted string cannot be laid out line for line: its findings are on the string as a whole, without edits.
  const py301 = r.findings.filter((f) => f.ruleId === 'PY301');
  assert.deepEqual(py301.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}:${f.edits ? 'edit' : 'none'}`), ['6:9-6:66:edit', '18:26-18:109:none']);
  assert.ok(r.findings.every((f) => !f.file.includes('\0')));
});

test('a dockerfile_inline whose text interpolation changed is reported at the value as a whole', async () => {
  const compose = 'services:\n  app:\n    build:\n      dockerfile_inline: |\n        FROM ${BASE:-ghcr.io/astral-sh/uv:0.12.5}\n        RUN uv sync\n';
  const r = await analyzeRepo({ 'compose.yaml': compose });
  const uv101 = r.findings.filter((f) => f.ruleId === 'UV101');
  assert.deepEqual(uv101.map((f) => `${f.file}:${f.line}:${f.column}`), ['compose.yaml:4:26']);
});

test('--fix edits a dockerfile_inline block in place, indented as it is; the compose file stays valid', async () => {
  const dir = writeRepo({ 'compose.yaml': INLINE, 'uv.lock': 'version = 1\n' });
  const r = spawnSync(process.execPath, [CLI, dir, '--fix'], { encoding: 'utf8' });
  assert.match(r.stderr, /applied \d+ fixes/);
  const after = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
  assert.match(after, /^ {8}FROM ghcr\.io\/astral-sh\/uv:0\.12\.5-python3\.12-bookworm-slim\n {8}ENV PYTHONDONTWRITEBYTECODE=1\n/m);
  // Nothing copies a pyproject.toml, so UV102/UV104 claim nothing about the project (no --no-editable / --no-dev).
  assert.match(after, /^ {8}RUN uv sync --locked --compile-bytecode\n/m);
  assert.match(after, /^ {8}CMD \["uv", "run", "--no-sync", "app"\]\n/m);
  const left = (await analyze({ root: dir })).findings.filter((f) => f.line <= 14 && f.severity !== 'notice').map((f) => f.ruleId);
  // What the fixes covered is gone; the YAML still parses (no RO901). UV105 stays: nothing copies uv.lock.
  assert.deepEqual(left, ['UV105']);
});
