import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { diffLines, buildSuggestions } from '../../src/github/suggestions.js';
import type { Finding } from '../../src/core/types.js';

test('diffLines: right-side added and context lines of each hunk', () => {
  assert.deepEqual([...diffLines('@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n e\n@@ -10,1 +11,1 @@\n-x\n+y\n\\ No newline at end of file')], [1, 2, 3, 4, 11]);
});

test('buildSuggestions merges the edits of one line and skips lines outside the diff', () => {
  const f = (ruleId: string, text: string, line = 2): Finding => ({ ruleId, name: ruleId, severity: 'error', file: 'Dockerfile', line, column: 5, endLine: line, endColumn: 12, message: 'm', fix: 'x', edits: [{ file: 'Dockerfile', line, column: 12, endLine: line, endColumn: 12, text, anchor: 'sync' }] });
  const s = buildSuggestions([f('UV101', ' --locked'), f('UV104', ' --no-dev'), f('UV103', ' --compile-bytecode', 3)], (p) => `svc/${p}`, (p, l) => p === 'svc/Dockerfile' && l === 2, () => 'FROM x\nRUN uv sync\nRUN uv sync\n', '<!-- m -->');
  assert.equal(s.length, 1);
  assert.equal(s[0]!.line, 2);
  assert.match(s[0]!.body, /^<!-- m -->\n\*\*UV101 UV101\*\*: m\n\n\*\*UV104 UV104\*\*: m\n\n```suggestion\nRUN uv sync --locked --no-dev\n```$/);
});
