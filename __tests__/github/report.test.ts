import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { summaryMarkdown, commentBody, verdict, type ReportInput } from '../../src/github/report.js';
import type { Finding, Severity } from '../../src/core/types.js';

const f = (severity: Severity, i: number): Finding => ({ ruleId: 'UV101', name: 'sync-not-locked', severity, file: `s${i}/Dockerfile`, line: 1, column: 1, endLine: 1, endColumn: 2, message: 'm', fix: 'x' });
const mixed = [...Array.from({ length: 120 }, (_, i) => f('error', i)), ...Array.from({ length: 180 }, (_, i) => f('warning', i)), ...Array.from({ length: 60 }, (_, i) => f('notice', i))];
const report = (failOn: string, failed: boolean, findings = mixed): ReportInput => ({ findings, failOn, failed, scope: '.', notes: [] });

test('the verdict counts every severity, whatever fail-on says (fail-on: never left the errors out)', () => {
  const first = summaryMarkdown(report('never', false), {}).split('\n')[2]!;
  assert.match(first, /passed/);
  assert.match(first, /\(120 errors, 180 warnings, 60 notices\)/);
  assert.doesNotMatch(first, /nothing at or above `never`/);
  for (const [failOn, failed] of [['error', true], ['warning', true], ['notice', true], ['never', false]] as const) {
    assert.match(verdict(report(failOn, failed)), /\(120 errors, 180 warnings, 60 notices\)/, failOn);
    assert.match(commentBody(report(failOn, failed), '<!-- m -->'), /\(120 errors, 180 warnings, 60 notices\)/, failOn);
  }
  // passing below the gate: the lower severities are counted, and the zero errors too
  const warnings = mixed.filter((x) => x.severity !== 'error');
  assert.match(verdict(report('error', false, warnings)), /passed.*nothing at or above `error` \(0 errors, 180 warnings, 60 notices\)/);
});
