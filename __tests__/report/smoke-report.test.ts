import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { smokeMarkdown, smokeText, diffText } from '../../src/report/smoke.js';
import type { SmokeResult } from '../../src/smoke/index.js';

const hostile: SmokeResult = {
  target: 'api|<b>@team</b>',
  result: 'failed',
  cause: 'exited with code 1 (expected to keep running)',
  quoted: ['```', 'OSError: [Errno 30] Read-only file system: \'/app/x\' @admin'],
  logTail: `${'x'.repeat(10_000)}\n\`\`\`\n</details><script>alert(1)</script>\n\x1b[31mred\x1b[0m`,
  diff: [{ kind: 'A', path: '/app/`evil`|x', expected: false }],
  envKeys: ['DATABASE_URL'],
  serviceNotReadOnly: true,
};

test('smoke Markdown: fences survive hostile logs, no HTML or mention escapes, long logs cut, env values never shown', () => {
  const md = smokeMarkdown([hostile]);
  // Outside code blocks nothing from the container or the repository may become HTML, markup or a mention;
  // inside them it is shown as text (GitHub renders fenced code literally).
  const outside = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  assert.doesNotMatch(outside, /<script>|<b>|@team|@admin/);
  assert.doesNotMatch(md, /@team|@admin/);
  // a block whose text holds ``` is fenced with ````, so the text cannot close it early
  assert.match(md, /^````\n```\nOSError/m);
  for (const m of md.matchAll(/^(`{3,})[^\n]*\n([\s\S]*?)\n\1$/gm)) assert.ok(!m[2]!.includes(m[1]!), 'a fence appears inside its own block');
  assert.ok(md.length < 9000, String(md.length));
  assert.match(md, /Environment passed \(values not shown\): DATABASE\\_URL/);
  assert.match(md, /lacks `read_only: true`/);
  assert.match(md, /# UNEXPECTED/);
});

test('smoke text: no terminal escape sequences from container output', () => {
  const t = smokeText([{ ...hostile, quoted: ['\x1b]0;title\x07\x1b[2Jcleared'] }]);
  assert.doesNotMatch(t, /\x1b/);
});

test('docker-diff output marks each line', () => {
  assert.equal(diffText([{ ...hostile, diff: [{ kind: 'C', path: '/home/appuser', expected: true, why: 'parent of a mount point' }] }]), '# api|<b>@team</b>: failed (exited with code 1 (expected to keep running))\nC /home/appuser  (expected: parent of a mount point)');
});

const viaCompose: SmokeResult = {
  target: 'web',
  result: 'failed',
  cause: 'dependency db did not become healthy: web was not started',
  quoted: ['db | FATAL: data directory missing'],
  logTail: '',
  diff: [],
  envKeys: [],
  runner: 'docker-compose 1.29.2',
  dependencies: [{ name: 'db', state: 'running (unhealthy)' }, { name: 'cache', state: 'running' }],
};

test('compose in the reports: how it ran, each dependency with its state, the quoted dependency logs, the fallback note', () => {
  const md = smokeMarkdown([viaCompose]);
  assert.match(md, /\*\*web\*\*: ❌ failed: dependency db did not become healthy: web was not started/);
  assert.match(md, /Ran with docker-compose 1\.29\.2; dependencies: db \\\(running \\\(unhealthy\\\)\\\), cache \\\(running\\\)\./);
  assert.match(md, /^db \| FATAL: data directory missing$/m);
  const text = smokeText([viaCompose]);
  assert.match(text, /^ {4}ran with docker-compose 1\.29\.2; dependencies: db \(running \(unhealthy\)\), cache \(running\)$/m);
  assert.match(text, /^ {4}\| db \| FATAL: data directory missing$/m);
  assert.equal(diffText([viaCompose]), '# web: failed (dependency db did not become healthy: web was not started) [ran with docker-compose 1.29.2; dependencies: db (running (unhealthy)), cache (running)]');
  const fallback: SmokeResult = { ...viaCompose, result: 'passed', runner: 'docker run', note: 'Docker Compose was not found: ran with docker run; its dependencies were therefore not started: db', dependencies: undefined };
  delete fallback.cause;
  assert.match(smokeMarkdown([fallback]), /> ⚠️ Docker Compose was not found: ran with docker run; its dependencies were therefore not started: db/);
  assert.match(smokeText([fallback]), /^ {4}note: Docker Compose was not found: ran with docker run; its dependencies were therefore not started: db$/m);
  assert.match(diffText([fallback]), /^# web: passed \[ran with docker run\]\n# note: Docker Compose was not found/);
});
