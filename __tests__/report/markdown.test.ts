import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { escapeMd, codeBlock, findingsMarkdown } from '../../src/report/markdown.js';
import type { Finding } from '../../src/core/types.js';

const f = (over: Partial<Finding>): Finding => ({ ruleId: 'UV101', name: 'sync-not-locked', severity: 'error', file: 'Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'm', fix: 'x', ...over });

test('escapeMd neutralises markup, HTML, table pipes, line breaks and @mentions', () => {
  const s = escapeMd('a|b `c` <script>alert(1)</script> @someone [x](http://e) *y*\nnext');
  assert.doesNotMatch(s, /<script>/);
  assert.doesNotMatch(s, /(^|[^\\])\|/);
  assert.doesNotMatch(s, /(^|[^\\])`/);
  assert.doesNotMatch(s, /@someone/);
  assert.doesNotMatch(s, /\n/);
  assert.match(s, /&lt;script&gt;/);
});

test('codeBlock uses a fence longer than any backtick run inside', () => {
  const b = codeBlock('log ``` fence ```` more');
  assert.ok(b.startsWith('`````\n'));
  assert.ok(b.endsWith('\n`````'));
});

test('the findings table escapes hostile file names and stops at maxChars with a note', () => {
  const md = findingsMarkdown([f({ file: 'a|`b`<img src=x>@x.Dockerfile' }), ...Array.from({ length: 50 }, (_, i) => f({ line: i + 2, message: 'long '.repeat(20) }))], { maxChars: 2000, truncatedNote: 'see the job summary' });
  assert.ok(md.length <= 2100, String(md.length));
  assert.match(md, /more findings not shown: see the job summary/);
  assert.doesNotMatch(md, /<img/);
  const rows = md.split('\n').filter((l) => l.startsWith('| 🔴'));
  for (const r of rows) assert.equal(r.split(/(?<!\\)\|/).length, 7, r);
});
