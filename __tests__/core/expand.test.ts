/** Variable substitution in Dockerfiles and compose files, and its limits on hostile input. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expandVars } from '../../src/core/parse/expand.js';
import { analyzeRepo } from '../helpers.js';

const vars: Record<string, string> = { A: 'a', E: '' };
const lookup = (n: string): string | undefined => vars[n];

test('expandVars: defaults, alternatives, set-but-empty, nesting, escapes', () => {
  const cases: [string, string][] = [
    ['${X:-${Y:-${A}}}', 'a'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${A:+alt}', 'alt'],
    ['${X+alt}', ''],
    ['$A$A/${A}', 'aa/a'],
    ['\\$A', '$A'],
    ['${unclosed', '${unclosed'],
  ];
  for (const [text, want] of cases) assert.equal(expandVars(text, lookup), want, text);
  assert.equal(expandVars('$$A', lookup, { dollarDollar: true }), '$A');
});

test('expandVars: 20,000 nested defaults expand 32 levels deep and keep the rest as written (no stack overflow)', () => {
  const n = 20000;
  const text = `${'${X:-'.repeat(n)}x${'}'.repeat(n)}`;
  const out = expandVars(text, lookup);
  assert.equal(out, `${'${X:-'.repeat(n - 33)}x${'}'.repeat(n - 33)}`);
});

test('hostile: deeply nested defaults in a compose value and a Dockerfile ENV are analysed, not a crash', async () => {
  const v = `${'${A:-'.repeat(20000)}x${'}'.repeat(20000)}`;
  const r = await analyzeRepo({
    'compose.yaml': `services:\n  s:\n    image: python\n    command: uv run app\n    environment:\n      X: "${v}"\n`,
    'b/Dockerfile': `FROM python:3.12\nENV X=${v}\nRUN uv sync\n`,
  });
  assert.ok(r.findings.some((f) => f.ruleId === 'UV201' && f.file === 'compose.yaml'));
  assert.ok(r.findings.some((f) => f.ruleId === 'UV101' && f.file === 'b/Dockerfile'));
  assert.ok(!r.findings.some((f) => /could not be analysed|stack/.test(f.message)), JSON.stringify(r.findings.filter((f) => f.ruleId.startsWith('RO'))));
});
