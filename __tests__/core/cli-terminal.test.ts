/** The built CLI as a terminal program: readers that stop early, colour on a terminal only (NO_COLOR, FORCE_COLOR). */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { PROJECT_ROOT, writeRepo } from '../helpers.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');
const ANSI = /\x1b\[/;
const SEED = path.join(PROJECT_ROOT, 'examples', 'seed-before');
/** The environment without anything that could turn colour on or off by itself. */
const baseEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  env.TERM = 'xterm';
  return env;
};

test('a reader that has gone before the first write: --list-rules exits 0 without a stack trace', async () => {
  const child = spawn(process.execPath, [CLI, '--list-rules'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the read end is closed long before the CLI has started and writes
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  assert.equal(stderr, '');
  assert.equal(signal, null);
  assert.equal(code, 0);
});

test('a report larger than the pipe buffer into `head -c 200`: quiet, and the exit code the findings earn', () => {
  // 1,500 unlocked syncs give ~220 KB of text: far more than a pipe holds, so writing it must hit the closed pipe.
  const repo = writeRepo({ Dockerfile: `FROM python:3.12-slim\n${'RUN uv sync\n'.repeat(1500)}` });
  const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" "$2" 2>"$3.err" | head -c 200 >/dev/null; echo "${PIPESTATUS[0]}"; cat "$3.err"', process.execPath, CLI, repo, path.join(repo, 'out')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const [status, ...stderr] = r.stdout.split('\n');
  assert.equal(stderr.join('\n').trim(), '', 'nothing on stderr (no EPIPE trace)');
  assert.equal(status, '1', 'errors found: exit 1, as without the pipe');
  const full = spawnSync(process.execPath, [CLI, repo], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  assert.ok(full.stdout.length > 150_000, `the report is larger than a pipe buffer (${full.stdout.length})`);
});

test('piped output is plain; FORCE_COLOR=1 colours it; NO_COLOR keeps it plain', () => {
  const run = (env: NodeJS.ProcessEnv, args = [SEED]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  const plain = run(baseEnv());
  assert.doesNotMatch(plain.stdout, ANSI);
  const forced = run({ ...baseEnv(), FORCE_COLOR: '1' });
  // Severity in its colour, the rule id bold in that colour.
  assert.match(forced.stdout, /\x1b\[31merror\x1b\[0m \x1b\[1m\x1b\[31mUV101\x1b\[0m sync-not-locked/);
  assert.match(forced.stdout, /\x1b\[33mwarning\x1b\[0m \x1b\[1m\x1b\[33mUV102\x1b\[0m/);
  // Without the escapes it is the plain report, word for word.
  assert.equal(forced.stdout.replace(/\x1b\[[0-9;]*m/g, ''), plain.stdout);
  assert.match(run({ ...baseEnv(), FORCE_COLOR: '1' }, ['--list-rules']).stdout, /^\x1b\[1m\x1b\[31mUV101\x1b\[0m/m);
  assert.doesNotMatch(run({ ...baseEnv(), NO_COLOR: '1' }).stdout, ANSI);
  assert.doesNotMatch(run({ ...baseEnv(), FORCE_COLOR: '0' }).stdout, ANSI);
  // A report written to a file is never coloured.
  const repo = writeRepo({ Dockerfile: 'FROM python:3.12-slim\nRUN uv sync\n' });
  const file = path.join(repo, 'report.txt');
  run({ ...baseEnv(), FORCE_COLOR: '1' }, [repo, '--output', file]);
  assert.doesNotMatch(fs.readFileSync(file, 'utf8'), ANSI);
});

test('on a terminal (a pseudo-terminal from script(1)): colour, unless NO_COLOR or TERM=dumb', () => {
  const onTty = (env: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" "${SEED}"`, '/dev/null'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const tty = onTty(baseEnv());
  assert.equal(tty.status, 1, tty.stderr);
  assert.match(tty.stdout, /\x1b\[31merror\x1b\[0m \x1b\[1m\x1b\[31mUV101\x1b\[0m/);
  const noColor = onTty({ ...baseEnv(), NO_COLOR: '1' });
  assert.match(noColor.stdout, /error UV101 sync-not-locked/);
  assert.doesNotMatch(noColor.stdout, ANSI);
  assert.doesNotMatch(onTty({ ...baseEnv(), TERM: 'dumb' }).stdout, ANSI);
});
